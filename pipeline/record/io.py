"""Read a record from JSON: a Record, the file ``juesuan extract`` writes (``{"record": …, "status": …}``),
or a gold annotation (``{"fields": …}``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from pipeline.errors import InputError
from pipeline.record.gold import record_from_gold
from pipeline.record.model import Record


def read_record(path: str | Path) -> Record:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(path, f"cannot read the file ({e.strerror or e})") from e
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise InputError(path, f"not JSON ({e})") from e
    if isinstance(data, dict) and "fields" in data:
        return record_from_gold(path)
    if isinstance(data, dict) and isinstance(data.get("record"), dict) and "status" in data:
        data = data["record"]
    try:
        return Record.model_validate(data)
    except ValueError as e:
        raise InputError(path, f"not a record: {e}") from e
