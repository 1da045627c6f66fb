"""Layout: a Document's pages into blocks in reading order, the section tree, and the tables (named by the
report kind's titles: T1–T9 of a 决算).

Works on what ingestion produced, text-layer and OCR'd pages alike, and on plain-text Documents (no
geometry, so no tables). Nothing is read twice: table cells are filled from the characters already on the
pages, and scanned rulings come from the page images ingestion kept.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.document import Document, PageKind
from pipeline.ingest.raster import PageRaster
from pipeline.layout.blocks import drop_running, page_metrics, page_rows
from pipeline.layout.reading import entries, straightener
from pipeline.layout.sections import build_tree, mark_contents
from pipeline.layout.standard import Titles
from pipeline.layout.tables import find_tables

__all__ = ["build_layout"]


def build_layout(doc: Document, rasters: dict[int, PageRaster], pdf_path: Path | None, titles: Titles) -> Document:
    """Fill ``doc.blocks``, ``doc.sections`` and ``doc.tables`` (in place; the Document is returned); tables
    and title lines are named by the report kind's ``titles``."""
    found = find_tables(doc, rasters, pdf_path, titles)
    rows = {
        p.number: page_rows(p, lambda box, n=p.number: found.in_table(n, box), straightener(rasters.get(p.number)))
        for p in doc.pages
        if p.kind != PageKind.EMPTY
    }
    drop_running(rows, {p.number: p for p in doc.pages})
    ordered = [r for number in sorted(rows) for r in rows[number]]
    read = entries(ordered, page_metrics(ordered), found.tables, titles)
    mark_contents(read)
    doc.tables = found.tables
    doc.blocks = [e.block for e in read]
    doc.sections = build_tree(read)
    return doc
