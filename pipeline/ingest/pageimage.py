"""Grey pixels of a page for OCR: the scan embedded in the PDF when the page is one, else a rendering.

A scanned page is usually one image placed over the whole page. Its own pixels are the best there are
(native resolution, no resampling) and decoding them is faster than rendering, so they are used when the
placement is simple and a thumbnail rendering of the page confirms they look like the page (this catches
inverted /Decode arrays, masks and odd colour spaces); anything else is rendered at ``settings.render_dpi``.
Images and renderings are kept within ``settings.max_page_pixels``.
"""

from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass, field

import cv2
import numpy as np
import pymupdf

from pipeline.config import Settings

FULL_PAGE = 0.9  # an image covering this share of the page is "the page"
THUMB_DPI = 24
THUMB_MAX_DIFF = 40.0  # mean grey difference (0–255) above which the embedded image is not what prints


@dataclass
class PageImageData:
    grey: np.ndarray
    scale: float  # pixels per PDF point
    origin: str  # 'embedded' or 'rendered'
    ox: float = 0.0  # PDF point at the image's top-left corner
    oy: float = 0.0
    warnings: list[str] = field(default_factory=list)
    damage: list[str] = field(default_factory=list)  # what the image decoder said about broken image data

    @property
    def dpi(self) -> float:
        return round(self.scale * 72.0, 2)


def page_image(doc: pymupdf.Document, page: pymupdf.Page, settings: Settings) -> PageImageData:
    """The page as a grey uint8 image: its embedded scan if that is the page, else rendered."""
    warnings: list[str] = []
    damage: list[str] = []
    full = _full_page_image(page)
    if full is not None:
        xref, bbox, w, h, stored_as = full
        if w * h > settings.max_page_pixels:
            warnings.append(
                f"page image is {w}×{h} px ({w * h / 1e6:.0f} Mpx), over max_page_pixels="
                f"{settings.max_page_pixels} (JUESUAN_MAX_PAGE_PIXELS); rendered smaller instead"
            )
        else:
            grey = _decode(doc, xref, stored_as, damage)
            if grey is not None and _looks_like_page(page, grey, bbox):
                sx, sy = grey.shape[1] / bbox.width, grey.shape[0] / bbox.height
                if abs(sx - sy) <= 0.02 * max(sx, sy):
                    return PageImageData(grey, (sx + sy) / 2, "embedded", bbox.x0, bbox.y0, warnings, damage)
    return _render(page, settings, warnings, damage)


def _full_page_image(page: pymupdf.Page) -> tuple[int, pymupdf.Rect, int, int, str] | None:
    """(xref, bbox, width px, height px, filter) of the one upright, unmasked image covering the page, if any.

    ``get_image_info(xrefs=True)`` would decode every image to hash it (400 MB for a 20000² scan), so the
    xref is found instead among the page's images by its pixel size.
    """
    if page.rotation:
        return None
    area = abs(page.rect)
    big = [i for i in page.get_image_info() if abs(pymupdf.Rect(i["bbox"]) & page.rect) >= FULL_PAGE * area]
    if len(big) != 1:
        return None
    info = big[0]
    a, b, c, d, _, _ = info["transform"]
    if not (a > 0 and d > 0 and abs(b) < 1e-3 * a and abs(c) < 1e-3 * d) or info.get("has-mask"):
        return None
    w, h = int(info["width"]), int(info["height"])
    found = {
        (img[0], img[8]) for img in page.get_images(full=True) if (img[2], img[3]) == (w, h) and not img[1]
    }
    if len(found) != 1:
        return None
    ((xref, stored_as),) = found
    return xref, pymupdf.Rect(info["bbox"]), w, h, stored_as


def _decode(doc: pymupdf.Document, xref: int, stored_as: str, damage: list[str]) -> np.ndarray | None:
    """The image's own pixels in grey; the decoder's complaints about broken data are added to ``damage``.

    A JPEG (or JPEG 2000) is a file inside the PDF: cv2 decodes it straight to grey. Anything else (Flate,
    CCITT, JBIG2 …) goes through MuPDF's decoder; ``extract_image`` would re-encode it as PNG first.
    """
    if stored_as in ("DCTDecode", "JPXDecode"):
        try:
            data = doc.extract_image(xref).get("image")
        except (RuntimeError, ValueError):
            data = None
        if data:
            grey, complaints = _imdecode_grey(data)
            if complaints:
                damage.append(complaints)
            if grey is not None and grey.size:
                return grey
    try:
        pix = pymupdf.Pixmap(doc, xref)
        if pix.n - pix.alpha != 1:
            pix = pymupdf.Pixmap(pymupdf.csGRAY, pix)
        if pix.alpha:
            pix = pymupdf.Pixmap(pix, 0)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()
    except (RuntimeError, ValueError):
        return None


def _imdecode_grey(data: bytes) -> tuple[np.ndarray | None, str]:
    """cv2's decode of an image file to grey, and what its decoder printed about the data.

    libjpeg inside OpenCV prints "Corrupt JPEG data: …" straight to the process's stderr (fd 2), where it
    names no file and no page; it is caught here (wurlitzer) and returned, and anything else that reached
    stderr meanwhile (another thread's output) is passed on.
    """
    from wurlitzer import pipes

    captured = io.StringIO()
    flags = cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION  # PDF viewers ignore EXIF rotation
    with pipes(stdout=None, stderr=captured):
        grey = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    complaints, others = [], []
    for line in captured.getvalue().splitlines(keepends=True):
        (complaints if "JPEG" in line or "jpeg" in line else others).append(line)
    if others:
        sys.stderr.write("".join(others))
    return grey, "; ".join(dict.fromkeys(c.strip() for c in complaints))


def _looks_like_page(page: pymupdf.Page, grey: np.ndarray, bbox: pymupdf.Rect) -> bool:
    """Whether the decoded image matches a thumbnail rendering of its place on the page."""
    thumb = page.get_pixmap(dpi=THUMB_DPI, colorspace=pymupdf.csGRAY, clip=bbox)
    t = np.frombuffer(thumb.samples, np.uint8).reshape(thumb.h, thumb.w).astype(np.float32)
    if t.size == 0:
        return False
    small = cv2.resize(grey, (thumb.w, thumb.h), interpolation=cv2.INTER_AREA).astype(np.float32)
    return float(np.mean(np.abs(small - t))) <= THUMB_MAX_DIFF


def _render(page: pymupdf.Page, settings: Settings, warnings: list[str], damage: list[str]) -> PageImageData:
    """The page rendered in grey at render_dpi, or at the dpi that keeps it within max_page_pixels."""
    dpi = float(settings.render_dpi)
    w_in, h_in = page.rect.width / 72.0, page.rect.height / 72.0
    if w_in * h_in * dpi * dpi > settings.max_page_pixels:
        dpi = math.sqrt(settings.max_page_pixels / (w_in * h_in)) * 0.999
        warnings.append(
            f"page is {page.rect.width:.0f}×{page.rect.height:.0f} pt; rendered at {dpi:.0f} dpi instead of "
            f"{settings.render_dpi} to stay within max_page_pixels={settings.max_page_pixels}"
        )
    zoom = dpi / 72.0
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()
    return PageImageData(grey, zoom, "rendered", page.rect.x0, page.rect.y0, warnings, damage)
