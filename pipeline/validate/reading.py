"""How completely the record's tables were read: the amounts each printed table shows against the figures the
record took from it.

A gap in an identity may be called the report's fault only when every figure involved was read from its
cell. The layout's ``Table`` (the printed grid) and the record's ``StandardTable`` (the typed rows) are
compared cell by cell: a printed amount that no figure was read from is an unread cell, a cell with digits
that is not one number (``1,3O7.5``, two amounts run together) is unreadable, and a code printed on its own
row with its amounts on the next (split code/name rows) means the table's rows were not keyed. Which printed
cell a figure came from is found by its box (its source's page and bbox), else by its printed text on its page.

Only amounts printed with a decimal point or a thousands comma are counted: row numbers (行次), column
numbers (栏次) and classification codes are integers, and counting them would make every table look unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.document import Document, Table
from pipeline.layout.standard import Titles
from pipeline.record.codes import clean_label, is_code
from pipeline.record.figure import Figure
from pipeline.record.model import Record
from pipeline.record.money import parse_amount
from pipeline.record.tables import StandardTable, cell_path
from pipeline.validate.doccache import per_document

_DIGIT = re.compile(r"\d")
_NOISY = re.compile(r"[\d.,\-OoIlSBZ|'`·:;]+")  # digits, separators and the letters OCR takes for digits
_SLACK = 2.0  # points a figure's box centre may lie outside its cell (boxes from another layout run)
"""The tables every 部门决算 with tables prints and the record must have read."""


def printed_amount(text: str) -> Decimal | None:
    """The amount a cell prints (with a decimal point or a thousands comma), else None."""
    t = re.sub(r"\s+", "", text)
    if "." not in t and "," not in t:
        return None
    return parse_amount(t)


def unreadable(text: str) -> bool:
    """Digits that are not one number: OCR noise inside an amount (O for 0, l for 1, a speck), or two
    amounts run together in one cell."""
    t = re.sub(r"\s+", "", text)
    if not t or parse_amount(t) is not None or is_code(t) or not _NOISY.fullmatch(t):
        return False
    return sum(ch.isdigit() for ch in t) >= 2


@dataclass(frozen=True)
class PrintedCell:
    """An amount cell of a printed table, with its row's text and its column's header for the evidence."""

    tid: str
    table: str  # the layout table's id
    page: int
    row: int
    col: int
    text: str
    bbox: tuple[float, float, float, float]
    row_text: str
    header: str
    value: Decimal | None = None  # the amount it prints, None when it prints no one number

    def describe(self) -> str:
        where = f"“{self.row_text[:24]}”" if self.row_text else f"row {self.row + 1}"
        column = self.header or f"column {self.col + 1}"
        return f"p.{self.page} {where} · {column}: {self.text.strip()}"


@dataclass
class TableReading:
    """One standard table: printed amounts, the cells no figure was read from, and what could not be read."""

    tid: str
    printed: int = 0
    mapped: int = 0
    unread: list[PrintedCell] = field(default_factory=list)
    unreadable: list[PrintedCell] = field(default_factory=list)
    split_rows: list[str] = field(default_factory=list)  # codes printed on a row of their own, without amounts
    doubled: list[tuple[str, str]] = field(default_factory=list)  # (figure, figure) read from one printed cell
    uncounted: int = 0  # amounts the table reader counted in print but did not type (no document to say which)
    cell_of: dict[str, PrintedCell] = field(default_factory=dict)  # cell path → the printed cell it was read from
    grid: dict[tuple[str, int, int], PrintedCell] = field(default_factory=dict)  # every printed amount
    rows_of: dict[str, set[tuple[str, int]]] = field(default_factory=dict)  # row key → printed rows

    @property
    def complete(self) -> bool:
        return not (self.unread or self.unreadable or self.split_rows or self.doubled or self.uncounted)

    def row_gaps(self, key: str) -> list[PrintedCell] | None:
        """Unread and unreadable cells on the printed row(s) of one record row; None when the row was not
        located in print (then only the whole table can be judged)."""
        rows = self.rows_of.get(key)
        if not rows:
            return None
        return [c for c in (*self.unread, *self.unreadable) if (c.table, c.row) in rows]

    def neighbours(self, path: str) -> list[tuple[PrintedCell, Decimal]]:
        """The printed amounts left and right of the cell a figure was read from."""
        cell = self.cell_of.get(path)
        if cell is None:
            return []
        out = []
        for col in (cell.col - 1, cell.col + 1):
            other = self.grid.get((cell.table, cell.row, col))
            if other is not None and other.value is not None:
                out.append((other, other.value))
        return out

    def row_values(self, path: str) -> list[Decimal]:
        """Every amount printed on the row of the cell a figure was read from."""
        cell = self.cell_of.get(path)
        if cell is None:
            return []
        return [c.value for (t, r, _), c in self.grid.items() if t == cell.table and r == cell.row and c.value is not None]

    def reasons(self) -> list[str]:
        """Why the table is suspect, one line each (empty when it was read completely)."""
        out = []
        if self.unread:
            rows = _unread_rows(self)
            what = f"{len(self.unread)} of {self.printed} printed amounts not read"
            out.append(what + (f" (rows not read: {', '.join(rows[:4])})" if rows else ""))
        if self.uncounted:
            out.append(f"{self.uncounted} of {self.printed} printed amounts not read (counted by the table reader)")
        if self.unreadable:
            out.append("unreadable cells: " + "; ".join(c.describe() for c in self.unreadable[:3]))
        if self.doubled:
            out.append("two figures read from one printed cell: " + "; ".join(f"{a} and {b}" for a, b in self.doubled[:3]))
        if self.split_rows:
            out.append(
                "codes printed on rows without amounts (code and name split over two rows): "
                + ", ".join(self.split_rows[:6])
            )
        return out


def _unread_rows(reading: TableReading) -> list[str]:
    """Printed rows of which not one amount was read."""
    read_rows = {r for rows in reading.rows_of.values() for r in rows}
    seen: dict[tuple[str, int], str] = {}
    for c in reading.unread:
        if (c.table, c.row) not in read_rows:
            seen.setdefault((c.table, c.row), c.row_text[:20] or f"row {c.row + 1}")
    return list(seen.values())


def _header_rows(table: Table, grid: list[list[str]]) -> int:
    """Rows above the first printed amount: layout's count, but never past a row that prints an amount
    with a decimal point (a header has none, so such a row is data the reading may have taken for header)."""
    first = next(
        (i for i, row in enumerate(grid) if any(printed_amount(t) is not None and "." in t for t in row)), len(grid)
    )
    if table.header_rows:
        return min(table.header_rows, first)
    for i, row in enumerate(grid):
        if any(printed_amount(t) is not None for t in row):
            return i
    return len(grid)


def _printed_cells(tid: str, table: Table) -> list[PrintedCell]:
    """The data cells of a printed table that print digits (amounts, and cells that fail to be one)."""
    grid = table.grid()
    n_header = _header_rows(table, grid)
    headers = [
        " ".join(dict.fromkeys(clean_label(grid[r][k]) for r in range(n_header) if grid[r][k].strip()))
        for k in range(table.n_cols)
    ]
    row_texts: dict[int, str] = {}
    out = []
    for c in table.cells:
        if c.row < n_header or not _DIGIT.search(c.text):
            continue
        if c.row not in row_texts:
            labels = [t for t in grid[c.row] if t.strip() and printed_amount(t) is None]
            row_texts[c.row] = " ".join(clean_label(t) for t in labels[:2])
        out.append(
            PrintedCell(
                tid=tid,
                table=table.id,
                page=c.page,
                row=c.row,
                col=c.col,
                text=c.text,
                bbox=c.bbox,
                row_text=row_texts[c.row],
                header=headers[c.col] if c.col < len(headers) else "",
                value=printed_amount(c.text),
            )
        )
    return out


def document_cells(document: Document | None) -> dict[str, list[PrintedCell]]:
    """Each standard table's printed cells with digits, by table id."""
    if document is None:
        return {}

    def compute() -> dict[str, list[PrintedCell]]:
        return {tid: [c for t in ts for c in _printed_cells(tid, t)] for tid, ts in layout_tables(document).items()}

    return per_document(document, "cells", compute)


