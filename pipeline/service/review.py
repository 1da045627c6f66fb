"""What a person reads: the record's figures as CSV, and a plain HTML review page with the violations."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import jinja2

from pipeline.record import Record
from pipeline.validate import ValidationReport

CSV_COLUMNS = ("path", "value", "unit", "page", "line", "quote", "kind", "table", "row", "column", "sources",
               "alternates")


def figure_rows(record: Record) -> list[dict]:
    """One row per figure: its dotted path, value and first source (page, quote, table cell)."""
    rows = []
    for path, fig in record.figures():
        src = fig.source
        rows.append({
            "path": path,
            "value": format(fig.value, "f"),
            "unit": fig.unit,
            "page": src.page if src else None,
            "line": src.line if src else None,
            "quote": src.quote if src else None,
            "kind": src.kind.value if src else None,
            "table": src.table if src else None,
            "row": src.row if src else None,
            "column": src.column if src else None,
            "sources": len(fig.sources),
            "alternates": len(fig.alternates),
        })
    return rows


def figures_csv(record: Record) -> str:
    """The figures as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in figure_rows(record):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return "\ufeff" + buf.getvalue()


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,  # quotes come from scanned documents: never trusted as HTML
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("review.html.j2")


def review_html(record: Record, report: ValidationReport | None, *, status: str, filename: str) -> str:
    violations = sorted(report.violations, key=lambda v: v.sort_key()) if report else []
    return _template().render(
        record=record, status=status, filename=filename, figures=figure_rows(record),
        violations=violations, counts=report.counts() if report else {},
    )
