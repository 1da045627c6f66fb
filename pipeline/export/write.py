"""The one writer of the analysts' tables: CSV (UTF-8 with a BOM, for Excel) and sheets of one workbook.

Text from a report is untrusted: a quote that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would run as a formula when a spreadsheet opens the CSV. Such cells get a leading ``'`` as OWASP's
CSV-injection guidance says (a plain number such as ``-0.54`` is left alone: it is data, not a formula).
In the workbook every text cell is stored as text, which no spreadsheet evaluates, so it keeps its exact
characters. Both the CLI batch and the service write through here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.batch.resume import atomic_open
from pipeline.export.columns import Column
from pipeline.export.labels import Lang

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576  # a sheet's limit; the CSV files have every row
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?%?$")


def safe_text(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting a formula gets a leading apostrophe."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.match(value) and any(ch.isdigit() for ch in value):
        return value
    return "'" + value


def _csv_cell(value: Any) -> Any:
    return "" if value is None else safe_text(value)


class _CsvTable:
    def __init__(self, f: BinaryIO, columns: tuple[Column, ...], lang: Lang):
        self.text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
        self.columns = columns
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow([c.header(lang) for c in columns])

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow([_csv_cell(row.get(c.key)) for c in self.columns])

    def close(self) -> None:
        self.text.flush()
        self.text.detach()  # the binary file stays open for atomic_open to fsync and rename


class _Sheet:
    def __init__(self, workbook, title: str, columns: tuple[Column, ...], lang: Lang):
        from openpyxl.styles import Font

        self.ws = workbook.create_sheet(title)
        self.columns = columns
        self.ws.freeze_panes = "A2"
        widths = {"document": 28, "department": 30, "label": 36, "quote": 40, "row_text": 50, "message": 50,
                  "quotes": 50, "title": 30, "path": 36, "table_title": 28, "name": 24, "class_name": 20}
        for i, c in enumerate(columns, start=1):
            from openpyxl.utils import get_column_letter

            self.ws.column_dimensions[get_column_letter(i)].width = widths.get(c.key, 12)
        bold = Font(bold=True)
        self.ws.append([self._cell(c.header(lang), font=bold) for c in columns])
        self.rows = 0

    def _cell(self, value: Any, font=None, link: str | None = None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula: report text is untrusted
        if font is not None:
            cell.font = font
        if link:
            cell.hyperlink = link
            cell.style = "Hyperlink"
        return cell

    def write(self, row: dict[str, Any]) -> None:
        if self.rows >= EXCEL_MAX_ROWS - 2:
            if self.rows == EXCEL_MAX_ROWS - 2:
                self.ws.append([f"… more rows than a sheet holds: see {self.ws.title} in the CSV file"])
                self.rows += 1
            return
        values = []
        for c in self.columns:
            v = row.get(c.key)
            if c.numeric and v not in (None, ""):
                with suppress(TypeError, ValueError):
                    v = float(v)  # a number Excel can sum
            if (c.link and v) or (isinstance(v, str) and v.startswith("=")):
                v = self._cell(v, link=v if c.link else None)  # a link, or text openpyxl would take for a formula
            values.append(v)
        self.ws.append(values)
        self.rows += 1


class TableWriter:
    """Streams rows of several tables into ``<name>.csv`` files and, optionally, sheets of one workbook.

    Every file is written to a temp file and renamed when the writer closes without an error, so a reader
    sees the old tables or the new ones. Use as a context manager.
    """

    def __init__(
        self,
        out_dir: Path,
        tables: dict[str, tuple[str, tuple[Column, ...]]],
        lang: Lang,
        csv_files: bool = True,
        workbook: Path | None = None,
    ):
        self.out_dir, self.tables, self.lang = out_dir, tables, lang
        self.csv_files, self.workbook_path = csv_files, workbook
        self.paths: dict[str, Path] = {}
        self._stack = ExitStack()
        self._csv: dict[str, _CsvTable] = {}
        self._sheets: dict[str, _Sheet] = {}
        self._workbook = None

    def __enter__(self) -> TableWriter:
        if self.csv_files:
            for name, (_, columns) in self.tables.items():
                path = self.out_dir / f"{name}.csv"
                self._csv[name] = _CsvTable(self._stack.enter_context(atomic_open(path)), columns, self.lang)
                self.paths[name] = path
        if self.workbook_path is not None:
            from openpyxl import Workbook

            self._workbook = Workbook(write_only=True)
            for name, (zh_title, columns) in self.tables.items():
                self._sheets[name] = _Sheet(self._workbook, zh_title if self.lang == "zh" else name, columns,
                                            self.lang)
        return self

    def write(self, table: str, row: dict[str, Any]) -> None:
        if table in self._csv:
            self._csv[table].write(row)
        if table in self._sheets:
            self._sheets[table].write(row)

    def write_all(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        n = 0
        for row in rows:
            self.write(table, row)
            n += 1
        return n

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                for t in self._csv.values():
                    t.close()
                if self._workbook is not None and self.workbook_path is not None:
                    with atomic_open(self.workbook_path) as f:
                        self._workbook.save(f)
                    self.paths["workbook"] = self.workbook_path
        finally:
            self._stack.__exit__(exc_type, exc, tb)


def csv_text(columns: tuple[Column, ...], rows: Iterable[dict[str, Any]], lang: Lang) -> str:
    """One table as CSV text with a BOM (for an HTTP response)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c.key)) for c in columns])
    return "\ufeff" + buf.getvalue()


def xlsx_bytes(tables: dict[str, tuple[str, tuple[Column, ...]]], rows: dict[str, Iterable[dict[str, Any]]],
               lang: Lang) -> bytes:
    """A workbook with one sheet per table (for an HTTP response)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, (zh_title, columns) in tables.items():
        sheet = _Sheet(wb, zh_title if lang == "zh" else name, columns, lang)
        for row in rows.get(name, ()):
            sheet.write(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
