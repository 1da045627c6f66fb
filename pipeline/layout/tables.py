"""All tables of a document: found per page, named (title, T1–T9, unit), then stitched across pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from pipeline.document import BBox, Document, Page, PageKind, Table
from pipeline.ingest.raster import PageRaster
from pipeline.layout.blocks import Row, page_rows
from pipeline.layout.cells import assign_chars, make_table
from pipeline.layout.chars import page_chars
from pipeline.layout.ocrfix import repair_figures, repair_labels, sync_lines
from pipeline.layout.placed import Placed, identity
from pipeline.layout.standard import Titles, find_unit
from pipeline.layout.stitch import is_note, stitch
from pipeline.layout.tables_borderless import borderless_grid
from pipeline.layout.tables_plain import plain_tables
from pipeline.layout.tables_scan import scan_page_tables
from pipeline.layout.tables_text import text_page_grids

_TITLE_REACH = 110.0  # points above a table where its title and unit line may sit


@dataclass
class Naming:
    titled: bool = False  # a title line of its own: not a continuation
    errors: int = 99  # edits in the standard-title match (ties between two claims of one T-id)


def page_tables(page: Page, raster: PageRaster | None, pdf: pymupdf.Document | None) -> list[Placed]:
    """Tables on one page: from the vector strokes of a text layer, else from the page image."""
    chars = page_chars(page)
    found: list[Placed] = []
    if pdf is not None and page.kind in (PageKind.TEXT, PageKind.MIXED):
        for k, grid in enumerate(text_page_grids(pdf[page.number - 1]), 1):
            per_cell = assign_chars(grid, chars, lambda c: (c.cx, c.cy))
            table = make_table(grid, per_cell, lambda b: b, page.number, f"p{page.number}-t{k}")
            found.append(Placed(table, grid, identity))
    if raster is not None and page.kind in (PageKind.SCANNED, PageKind.MIXED):
        for p in scan_page_tables(raster, chars, f"p{page.number}-s"):
            if not any(_overlap(p.table.bbox, o.table.bbox) > 0.5 for o in found):
                repair_figures(p.table)
                repair_labels(p.table)
                sync_lines(page, p.table)
                found.append(p)
    found.sort(key=lambda p: (p.table.bbox[1], p.table.bbox[0]))
    return found


def _overlap(a: tuple, b: tuple) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = (a[2] - a[0]) * (a[3] - a[1])
    return w * h / area if area > 0 else 0.0


def name_table(p: Placed, rows: list[Row], floor: Placed | None, titles: Titles) -> Naming:
    """Title, standard id and unit from the rows just above the table (and below the table ``floor``
    before it on the page), nearest first; a title inside the first row (one cell across) counts too."""
    t = p.table
    naming = Naming()
    above = [r for r in rows if p.above(r.bbox) and not (floor and not floor.below(r.bbox))
             and t.bbox[1] - r.bbox[3] <= _TITLE_REACH]
    above.sort(key=lambda r: -r.bbox[3])
    first_row = [c.text for c in t.cells if c.row == 0]
    candidates = [r.text for r in above[:4]]
    if len(first_row) == 1:
        candidates.append(first_row[0])
    for text in candidates:
        unit = find_unit(text)
        if unit and t.unit is None:
            t.unit = unit
        m = titles.match(text)
        if m is not None and t.standard_id is None:
            t.standard_id, t.title, naming.errors = m.standard_id, text.strip(), m.errors
            naming.titled = True
        elif t.title is None and "表" in text and len(text) <= 40 and not unit and not is_note(text):
            t.title = text.strip()
            naming.titled = True
    return naming


def unruled_tables(page: Page, rows: list[Row], placed: list[Placed], titles: Titles) -> list[Placed]:
    """Tables printed without rulings: under each line naming a standard table that no found table sits
    under, the text up to the next such title, note or the page's end, when it lines up in columns."""
    named = [r for r in rows if titles.match(r.text) is not None]
    out: list[Placed] = []
    for i, title in enumerate(named):
        if any(0 <= p.table.bbox[1] - title.bbox[3] <= _TITLE_REACH for p in placed):
            continue
        ends = [r.bbox[1] for r in rows if r.bbox[1] > title.bbox[3] and is_note(r.text)]
        ends += [t.bbox[1] for t in named[i + 1:]] + [page.height]
        grid = borderless_grid(page_chars(page), title.bbox[3] + 1.0, min(ends))
        if grid is None:
            continue
        chars = page_chars(page)
        per_cell = assign_chars(grid, chars, lambda c: (c.cx, c.cy))
        table = make_table(grid, per_cell, lambda b: b, page.number, f"p{page.number}-u{len(out) + 1}")
        out.append(Placed(table, grid, identity))
    return out


@dataclass
class Found:
    tables: list[Table]  # stitched, in reading order
    pieces: dict[int, list[Placed]] = field(default_factory=dict)  # per page, as found there

    def in_table(self, page: int, box: BBox) -> bool:
        return any(p.contains(box) for p in self.pieces.get(page, ()))


def find_tables(doc: Document, rasters: dict[int, PageRaster], pdf_path: Path | None, titles: Titles) -> Found:
    """Every table of the document in reading order, continuations stitched on, named by the kind's ``titles``."""
    pdf = None
    if pdf_path is not None and any(p.kind in (PageKind.TEXT, PageKind.MIXED) for p in doc.pages):
        try:  # the vector strokes of text-layer pages are read from the file itself
            pdf = pymupdf.open(pdf_path, filetype="pdf")
        except (RuntimeError, ValueError):
            pdf = None
    found = Found(tables=[])
    pieces: list[Table] = []
    names: dict[str, Naming] = {}
    closed: set[str] = set()
    try:
        for page in doc.pages:
            if page.kind == PageKind.NONE:
                for t in plain_tables(page, titles):
                    names[t.id] = Naming(titled=True, errors=0)
                    pieces.append(t)
                continue
            if page.kind == PageKind.EMPTY:
                continue
            placed = page_tables(page, rasters.get(page.number), pdf)
            found.pieces[page.number] = placed
            rows = page_rows(page, lambda box, n=page.number: found.in_table(n, box))
            unruled = unruled_tables(page, rows, placed, titles)
            if unruled:
                placed.extend(unruled)
                placed.sort(key=lambda p: (p.table.bbox[1], p.table.bbox[0]))
                rows = page_rows(page, lambda box, n=page.number: found.in_table(n, box))
            if not placed:
                del found.pieces[page.number]
                continue
            floor: Placed | None = None
            for p in placed:
                names[p.table.id] = name_table(p, rows, floor, titles)
                below = [r for r in rows if p.below(r.bbox)]
                if below and is_note(min(below, key=lambda r: r.bbox[1]).text):
                    closed.add(p.table.id)
                floor = p
            pieces.extend(p.table for p in placed)
    finally:
        if pdf is not None:
            pdf.close()
    titled = {tid for tid, n in names.items() if n.titled}
    found.tables = stitch(pieces, closed, titled)
    _one_claim_each(found.tables, names)
    return found


def _one_claim_each(tables: list[Table], names: dict[str, Naming]) -> None:
    """Two tables named as one standard table: the closer match keeps the id (the first on a tie)."""
    best: dict[str, Table] = {}
    for t in tables:
        if t.standard_id is None:
            continue
        held = best.get(t.standard_id)
        if held is None or names[t.id].errors < names[held.id].errors:
            if held is not None:
                held.standard_id = None
            best[t.standard_id] = t
        else:
            t.standard_id = None
