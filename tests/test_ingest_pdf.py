"""PDF ingestion on the real corpus: text layer, scanned pages (embedded or rendered), deskew, mixed pages."""

from __future__ import annotations

import hashlib
import math
import re

import cv2
import numpy as np
import pymupdf
import pytest
from conftest import FINAL, T1_PAGE, NoOcr, image_pdf, render_grey, tilt

from pipeline.config import Settings
from pipeline.document import Line, Page, PageKind
from pipeline.ingest import ingest
from pipeline.ingest.deskew import estimate_skew, rotate
from pipeline.ingest.raster import PixelToPage

NUMBER = re.compile(r"\d+\.\d+")


@pytest.fixture(scope="module")
def final(session_cache):
    return ingest(FINAL, Settings(cache_dir=session_cache)).document


def centre(b):
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def char_boxes(line: Line) -> list:
    return [b for w in line.words for b in w.chars]


def match_lines(ocr_page: Page, text_page: Page, to_scan=lambda x, y: (x, y)):
    """(ocr line, text-layer line) pairs with the same text, the nearest one where a text repeats."""
    pairs = []
    for ol in ocr_page.lines:
        same = [tl for tl in text_page.lines if tl.text.replace(" ", "") == ol.text.replace(" ", "")]
        if same:
            ox, oy = centre(ol.bbox)
            pairs.append((ol, min(same, key=lambda tl: math.dist(to_scan(*centre(tl.bbox)), (ox, oy)))))
    return pairs


def test_born_digital_report_is_all_text_pages(final):
    assert len(final.pages) == 24
    assert {p.kind for p in final.pages} == {PageKind.TEXT}
    assert final.sha256 == hashlib.sha256(FINAL.read_bytes()).hexdigest()
    t1 = final.page(T1_PAGE)
    assert t1.width == pytest.approx(595.3) and t1.height == pytest.approx(841.9)
    assert any(ln.text == "收入支出决算总表" for ln in t1.lines)
    for ln in t1.lines:
        assert ln.source == "text"
        assert ln.text == " ".join(w.text for w in ln.words)
        assert all(w.chars is not None and len(w.chars) == len(w.text) for w in ln.words)


def test_progress_is_reported_per_page(session_cache):
    calls = []
    ingest(FINAL, Settings(cache_dir=session_cache), progress=lambda *a: calls.append(a))
    assert calls == [("ingest", i, 24) for i in range(1, 25)]


def test_scanned_page_uses_its_embedded_image(t1_scan, t1_grey):
    result, _ = t1_scan
    page = result.document.pages[0]
    assert page.kind == PageKind.SCANNED
    assert page.image.origin == "embedded" and page.image.dpi == pytest.approx(150, abs=0.5)
    assert page.image.skew_deg == 0.0
    assert np.array_equal(result.rasters[1].image, t1_grey)  # native pixels, not re-rendered
    assert all(ln.source == "ocr" and ln.words[0].conf is not None for ln in page.lines)


def test_ocr_char_boxes_land_on_the_text_layer_boxes(t1_scan, final):
    """Each OCR'd character, mapped to PDF points, sits within a few points of the same character's text box."""
    page = t1_scan[0].document.pages[0]
    pairs = match_lines(page, final.page(T1_PAGE))
    assert len(pairs) >= 0.9 * len(page.lines)
    offsets = [
        (abs(centre(a)[0] - centre(b)[0]), abs(centre(a)[1] - centre(b)[1]))
        for ol, tl in pairs
        for a, b in zip(char_boxes(ol), char_boxes(tl), strict=True)
    ]
    assert max(dx for dx, _ in offsets) < 4.0 and max(dy for _, dy in offsets) < 2.0
    assert sorted(NUMBER.findall(page.text)) == sorted(NUMBER.findall(final.page(T1_PAGE).text))


def test_tilted_scan_is_straightened_and_reads_like_the_text_layer(tilted_t1, session_cache, final, rapid):
    result = ingest(tilted_t1, Settings(cache_dir=session_cache), ocr=rapid)
    page = result.document.pages[0]
    assert page.image.skew_deg == pytest.approx(0.8, abs=0.1)
    text_page = final.page(T1_PAGE)
    assert sorted(NUMBER.findall(page.text)) == sorted(NUMBER.findall(text_page.text))
    # boxes are in points of the tilted page: turn the text layer the same way before comparing
    m = PixelToPage(scale=page.image.width_px / page.width)
    cx, cy = m.point(page.image.width_px / 2, page.image.height_px / 2)
    a = math.radians(0.8)

    def to_scan(x, y):
        dx, dy = x - cx, y - cy
        return cx + math.cos(a) * dx + math.sin(a) * dy, cy - math.sin(a) * dx + math.cos(a) * dy

    pairs = match_lines(page, text_page, to_scan)
    assert len(pairs) >= 0.9 * len(page.lines)
    for ol, tl in pairs:
        for got, want in zip(char_boxes(ol), char_boxes(tl), strict=True):
            assert math.dist(centre(got), to_scan(*centre(want))) < 4.5