def _inside(fig: Figure, cell: PrintedCell) -> bool:
    src = fig.source
    if src is None or src.page != cell.page or src.bbox is None:
        return False
    x = (src.bbox[0] + src.bbox[2]) / 2
    y = (src.bbox[1] + src.bbox[3]) / 2
    x0, y0, x1, y1 = cell.bbox
    return x0 - _SLACK <= x <= x1 + _SLACK and y0 - _SLACK <= y <= y1 + _SLACK


def _same_text(fig: Figure, cell: PrintedCell) -> bool:
    src = fig.source
    if src is None or src.page != cell.page or src.printed is None:
        return False
    return re.sub(r"\s+", "", src.printed) == re.sub(r"\s+", "", cell.text)


def split_code_rows(table: StandardTable) -> list[str]:
    """Codes printed on a row with no amount while amounts sit on rows without a code: the national template's
    code and name read as two rows. Order-free, so shuffling rows does not change it."""
    bare = sorted({r.code for r in table.rows if r.code and not r.values})
    nameless = [r for r in table.rows if not r.code and r.values and not _summary(r.key)]
    return bare if bare and nameless else []


def _summary(key: str) -> bool:
    """A summary row (合计, 人员经费合计, T1/T4 income and total rows), which has no code by nature."""
    return key in ("total", "personnel_total", "public_total", "budget", "actual") or key.startswith(
        ("in:", "out:total", "out:balance", "out:carryover", "out:grand")
    )


