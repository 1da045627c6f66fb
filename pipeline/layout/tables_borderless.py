"""Tables printed without ruling lines: the grid from how the text lines up under a standard title.

Some born-digital reports (and some scans) print a table as aligned text with no strokes at all, so neither
the vector path nor the scanned ruling path finds it. Under a line that names one of the standard tables,
the characters are grouped into rows by height and into words by gaps; the columns are the gutters, the x
ranges that no word of the amount rows crosses. ``find_tables`` of PyMuPDF (strategy "text") was tried on
such pages: it merges a name column with the first amount column when names are short, and it does not
work on OCR'd pages at all; this reads the characters both paths already have.
"""

from __future__ import annotations

import re
import statistics

from pipeline.layout.chars import Char
from pipeline.layout.grid import Grid, GridCell

_AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$|^-?\d{1,3}(,\d{3})+$")
_MIN_COLS = 3
_MIN_BODY = 2


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters into text rows by their vertical centre."""
    if not chars:
        return []
    h = statistics.median(c.h for c in chars) or 1.0
    rows: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: c.cy):
        if rows and abs(c.cy - statistics.fmean(x.cy for x in rows[-1])) <= 0.5 * h:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(r, key=lambda c: c.bbox[0]) for r in rows]


def _words(row: list[Char], gap: float) -> list[list[Char]]:
    words: list[list[Char]] = []
    for c in row:
        if words and c.bbox[0] - words[-1][-1].bbox[2] <= gap:
            words[-1].append(c)
        else:
            words.append([c])
    return words


def _text(word: list[Char]) -> str:
    return "".join(c.text for c in word)


def borderless_grid(chars: list[Char], top: float, bottom: float) -> Grid | None:
    """The grid of an unruled table whose rows lie between ``top`` and ``bottom`` (PDF points), or None when
    the text there does not line up into at least three columns with two rows of amounts."""
    inside = [c for c in chars if top < c.cy < bottom]
    rows = _rows(inside)
    if len(rows) < _MIN_BODY:
        return None
    h = statistics.median(c.h for c in inside) or 1.0
    words = [_words(r, 0.9 * h) for r in rows]
    body = [i for i, ws in enumerate(words) if sum(bool(_AMOUNT.match(_text(w))) for w in ws) >= 2]
    if len(body) < _MIN_BODY:
        return None
    first, last = body[0], body[-1]
    # header rows: up to three text rows right above the first amount row
    start = first
    while start > 0 and first - start < 3 and rows[start - 1][0].cy > rows[start][0].cy - 3 * h:
        start -= 1
    spans = [(w[0].bbox[0], w[-1].bbox[2]) for i in body for w in words[i]]
    x0, x1 = min(s[0] for s in spans), max(s[1] for s in spans)
    bounds = _gutters(spans, x0, x1, h)
    if len(bounds) - 1 < _MIN_COLS:
        return None
    kept = rows[start:last + 1]
    ys = [kept[0][0].bbox[1] - 0.3 * h]
    for a, b in zip(kept, kept[1:], strict=False):
        ys.append((max(c.bbox[3] for c in a) + min(c.bbox[1] for c in b)) / 2)
    ys.append(max(c.bbox[3] for c in kept[-1]) + 0.3 * h)
    cells = [GridCell(r, k) for r in range(len(ys) - 1) for k in range(len(bounds) - 1)]
    return Grid(xs=bounds, ys=ys, cells=cells)


def _gutters(spans: list[tuple[float, float]], x0: float, x1: float, h: float) -> list[float]:
    """Column boundaries: the middle of every x range at least half a character wide that no word covers."""
    covered = sorted(spans)
    bounds = [x0 - 0.5 * h]
    reach = covered[0][1]
    for a, b in covered[1:]:
        if a - reach >= 0.5 * h:
            bounds.append((a + reach) / 2)
        reach = max(reach, b)
    bounds.append(x1 + 0.5 * h)
    return bounds