def test_pixel_to_page_undoes_deskew():
    """A known point of a tilted page, found on the straightened image, maps back within 1 pt."""
    scale = 150 / 72
    w, h = 1241, 1754
    img = np.full((h, w), 255, np.uint8)
    dot = (400.0, 300.0)  # PDF points on the tilted page
    cv2.circle(img, (round(dot[0] * scale), round(dot[1] * scale)), 4, 0, -1)
    for y in range(100, h - 100, 40):  # rulings, so the tilt can be measured
        cv2.line(img, (80, y), (w - 80, y), 0, 2)
    tilted = tilt(img, 1.7)
    m_fwd = cv2.getRotationMatrix2D((w / 2, h / 2), 1.7, 1.0)
    px = m_fwd @ np.array([dot[0] * scale, dot[1] * scale, 1.0])
    on_page = (px[0] / scale, px[1] / scale)
    skew = estimate_skew(tilted)
    assert skew == pytest.approx(1.7, abs=0.05)
    straight = rotate(tilted, -skew)
    to_page = PixelToPage(scale=scale, angle_deg=-skew, cx=w / 2, cy=h / 2)
    found = np.argwhere(
        cv2.erode(255 - straight, np.ones((5, 5), np.uint8)) > 128
    )  # the dot survives erosion
    fy, fx = found.mean(axis=0)
    assert math.dist(to_page.point(fx, fy), on_page) < 1.0
    assert math.dist(to_page.pixel(*to_page.point(fx, fy)), (fx, fy)) < 1e-6


def test_page_kinds_text_scanned_mixed_empty(tmp_path, t1_grey, session_cache, rapid, final):
    doc = pymupdf.open()
    with pymupdf.open(FINAL) as src:
        doc.insert_pdf(src, from_page=T1_PAGE - 1, to_page=T1_PAGE - 1)  # 1: text
        doc.insert_pdf(src, from_page=2, to_page=2)  # 3: will be mixed (its lower half is blank)
    scan = pymupdf.open(image_pdf(tmp_path / "scan.pdf", [t1_grey], (doc[0].rect.width, doc[0].rect.height)))
    doc.insert_pdf(scan, start_at=1)  # 2: scanned
    doc.new_page(width=595, height=842)  # 4: empty
    table = t1_grey[280:1200]
    doc[2].insert_image(pymupdf.Rect(40, 420, 555, 800), stream=cv2.imencode(".png", table)[1].tobytes())
    path = tmp_path / "kinds.pdf"
    doc.save(path)

    result = ingest(path, Settings(cache_dir=session_cache, render_dpi=150), ocr=rapid)
    pages = result.document.pages
    assert [p.kind for p in pages] == [PageKind.TEXT, PageKind.SCANNED, PageKind.MIXED, PageKind.EMPTY]
    assert set(result.rasters) == {2, 3}
    assert pages[3].lines == [] and pages[3].image is None

    mixed = pages[2]
    assert mixed.image.origin == "rendered"  # a text page with a picture: the whole page is rendered
    text_lines = [ln for ln in mixed.lines if ln.source == "text"]
    ocr_lines = [ln for ln in mixed.lines if ln.source == "ocr"]
    assert [ln.text for ln in text_lines] == [ln.text for ln in final.page(3).lines]
    assert "307.82" in [ln.text for ln in ocr_lines]
    picture = pymupdf.Rect(40, 420, 555, 800)
    assert all(
        pymupdf.Point(centre(ln.bbox)) in picture for ln in ocr_lines
    )  # nothing re-read from the text layer


def test_scan_not_covering_the_page_is_rendered(tmp_path, t1_grey):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(50, 50, 545, 500), stream=cv2.imencode(".png", t1_grey[:900])[1].tobytes())
    doc.save(tmp_path / "part.pdf")
    result = ingest(tmp_path / "part.pdf", Settings(cache_dir=tmp_path, render_dpi=100), ocr=NoOcr())
    page = result.document.pages[0]
    assert page.kind == PageKind.SCANNED
    assert page.image.origin == "rendered" and page.image.dpi == pytest.approx(100)
    h, w = result.rasters[1].image.shape
    assert abs(h - 842 * 100 / 72) <= 1 and abs(w - 595 * 100 / 72) <= 1


def test_deskew_measures_text_only_pages_too():
    grey = render_grey(FINAL, 17, dpi=100)
    assert estimate_skew(grey) == 0.0
    assert estimate_skew(tilt(grey, -1.2)) == pytest.approx(-1.2, abs=0.1)
    assert estimate_skew(np.full((500, 400), 255, np.uint8)) == 0.0  # blank: nothing to measure


def test_jpeg_scan_is_decoded_from_its_own_bytes(tmp_path, t1_grey):
    colour = cv2.cvtColor(t1_grey, cv2.COLOR_GRAY2BGR)
    doc = pymupdf.open()
    page = doc.new_page(width=595.3, height=841.9)
    page.insert_image(
        page.rect, stream=cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    )
    doc.save(tmp_path / "jpeg.pdf")
    result = ingest(tmp_path / "jpeg.pdf", Settings(cache_dir=tmp_path), ocr=NoOcr())
    image = result.document.pages[0].image
    assert (image.origin, image.width_px, image.height_px) == ("embedded", 1241, 1754)
    assert np.mean(np.abs(result.rasters[1].image.astype(int) - t1_grey)) < 3  # JPEG noise only