def read_table(tid: str, table: StandardTable, cells: list[PrintedCell]) -> TableReading:
    """Compare a record table with the cells of the printed table(s) it was read from."""
    reading = TableReading(tid, split_rows=split_code_rows(table))
    amounts = [c for c in cells if c.value is not None]
    reading.grid = {(c.table, c.row, c.col): c for c in amounts}
    reading.unreadable = [c for c in cells if c.value is None and unreadable(c.text)]
    reading.printed = len(amounts)
    figures = [(cell_path(tid, row.key, col), row.key, fig) for row in table.rows for col, fig in row.values.items()]
    free: dict[int | None, list[PrintedCell]] = {}
    for c in amounts:
        free.setdefault(c.page, []).append(c)
    taken: dict[PrintedCell, str] = {}
    for match in (_inside, _same_text):
        rest = []
        for path, key, fig in figures:
            page = fig.source.page if fig.source else None
            hit = next((c for c in free.get(page, []) if match(fig, c)), None)
            if hit is None:
                again = next((c for c in taken if match(fig, c)), None) if match is _inside else None
                if again is not None:
                    reading.doubled.append((taken[again], path))
                else:
                    rest.append((path, key, fig))
                continue
            free[page].remove(hit)
            taken[hit] = path
            reading.cell_of[path] = hit
            reading.rows_of.setdefault(key, set()).add((hit.table, hit.row))
        figures = rest
    reading.mapped = len(reading.cell_of)
    reading.unread = sorted((c for cs in free.values() for c in cs), key=lambda c: (c.page, c.row, c.col))
    return reading


def layout_tables(document: Document | None) -> dict[str, list[Table]]:
    """The document's printed tables by standard id. A table without a title on the page right after a
    standard table is its continuation: its amounts are printed amounts of that table, read or not."""
    out: dict[str, list[Table]] = {}
    last: tuple[str, int] | None = None  # the standard table printed last, and its last page
    for t in sorted(document.tables if document is not None else [], key=lambda t: min(t.pages)):
        tid = t.standard_id  # named by layout's title matcher
        if tid is None and not t.title and last is not None and min(t.pages) == last[1] + 1:
            tid = last[0]
        if tid:
            out.setdefault(tid, []).append(t)
            last = (tid, max(t.pages))
        elif t.title:
            last = None
    return out


