"""The record's JSON Schema, exported from the models so the checked-in copy can never drift unnoticed."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.record.model import Record

SCHEMA_ID = "https://juesuan.example/schemas/record.schema.json"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "record.schema.json"


def record_schema() -> dict:
    """JSON Schema (2020-12) of a record as written to JSON: figures' values are numbers."""
    schema = Record.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_json() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
