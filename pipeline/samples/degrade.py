"""Make a clean page image look scanned: skew, toner blur, paper tone, uneven light, specks, JPEG.

Every effect is mild enough that OCR still reads every digit (the tests check this); the randomness comes
from a generator seeded per page, so the same seed gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class ScanLook:
    """One scanner/paper combination, shared by all pages of a report."""

    paper: float  # paper brightness, 0..1
    tint: tuple[float, float, float] | None  # RGB multiplier for yellowed paper; None = grey scan
    blur: float  # toner spread, sigma in px
    ink: float  # darkest ink level, 0..1
    noise: float  # sensor noise sigma, grey levels
    specks: int  # dust specks per page
    light: float  # brightness drop across the page from the lighting gradient
    quality: int  # JPEG quality
    max_skew: float = 1.5


def choose_look(rng: np.random.Generator) -> ScanLook:
    yellow = rng.random() < 0.35
    return ScanLook(
        paper=float(rng.uniform(0.86, 0.95)),
        tint=(1.0, float(rng.uniform(0.96, 0.98)), float(rng.uniform(0.84, 0.9))) if yellow else None,
        blur=float(rng.uniform(0.45, 0.7)),
        ink=float(rng.uniform(0.08, 0.2)),
        noise=float(rng.uniform(1.2, 2.2)),
        specks=int(rng.integers(40, 160)),
        light=float(rng.uniform(0.04, 0.09)),
        quality=int(rng.integers(58, 66)),
    )


def scan(clean: Image.Image, look: ScanLook, rng: np.random.Generator, dpi: int) -> tuple[bytes, float]:
    """Degrade one page; returns the JPEG bytes and the skew angle applied (degrees, counter-clockwise)."""
    ink = 1.0 - np.asarray(clean, dtype=np.float32) / 255.0  # 1 = full ink
    h, w = ink.shape
    ink = cv2.GaussianBlur(ink, (0, 0), look.blur)
    # toner varies a little across the page
    toner = cv2.resize(
        rng.uniform(0.85, 1.0, (6, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    ink = np.clip(ink * toner, 0, 1)
    angle = float(rng.uniform(-look.max_skew, look.max_skew))
    shift = rng.uniform(-4, 4, 2)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += shift
    ink = cv2.warpAffine(
        ink, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    paper = _paper(look, rng, w, h)
    grey = paper * (1.0 - ink * (1.0 - look.ink))
    grey = grey * 255.0 + rng.normal(0, look.noise, (h, w)).astype(np.float32)
    _specks(grey, ink, look, rng)
    grey_u8 = np.clip(grey, 0, 255).astype(np.uint8)
    if look.tint is None:
        img = Image.fromarray(grey_u8, "L")
        subsampling = 0
    else:
        rgb = np.stack([grey_u8.astype(np.float32) * t for t in look.tint], axis=-1)
        img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
        subsampling = 2  # 4:2:0, the chroma is nearly flat
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=look.quality, subsampling=subsampling, optimize=True, dpi=(dpi, dpi))
    return buf.getvalue(), angle


def _paper(look: ScanLook, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Paper tone with a soft lighting gradient, a faint texture and a darker band at one edge."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    g = (np.cos(theta) * xs / w + np.sin(theta) * ys / h).astype(np.float32)
    g = (g - g.min()) / max(float(g.max() - g.min()), 1e-6)
    paper = look.paper * (1.0 - look.light * g)
    texture = cv2.resize(rng.normal(0, 0.005, (h // 60, w // 60)).astype(np.float32), (w, h),
                         interpolation=cv2.INTER_CUBIC)  # fmt: skip
    paper = paper + texture
    edge = int(rng.integers(0, 4))
    band = int(w * rng.uniform(0.01, 0.025))
    shade = np.linspace(0.8, 1.0, band, dtype=np.float32)
    if edge == 0:
        paper[:, :band] *= shade[None, :]
    elif edge == 1:
        paper[:, w - band :] *= shade[None, ::-1]
    elif edge == 2:
        paper[:band, :] *= shade[:, None]
    else:
        paper[h - band :, :] *= shade[::-1, None]
    return paper.astype(np.float32)


def _specks(grey: np.ndarray, ink: np.ndarray, look: ScanLook, rng: np.random.Generator) -> None:
    """Dust on the glass; a speck that would touch a glyph is dropped, so no digit is changed (a '6.54'
    read as '6:54' would make the gold wrong, not the OCR)."""
    h, w = grey.shape
    near_ink = cv2.dilate((ink > 0.05).astype(np.uint8), np.ones((9, 9), np.uint8))
    for _ in range(look.specks):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        if near_ink[y, x]:
            continue
        r = int(rng.choice([1, 1, 1, 1, 2, 2]))
        level = float(rng.uniform(40, 140))
        cv2.circle(grey, (x, y), r, level, -1)
