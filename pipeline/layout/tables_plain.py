"""Standard tables in plain text: rows of cells apart by tabs or runs of spaces, under a table's title.

Text exported from a spreadsheet or a Word table keeps one row per line and its cells apart by tabs (or
aligned with spaces). Ingestion keeps those cells on the line (``Line.cells``); here the run of such lines
right under a line that names a standard table becomes that table, so text input is read the same way as a
PDF's tables, by its header.
"""

from __future__ import annotations

from pipeline.document import Cell, Page, Table
from pipeline.layout.cells import header_rows
from pipeline.layout.standard import find_unit, match_title

_GAP = 3  # lines between a title and its first row (a 单位 note, a blank line)


def plain_tables(page: Page) -> list[Table]:
    """The tables of a plain-text page, each named by the title line above it."""
    out: list[Table] = []
    lines = page.lines
    i = 0
    while i < len(lines):
        m = match_title(lines[i].text) if lines[i].cells is None else None
        if m is None:
            i += 1
            continue
        title, unit = lines[i], None
        j = i + 1
        while j < len(lines) and j - i <= _GAP and lines[j].cells is None and match_title(lines[j].text) is None:
            unit = unit or find_unit(lines[j].text)
            j += 1
        rows = []
        while j < len(lines) and lines[j].cells is not None:
            rows.append(lines[j])
            j += 1
        if len(rows) >= 2:
            out.append(_table(page, title.text, m.standard_id, unit, rows, len(out) + 1))
        i = max(j, i + 1)
    return out


def _table(page: Page, title: str, tid: str, unit: str | None, rows: list, k: int) -> Table:
    n_cols = max(len(r.cells) for r in rows)
    cells = [
        Cell(row=r, col=c, text=text, bbox=line.bbox, page=page.number, line=line.source_line)
        for r, line in enumerate(rows) for c, text in enumerate(line.cells)
    ]
    table = Table(
        id=f"p{page.number}-x{k}", title=title.strip(), standard_id=tid, pages=[page.number],
        bbox=rows[0].bbox, n_rows=len(rows), n_cols=n_cols, cells=cells, unit=unit,
    )
    table.header_rows = header_rows(table)
    return table
