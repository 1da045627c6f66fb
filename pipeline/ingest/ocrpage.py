"""Read a page from its pixels: page image → deskew → OCR (cached) → lines in PDF points of the page."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from pipeline.config import Settings
from pipeline.document import Line, PageImage
from pipeline.ingest.deskew import estimate_skew, rotate
from pipeline.ingest.pageimage import page_image
from pipeline.ingest.raster import PageRaster, PixelToPage
from pipeline.ocr.base import OcrEngine, OcrLine
from pipeline.ocr.cache import image_sha256, recognize_cached
from pipeline.ocr.normalize import make_line


@dataclass
class PixelRead:
    lines: list[Line]
    image: PageImage
    raster: PageRaster
    warnings: list[str]
    damage: list[str]  # the image decoder's complaints about broken data


def ocr_page(doc: pymupdf.Document, page: pymupdf.Page, settings: Settings, engine: OcrEngine) -> PixelRead:
    """OCR lines of one page, from the OCR cache when this page image was read before."""
    img = page_image(doc, page, settings)
    skew = estimate_skew(img.grey, settings.deskew_max_deg)
    grey = rotate(img.grey, -skew) if skew else img.grey
    h, w = grey.shape
    to_page = PixelToPage(scale=img.scale, angle_deg=-skew, cx=w / 2.0, cy=h / 2.0, ox=img.ox, oy=img.oy)
    sha = image_sha256(grey)
    ocr_lines = recognize_cached(engine, grey, settings, sha)
    lines = [ln for ln in (map_line(o, to_page) for o in ocr_lines) if ln is not None]
    number = page.number + 1
    info = PageImage(sha256=sha, width_px=w, height_px=h, dpi=img.dpi, origin=img.origin, skew_deg=skew)
    return PixelRead(lines, info, PageRaster(page=number, image=grey, to_page=to_page), img.warnings, img.damage)


def map_line(o: OcrLine, to_page: PixelToPage) -> Line | None:
    """An OCR line with every character box moved from image pixels to PDF points of the page."""
    chars = [(c, to_page.bbox(b)) for c, b in zip(o.text, o.chars, strict=True)]
    return make_line(chars, source="ocr", conf=o.conf, bbox=to_page.bbox(o.box))
