"""Per-character boxes for an OCR line from whatever word boxes an engine reports.

Engines report boxes per character for CJK and per word or per run for digits and Latin letters, and leave
spaces out. Quotes need one box per character of the line text, so runs are split evenly, pieces are aligned
to the text, and a line whose pieces do not match its text falls back to boxes spread by character width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from pipeline.document import BBox

Piece = tuple[str, BBox]


def quad_to_bbox(points: Iterable[Sequence[float]]) -> BBox:
    pts = [(float(p[0]), float(p[1])) for p in points]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def split_box(box: BBox, n: int) -> list[BBox]:
    """``n`` equal slices of a box, left to right."""
    x0, y0, x1, y1 = box
    w = (x1 - x0) / max(n, 1)
    return [(x0 + i * w, y0, x0 + (i + 1) * w, y1) for i in range(n)]


def _char_weight(c: str) -> float:
    if c.isspace():
        return 0.35
    return 1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.55


def spread_boxes(text: str, box: BBox) -> list[BBox]:
    """Boxes for ``text`` laid across ``box`` in proportion to how wide each character usually prints."""
    weights = [_char_weight(c) for c in text]
    total = sum(weights) or 1.0
    x0, y0, x1, y1 = box
    out, x = [], x0
    for wgt in weights:
        step = (x1 - x0) * wgt / total
        out.append((x, y0, x + step, y1))
        x += step
    return out


def align_char_boxes(text: str, pieces: Sequence[Piece], line_box: BBox) -> list[BBox]:
    """One box per character of ``text``, taken from ``pieces`` (text, box) where they spell the text.

    Spaces get a box spanning the gap between their neighbours; if the pieces do not spell the text
    (engines sometimes drop or merge characters), the whole line falls back to :func:`spread_boxes`.
    """
    chars: list[tuple[str, BBox]] = []
    for piece_text, box in pieces:
        piece_text = piece_text.replace(" ", "")
        if piece_text:
            chars.extend(zip(piece_text, split_box(box, len(piece_text)), strict=True))
    if "".join(c for c, _ in chars) != "".join(text.split()):
        return spread_boxes(text, line_box)
    it = iter(chars)
    boxes: list[BBox | None] = [None if c.isspace() else next(it)[1] for c in text]
    _, ly0, _, ly1 = line_box
    for i, b in enumerate(boxes):
        if b is None:
            left = next((boxes[j] for j in range(i - 1, -1, -1) if boxes[j] is not None), None)
            right = next((boxes[j] for j in range(i + 1, len(boxes)) if boxes[j] is not None), None)
            x0 = left[2] if left else line_box[0]
            x1 = right[0] if right else line_box[2]
            boxes[i] = (x0, ly0, max(x0, x1), ly1)
    return [b for b in boxes if b is not None]
