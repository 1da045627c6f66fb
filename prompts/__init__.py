"""Jinja2 prompt templates, shipped inside the package as pipeline.prompts."""
