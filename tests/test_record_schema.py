"""The checked-in JSON Schema is exactly what the models export (regenerate: juesuan schema --out …)."""

from __future__ import annotations

import json

from pipeline.record.schema import SCHEMA_FILE, record_schema, schema_json


def test_checked_in_schema_is_in_sync():
    assert SCHEMA_FILE.exists(), "run: juesuan schema --out schemas/record.schema.json"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "schemas/record.schema.json is stale: run `juesuan schema --out schemas/record.schema.json`"
    )


def test_figure_values_are_json_numbers_in_the_schema():
    schema = record_schema()
    figure = schema["$defs"]["Figure"]
    assert figure["properties"]["value"]["type"] == "number"
    assert set(figure["required"]) == {"value"}
    source = schema["$defs"]["Source"]["properties"]
    assert {"page", "line", "quote", "bbox", "kind", "table", "row", "column", "section"} <= set(source)
    assert json.loads(schema_json()) == schema
