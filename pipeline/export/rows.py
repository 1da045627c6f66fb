"""The long tables of one report's output JSON: its figures, every cell of T1–T9, and its violations.

Each row starts with the report's identity (document, department, year, type), so a folder of reports
pivots by department or 类 without a merge. Rows are plain dicts keyed by the English column keys of
``columns.py``; the writers put the headers on in the chosen language. Built from the output JSON alone, so
the CLI (from the record files on disk) and the service (from its database) make the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.export.labels import (
    CLASS_NAMES,
    REPORT_TYPES,
    SEVERITIES,
    SIDES,
    Lang,
    column_header,
    field_label,
    item_label,
    level_name,
    table_title,
    word,
)
from pipeline.record.figure import Source
from pipeline.record.model import LIST_FIELDS, ListRow, Record
from pipeline.record.tables import cell_path

CLASS_ORDER = ("extraction", "source", "rounding")


def number(value: Any) -> Any:
    """A Decimal as plain digits (no exponent); anything else as it is (JSON floats are exact reprs)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def sorted_violations(output: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations in the order the review page numbers them (v1, v2 …): ours first, then the report's."""
    violations = (output.get("validation") or {}).get("violations") or []
    return sorted(
        violations,
        key=lambda v: (
            CLASS_ORDER.index(v.get("cls")) if v.get("cls") in CLASS_ORDER else 3,
            v.get("rule") or "",
            v.get("subject") or "",
            v.get("message") or "",
        ),
    )


def page_sizes_of(path: Path) -> list[list[float]]:
    """[width, height] of every page of a PDF in points ([] for text input or an unreadable file)."""
    if path.suffix.lower() in (".txt", ".md") or not path.is_file():
        return []
    try:
        import pymupdf

        with pymupdf.open(path) as doc:
            return [[round(p.rect.width, 2), round(p.rect.height, 2)] for p in doc]
    except Exception:  # noqa: BLE001 - sizes are a convenience of the tables, never a reason to fail
        return []


@dataclass
class ReportView:
    """One report's output JSON, read once for all its tables (the record typed, names looked up)."""

    name: str
    output: dict[str, Any]
    review: str | None = None  # the review page's file name, for links; None when there is none
    lang: Lang = "zh"
    record: Record = field(init=False)
    sizes: dict[int, list[float]] = field(init=False)
    class_names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.record = Record.model_validate(self.output.get("record") or {})
        sizes = self.output.get("page_sizes")
        if sizes is None and (self.output.get("batch") or {}).get("file"):
            sizes = page_sizes_of(Path(self.output["batch"]["file"]))  # a record from before page_sizes
        self.sizes = {i: s for i, s in enumerate(sizes or [], start=1)}
        self.class_names = _class_names(self.record)

    def identity(self) -> dict[str, Any]:
        rec = self.record
        return {
            "document": self.name,
            "department": rec.department,
            "fiscal_year": rec.fiscal_year,
            "report_type": word(REPORT_TYPES, rec.report_type, self.lang),
        }

    def link(self, anchor: str) -> str | None:
        return f"{self.review}#{anchor}" if self.review else None

    def place(self, src: Source | None) -> dict[str, Any]:
        """Page, line, quote, box and page size of a source."""
        if src is None:
            return {}
        size = self.sizes.get(src.page or 0)
        return {
            "page": src.page,
            "line": src.line,
            "quote": src.quote,
            "row_text": src.row_text,
            "bbox": ",".join(f"{v:.1f}" for v in src.bbox) if src.bbox else None,
            "page_width": _points(size[0]) if size and src.bbox else None,
            "page_height": _points(size[1]) if size and src.bbox else None,
        }

    def code_columns(self, code: str | None, name: str | None) -> dict[str, Any]:
        level = level_name(code)
        cls = code[:3] if level else None
        return {
            "level": level,
            "code": code,
            "name": name,
            "class_code": cls,
            "class_name": self.class_names.get(cls) if cls else None,
        }

    def figure_rows(self) -> Iterator[dict[str, Any]]:
        """One row per figure of the record (its first source), in the record's own order."""
        rows = _list_rows(self.record)
        for i, (path, fig) in enumerate(self.record.figures(), start=1):
            src = fig.source
            row = rows.get(path.rpartition(".")[0])
            code = getattr(row, "code", None) if row is not None else None
            name = getattr(row, "name", None) if row is not None else None
            yield {
                **self.identity(),
                "path": path,
                "label": field_label(path),
                "item": item_label(path),
                **self.code_columns(code, name),
                "table": src.table if src else None,
                "table_title": table_title(src.table) if src else None,
                "row_header": src.row if src else None,
                "column_header": column_header(src.table, src.column) if src else None,
                "value": number(fig.value),
                "unit": fig.unit,
                **self.place(src),
                "sources": len(fig.sources),
                "alternates": len(fig.alternates),
                "review": self.link(f"f{i}"),
            }

    def table_rows(self) -> Iterator[dict[str, Any]]:
        """Every cell of T1–T9 as printed, with its row, column, page and box."""
        for tid in sorted(self.record.tables):
            table = self.record.tables[tid]
            for row in table.rows:
                for column, fig in row.values.items():
                    src = fig.source
                    yield {
                        **self.identity(),
                        "path": cell_path(tid, row.key, column),
                        "table": tid,
                        "table_title": table_title(tid),
                        "side": word(SIDES, row.side, self.lang),
                        "row_key": row.key,
                        "row_header": row.label,
                        **self.code_columns(row.code, row.name),
                        "column": column,
                        "column_header": column_header(tid, column),
                        "value": number(fig.value),
                        "unit": fig.unit,
                        **self.place(src),
                        "printed": src.printed if src else None,
                        "review": self.link(cell_anchor(tid, row.key, column)),
                    }

    def violation_rows(self) -> Iterator[dict[str, Any]]:
        """One row per violation: what, whose fault, expected and found, and the figures with their quotes."""
        for i, v in enumerate(sorted_violations(self.output), start=1):
            fields = v.get("fields") or []
            yield {
                **self.identity(),
                "rule": v.get("rule"),
                "title": v.get("title_zh") if self.lang == "zh" else v.get("title_en"),
                "class": word(CLASS_NAMES, v.get("cls"), self.lang),
                "severity": word(SEVERITIES, v.get("severity"), self.lang),
                "subject": v.get("subject"),
                "message": violation_message(v, self.lang),
                "expected": number(v.get("expected")),
                "found": number(v.get("found")),
                "difference": number(v.get("difference")),
                "tolerance": number(v.get("tolerance")),
                "figures": "; ".join(f"{f.get('path')}={number(f.get('value'))}" for f in fields),
                "labels": "; ".join(field_label(f.get("path") or "") for f in fields),
                "pages": "; ".join(_where(f) for f in fields),
                "quotes": " | ".join(f.get("quote") or "" for f in fields),
                "review": self.link(f"v{i}"),
            }


def violation_message(v: dict[str, Any], lang: Lang) -> str:
    """What a violation says. In Chinese, its numbers (应为/实为/相差) and the checker's note where it has one."""
    if lang == "en":
        return v.get("message") or ""
    parts = []
    for key, zh in (("expected", "应为"), ("found", "实为"), ("difference", "相差"), ("tolerance", "容差")):
        if v.get(key) is not None:
            parts.append(f"{zh} {number(v[key])}")
    text = "，".join(parts)
    message = v.get("message") or ""
    return f"{text}（{message}）" if text and message else text or message


def _points(v: float) -> float | int:
    """595.0 → 595 (an A4 page prints as the number people know); 595.28 stays."""
    return int(v) if float(v).is_integer() else v


def _where(f: dict[str, Any]) -> str:
    if f.get("page"):
        return f"p{f['page']}"
    return f"l{f['line']}" if f.get("line") else ""


def cell_anchor(tid: str, key: str, column: str) -> str:
    """The review page's id of a table cell's box (HTML ids may not hold brackets or colons everywhere)."""
    safe = "".join(ch if ch.isalnum() else "_" for ch in f"{key}-{column}")
    return f"c-{tid}-{safe}"


def _class_names(record: Record) -> dict[str, str]:
    """类 code → its printed name, from the 按类 rows and the coded rows of the tables."""
    names: dict[str, str] = {}
    for row in record.general_budget.by_class:
        if row.code and row.name:
            names.setdefault(row.code, row.name_normalized or row.name)
    for table in record.tables.values():
        for row in table.rows:
            if row.code and len(row.code) == 3 and row.name:
                names.setdefault(row.code, row.name)
    return names


def _list_rows(record: Record) -> dict[str, ListRow]:
    """``general_budget.items[2070102]`` → its row, keyed the way ``Record.figures`` names them."""
    out: dict[str, ListRow] = {}
    for list_path in LIST_FIELDS:
        section, _, name = list_path.partition(".")
        seen: dict[str, int] = {}
        for row in getattr(record.section(section), name):
            seen[row.key] = seen.get(row.key, 0) + 1
            key = row.key if seen[row.key] == 1 else f"{row.key}#{seen[row.key]}"
            out[f"{list_path}[{key}]"] = row
    return out


def figure_count(output: dict[str, Any]) -> int:
    return sum(1 for _ in Record.model_validate(output.get("record") or {}).figures())


__all__ = ["ReportView", "figure_count", "number", "page_sizes_of", "sorted_violations", "violation_message"]
