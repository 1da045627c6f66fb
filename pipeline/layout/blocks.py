"""Visual rows of text and the paragraphs they make, outside tables, without running headers and page numbers.

A row is every line sitting at one height (MuPDF and OCR both cut a row into pieces: "目" "录", "第一部分"
"中共…概况"). Paragraphs are rows joined while the text runs on: a new one starts at an indented row, after
a row that stops short of the right margin, after an unusual gap, or at a heading.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.document import BBox, Line, Page, PageKind

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,3}(\s*页)?(\s*[/共]\s*\d{1,3}\s*页?)?[-—–\s]*$")
SENTENCE_END = "。！？!?；;：:"
_MARGIN_BAND = 0.08  # running headers and footers live in the top and bottom 8% of a page


@dataclass
class Row:
    page: int
    bbox: BBox  # on the page, in PDF points (what blocks report)
    text: str
    h: float  # typical character height (points); 0 for plain text
    source_lines: tuple[int, int] | None = None
    geo: BBox = (0.0, 0.0, 0.0, 0.0)  # in the straightened page: what indents and margins are read from

    def __post_init__(self) -> None:
        if self.geo == (0.0, 0.0, 0.0, 0.0):
            self.geo = self.bbox

    @property
    def plain(self) -> bool:
        return self.h == 0


def page_rows(page: Page, skip: Callable[[BBox], bool] | None = None,
              straight: Callable[[Line], BBox] | None = None) -> list[Row]:
    """Rows of a page top to bottom, leaving out lines ``skip`` says belong elsewhere (in a table).

    ``straight`` maps a box on a scanned page into the deskewed image (in points): on a page scanned 1°
    off, the left margin drifts by 14 points from top to bottom, as much as a paragraph's indent."""
    if page.kind == PageKind.NONE:
        return [
            Row(page.number, ln.bbox, ln.text, 0.0, (ln.source_line or 0, ln.source_line or 0))
            for ln in page.lines
        ]
    placed = [(ln, straight(ln) if straight else ln.bbox) for ln in page.lines
              if ln.text.strip() and not (skip and skip(ln.bbox))]
    placed.sort(key=lambda p: (p[1][1] + p[1][3]) / 2)
    groups: list[list] = []
    for ln, geo in placed:
        cy, h = (geo[1] + geo[3]) / 2, geo[3] - geo[1]
        if groups:
            g = groups[-1]
            gcy = sum((x[1][1] + x[1][3]) / 2 for x in g) / len(g)
            if abs(cy - gcy) <= 0.45 * max(h, g[0][1][3] - g[0][1][1]):
                g.append((ln, geo))
                continue
        groups.append([(ln, geo)])
    rows = []
    for g in groups:
        g.sort(key=lambda p: p[1][0])
        h = statistics.median(geo[3] - geo[1] for _, geo in g)
        text = g[0][0].text
        for (_, a), (ln, b) in zip(g, g[1:], strict=False):
            text += (" " if b[0] - a[2] > 0.5 * h else "") + ln.text
        rows.append(Row(page.number, union([ln.bbox for ln, _ in g]), text, h, geo=union([geo for _, geo in g])))
    return rows


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", unicodedata.normalize("NFKC", text).replace(" ", ""))


def drop_running(rows: dict[int, list[Row]], pages: dict[int, Page]) -> None:
    """Remove page numbers and headers/footers repeated on several pages (in the top/bottom margins)."""
    def in_band(r: Row) -> bool:
        hgt = pages[r.page].height
        return hgt > 0 and (r.bbox[3] < hgt * _MARGIN_BAND * 1.5 or r.bbox[1] > hgt * (1 - _MARGIN_BAND * 1.5))

    counts = Counter(_running_key(r.text) for rs in rows.values() for r in rs if not r.plain and in_band(r))
    n_pages = max(1, sum(1 for p in pages.values() if p.kind != PageKind.NONE))
    repeat = max(3, int(0.3 * n_pages))
    for number, rs in rows.items():
        rows[number] = [
            r for r in rs
            if r.plain or not in_band(r)
            or not (_PAGE_NUMBER.match(r.text) or counts[_running_key(r.text)] >= repeat)
        ]


@dataclass(frozen=True)
class Metrics:
    """The body text's geometry, for telling a wrapped line from a paragraph's end."""

    left: float
    right: float
    pitch: float  # distance from one body line to the next


def metrics(rows: list[Row]) -> Metrics:
    body = [r for r in rows if not r.plain]
    if not body:
        return Metrics(0, 0, 0)
    lefts = Counter(round(r.geo[0]) for r in body)
    common = [x for x, n in lefts.items() if n >= max(2, lefts.most_common(1)[0][1] // 4)]
    left = float(min(common or lefts))
    rights = sorted(r.geo[2] for r in body)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 1 else rights[0]
    gaps = [b.geo[1] - a.geo[1] for a, b in zip(body, body[1:], strict=False)
            if a.page == b.page and 0 < b.geo[1] - a.geo[1] < 4 * a.h]
    pitch = statistics.median(gaps) if gaps else 2 * statistics.median(r.h for r in body)
    return Metrics(left, right, pitch)


def page_metrics(rows: list[Row]) -> dict[int, Metrics]:
    """Margins per page (a scan sits a little differently on each), the document's where a page has
    too few lines of body text to tell; the line pitch is the document's."""
    whole = metrics(rows)
    out: dict[int, Metrics] = {}
    for page in sorted({r.page for r in rows}):
        own = [r for r in rows if r.page == page and not r.plain]
        m = metrics(own) if len(own) >= 6 else whole
        out[page] = Metrics(m.left, m.right, whole.pitch)
    return out


def runs_on(prev: Row, row: Row, m: Metrics, prev_m: Metrics | None = None) -> bool:
    """Does ``row`` continue the paragraph ``prev`` ended on? ``m``: the metrics of ``row``'s page,
    ``prev_m`` those of ``prev``'s (when the paragraph crosses a page break)."""
    prev_m = prev_m or m
    if prev.plain or row.plain:
        # Plain text: one line is one paragraph, except a line an OCR or export broke mid-sentence.
        t = prev.text.rstrip()
        return len(t) >= 20 and t[-1] not in SENTENCE_END and not row.text.lstrip().startswith(("-", "*"))
    h = max(prev.h, row.h, 1.0)
    if row.page != prev.page:
        return prev.geo[2] >= prev_m.right - 1.5 * h and row.geo[0] <= m.left + 0.8 * h
    if row.geo[1] - prev.geo[1] > 1.6 * max(m.pitch, h):
        return False
    if prev.geo[2] < m.right - 1.5 * h:  # the previous line stopped short: its paragraph ended,
        # unless it stops mid-sentence a little short (an OCR box loses a scan's last glyph or two)
        mid_sentence = prev.text.rstrip()[-1:] not in SENTENCE_END + "）)”\"" and len(prev.text.strip()) >= 12
        if not (mid_sentence and prev.geo[2] >= m.right - 4 * h):
            return False
    return row.geo[0] <= m.left + 0.8 * h  # an indented row opens a new paragraph


def join_rows(rows: list[Row]) -> str:
    """A paragraph's text: wrapped CJK lines join without a space; Latin or digits on both sides get one."""
    out = rows[0].text
    for r in rows[1:]:
        a, b = out[-1:], r.text[:1]
        out += (" " if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and not r.plain else "") + r.text
    return out


def union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
