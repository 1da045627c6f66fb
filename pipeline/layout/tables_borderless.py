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
_LONE_ROW = 4


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


def borderless_grid(
    chars: list[Char], top: float, bottom: float, gap: float | None = None, gutter: float | None = None
) -> Grid | None:
    """The grid of an unruled table whose rows lie between ``top`` and ``bottom`` (PDF points), or None when
    the text there does not line up into at least three columns with two rows of amounts. ``gap`` splits a
    row into words, ``gutter`` is the narrowest space between columns (both default to the text's size)."""
    inside = [c for c in chars if top < c.cy < bottom]
    rows = _rows(inside)
    if len(rows) < _MIN_BODY:
        return None
    h = statistics.median(c.h for c in inside) or 1.0
    words = [_words(r, 0.9 * h if gap is None else gap) for r in rows]
    counts = [sum(bool(_AMOUNT.match(_text(w))) for w in ws) for ws in words]
    body = [i for i, n in enumerate(counts) if n >= 2]
    if len(body) < _MIN_BODY and not (len(body) == 1 and counts[body[0]] >= _LONE_ROW):
        return None  # two rows of amounts, or one row of many (三公 prints a single row)
    first, last = body[0], body[-1]
    # header rows: up to three text rows right above the first amount row
    start = first
    while start > 0 and first - start < 3 and rows[start - 1][0].cy > rows[start][0].cy - 3 * h:
        start -= 1
    spans = [(w[0].bbox[0], w[-1].bbox[2]) for i in body for w in words[i]]
    x0, x1 = min(s[0] for s in spans), max(s[1] for s in spans)
    bounds = _gutters(spans, x0, x1, 0.5 * h if gutter is None else gutter)
    if len(bounds) - 1 < _MIN_COLS:
        return None
    kept = rows[start:last + 1]
    ys = [kept[0][0].bbox[1] - 0.3 * h]
    for a, b in zip(kept, kept[1:], strict=False):
        ys.append((max(c.bbox[3] for c in a) + min(c.bbox[1] for c in b)) / 2)
    ys.append(max(c.bbox[3] for c in kept[-1]) + 0.3 * h)
    n_cols = len(bounds) - 1
    cells: list[GridCell] = []
    above: list[GridCell] | None = None
    for r in range(len(ys) - 1):
        spans = _header_spans(r, words[start + r], bounds, above) if start + r < first else []
        above = spans if start + r < first else above
        cells += spans
        covered = {k for c in spans for k in range(c.col, c.col + c.colspan)}
        cells += [GridCell(r, k) for k in range(n_cols) if k not in covered]
    return Grid(xs=bounds, ys=ys, cells=sorted(cells, key=lambda c: (c.row, c.col)))


def word_locator(chars: list[Char], gap: float | None = None):
    """Where to file each character of an unruled table: at its word's first character, so a header word
    that runs a little past the columns it stands over stays in one cell (费 of 公务用车运行维护费 would
    otherwise land under 公务接待费)."""
    at: dict[int, tuple[float, float]] = {}
    rows = _rows(chars)
    h = statistics.median(c.h for c in chars) if chars else 1.0
    for row in rows:
        for word in _words(row, 0.9 * h if gap is None else gap):
            for c in word:
                at[id(c)] = (word[0].cx, c.cy)
    return lambda c: at.get(id(c), (c.cx, c.cy))


def _header_spans(
    row: int, row_words: list[list[Char]], bounds: list[float], above: list[GridCell] | None
) -> list[GridCell]:
    """A header word stands over the columns from the one it starts in up to where the next word starts, as
    a merged cell would (合计 over 预算数 | 决算数); the last word of a row reaches as far as the word above
    it does (the whole table's width in the top row). One cell per word, so its text reaches each column."""
    n = len(bounds) - 1
    starts = []
    for w in row_words:
        cols = [k for k in range(n) if w[0].cx < bounds[k + 1] and w[-1].cx > bounds[k]]
        if cols and (not starts or cols[0] > starts[-1][0]):
            starts.append((cols[0], cols[-1]))
    out = []
    for i, (a, b) in enumerate(starts):
        if i + 1 < len(starts):
            end = starts[i + 1][0] - 1
        elif above is None:
            end = n - 1
        else:
            end = next((c.col + c.colspan - 1 for c in above if c.col <= a < c.col + c.colspan), b)
        if end > a:
            out.append(GridCell(row, a, 1, end - a + 1))
    return out


def _gutters(spans: list[tuple[float, float]], x0: float, x1: float, width: float) -> list[float]:
    """Column boundaries: the middle of every x range at least ``width`` wide that no word covers."""
    covered = sorted(spans)
    bounds = [x0 - width]
    reach = covered[0][1]
    for a, b in covered[1:]:
        if a - reach >= width:
            bounds.append((a + reach) / 2)
        reach = max(reach, b)
    bounds.append(x1 + width)
    return bounds
