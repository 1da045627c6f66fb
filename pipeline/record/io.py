"""Read a record from JSON: a Record, the file ``juesuan extract`` writes (``{"record": …, "status": …}``),
or a gold annotation (``{"fields": …}``).

Whatever the file holds, the answer is a Record or one InputError line naming the file and the cause: a
wrong encoding, broken or absurdly nested JSON, a figure without a value, a number no report prints, or a
record with nothing in it (which must not pass as checked).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.errors import InputError, validation_summary
from pipeline.ingest.text import decode_text
from pipeline.record.gold import GoldError, record_from_gold_data
from pipeline.record.model import Record

MAX_BYTES = 64 * 1024 * 1024  # a record of a 500-page report is a few MB


def read_record(path: str | Path) -> Record:
    path = Path(path)
    data = _load_json(path)
    if isinstance(data, dict) and "fields" in data:
        try:
            record = record_from_gold_data(data)
        except GoldError as e:
            raise InputError(path, f"not a gold annotation: {e}") from e
    else:
        if isinstance(data, dict) and "record" in data and "status" in data:
            data = data["record"]  # the file juesuan extract writes
        if not isinstance(data, dict):
            raise InputError(path, f"not a record: expected a JSON object, found {_kind(data)}")
        try:
            record = Record.model_validate(data)
        except ValidationError as e:
            raise InputError(path, f"not a record: {validation_summary(e)}") from e
    if _is_empty(record):
        raise InputError(path, "empty record: no department, year, table or figure to check")
    return record


def _load_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is {size / 1e6:.0f} MB; a record is at most {MAX_BYTES // 2**20} MiB")
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot read the file ({e.strerror or e})") from e
    text = decode_text(path, raw)
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise InputError(path, f"not JSON ({e})") from e
    except RecursionError as e:
        raise InputError(path, "not a record: JSON nested too deeply") from e
    except ValueError as e:  # an integer of thousands of digits
        raise InputError(path, f"not JSON ({str(e).splitlines()[0]})") from e


def _kind(data: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null", bool: "true/false"}.get(type(data), "a number")


def _is_empty(record: Record) -> bool:
    """Nothing but the file name (and reading warnings): no identity, figure, table or list row."""
    return not record.model_dump(exclude_defaults=True, exclude={"document", "warnings"})
