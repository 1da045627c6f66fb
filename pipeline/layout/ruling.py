"""Ruling lines of a scanned page image, and the grids they form (in pixels of a straightened image).

Morphology (an opening with a long thin kernel) keeps runs longer than any glyph stroke, so text drops out
and table lines stay. Ingestion has already deskewed the page, but a residual tilt of a few tenths of a
degree moves a long line by many pixels from end to end; it is measured on the long horizontal lines and
undone here, and :class:`Straighten` carries that small rotation so characters can follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.layout.grid import Grid, GridParams, Seg, build_grids, merge_segments

_MIN_TILT_DEG = 0.05  # below this a line drifts < 1.5 px across a page: not worth a rotation
_MAX_TILT_DEG = 3.0  # more than this is not residual skew but something else: leave it


@dataclass(frozen=True)
class Straighten:
    """The residual rotation applied to the raster before grid finding: raster px -> work px and back."""

    angle_deg: float = 0.0
    cx: float = 0.0
    cy: float = 0.0

    def forward(self, x: float, y: float) -> tuple[float, float]:
        return _rotate(x, y, self.cx, self.cy, -self.angle_deg)

    def back(self, x: float, y: float) -> tuple[float, float]:
        return _rotate(x, y, self.cx, self.cy, self.angle_deg)


def _rotate(x: float, y: float, cx: float, cy: float, deg: float) -> tuple[float, float]:
    if not deg:
        return x, y
    a = math.radians(deg)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink = 255: darker than its neighbourhood (uneven lighting, grey paper) and than the page's Otsu
    level plus a margin (so speckle on a light background is not ink); a light blur first for grain."""
    blur = cv2.GaussianBlur(grey, (3, 3), 0)
    otsu, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    local = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    dark = (blur < min(otsu + 25, 235)).astype(np.uint8) * 255
    return cv2.bitwise_and(local, dark)


def _line_mask(ink: np.ndarray, horizontal: bool, run: int, bridge: int) -> np.ndarray:
    """Ink in runs of at least ``run`` px along one direction, after closing breaks up to ``bridge`` px."""
    k = (lambda n: (n, 1)) if horizontal else (lambda n: (1, n))
    m = ink
    if bridge > 1:
        m = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, k(bridge)))
    return cv2.morphologyEx(m, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, k(run)))


