"""A reviewer's corrections: ``<stem>.corrections.json`` beside the record, path → value, page, quote.

    {"corrections": {
        "income.total": {"value": 544.24, "page": 4, "quote": "本年收入合计 544.24"},
        "general_budget.items[2070102].amount": {"value": 12.5, "page": 9, "quote": "12.50"},
        "T5[2070102].total": {"value": 12.5, "page": 9, "quote": "12.50"},
        "three_public.reception": {"value": null, "note": "the report does not state it"}}}

A value replaces the figure (its old reading is kept in the note); ``null`` removes it. ``juesuan validate``
re-checks the corrected record, and ``juesuan extract`` applies the file again after every extraction,
``--force`` included: the file is the reviewer's and is never written by the pipeline.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import InputError
from pipeline.record.figure import BBox, Figure, Source, SourceKind
from pipeline.record.model import SECTIONS, ListRow, Record
from pipeline.record.money import Number

_LIST = re.compile(r"^(?P<list>\w+\.\w+)\[(?P<key>[^\]]+)\]\.(?P<field>\w+)$")
_CELL = re.compile(r"^(?P<table>T[1-9])\[(?P<key>[^\]]+)\]\.(?P<column>\w+)$")


class Correction(BaseModel):
    """What the reviewer read: the value (None: the report does not state it) and where."""

    model_config = ConfigDict(extra="forbid")

    value: Number | None
    page: int | None = Field(None, ge=1)
    line: int | None = Field(None, ge=1)
    quote: str | None = None
    bbox: BBox | None = None
    note: str | None = None


class Corrections(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str | None = None
    corrections: dict[str, Correction] = Field(default_factory=dict)


def corrections_path(record_file: Path) -> Path:
    """``out/x.json`` → ``out/x.corrections.json``."""
    return record_file.with_name(f"{record_file.stem}.corrections.json")


def load_corrections(path: Path) -> Corrections | None:
    """The corrections file, or None when there is none; a malformed one is an InputError naming the cause."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as e:
        raise InputError(path, f"corrections file is not readable JSON ({e})") from e
    try:
        return Corrections.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(path, f"not a corrections file: {where}: {first['msg']}") from e


def _figure(c: Correction, old: Figure | None, kind: SourceKind) -> Figure | None:
    if c.value is None:
        return None
    sources = [Source(page=c.page, line=c.line, quote=c.quote, bbox=c.bbox, kind=kind)] if c.quote else []
    was = f" (read as {old.value})" if old is not None and old.value != c.value else ""
    note = f"reviewer correction{was}" + (f": {c.note}" if c.note else "")
    return Figure(value=c.value, unit=old.unit if old else "万元", sources=sources, note=note)


def _row(record: Record, list_path: str, key: str) -> ListRow | None:
    section, _, name = list_path.partition(".")
    rows = getattr(record.section(section), name, None) if section in SECTIONS else None
    if not isinstance(rows, list):
        return None
    base, _, nth = key.partition("#")
    matches = [r for r in rows if r.key == base]
    index = int(nth) - 1 if nth.isdigit() else 0
    return matches[index] if 0 <= index < len(matches) else None


def _set(record: Record, path: str, c: Correction) -> None:
    """Put one correction into the record (raises ValueError for a path the record has no place for)."""
    if m := _CELL.match(path):
        table = record.tables.get(m["table"])  # type: ignore[call-overload]
        row = table.row(m["key"]) if table else None
        if row is None:
            raise ValueError(f"{path}: the record has no such table row")
        fig = _figure(c, row.values.get(m["column"]), SourceKind.TABLE)
        if fig is None:
            row.values.pop(m["column"], None)
        else:
            row.values[m["column"]] = fig
        return
    if m := _LIST.match(path):
        row = _row(record, m["list"], m["key"])
        if row is None or m["field"] not in type(row).model_fields:
            raise ValueError(f"{path}: the record has no such row or field")
        setattr(row, m["field"], _figure(c, getattr(row, m["field"]), SourceKind.NARRATIVE))
        return
    head, _, leaf = path.partition(".")
    if head == "extra":
        fig = _figure(c, record.extra.get(leaf), SourceKind.NARRATIVE)
        if fig is None:
            record.extra.pop(leaf, None)
        else:
            record.extra[leaf] = fig
        return
    section = record.section(head) if head in SECTIONS else None
    field = type(section).model_fields.get(leaf) if section is not None else None
    if field is None or "Figure" not in str(field.annotation):
        raise ValueError(f"{path}: not a figure path of the record")
    setattr(section, leaf, _figure(c, getattr(section, leaf), SourceKind.NARRATIVE))


def apply_corrections(record: Record, corrections: Corrections, source: Path | None = None) -> Record:
    """A copy of the record with every correction in; an unknown path is an InputError naming it."""
    out = record.model_copy(deep=True)
    for path, c in corrections.corrections.items():
        try:
            _set(out, path, c)
        except ValueError as e:
            raise InputError(source or Path("corrections"), str(e)) from e
    return out


def corrected_output(output: dict[str, Any], corrections: Corrections, document: Any = None,
                     source: Path | None = None) -> dict[str, Any]:
    """A record file's JSON with the corrections applied, validated again, and its status recomputed."""
    from pipeline.extract.run import PartError, status_of
    from pipeline.validate import validate

    record = apply_corrections(Record.model_validate(output.get("record") or {}), corrections, source)
    report = validate(record, document)
    errors = [PartError.model_validate(e) for e in output.get("errors") or []]
    return output | {
        "record": record.model_dump(mode="json"),
        "validation": report.model_dump(mode="json"),
        "status": status_of(report, errors),
        "corrections": sorted(corrections.corrections),
    }
