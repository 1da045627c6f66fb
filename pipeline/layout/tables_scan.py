"""Ruled tables of a scanned page: the grid from the page image, the text from the OCR already done.

Cells are filled with the page's OCR characters (their boxes mapped into the straightened image), never by
reading the image again, so a table costs a few morphology passes on top of the page OCR.
"""

from __future__ import annotations

import statistics

from pipeline.document import BBox
from pipeline.ingest.raster import PageRaster, PixelToPage
from pipeline.layout.cells import assign_chars, make_table
from pipeline.layout.chars import Char
from pipeline.layout.ocrfix import drop_specks
from pipeline.layout.placed import Placed
from pipeline.layout.ruling import Straighten, image_grids


def scan_page_tables(raster: PageRaster, chars: list[Char], id_prefix: str) -> list[Placed]:
    """Tables of one scanned page (cells in PDF points) with their grids, numbered ``{id_prefix}-t1``, ``-t2``…"""
    m = raster.to_page
    grids, straight = image_grids(raster.image, m.scale * 72.0)
    if not grids:
        return []

    def locate_point(x: float, y: float) -> tuple[float, float]:
        return straight.forward(*m.pixel(x, y))

    def locate(ch: Char) -> tuple[float, float]:
        return locate_point(ch.cx, ch.cy)

    def to_points(box: BBox) -> BBox:
        return _box_to_points(box, straight, m)

    body_h = statistics.median(c.h for c in chars) if chars else 0.0
    tables = []
    for k, grid in enumerate(grids, 1):
        per_cell = [drop_specks(cs, body_h) for cs in assign_chars(grid, chars, locate)]
        table = make_table(grid, per_cell, to_points, raster.page, f"{id_prefix}-t{k}")
        tables.append(Placed(table, grid, locate_point))
    return tables


def _box_to_points(box: BBox, straight: Straighten, m: PixelToPage) -> BBox:
    x0, y0, x1, y1 = box
    pts = [m.point(*straight.back(x, y)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))
