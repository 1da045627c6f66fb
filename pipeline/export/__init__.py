"""The analysts' tables of reports (figures, every table cell, violations), one writer for the CLI and the service."""

from pipeline.export.columns import FIGURES, SHEETS, TABLES, VIOLATIONS, Column
from pipeline.export.labels import LANGS, Lang, field_label
from pipeline.export.rows import ReportView, sorted_violations
from pipeline.export.write import TableWriter, csv_text, safe_text, xlsx_bytes

__all__ = [
    "FIGURES",
    "LANGS",
    "SHEETS",
    "TABLES",
    "VIOLATIONS",
    "Column",
    "Lang",
    "ReportView",
    "TableWriter",
    "csv_text",
    "field_label",
    "safe_text",
    "sorted_violations",
    "xlsx_bytes",
]
