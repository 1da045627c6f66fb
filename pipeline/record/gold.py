"""Read a hand-annotated gold file (contract paths, ``{value, page|line, quote, also, alternates}``) into a Record.

Gold quotes are whitespace-collapsed source text; a list row carries one row quote plus field-specific ones
(``share_quote``, ``budget_quote``, ``score_quote``). Each row figure takes as sources the quotes that
actually print its value, the field's own quote first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.record.figure import Alternate, Figure, Source, SourceKind, Unit
from pipeline.record.model import SECTIONS, ClassRow, ItemRow, ListRow, ProjectRow, Record
from pipeline.record.money import to_decimal
from pipeline.record.printed import match_printed, states_zero

IDENTITY = ("department", "fiscal_year", "report_type", "unit")
_LIST_ROWS: dict[str, type[ListRow]] = {
    "general_budget.by_class": ClassRow,
    "general_budget.items": ItemRow,
    "performance.projects": ProjectRow,
}
_QUOTE_PREFIX = {"share_pct": "share", "budget": "budget", "completion_pct": "budget", "score": "score"}
_SENTENCE_PUNCT = re.compile(r"[，。；：,;:、]")
_SPACED_NUMBER = re.compile(r"\s\d[\d,]*(\.\d+)?%?(\s|$)")


def unit_for(path: str) -> Unit:
    """The unit a contract path is in."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf.endswith("_pct"):
        return "%"
    if leaf.endswith("score") or leaf.endswith("_score"):
        return "分"
    return {
        "reception_batches": "批次",
        "reception_persons": "人次",
        "vehicles_owned": "辆",
        "high_value_equipment": "台（套）",
        "projects_evaluated": "个",
        "target_projects": "个",
    }.get(leaf, "辆" if path == "assets.vehicles" else "万元")


def source_kind(quote: str) -> SourceKind:
    """A quote that is a run of cells ('合计 307.82 105.58 202.24') is a table row, else narrative."""
    text = unicodedata.normalize("NFKC", quote)
    if not _SENTENCE_PUNCT.search(text) and _SPACED_NUMBER.search(" " + text + " "):
        return SourceKind.TABLE
    return SourceKind.NARRATIVE


def _source(
    obj: dict[str, Any], prefix: str = "", table_pages: dict[int, str] | None = None
) -> Source | None:
    key = f"{prefix}_" if prefix else ""
    quote = obj.get(f"{key}quote")
    if quote is None:
        return None
    page, line = obj.get(f"{key}page"), obj.get(f"{key}line")
    kind = source_kind(quote)
    table = (table_pages or {}).get(page) if kind is SourceKind.TABLE and page else None
    return Source(page=page, line=line, quote=quote, kind=kind, table=table)


def _grounds(value: Decimal, src: Source, unit: Unit) -> bool:
    if match_printed(value, src.quote, money=unit == "万元") is not None:
        return True
    return value == 0 and states_zero(src.quote)


def _figure(obj: dict[str, Any], path: str, table_pages: dict[int, str] | None) -> Figure:
    unit = unit_for(path)
    sources = [s for s in [_source(obj, table_pages=table_pages)] if s]
    sources += [s for a in obj.get("also", []) if (s := _source(a, table_pages=table_pages))]
    alternates = obj.get("alternates") or []
    if isinstance(alternates, dict):
        alternates = list(alternates.values())
    return Figure(
        value=obj["value"],
        unit=unit,
        sources=sources,
        alternates=[_alternate(a, table_pages) for a in alternates],
        note=obj.get("note"),
    )


def _alternate(obj: dict[str, Any], table_pages: dict[int, str] | None) -> Alternate:
    src = _source(obj, table_pages=table_pages)
    return Alternate(value=obj["value"], sources=[src] if src else [], note=obj.get("note"))


def _row(cls: type[ListRow], obj: dict[str, Any], path: str, table_pages: dict[int, str] | None) -> ListRow:
    prefixes = sorted({k[: -len("_quote")] for k in obj if k.endswith("_quote")})
    row_alternates = obj.get("alternates") or {}
    data: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if name not in obj:
            continue
        if "Figure" not in str(field.annotation):
            data[name] = obj[name]
            continue
        value, unit = to_decimal(obj[name]), unit_for(f"{path}.{name}")
        own = [
            s for p in dict.fromkeys([_QUOTE_PREFIX.get(name, ""), ""]) if (s := _source(obj, p, table_pages))
        ]
        others = [s for p in prefixes if (s := _source(obj, p, table_pages)) and s not in own]
        sources = (
            [s for s in own if _grounds(value, s, unit)]
            or [s for s in others if _grounds(value, s, unit)][:1]
            or own[:1]
            or others[:1]
        )
        alt = row_alternates.get(name)
        data[name] = Figure(
            value=value,
            unit=unit,
            sources=sources,
            alternates=[_alternate(alt, table_pages)] if alt else [],
        )
    return cls(**data)


def record_from_gold(path: str | Path, table_pages: dict[int, str] | None = None) -> Record:
    """The Record a gold annotation describes; ``table_pages`` (page → T1…T9) types table sources."""
    with open(path, encoding="utf-8") as f:
        gold = json.load(f, parse_float=Decimal)
    return record_from_gold_data(gold, table_pages)


class GoldError(ValueError):
    """A gold annotation that does not have the shape of one; the message names the field."""


def record_from_gold_data(gold: dict[str, Any], table_pages: dict[int, str] | None = None) -> Record:
    """The Record of an already-parsed gold annotation; a malformed one raises GoldError naming the key."""
    groups = {name: gold.get(name) or {} for name in ("fields", "extra_fields")}
    for name, group in groups.items():
        if not isinstance(group, dict):
            raise GoldError(f"'{name}' must be an object of contract paths, not {type(group).__name__}")
    record = Record(document=gold.get("document"))
    for key, obj in [*groups["fields"].items(), *groups["extra_fields"].items()]:
        try:
            _put(record, key, obj, table_pages)
        except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as e:
            cause = f"no {e}" if isinstance(e, KeyError) else str(e).splitlines()[0]
            raise GoldError(f"field {key!r}: {cause}") from e
    return record


def _put(record: Record, key: str, obj: Any, table_pages: dict[int, str] | None) -> None:
    if key in IDENTITY:
        setattr(record, key, obj)
        return
    if key == "department_aliases":
        record.department_aliases = list(obj["value"] if isinstance(obj, dict) else obj)
        return
    if key in _LIST_ROWS:
        section, field = key.split(".")
        rows = [_row(_LIST_ROWS[key], row, key, table_pages) for row in obj]
        setattr(record.section(section), field, rows)
        return
    section, _, field = key.partition(".")
    fig = _figure(obj, key, table_pages)
    if section in SECTIONS and field in type(record.section(section)).model_fields:
        setattr(record.section(section), field, fig)
    else:
        record.extra[key] = fig
