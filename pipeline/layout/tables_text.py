"""Ruled tables of born-digital pages, from the page's vector strokes.

PyMuPDF's ``find_tables`` was tried first and measured on the putuo report: it loses whole rows and columns
on 5 of 13 table pages (page 15: 2 of 5 rows; page 7: 4 of 9 columns) and its cell text comes out
scrambled ("30782\\n." for 307.82). The strokes themselves are exact, so they go through the same grid
builder as the scanned path; ``find_tables`` remains the fallback for a page whose tables are not drawn
with strokes or thin filled rectangles.
"""

from __future__ import annotations

import pymupdf

from pipeline.layout.grid import Grid, GridCell, GridParams, Seg, build_grids

TEXT_PARAMS = GridParams(tol=2.5, gap=3.0, min_cell=6.0)
_THIN = 3.0  # a filled rectangle thinner than this (points) is a line


def vector_segments(page: pymupdf.Page) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments drawn on the page (strokes, thin fills, rectangle edges)."""
    hs: list[Seg] = []
    vs: list[Seg] = []

    def line(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 1.0:
            hs.append(Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 1.0:
            vs.append(Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for d in page.get_drawings():
        for item in d["items"]:
            kind = item[0]
            if kind == "l":
                line(item[1].x, item[1].y, item[2].x, item[2].y)
            elif kind == "re":
                r = item[1]
                if r.height <= _THIN and r.width > _THIN:
                    hs.append(Seg((r.y0 + r.y1) / 2, r.x0, r.x1))
                elif r.width <= _THIN and r.height > _THIN:
                    vs.append(Seg((r.x0 + r.x1) / 2, r.y0, r.y1))
                elif d.get("type") != "f" or d.get("fill") in (None, (1.0, 1.0, 1.0)):
                    for a, b in ((r.tl, r.tr), (r.bl, r.br), (r.tl, r.bl), (r.tr, r.br)):
                        line(a.x, a.y, b.x, b.y)
            elif kind == "qu":
                q = item[1]
                for a, b in ((q.ul, q.ur), (q.ll, q.lr), (q.ul, q.ll), (q.ur, q.lr)):
                    line(a.x, a.y, b.x, b.y)
    return hs, vs


def text_page_grids(page: pymupdf.Page) -> list[Grid]:
    """Table grids of a born-digital page, in PDF points."""
    hs, vs = vector_segments(page)
    grids = build_grids(hs, vs, TEXT_PARAMS) if hs and vs else []
    if grids:
        return grids
    return [g for t in page.find_tables().tables if (g := _from_find_tables(t)) is not None]


def _from_find_tables(table: pymupdf.table.Table) -> Grid | None:
    boxes = [c for c in table.cells if c is not None]
    if not boxes:
        return None
    xs = _distinct([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _distinct([b[1] for b in boxes] + [b[3] for b in boxes])

    def idx(vals: list[float], v: float) -> int:
        return min(range(len(vals)), key=lambda i: abs(vals[i] - v))

    cells = []
    for b in boxes:
        c0, c1, r0, r1 = idx(xs, b[0]), idx(xs, b[2]), idx(ys, b[1]), idx(ys, b[3])
        if c1 > c0 and r1 > r0:
            cells.append(GridCell(r0, c0, r1 - r0, c1 - c0))
    return Grid(xs=xs, ys=ys, cells=sorted(cells, key=lambda c: (c.row, c.col))) if cells else None


def _distinct(vals: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(vals):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out
