"""Layout of a scanned report: the putuo report's table pages as 200 dpi page images (one copy of the T1
page turned 0.6°), OCR'd once per session, against the same report read from its text layer."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.document import Document, Table
from pipeline.layout.cells import is_number
from pipeline.parse import parse_path

PUTUO = (SHARED / "corpus/putuo-shehuigongzuobu-2024-final.pdf")
TABLE_PAGES = list(range(5, 17))  # T1 … T9, with the continuation pages of T2, T3 and T4
DPI = 200
TILT_DEG = 0.6

pytestmark = pytest.mark.skipif(not PUTUO.exists(), reason="shared corpus not mounted")


def _grey(doc: pymupdf.Document, number: int) -> np.ndarray:
    pix = doc[number - 1].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()


def _turn(grey: np.ndarray, deg: float) -> np.ndarray:
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


@pytest.fixture(scope="session")
def scanned_pdf(tmp_path_factory) -> Path:
    """An image-only PDF: the table pages as page-size images, then the T1 page again, turned."""
    out = pymupdf.open()
    with pymupdf.open(PUTUO) as src:
        images = [(_grey(src, n), src[n - 1].rect) for n in TABLE_PAGES]
        images.append((_turn(_grey(src, 5), TILT_DEG), src[4].rect))
    for img, rect in images:
        page = out.new_page(width=rect.width, height=rect.height)
        page.insert_image(page.rect, stream=cv2.imencode(".png", img)[1].tobytes())
    path = tmp_path_factory.mktemp("scan") / "putuo-tables-scanned.pdf"
    out.save(path)
    return path


@pytest.fixture(scope="session")
def scan_settings(tmp_path_factory) -> Settings:
    return Settings(cache_dir=tmp_path_factory.mktemp("scan-ocr-cache"))


@pytest.fixture(scope="session")
def scanned(scanned_pdf, scan_settings) -> Document:
    return parse_path(scanned_pdf, scan_settings)


@pytest.fixture(scope="session")
def born_digital(scan_settings) -> Document:
    return parse_path(PUTUO, scan_settings)


def _norm(s: str) -> str:
    return s.replace(" ", "")


def _agreement(a: Table, b: Table) -> float:
    pairs = [(x, y) for ra, rb in zip(a.grid(), b.grid(), strict=True) for x, y in zip(ra, rb, strict=True)]
    return sum(_norm(x) == _norm(y) for x, y in pairs) / len(pairs)


def test_pages_were_read_from_pixels(scanned):
    assert [p.kind.value for p in scanned.pages] == ["scanned"] * (len(TABLE_PAGES) + 1)
    assert abs(scanned.pages[-1].image.skew_deg - TILT_DEG) < 0.15


def test_all_nine_standard_tables_scanned(scanned, born_digital):
    for sid in [f"T{i}" for i in range(1, 10)]:
        a, b = born_digital.standard_table(sid), scanned.standard_table(sid)
        assert b is not None, sid
        assert (b.n_rows, b.n_cols, b.header_rows, b.unit) == (a.n_rows, a.n_cols, a.header_rows, a.unit), sid
        assert len(b.pages) == len(a.pages), sid  # the continuations are stitched on the scans too
        spans = lambda t: sorted((c.row, c.col, c.rowspan, c.colspan) for c in t.cells)  # noqa: E731
        assert spans(b) == spans(a), sid
        assert _agreement(a, b) >= 0.98, sid


def test_t1_numbers_exact_on_the_scan(scanned, born_digital):
    a, b = born_digital.standard_table("T1"), scanned.standard_table("T1")
    numbers = [(x, y) for ra, rb in zip(a.grid(), b.grid(), strict=True)
               for x, y in zip(ra, rb, strict=True) if is_number(x)]
    assert len(numbers) >= 9
    assert all(x == y for x, y in numbers), [p for p in numbers if p[0] != p[1]]
    # Cell boxes land on the page where the text layer has them (within a few points).
    for c in b.cells:
        ref = next(x for x in a.cells if (x.row, x.col) == (c.row, c.col))
        assert max(abs(u - v) for u, v in zip(c.bbox, ref.bbox, strict=True)) < 4


def test_tilted_page_gives_the_same_rows(scanned, born_digital):
    tilted = [t for t in scanned.tables if t.pages == [len(TABLE_PAGES) + 1]]
    assert len(tilted) == 1
    t = tilted[0]
    assert t.title == "收入支出决算总表" and t.standard_id is None  # the straight copy keeps T1
    assert t.grid() == scanned.standard_table("T1").grid()
    assert t.grid() == born_digital.standard_table("T1").grid()


def test_scanned_blocks_and_sections(scanned):
    titles = [s.title for s in scanned.walk_sections()]
    assert "收入支出决算总表" in titles and "一般公共预算财政拨款基本支出决算表" in titles
    notes = [b for b in scanned.blocks if b.kind == "caption" and b.text.startswith("注")]
    assert len(notes) >= 9
    assert not any(b.kind == "paragraph" and b.text.strip() == "307.82" for b in scanned.blocks)
