"""Standard tables in plain text: rows apart by tabs or aligned with spaces, under a table's title.

Text exported from a spreadsheet or a Word table keeps one row per line, its cells apart by tabs, or lines
them up with spaces. Ingestion keeps such lines as printed (``Line.raw``). Tab-separated rows are cells by
position in the row. Space-aligned rows are columns by where their text stands (CJK characters two columns
wide, as a monospaced screen shows them), found the same way as an unruled table on a PDF page, so a header
cell over two columns (项目 over 编码 and 科目名称) does not shift the columns under it.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.document import Cell, Line, Page, Table
from pipeline.layout.cells import assign_chars, header_rows, make_table
from pipeline.layout.chars import Char
from pipeline.layout.standard import Titles, find_unit
from pipeline.layout.tables_borderless import borderless_grid, word_locator

_GAP = 3  # lines between a title and its first row (a 单位 note, a blank line)
_NOTE = re.compile(r"^\s*(编制单位|单位\s*[:：]|金额单位)")
_ROW_H = 10.0  # a text line's height in the made-up geometry of a plain-text table


def plain_tables(page: Page, titles: Titles) -> list[Table]:
    """The tables of a plain-text page, each named by the title line above it."""
    out: list[Table] = []
    lines = page.lines
    i = 0
    while i < len(lines):
        m = titles.match(lines[i].text) if lines[i].raw is None else None
        if m is None:
            i += 1
            continue
        title, unit = lines[i], None
        j = i + 1
        while j < len(lines) and (j - i <= _GAP or _NOTE.match(lines[j].text)) and titles.match(lines[j].text) is None \
                and (lines[j].raw is None or _NOTE.match(lines[j].text)):
            unit = unit or find_unit(lines[j].text)
            j += 1
        rows: list[Line] = []
        while j < len(lines) and lines[j].raw is not None:
            if _NOTE.match(lines[j].text):
                unit = unit or find_unit(lines[j].text)
            else:
                rows.append(lines[j])
            j += 1
        table = _table(page, rows, f"p{page.number}-x{len(out) + 1}") if len(rows) >= 2 else None
        if table is not None:
            table.title, table.standard_id, table.unit = title.text.strip(), m.standard_id, unit
            out.append(table)
        i = max(j, i + 1)
    return out


def _table(page: Page, rows: list[Line], table_id: str) -> Table | None:
    if any("\t" in (r.raw or "") for r in rows):
        cells = [
            Cell(row=r, col=c, text=text.strip(), bbox=line.bbox, page=page.number, line=line.source_line)
            for r, line in enumerate(rows) for c, text in enumerate(_tab_cells(line.raw or ""))
        ]
        n_cols = max(c.col for c in cells) + 1
        table = Table(id=table_id, pages=[page.number], bbox=rows[0].bbox, n_rows=len(rows), n_cols=n_cols,
                      cells=cells)
        table.header_rows = header_rows(table)
        return table
    chars = [c for r, line in enumerate(rows) for c in _placed(line.raw or "", r)]
    grid = borderless_grid(chars, -1.0, len(rows) * _ROW_H + 1, gap=0.5, gutter=0.9)  # a space parts words
    if grid is None:
        return None
    locate = word_locator(chars, gap=0.5)
    table = make_table(grid, assign_chars(grid, chars, locate), lambda b: b, page.number, table_id)
    by_row = {round(grid.ys[k] / _ROW_H): k for k in range(grid.n_rows)}
    first = min(by_row) if by_row else 0
    for c in table.cells:  # plain text has no geometry: the made-up boxes go, the source line stays
        line = rows[min(len(rows) - 1, first + c.row)]
        c.bbox, c.line = line.bbox, line.source_line
    return table


def _tab_cells(raw: str) -> list[str]:
    """Cells of a tab-separated row (a row that lost its tabs to an editor: cells apart by runs of spaces)."""
    raw = unicodedata.normalize("NFKC", raw)
    return raw.split("\t") if "\t" in raw else re.split(r" {2,}", raw.strip())


def _placed(raw: str, row: int) -> list[Char]:
    """The characters of a line at their display columns as printed (a CJK or full-width character is two
    columns wide), each NFKC-normalised for reading."""
    out, x = [], 0.0
    for ch in raw.expandtabs(8):
        w = 2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
        if not ch.isspace():
            out.append(Char(unicodedata.normalize("NFKC", ch), (x, row * _ROW_H, x + w, row * _ROW_H + 8.0), row))
        x += w
    return out
