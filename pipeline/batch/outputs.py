"""The batch's tables for analysts: records.jsonl, summary.csv/.xlsx (a row per report), figures.csv (long).

All are rebuilt at the end of every run (also an interrupted one) from the record files on disk, which are
the truth: a resumed batch's tables cover the documents of earlier runs too. CSVs are UTF-8 with a BOM so
Excel shows the Chinese; every file is written to a temp file and renamed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.batch.resume import atomic_open, atomic_write_bytes

KEY_TOTALS = (
    "summary.total",
    "income.total",
    "expenditure.total",
    "general_budget.total",
    "three_public.total",
)
CLASSES = ("extraction", "source", "rounding")
SUMMARY_COLUMNS = (
    "file",
    "document",
    "department",
    "fiscal_year",
    "report_type",
    *KEY_TOTALS,
    "status",
    *(f"violations_{c}" for c in CLASSES),
    "part_errors",
    "figures",
    "pages",
    "seconds",
    "llm_calls",
    "review",
    "error",
)
FIGURE_COLUMNS = ("document", "path", "value", "unit", "page", "line", "quote", "table", "bbox")


@dataclass
class Entry:
    """One input's place in the tables: its record file (read when the tables are written), or why none.

    Only the status and violation counts are kept in memory, so a batch of thousands of reports does not hold
    thousands of records at once.
    """

    file: str
    name: str
    record_path: Path | None = None
    status: str = "failed"  # a record's status, or failed | pending (not reached before an interrupt)
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of_record(cls, file: str, name: str, path: Path, data: dict[str, Any]) -> Entry:
        counts = (data.get("validation") or {}).get("summary") or {}
        return cls(
            file, name, path, str(data.get("status")), counts={c: int(counts.get(c, 0)) for c in CLASSES}
        )

    def load(self) -> dict[str, Any] | None:
        if self.record_path is None:
            return None
        try:
            return json.loads(self.record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def _num(value: Any) -> Any:
    """A Decimal as plain digits (no exponent); anything else as it is (JSON floats are exact reprs)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def _figure(record: dict[str, Any], path: str) -> Any:
    head, _, field = path.partition(".")
    fig = (record.get(head) or {}).get(field)
    return _num(fig.get("value")) if isinstance(fig, dict) else None


def summary_row(entry: Entry, data: dict[str, Any] | None, review: bool) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
    row.update(file=entry.file, document=entry.name)
    if data is None:
        row.update(
            status=entry.status if entry.status in ("failed", "pending") else "failed", error=entry.error
        )
        return row
    record = data.get("record") or {}
    counts = (data.get("validation") or {}).get("summary") or {}
    batch = data.get("batch") or {}
    ledger = data.get("ledger") or {}
    row.update(
        department=record.get("department"),
        fiscal_year=record.get("fiscal_year"),
        report_type=record.get("report_type"),
        status=data.get("status"),
        part_errors=len(data.get("errors") or []),
        figures=sum(1 for _ in figure_rows(entry.name, record)),
        pages=batch.get("pages"),
        seconds=_num(batch.get("seconds")),
        llm_calls=ledger.get("calls"),
        review=f"{entry.name}.html" if review else None,
    )
    for path in KEY_TOTALS:
        row[path] = _figure(record, path)
    for c in CLASSES:
        row[f"violations_{c}"] = counts.get(c, 0)
    return row


def figure_rows(name: str, record: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """One row per figure with its first source, in the record's own order (contract paths)."""
    from pipeline.record.model import Record

    rec = Record.model_validate(record)
    for path, fig in rec.figures():
        src = fig.source
        yield {
            "document": name,
            "path": path,
            "value": _num(fig.value),
            "unit": fig.unit,
            "page": src.page if src else None,
            "line": src.line if src else None,
            "quote": src.quote if src else None,
            "table": src.table if src else None,
            "bbox": ",".join(f"{v:.1f}" for v in src.bbox) if src and src.bbox else None,
        }


def _csv_writer(f: BinaryIO, columns: tuple[str, ...]) -> tuple[io.TextIOWrapper, csv.DictWriter]:
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    return text, writer


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else v for k, v in row.items()}


def _xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    ws.append(list(SUMMARY_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for col in SUMMARY_COLUMNS:
            v = row.get(col)
            if col in KEY_TOTALS or col == "seconds":
                v = float(v) if v not in (None, "") else None  # numbers Excel can sum
            values.append(v)
        ws.append(values)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for letter, width in (("A", 40), ("B", 28), ("C", 30)):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_outputs(out_dir: Path, entries: list[Entry], review: bool = True) -> dict[str, Path]:
    """records.jsonl, summary.csv, summary.xlsx and figures.csv for these entries, in their order.

    Records and figures are streamed one report at a time into temp files that replace the old ones at the end.
    """
    paths = {
        "records": out_dir / "records.jsonl",
        "summary_csv": out_dir / "summary.csv",
        "summary_xlsx": out_dir / "summary.xlsx",
        "figures": out_dir / "figures.csv",
    }
    summary: list[dict[str, Any]] = []
    with atomic_open(paths["records"]) as records, atomic_open(paths["figures"]) as figures_file:
        figures_text, figures = _csv_writer(figures_file, FIGURE_COLUMNS)
        for entry in entries:
            data = entry.load()
            summary.append(summary_row(entry, data, review))
            if data is None:
                continue
            records.write((json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
            for row in figure_rows(entry.name, data.get("record") or {}):
                figures.writerow(_clean(row))
        figures_text.flush()
        figures_text.detach()  # the binary file stays open for atomic_open to fsync and rename
    with atomic_open(paths["summary_csv"]) as f:
        text, writer = _csv_writer(f, SUMMARY_COLUMNS)
        for row in summary:
            writer.writerow(_clean(row))
        text.flush()
        text.detach()
    atomic_write_bytes(paths["summary_xlsx"], _xlsx_bytes(summary))
    return paths
