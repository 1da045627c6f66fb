"""JSON Schemas of the record, shipped inside the package as pipeline.schemas."""
