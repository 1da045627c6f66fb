"""A laid-out table as lines of plain text, its columns aligned by tabs or by spaces.

That is how tables arrive when a report is pasted into a text file or exported from a spreadsheet: no
ruling, a row per line, a merged header's text in its first column. Space alignment pads by display width
(a CJK character takes two columns; a merged header's text does not widen its first column), amounts
flush right, as a fixed-width editor shows it.
"""

from __future__ import annotations

import unicodedata

from pipeline.samples.flow import TableTruth
from pipeline.samples.tables import is_amount


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_lines(table: TableTruth, dept_line: str | None, align: str = "spaces") -> list[str]:
    """Title, 单位 line and one line per grid row; ``align``: 'tabs' or 'spaces' (two at least between columns)."""
    head = [table.title]
    unit = f"单位：{table.unit}" if table.unit else ""
    head.append(f"{dept_line}    {unit}".strip() if dept_line else unit)
    grid = [[" ".join(cell.split()) for cell in row] for row in table.grid]
    if align == "tabs":
        return head + ["\t".join(row).rstrip() for row in grid]
    spanned = {(s["row"], s["col"]) for s in table.spans if s["colspan"] > 1}
    cols = [max((width(row[c]) for r, row in enumerate(grid) if (r, c) not in spanned), default=0)
            for c in range(len(grid[0]))]  # fmt: skip
    starts = [sum(cols[:c]) + 2 * c for c in range(len(cols))]
    lines = []
    for row in grid:
        line = ""
        for c, cell in enumerate(row):
            if not cell:
                continue
            at = starts[c] + (cols[c] - width(cell) if is_amount(cell) else 0)
            line += " " * max(at - width(line), 2 if line else 0) + cell
        lines.append(line)
    return head + lines