def read_tables(record: Record, document: Document | None) -> dict[str, TableReading]:
    """A reading per record table; without a document only what the record itself shows (split rows)."""
    cells = document_cells(document)
    out = {tid: read_table(tid, t, cells.get(tid, [])) for tid, t in record.tables.items()}
    for tid, reading in out.items():
        table = record.tables[tid]
        if not reading.printed and table.numbers_printed > table.numbers_read:
            # no printed cells to compare with: the table reader's own count of what it saw printed
            reading.printed, reading.mapped = table.numbers_printed, table.numbers_read
            reading.uncounted = table.numbers_printed - table.numbers_read
    return out


_TITLE_MAX = 40  # a table title is a short line; a sentence naming a table is not its title
_MIN_ROWS = 3  # lines of amounts (a row, or a cell on a line of its own) that make a printed table
_MIN_AMOUNTS = 5
_FIRST_ROW = 25  # a table's first row of amounts comes within this many lines of its title
_WINDOW = 150  # lines after a title that can belong to its table
_SENTENCE = re.compile(r"[，。；：;]|,(?!\d{3})")  # sentence punctuation (not a thousands comma)
_TOC = re.compile(r"[.…·]{3,}|\s\d{1,3}$")


def _title(text: str, titles: Titles) -> str | None:
    """The standard table a line is the title of (a short line, not a sentence, not a 目录 entry)."""
    if "表" not in text or len(text) > 2 * _TITLE_MAX:
        return None
    label = clean_label(text)
    if not label or len(label) > _TITLE_MAX or "。" in label or _TOC.search(text.strip()):
        return None
    m = titles.match(label)
    return m.standard_id if m else None


def _amounts(line: str) -> int:
    return sum(printed_amount(w) is not None for w in line.split())


def _prints_rows(after: list[str], titles: Titles) -> bool:
    """Lines of amounts follow before the next title: a table, not a list of titles or a paragraph."""
    rows = amounts = 0
    for i, text in enumerate(after[:_WINDOW]):  # the rest of the title's page and the next
        if _title(text, titles) or (i >= _FIRST_ROW and not rows):
            break
        if _SENTENCE.search(text):
            continue  # a sentence with figures in it is narrative, not a row
        n = _amounts(text)
        words = len(text.split())
        if n >= 2 or (n == 1 and words == 1):
            rows += 1
            amounts += n
    return rows >= _MIN_ROWS and amounts >= _MIN_AMOUNTS


def printed_tables(document: Document | None, titles: Titles) -> dict[str, int]:
    """Standard tables the document prints, with the page of each: found by layout, or a title line followed
    by lines of amounts (a 目录, a list of titles or a sentence naming a table does not count). Free-form
    reports and 预算 reports print none."""
    if document is None:
        return {}
    return per_document(document, "printed", lambda: _printed_tables(document, titles))


def _printed_tables(document: Document, titles: Titles) -> dict[str, int]:
    out: dict[str, int] = {}
    for tid, tables in layout_tables(document).items():
        out[tid] = min(p for t in tables for p in t.pages)
    if all(t in out for t in titles.names):
        return out  # layout found every table: no title line left to look for
    lines = [(p.number, ln.text) for p in document.pages for ln in p.lines]
    for i, (page, text) in enumerate(lines):
        tid = _title(text, titles)
        if tid is None or tid in out:
            continue
        if _prints_rows([t for p, t in lines[i + 1 :] if p in (page, page + 1)], titles):  # stops at the next title
            out[tid] = page
    return out


__all__ = [
    "PrintedCell",
    "TableReading",
    "printed_amount",
    "printed_tables",
    "read_table",
    "read_tables",
    "split_code_rows",
    "unreadable",
]
