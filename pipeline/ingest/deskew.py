"""Find and undo the tilt of a scanned page.

A tilt of 0.6° drifts a table row by a full line height across an A4 page, so OCR lines merge rows and cells
pick up their neighbours' figures. Text lines and table rulings are horizontal on a straight page: the tilt
is the shear that makes the dark pixels' row profile sharpest.
"""

from __future__ import annotations

import cv2
import numpy as np

# Below this the page counts as straight: rotating costs a resampling blur for no gain in row separation.
MIN_SKEW_DEG = 0.05
MAX_POINTS = 250_000


def _dark_points(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of ink pixels (Otsu threshold), thinned out evenly to at most MAX_POINTS."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) > MAX_POINTS:
        step = len(xs) // MAX_POINTS + 1
        ys, xs = ys[::step], xs[::step]
    return xs.astype(np.float64), ys.astype(np.float64)


def _sharpness(xs: np.ndarray, ys: np.ndarray, angle_deg: float, height: int) -> float:
    """Sum of squared row counts after shearing the points by ``angle_deg``: peaks when rows line up."""
    rows = np.rint(ys + xs * np.tan(np.radians(angle_deg))).astype(np.int64)
    rows -= rows.min()
    counts = np.bincount(rows, minlength=height)
    return float(np.dot(counts, counts))


def estimate_skew(grey: np.ndarray, max_deg: float = 3.0) -> float:
    """Tilt of the page content in degrees, OpenCV's sign (positive = turned counter-clockwise on screen).

    0.0 when the page is straight within MIN_SKEW_DEG, blank, or shows no line structure.
    """
    if max_deg <= 0 or grey.size == 0:
        return 0.0
    xs, ys = _dark_points(grey)
    if len(xs) < 500:
        return 0.0
    h = grey.shape[0]

    def best(angles: np.ndarray) -> tuple[float, float]:
        scores = [_sharpness(xs, ys, a, h) for a in angles]
        i = int(np.argmax(scores))
        return float(angles[i]), scores[i]

    coarse, _ = best(np.arange(-max_deg, max_deg + 1e-9, 0.1))
    fine, score = best(np.arange(coarse - 0.1, coarse + 0.1 + 1e-9, 0.01))
    if abs(fine) < MIN_SKEW_DEG or score <= _sharpness(xs, ys, 0.0, h) * 1.02:
        return 0.0
    return round(fine, 2)


def rotate(grey: np.ndarray, angle_deg: float) -> np.ndarray:
    """``grey`` turned by ``angle_deg`` (OpenCV's sign) about its centre, same size, white where uncovered."""
    h, w = grey.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle_deg, 1.0)
    return cv2.warpAffine(
        grey, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
