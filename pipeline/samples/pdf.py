"""Write pages as PDF, byte-reproducibly: scanned (one full-page JPEG per page, no text layer) or born-digital."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pymupdf

from pipeline.files import atomic_path
from pipeline.samples.flow import PageOut, RuleOp, TextOp
from pipeline.samples.fonts import font_file

# Fixed metadata: no clock, no random /ID, so the same pages give the same file.
FIXED_DATE = "D:20250901000000+08'00'"


def write_pdf(path: Path, pages: list[tuple[bytes, float, float]], title: str) -> None:
    doc = pymupdf.open()
    for jpeg, width, height in pages:
        page = doc.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=jpeg, keep_proportion=False)
    doc.set_metadata(
        {
            "title": title,
            "author": "",
            "subject": "",
            "keywords": "",
            "creator": "juesuan samples",
            "producer": "juesuan samples",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
        }
    )
    with atomic_path(path) as tmp:
        doc.save(tmp, garbage=4, deflate=True, no_new_id=True)
    doc.close()


def write_text_pdf(path: Path, pages: list[PageOut], title: str) -> None:
    """Write laid-out pages as a born-digital PDF: real text (the CJK faces embedded, subset) and vector rules,
    as a report exported from Word or Excel is; a borderless table simply has no rules."""
    doc = pymupdf.open()
    for out in pages:
        page = doc.new_page(width=out.size[0], height=out.size[1])
        shape = page.new_shape()
        for op in out.ops:
            if isinstance(op, RuleOp):
                shape.draw_line((op.x0, op.y0), (op.x1, op.y1))
                shape.finish(width=op.width, color=(0, 0, 0))
        shape.commit()
        writer = pymupdf.TextWriter(page.rect)
        for op in out.ops:
            if isinstance(op, TextOp):
                font = _font(op.face)
                width = font.text_length(op.text, op.size)
                x = op.x - {"l": 0.0, "m": width / 2, "r": width}[op.anchor[0]]
                writer.append((x, op.y), op.text, font=font, fontsize=op.size)
        writer.write_text(page)
    doc.subset_fonts()  # the whole CJK face is ~10 MB a page
    doc.set_metadata({"title": title, "creator": "juesuan samples", "producer": "juesuan samples",
                      "creationDate": FIXED_DATE, "modDate": FIXED_DATE})  # fmt: skip
    with atomic_path(path) as tmp:
        doc.save(tmp, garbage=4, deflate=True, no_new_id=True)
    doc.close()


@cache
def _font(face: str) -> pymupdf.Font:
    return pymupdf.Font(fontfile=str(font_file(face)[0]))
