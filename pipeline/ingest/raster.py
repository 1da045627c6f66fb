"""A page image as ingestion leaves it (deskewed, grey) and the map from its pixels back to PDF points."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pipeline.document import BBox


@dataclass(frozen=True)
class PixelToPage:
    """Maps pixel coordinates of a deskewed page image to PDF points of the original page.

    The image shows the page region starting at ``(ox, oy)`` points, at ``scale`` pixels per point, and was
    then rotated by ``angle_deg`` about its centre ``(cx, cy)`` (pixels) to straighten it, in OpenCV's
    convention (``cv2.getRotationMatrix2D``: positive = counter-clockwise as displayed, y pointing down).
    This undoes both.
    """

    scale: float
    angle_deg: float = 0.0
    cx: float = 0.0
    cy: float = 0.0
    ox: float = 0.0
    oy: float = 0.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.angle_deg:
            # inverse of x' = cx + cos·dx + sin·dy, y' = cy − sin·dx + cos·dy (OpenCV's rotation)
            a = math.radians(self.angle_deg)
            dx, dy = x - self.cx, y - self.cy
            x = self.cx + dx * math.cos(a) - dy * math.sin(a)
            y = self.cy + dx * math.sin(a) + dy * math.cos(a)
        return self.ox + x / self.scale, self.oy + y / self.scale

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        """PDF points -> pixels of the deskewed image: the inverse of :meth:`point`."""
        px, py = (x - self.ox) * self.scale, (y - self.oy) * self.scale
        if self.angle_deg:
            a = math.radians(self.angle_deg)
            dx, dy = px - self.cx, py - self.cy
            px = self.cx + dx * math.cos(a) + dy * math.sin(a)
            py = self.cy - dx * math.sin(a) + dy * math.cos(a)
        return px, py

    def bbox(self, box: BBox) -> BBox:
        """Axis-aligned box in points around the four mapped corners of a pixel box."""
        x0, y0, x1, y1 = box
        pts = [self.point(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


@dataclass
class PageRaster:
    """The image OCR read (grey, uint8, deskewed) and how to map its pixels to the page."""

    page: int
    image: np.ndarray
    to_page: PixelToPage
