"""What a person reads from the service: the same tables and review page as ``juesuan extract`` writes.

The service keeps a record's parts in its database; ``output_of`` puts them back into the record file's
shape, and the shared writer (``pipeline.export``) and review page (``pipeline.review``) do the rest, so the
CLI and the service never disagree on a column or a box.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.export import SHEETS, ReportView, csv_text, xlsx_bytes
from pipeline.export.labels import Lang
from pipeline.export.rows import page_sizes_of
from pipeline.review.page import review_html as page_html
from pipeline.service.models import RecordRow


def output_of(row: RecordRow, source: Path | None = None) -> dict[str, Any]:
    """A stored record as the record file's JSON (record, status and its reasons, validation, ledger, errors,
    refused numbers, page sizes)."""
    return {
        **json.loads(row.details_json or "{}"),
        "record": json.loads(row.record_json),
        "status": row.status,
        "validation": json.loads(row.validation_json) if row.validation_json else {},
        "ledger": json.loads(row.ledger_json) if row.ledger_json else {},
        "errors": json.loads(row.errors_json or "[]"),
        "page_sizes": page_sizes_of(source) if source is not None else [],
    }


def table_csv(kind: str, name: str, output: dict[str, Any], review: str | None, lang: Lang) -> str:
    """figures, tables or violations of one record as CSV text (UTF-8 with a BOM)."""
    view = ReportView(name, output, review, lang)
    rows = {"figures": view.figure_rows, "tables": view.table_rows, "violations": view.violation_rows}[kind]()
    return csv_text(SHEETS[kind][1], rows, lang)


def workbook(name: str, output: dict[str, Any], review: str | None, lang: Lang) -> bytes:
    """The three long tables of one record as sheets of one workbook."""
    view = ReportView(name, output, review, lang)
    rows = {"figures": view.figure_rows(), "tables": view.table_rows(), "violations": view.violation_rows()}
    return xlsx_bytes(SHEETS, rows, lang)


def review_html(name: str, source: Path, output: dict[str, Any]) -> str:
    """The review page with its page images inline: one response, opens offline once saved."""
    return page_html(name, source, output)
