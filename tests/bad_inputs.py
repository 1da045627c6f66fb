"""Damaged and odd inputs made on the spot, small and deterministic: the bad-input test set.

Every file is built from a tiny born-digital report (two pages, PyMuPDF's built-in CJK font, saved with
fixed metadata and no random /ID) so that a seed always flips the same bytes of the same file.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import cv2
import numpy as np
import pymupdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "sample-01-jiading-wenhualvyouju.pdf"  # a committed scanned sample report
LINES = (
    "上海市某区某局2024年度部门决算",
    "一、收入支出决算总体情况说明",
    "2024年度收入、支出决算总计1,234.56万元。",
    "与上年相比增加100.00万元，增长8.8%。",
)
FLIP_SEEDS = range(30)


def _save(doc: pymupdf.Document, path: Path) -> Path:
    doc.set_metadata({})  # no creation date: the same bytes every run
    doc.save(path, garbage=4, deflate=True, no_new_id=True)
    doc.close()
    return path


def text_pdf(path: Path, pages: int = 2) -> Path:
    """A born-digital report whose every page has a text layer (no OCR needed)."""
    doc = pymupdf.open()
    for n in range(1, pages + 1):
        page = doc.new_page(width=595, height=842)
        for i, line in enumerate(LINES):
            page.insert_text((60, 80 + 30 * i), f"{line}（第{n}页）", fontname="china-s", fontsize=12)
    return _save(doc, path)


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [page.get_text("text") for page in doc]


def jpeg_scan_pdf(path: Path, dpi: int = 100) -> tuple[Path, bytes]:
    """A one-page scan: the report's page as a JPEG over the whole page (and the JPEG's bytes)."""
    src = text_pdf(path.with_suffix(".src.pdf"), pages=1)
    with pymupdf.open(src) as doc:
        pix = doc[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w)
    jpeg = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=jpeg)
    doc.set_metadata({})
    doc.save(path, no_new_id=True)  # not deflated: the JPEG's bytes stay findable in the file
    doc.close()
    src.unlink()
    return path, jpeg


def corrupt_jpeg_pdf(path: Path) -> Path:
    """The scan with 20 bytes of its JPEG's entropy-coded data overwritten (same length, xref intact)."""
    scan, jpeg = jpeg_scan_pdf(path.with_suffix(".clean.pdf"))
    data = bytearray(scan.read_bytes())
    start = bytes(data).index(jpeg[:64])
    rng = random.Random(1)
    for _ in range(20):
        data[start + rng.randrange(600, len(jpeg) - 10)] = rng.randrange(256)
    path.write_bytes(bytes(data))
    scan.unlink()
    return path


def flipped(source: bytes, seed: int) -> bytes:
    """``source`` with 1–8 random bytes overwritten, the same ones for the same seed."""
    rng = random.Random(seed)
    data = bytearray(source)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def xref_broken(source: bytes) -> bytes:
    """Every cross-reference offset shifted, and startxref pointing into the middle of an object."""
    broken = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m[1]) + 7, m[2]), source)
    return re.sub(rb"startxref\s+\d+", b"startxref\n123", broken)


def truncated(source: bytes, keep: int) -> bytes:
    return source[:keep]
