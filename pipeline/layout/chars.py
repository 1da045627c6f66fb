"""The characters of a page with a box each, whichever way the page's text was read.

Table cells are filled character by character, so that a line OCR ran across a cell border (or a text-layer
line that spans several cells) is split where the ruling is, and no page is read twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import BBox, Page


@dataclass(frozen=True)
class Char:
    text: str
    bbox: BBox
    line: int  # index of the Line on its page

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def h(self) -> float:
        return self.bbox[3] - self.bbox[1]


def _split(text: str, bbox: BBox) -> list[BBox]:
    """Even boxes across ``bbox`` when the reader gave no per-character boxes (a CJK glyph is one em)."""
    n = max(len(text), 1)
    x0, y0, x1, y1 = bbox
    w = (x1 - x0) / n
    return [(x0 + i * w, y0, x0 + (i + 1) * w, y1) for i in range(len(text))]


def page_chars(page: Page) -> list[Char]:
    """Every non-blank character of the page's lines, with its box in PDF points."""
    out: list[Char] = []
    for i, line in enumerate(page.lines):
        pieces = [(w.text, w.chars if w.chars and len(w.chars) == len(w.text) else _split(w.text, w.bbox))
                  for w in line.words] or [(line.text, _split(line.text, line.bbox))]
        for text, boxes in pieces:
            for ch, box in zip(text, boxes, strict=False):
                if not ch.isspace():
                    out.append(Char(ch, tuple(box), i))  # type: ignore[arg-type]
    return out


def compose(chars: list[Char]) -> str:
    """Text of characters that sit together (a cell): visual lines top to bottom, joined without a break,
    since a wrapped cell is one phrase; a space only between Latin/digit runs that stand apart."""
    if not chars:
        return ""
    hs = sorted(c.h for c in chars)
    h = hs[len(hs) // 2] or 1.0
    rows: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: c.cy):
        if rows and abs(c.cy - sum(x.cy for x in rows[-1]) / len(rows[-1])) <= 0.5 * h:
            rows[-1].append(c)
        else:
            rows.append([c])
    parts: list[str] = []
    for row in rows:
        row.sort(key=lambda c: c.cx)
        prev: Char | None = None
        for c in row:
            if (prev is not None and c.bbox[0] - prev.bbox[2] > 0.8 * h and prev.text[-1].isascii()
                    and prev.text[-1].isalnum() and c.text[0].isascii() and c.text[0].isalnum()):
                parts.append(" ")
            parts.append(c.text)
            prev = c
    return "".join(parts)
