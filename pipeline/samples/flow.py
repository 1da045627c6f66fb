"""Lay blocks out on A4 pages: wrap paragraphs, rule tables, break tables across pages.

Layout is in PDF points. Besides the drawing operations it keeps what the gold and the ground truth need:
each page's text lines in reading order, each table's stitched grid with the page of every row, and for
every tagged figure the page it landed on and its quote as printed (a line break inside a quote becomes
one space, as the gold README asks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.samples.blocks import Block, Cell, PageBreak, Para, Row, Spacer, TableSpec
from pipeline.samples.fonts import Fonts

A4 = (595.28, 841.89)
CLOSING = set("，。、；：）》”’％%！？")
TOKEN = re.compile(r"[0-9A-Za-z.,%]+|.", re.S)
# an amount: two decimals (1234.56, 1,234.56), or whole 元 grouped by thousands (1,234,500) as budgets print it
AMOUNT = re.compile(r"^-?([\d,]*\.\d+|\d{1,3}(,\d{3})+)$")
MIN_TABLE_SIZE = 7.0  # points: a table whose amounts would need a smaller face is a layout bug


@dataclass
class Style:
    """Per-report typography."""

    heading_face: str = "hei"
    body_size: float = 11.5
    line_factor: float = 1.6
    margin_x: float = 64.0
    margin_top: float = 56.0
    margin_bottom: float = 52.0
    table_size: float = 9.5
    row_height: float = 19.0


@dataclass
class TextOp:
    x: float
    y: float  # baseline
    text: str
    face: str
    size: float
    anchor: str = "ls"  # ls | ms | rs (PIL anchors: left/middle/right, baseline)


@dataclass
class RuleOp:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.7


@dataclass
class PageOut:
    number: int
    landscape: bool
    ops: list[TextOp | RuleOp] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4


@dataclass
class Stmt:
    """A figure as stated in the laid-out report."""

    key: str
    value: Any
    page: int
    quote: str


@dataclass
class TableTruth:
    title: str
    standard_id: str | None
    unit: str | None
    pages: list[int]
    header_rows: int
    grid: list[list[str]]
    spans: list[dict[str, int]]
    row_pages: list[int]
    segments: list[dict[str, Any]]


# style name -> (face key, size, align, first-line indent in chars, space before, space after)
PARA_STYLES: dict[str, tuple[str, float, str, float, float, float]] = {
    "cover": ("heading", 26, "c", 0, 0, 14),
    "cover_sub": ("heading", 22, "c", 0, 6, 10),
    "date": ("song", 15, "c", 0, 0, 0),
    "toc_title": ("heading", 18, "c", 0, 0, 14),
    "toc_part": ("song", 12.5, "l", 0, 4, 0),
    "toc": ("song", 12, "l", 2, 0, 0),
    "part": ("heading", 16, "c", 0, 0, 4),
    "title": ("heading", 15, "c", 0, 0, 12),
    "h1": ("heading", 12.5, "l", 2, 6, 2),
    "h2": ("kai", 12, "l", 2, 2, 1),
    "body": ("song", 0, "l", 2, 0, 2),
    "note": ("song", 9.5, "l", 0, 2, 0),
    "table_heading": ("heading", 15, "c", 0, 0, 8),
    "table_title": ("heading", 13, "c", 0, 0, 4),
}


class Flow:
    """Places blocks one after another, opening pages as needed."""

    def __init__(self, fonts: Fonts, style: Style) -> None:
        self.fonts = fonts
        self.style = style
        self.pages: list[PageOut] = []
        self.stmts: list[Stmt] = []
        self.tables: list[TableTruth] = []
        self.y = 0.0

    # --- pages ----------------------------------------------------------------------------------------
    @property
    def page(self) -> PageOut:
        return self.pages[-1]

    def new_page(self, landscape: bool = False) -> None:
        self.pages.append(PageOut(number=len(self.pages) + 1, landscape=landscape))
        self.y = self.style.margin_top * (0.7 if landscape else 1.0)

    @property
    def bottom(self) -> float:
        return self.page.size[1] - self.style.margin_bottom * (0.75 if self.page.landscape else 1.0)

    @property
    def left(self) -> float:
        return self.style.margin_x * (0.85 if self.page.landscape else 1.0)

    @property
    def right(self) -> float:
        return self.page.size[0] - self.left

    def run(self, blocks: list[Block]) -> None:
        for b in blocks:
            if isinstance(b, PageBreak):
                self.new_page(b.landscape)
            elif isinstance(b, Spacer):
                self.y += b.height
            elif isinstance(b, TableSpec):
                self.table(b)
            else:
                self.para(b)

    # --- paragraphs -----------------------------------------------------------------------------------
    def _face(self, key: str) -> str:
        return self.style.heading_face if key == "heading" else key

    def wrap(
        self, text: str, face: str, size: float, width: float, indent: float = 0.0
    ) -> list[tuple[int, int]]:
        """Greedy line breaking; numbers stay whole and closing punctuation may hang past the margin."""
        lines: list[tuple[int, int]] = []
        start, x, avail = 0, 0.0, width - indent
        for m in TOKEN.finditer(text):
            tok = m.group()
            w = self.fonts.width(tok, face, size)
            if x + w > avail and m.start() > start and not (tok in CLOSING and x + w <= avail + size):
                lines.append((start, m.start()))
                start, x, avail = m.start(), 0.0, width
            x += w
        if start < len(text) or not lines:
            lines.append((start, len(text)))
        return lines

    def para(self, p: Para, fit: bool = False) -> None:
        """Lay a paragraph out; ``fit``: shrink it onto one line if it is too long (a table's title)."""
        face_key, size, align, indent_ch, before, after = PARA_STYLES[p.style]
        face = self._face(face_key)
        size = size or self.style.body_size
        if fit:
            size = min(size, size * (self.right - self.left) / self.fonts.width(p.text, face, size) * 0.98)
        lh = size * (self.style.line_factor if p.style in ("body", "toc", "toc_part") else 1.45)
        indent = indent_ch * size
        if not self.pages:
            self.new_page()
        self.y += before
        keep = 3 if p.style in ("h1", "h2", "part", "title") else 1
        if self.y + lh * keep > self.bottom:
            self.new_page(self.page.landscape)
        spans = self.wrap(p.text, face, size, self.right - self.left, indent)
        placed: list[tuple[int, int, int]] = []
        for n, (s, e) in enumerate(spans):
            if self.y + lh > self.bottom:
                self.new_page(self.page.landscape)
            text = p.text[s:e]
            base = self.y + (lh - size) / 2 + size * 0.86
            if align == "c":
                op = TextOp((self.left + self.right) / 2, base, text, face, size, "ms")
            elif align == "r":
                op = TextOp(self.right, base, text, face, size, "rs")
            else:
                op = TextOp(self.left + (indent if n == 0 else 0.0), base, text, face, size)
            self.page.ops.append(op)
            self.page.lines.append(text)
            placed.append((s, e, self.page.number))
            self.y += lh
        self.y += after
        for ref in p.refs:
            page = next((pg for s, e, pg in placed if s <= ref.at < e), placed[-1][2])
            breaks = [s for s, _, _ in placed[1:] if ref.start < s < ref.end]
            quote, last = "", ref.start
            for b in breaks:
                quote += p.text[last:b] + " "
                last = b
            quote += p.text[last : ref.end]
            self.stmts.append(Stmt(ref.key, ref.value, page, quote))

    # --- tables ---------------------------------------------------------------------------------------
    def table(self, t: TableSpec) -> None:
        if t.new_page or not self.pages:
            self.new_page(t.landscape)
        size = t.font_size or self.style.table_size
        row_h = t.row_height or self.style.row_height
        pad_x, pad_y = 3.0, 2.5
        if t.heading:
            self.para(Para("table_heading", t.heading))
        if t.title:
            self.para(Para("table_title", t.title), fit=True)
        if t.dept_line or t.unit:
            self._unit_line(t)
        xs = self._columns(t, size, pad_x)
        size = self._fit_amounts(t, xs, size, pad_x)
        lh = size * 1.22
        rows = t.header + t.body
        nh = len(t.header)
        wrapped: list[list[list[str] | None]] = []
        heights: list[float] = []
        for row in rows:
            cells_lines: list[list[str] | None] = []
            h = row_h
            for c, cell in enumerate(row.cells):
                if cell is None:
                    cells_lines.append(None)
                    continue
                w = xs[c + cell.colspan] - xs[c] - 2 * pad_x
                lines = (
                    [cell.text[s:e] for s, e in self.wrap(cell.text, "song", size, w)] if cell.text else []
                )
                cells_lines.append(lines)
                if cell.rowspan == 1:
                    h = max(h, len(lines) * lh + 2 * pad_y)
            wrapped.append(cells_lines)
            heights.append(h)
        for i, row in enumerate(rows):
            for c, cell in enumerate(row.cells):
                if cell is not None and cell.rowspan > 1:
                    need = len(wrapped[i][c] or []) * lh + 2 * pad_y
                    have = sum(heights[i : i + cell.rowspan])
                    if need > have:
                        heights[i + cell.rowspan - 1] += need - have
        header_h = sum(heights[:nh])
        if self.y + header_h + (heights[nh] if len(rows) > nh else 0) > self.bottom:
            self.new_page(t.landscape)
        row_pages: list[int] = []
        segments: list[dict[str, Any]] = []

        def place_rows(indices: list[int]) -> None:
            tops: dict[int, float] = {}
            y = self.y
            for i in indices:
                tops[i] = y
                y += heights[i]
            for i in indices:
                for c, cell in enumerate(rows[i].cells):
                    if cell is None:
                        continue
                    y0 = tops[i]
                    y1 = y0 + sum(heights[i : i + cell.rowspan])
                    self._cell(cell, wrapped[i][c] or [], xs[c], y0, xs[c + cell.colspan], y1, size, lh,
                               t.rules == "grid")  # fmt: skip
            if t.rules == "three_line" and indices and indices[0] < nh:  # the rules above and under the header
                self.page.ops += [RuleOp(xs[0], tops[indices[0]], xs[-1], tops[indices[0]], 1.0),
                                  RuleOp(xs[0], y, xs[-1], y)]  # fmt: skip
            self.y = y

        def close_segment() -> None:
            if t.rules == "three_line":
                self.page.ops.append(RuleOp(xs[0], self.y, xs[-1], self.y, 1.0))

        place_rows(list(range(nh)))
        row_pages.extend([self.page.number] * nh)
        segments.append({"page": self.page.number, "rows": [0, nh], "header_repeated": False})
        notes_h = sum(self._para_height(n) for n in t.notes) + 3
        for i in range(nh, len(rows)):
            need = heights[i] + (notes_h if i == len(rows) - 1 else 0)
            if self.y + need > self.bottom:
                close_segment()
                self.new_page(t.landscape)
                repeat = t.repeat_header and nh > 0
                if repeat:
                    place_rows(list(range(nh)))
                segments.append({"page": self.page.number, "rows": [i, i], "header_repeated": repeat})
            place_rows([i])
            row_pages.append(self.page.number)
            segments[-1]["rows"][1] = i + 1
            for ref in rows[i].refs:
                c0, c1 = ref.cols or (0, t.n_cols)
                parts = [" ".join(wrapped[i][c] or []) for c in range(c0, c1) if rows[i].cells[c] is not None]
                quote = " ".join(x for x in parts if x)
                self.stmts.append(Stmt(ref.key, ref.value, self.page.number, quote))
        close_segment()
        self.y += 3
        for note in t.notes:
            self.para(note)
        self.tables.append(self._truth(t, rows, nh, row_pages, segments))

    def _columns(self, t: TableSpec, size: float, pad_x: float) -> list[float]:
        """Column edges: a column of ``fixed_chars`` gets that many characters, the rest share what is left."""
        width = self.right - self.left
        fixed = {c: n * size + 2 * pad_x for c, n in t.fixed_chars.items()}
        free = sum(w for c, w in enumerate(t.widths) if c not in fixed)
        share = (width - sum(fixed.values())) / free
        xs = [self.left]
        for c, w in enumerate(t.widths):
            xs.append(xs[-1] + fixed.get(c, w * share))
        return xs

    def _fit_amounts(self, t: TableSpec, xs: list[float], size: float, pad_x: float) -> float:
        """The table's face size, made smaller where an amount would not fit its cell (e.g. 元 with separators):
        printed tables shrink to fit; an amount never wraps."""
        for r in t.body:
            for c, cell in enumerate(r.cells):
                if cell is None or not AMOUNT.match(cell.text):
                    continue
                room = xs[c + cell.colspan] - xs[c] - 2 * pad_x
                need = self.fonts.width(cell.text, "song", size)
                if need > room:
                    size = size * room / need * 0.98
        if size < MIN_TABLE_SIZE:
            raise ValueError(f"table {t.title!r}: amounts need a {size:.1f} pt face; widen its value columns")
        return size

    def _para_height(self, p: Para) -> float:
        """Height a paragraph will take, so a table's last row can take its notes along to the next page."""
        face_key, size, _align, indent_ch, before, after = PARA_STYLES[p.style]
        size = size or self.style.body_size
        lh = size * (self.style.line_factor if p.style in ("body", "toc", "toc_part") else 1.45)
        n = len(self.wrap(p.text, self._face(face_key), size, self.right - self.left, indent_ch * size))
        return before + n * lh + after

    def _unit_line(self, t: TableSpec) -> None:
        size = 9.5
        lh = size * 1.5
        base = self.y + (lh - size) / 2 + size * 0.86
        if t.dept_line:
            self.page.ops.append(TextOp(self.left, base, t.dept_line, "song", size))
            self.page.lines.append(t.dept_line)
        if t.unit:
            text = f"单位：{t.unit}"
            self.page.ops.append(TextOp(self.right, base, text, "song", size, "rs"))
            self.page.lines.append(text)
        self.y += lh + 1

    def _cell(self, cell: Cell, lines: list[str], x0: float, y0: float, x1: float, y1: float, size: float,
              lh: float, ruled: bool = True) -> None:  # fmt: skip
        ops = self.page.ops
        if ruled:
            for a, b, c, d in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                ops.append(RuleOp(a, b, c, d))
        top = y0 + (y1 - y0 - len(lines) * lh) / 2
        for n, text in enumerate(lines):
            base = top + n * lh + (lh - size) / 2 + size * 0.86
            if cell.align == "c":
                ops.append(TextOp((x0 + x1) / 2, base, text, "song", size, "ms"))
            elif cell.align == "r":
                ops.append(TextOp(x1 - 3.0, base, text, "song", size, "rs"))
            else:
                ops.append(TextOp(x0 + 3.0, base, text, "song", size))
            self.page.lines.append(text)

    def _truth(self, t: TableSpec, rows: list[Row], nh: int, row_pages: list[int],
               segments: list[dict[str, Any]]) -> TableTruth:  # fmt: skip
        grid = [["" if c is None else c.text for c in row.cells] for row in rows]
        spans = [
            {"row": i, "col": c, "rowspan": cell.rowspan, "colspan": cell.colspan}
            for i, row in enumerate(rows)
            for c, cell in enumerate(row.cells)
            if cell is not None and (cell.rowspan > 1 or cell.colspan > 1)
        ]
        return TableTruth(
            title=t.title,
            standard_id=t.standard_id,
            unit=t.unit,
            pages=sorted(set(row_pages)),
            header_rows=nh,
            grid=grid,
            spans=spans,
            row_pages=row_pages,
            segments=segments,
        )
