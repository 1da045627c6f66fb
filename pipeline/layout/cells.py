"""A grid plus the page's characters into a :class:`Table`: cell text, boxes in points, header rows."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from pipeline.document import BBox, Cell, Table
from pipeline.layout.chars import Char, compose
from pipeline.layout.grid import Grid

_NUMBER = re.compile(r"^[-−+]?[\d,，]*\d(\.\d+)?%?$")
_DATA_LABEL = re.compile(r"^(\d{3,}|[一二三四五六七八九十]+[、.]|\d+[、.]?$)")
_TOTAL = re.compile(r"^(合计|总计|小计)$")


def slot_cells(grid: Grid) -> dict[tuple[int, int], int]:
    """Which cell (index into grid.cells) covers each (row, col) slot."""
    out: dict[tuple[int, int], int] = {}
    for i, c in enumerate(grid.cells):
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                out[(r, k)] = i
    return out


def assign_chars(grid: Grid, chars: list[Char], locate: Callable[[Char], tuple[float, float]]) -> list[list[Char]]:
    """Characters per cell, by where each character's centre falls (``locate`` maps it into grid units)."""
    slots = slot_cells(grid)
    per_cell: list[list[Char]] = [[] for _ in grid.cells]
    x0, y0, x1, y1 = grid.bbox
    for ch in chars:
        x, y = locate(ch)
        if not (x0 < x < x1 and y0 < y < y1):
            continue
        key = (bisect_right(grid.ys, y) - 1, bisect_right(grid.xs, x) - 1)
        if key in slots:
            per_cell[slots[key]].append(ch)
    return per_cell


def make_table(
    grid: Grid,
    per_cell: list[list[Char]],
    to_points: Callable[[BBox], BBox],
    page: int,
    table_id: str,
) -> Table:
    cells = [
        Cell(row=g.row, col=g.col, rowspan=g.rowspan, colspan=g.colspan, text=compose(chs),
             bbox=to_points(grid.cell_box(g)), page=page)
        for g, chs in zip(grid.cells, per_cell, strict=True)
    ]
    table = Table(id=table_id, pages=[page], bbox=to_points(grid.bbox), n_rows=grid.n_rows,
                  n_cols=grid.n_cols, cells=cells)
    table.header_rows = header_rows(table)
    return table


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def header_rows(table: Table) -> int:
    """Rows before the first data row, widened so no merged header cell is cut in two.

    A data row holds a number, starts with a code / 合计 / an ordinal, or is blank (an empty table's
    placeholder rows); header rows hold only labels."""
    grid = table.grid()
    first = table.n_rows
    for r, row in enumerate(grid):
        texts = [t.strip() for t in row]
        starts = [c.text.strip() for c in table.cells if c.row == r]
        labels = [t for t in texts[1:] if t and not is_number(t)]
        if (any(is_number(t) for t in texts if t) or (texts and _DATA_LABEL.match(texts[0]))
                or (texts and _TOTAL.match(texts[0].replace(" ", "")) and not labels)
                or (starts and not any(starts) and r > 0)):
            first = r
            break
    if first == table.n_rows:
        return 0 if table.n_rows > 3 else 1
    h = first
    changed = True
    while changed:
        changed = False
        for c in table.cells:
            if c.row < h < c.row + c.rowspan:
                h = c.row + c.rowspan
                changed = True
    return min(h, table.n_rows)
