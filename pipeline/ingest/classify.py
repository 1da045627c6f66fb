"""Decide per page whether its text layer can be trusted or its pixels must be OCR'd."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from pipeline.config import Settings
from pipeline.document import PageKind

# Glyphs whose font has no Unicode map come out as U+FFFD or private-use code points: such a text layer
# is noise, and the page has to be read from its pixels.
GARBLED_SHARE = 0.3
# A page with no text and no images but this many vector paths is most likely text drawn as outlines.
OUTLINED_TEXT_PATHS = 200


@dataclass
class PageClass:
    kind: PageKind
    image_rects: list[pymupdf.Rect]  # images covering at least settings.mixed_image_fraction of the page
    note: str | None = None  # why a page with a text layer is read from pixels instead


def _garbled(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    bad = sum(1 for c in chars if c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    return bool(chars) and bad / len(chars) > GARBLED_SHARE


def classify_page(page: pymupdf.Page, settings: Settings) -> PageClass:
    """text (usable text layer), mixed (text layer plus a large image), scanned (pixels only), or empty."""
    text = page.get_text("text")
    n_chars = sum(1 for c in text if not c.isspace())
    area = abs(page.rect) or 1.0
    images = [pymupdf.Rect(i["bbox"]) & page.rect for i in page.get_image_info()]
    images = [r for r in images if not r.is_empty]
    large = [r for r in images if abs(r) >= settings.mixed_image_fraction * area]
    garbled = _garbled(text)
    if n_chars >= max(settings.text_layer_min_chars, 1) and not garbled:
        return PageClass(PageKind.MIXED if large else PageKind.TEXT, large)
    note = "text layer is unreadable (glyphs without Unicode); read by OCR" if garbled else None
    if images:
        return PageClass(PageKind.SCANNED, large, note)
    if n_chars and not garbled:
        return PageClass(PageKind.TEXT, [])  # a short page (cover, divider): its few characters are real
    if garbled or len(page.get_cdrawings()) >= OUTLINED_TEXT_PATHS:
        return PageClass(PageKind.SCANNED, [], note or "no text layer but many vector paths; read by OCR")
    return PageClass(PageKind.EMPTY, [])
