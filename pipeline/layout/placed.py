"""Where a table piece sits on its page, in the frame its grid was found in.

On a scan the grid is straight only in the straightened image; its box in page points is the box around a
slightly turned rectangle and takes in the lines just above and below it (on an A4 landscape page 1° is
13 points at the far end). Whether a text line is in, above or below a table is therefore judged by
mapping the line's centre into the grid's own frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.document import BBox, Table
from pipeline.layout.grid import Grid

Locate = Callable[[float, float], tuple[float, float]]  # page points -> grid units


def identity(x: float, y: float) -> tuple[float, float]:
    return x, y


@dataclass
class Placed:
    table: Table  # the piece as found on its page (before stitching)
    grid: Grid
    locate: Locate

    def _centre(self, box: BBox) -> tuple[float, float]:
        return self.locate((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)

    def contains(self, box: BBox) -> bool:
        x, y = self._centre(box)
        x0, y0, x1, y1 = self.grid.bbox
        return x0 <= x <= x1 and y0 <= y <= y1

    def above(self, box: BBox) -> bool:
        """The box's centre is over the table's top line (a 单位 note may stand out to the right)."""
        return self._centre(box)[1] < self.grid.ys[0]

    def below(self, box: BBox) -> bool:
        return self._centre(box)[1] > self.grid.ys[-1]