def _blobs(mask: np.ndarray) -> list[np.ndarray]:
    """Outer contours of the mask's blobs (cheaper than labelling on a sparse page-size mask)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return list(contours)


def _tilt(blobs: list[np.ndarray], width: int) -> float:
    """Median angle (degrees, y down) of the long horizontal lines."""
    angles: list[float] = []
    for c in blobs:
        x, _y, w, _h = cv2.boundingRect(c)
        if w < width * 0.25:
            continue
        vx, vy, _, _ = cv2.fitLine(c, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        angles.append(math.degrees(math.atan2(vy, vx)) if vx > 0 else math.degrees(math.atan2(-vy, -vx)))
    return float(np.median(angles)) if angles else 0.0


def _segments(blobs: list[np.ndarray], horizontal: bool, min_len: int) -> list[Seg]:
    out: list[Seg] = []
    for c in blobs:
        x, y, w, h = cv2.boundingRect(c)
        if horizontal and w >= min_len:
            out.append(Seg(y + h / 2, float(x), float(x + w)))
        elif not horizontal and h >= min_len:
            out.append(Seg(x + w / 2, float(y), float(y + h)))
    return out


def scan_params(dpi: float) -> GridParams:
    return GridParams(tol=max(3.0, dpi * 0.025), gap=max(6.0, dpi * 0.08), min_cell=max(8.0, dpi * 0.08))


def image_grids(grey: np.ndarray, dpi: float) -> tuple[list[Grid], Straighten]:
    """Table grids of a page image (pixels of the straightened image) and the straightening applied.

    Lines are runs longer than two body-size CJK glyphs side by side (0.3 in), found without closing
    first: closing would bridge a glyph stroke to a ruling line and on to the glyph in the next row. Breaks
    from scan noise are bridged later, between the segments found."""
    run = max(25, int(dpi * 0.3))
    ink = binarize(grey)
    hblobs = _blobs(_line_mask(ink, True, run, 1))
    straight = Straighten()
    tilt = _tilt(hblobs, grey.shape[1])
    if _MIN_TILT_DEG <= abs(tilt) <= _MAX_TILT_DEG:
        cy, cx = (grey.shape[0] - 1) / 2, (grey.shape[1] - 1) / 2
        m = cv2.getRotationMatrix2D((cx, cy), tilt, 1.0)
        ink = cv2.warpAffine(ink, m, (grey.shape[1], grey.shape[0]), flags=cv2.INTER_NEAREST)
        hblobs = _blobs(_line_mask(ink, True, run, 1))
        straight = Straighten(tilt, cx, cy)
    hsegs = _segments(hblobs, True, run)
    if len(hsegs) < 2:
        return [], straight
    params = scan_params(dpi)
    vsegs = _segments(_blobs(_line_mask(ink, False, run, 1)), False, run)
    vsegs += _band_verticals(ink, merge_segments(hsegs, params.tol, params.gap), params, dpi)
    tol = int(max(2, dpi * 0.015))

    def covered(horizontal: bool, pos: float, a: float, b: float) -> bool:
        """Is a line drawn here? Read off the ink, so that the line of a single low row (too short for the
        opening) still counts. The best 2-px line near ``pos`` must be inked along 80% of the interval
        and at both ends: a true ruling runs from line to line, while the text of a merged cell that a
        missing boundary passes through stops short of the cell's borders."""
        lo, hi = int(a), int(b) + 1
        c = int(round(pos))
        band = ink[c - tol - 1:c + tol + 2, lo:hi] if horizontal else ink[lo:hi, c - tol - 1:c + tol + 2].T
        if band.shape[0] < 2 or band.shape[1] < 4:
            return False
        inked = band > 0
        lines = inked[:-1] | inked[1:]
        best = lines[int(lines.mean(axis=1).argmax())]
        k = max(2, len(best) * 15 // 100)
        return best.mean() >= 0.8 and best[:k].mean() >= 0.8 and best[-k:].mean() >= 0.8

    return build_grids(hsegs, vsegs, params, covered), straight


def _longest_gap(column: np.ndarray) -> int:
    """Longest run of uninked pixels."""
    if column.all():
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate(([1], column.astype(np.int8), [1]))))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else len(column)


def _band_verticals(ink: np.ndarray, hlines: list[Seg], p: GridParams, dpi: float) -> list[Seg]:
    """Vertical rulings that join one horizontal line to a next one below, however short.

    The opening misses the verticals of a table one row high (a continuation's last row) or of low rows;
    between two rulings a true vertical is inked from line to line, while a glyph stroke never touches
    either line."""
    out: list[Seg] = []
    lines = sorted(hlines, key=lambda s: s.pos)
    max_band = dpi * 1.5
    max_gap = max(2, int(dpi * 0.02))  # a break from noise; a glyph sits further from the lines than this
    for i, a in enumerate(lines):
        below = 0
        for b in lines[i + 1:]:
            if b.pos - a.pos > max_band or below >= 3:
                break
            lo, hi = int(max(a.a, b.a)), int(min(a.b, b.b))
            if b.pos - a.pos < p.min_cell or hi - lo < p.min_cell:
                continue
            below += 1
            band = ink[int(a.pos):int(b.pos) + 1, lo:hi] > 0
            if band.shape[1] < 3:
                continue
            thin = band[:, :-2] | band[:, 1:-1] | band[:, 2:]
            cols = np.flatnonzero(thin.mean(axis=0) >= 0.9)
            cols = [c for c in cols if _longest_gap(thin[:, c]) <= max_gap]
            if not cols:
                continue
            cols = np.asarray(cols)
            runs = np.split(cols, np.flatnonzero(np.diff(cols) > 1) + 1)
            out.extend(Seg(lo + 1 + float(r.mean()), a.pos, b.pos) for r in runs)
    return out
