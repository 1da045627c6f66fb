"""Write page images as an image-only PDF (one full-page JPEG per page, no text layer), byte-reproducibly."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from pipeline.files import atomic_path

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
