"""Lines of a born-digital page straight from its text layer, with MuPDF's per-character boxes."""

from __future__ import annotations

import pymupdf

from pipeline.document import Line
from pipeline.ocr.normalize import CharBox, make_line

FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_MEDIABOX_CLIP


def text_layer_lines(page: pymupdf.Page) -> list[Line]:
    """One Line per text-layer line (MuPDF's grouping), in MuPDF's reading order, in PDF points."""
    raw = page.get_text("rawdict", flags=FLAGS, sort=True)
    lines: list[Line] = []
    for block in raw.get("blocks", []):
        if block.get("type") != 0:
            continue
        for ln in block.get("lines", []):
            chars: list[CharBox] = [
                (ch["c"], tuple(ch["bbox"])) for span in ln.get("spans", []) for ch in span.get("chars", [])
            ]
            line = make_line(chars, source="text", bbox=tuple(ln["bbox"]))
            if line is not None:
                lines.append(line)
    return lines
