"""The document's lines as one normalized character stream, each character pointing back to its line and box.

One index serves both readers of a document's text. The extraction finds the quotes the model returns in it
(NFKC, whitespace collapsed; with all whitespace removed as a fallback, since layout may join or split
wrapped lines differently from the text the model saw), and the span found gives the source its page, its
plain-text line and the union of its characters' boxes. The validator's grounding asks whether a figure's
quote starts on the page or plain-text line its source names (``starts_in``, ``runs_into``), comparing the
quote in ``normalize_text``'s form.

Word-export markers (``[bookmark: …]``, ``[image: …]``) are not text of the report: the stream leaves them out.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pipeline.document import BBox, Block, Document, Line
from pipeline.ocr.charboxes import split_box

Span = tuple[int, int]

_MARKERS = re.compile(r"\[(?:bookmark|image):[^\]]*\]")
_SPACE = re.compile(r"\s+")


def _nfkc_collapsed(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


try:  # the OCR stage's own normalization, so quotes and OCR text are compared in the very same form
    from pipeline.ocr.normalize import normalize_text as _ocr_normalize
except ImportError:  # pragma: no cover - OCR package not installed
    _ocr_normalize = _nfkc_collapsed


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """OCR's normalization (NFKC, whitespace collapsed), with ``[bookmark: …]``/``[image: …]`` markers removed."""
    return _ocr_normalize(_MARKERS.sub("", text))


@lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """Normalized text with no whitespace at all, for layouts that break or space words arbitrarily."""
    return _SPACE.sub("", normalize_text(text))


@dataclass(frozen=True)
class _LineRef:
    page: int
    line: Line
    start: int  # first stream position of the line's text
    end: int


class TextIndex:
    """Normalized text of every line of a document, with a map from each character to its line and offset."""

    def __init__(self, document: Document):
        self.document = document
        chars: list[str] = []
        owner: list[int] = []  # index into self.lines, -1 for the separator between lines
        offset: list[int] = []  # character index in the line's own text
        self.lines: list[_LineRef] = []
        self.pages: list[Span] = []  # the span of each page's text, in document order (start == end: no text)
        self.source_lines: dict[int, Span] = {}  # a plain-text line's number → its text's span
        for page in document.pages:
            first = len(self.lines)
            for line in page.lines:
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    owner.append(-1)
                    offset.append(-1)
                start = len(chars)
                k = len(self.lines)
                markers = [m.span() for m in _MARKERS.finditer(line.text)] if "[" in line.text else []
                for i, c in enumerate(line.text):
                    if markers and any(a <= i < b for a, b in markers):
                        continue
                    for n in unicodedata.normalize("NFKC", c):
                        if n.isspace():
                            if not chars or chars[-1] == " ":
                                continue
                            n = " "
                        chars.append(n)
                        owner.append(k)
                        offset.append(i)
                self.lines.append(_LineRef(page.number, line, start, len(chars)))
                if line.source_line is not None:
                    self.source_lines[line.source_line] = _trim(chars, start, len(chars))
            refs = self.lines[first:]
            self.pages.append(_trim(chars, refs[0].start, refs[-1].end) if refs else (len(chars), len(chars)))
        self.text = "".join(chars)
        self._owner = owner
        self._offset = offset
        keep = [i for i, c in enumerate(self.text) if c != " "]
        self.squeezed = "".join(self.text[i] for i in keep)
        self._sq_pos = keep  # squeezed index → stream index
        self._boxes: dict[int, list[BBox | None]] = {}

    # ---- regions ----

    def block_span(self, block: Block) -> Span | None:
        """Stream positions covered by a block's lines (by plain-text line span, else by box on its page)."""
        refs = self._block_lines(block)
        if not refs:
            return None
        return min(r.start for r in refs), max(r.end for r in refs)

    def _block_lines(self, block: Block) -> list[_LineRef]:
        if block.line_span is not None:
            lo, hi = block.line_span
            return [r for r in self.lines if r.line.source_line is not None and lo <= r.line.source_line <= hi]
        x0, y0, x1, y1 = block.bbox
        out = []
        for r in self._page_lines.get(block.page, []):
            bx0, by0, bx1, by1 = r.line.bbox
            cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
            if x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2:
                out.append(r)
        return out

    @cached_property
    def _page_lines(self) -> dict[int, list[_LineRef]]:
        out: dict[int, list[_LineRef]] = {}
        for r in self.lines:
            out.setdefault(r.page, []).append(r)
        return out

    def region(self, blocks: list[Block]) -> list[Span]:
        """Merged stream spans of some blocks; the whole text when none of them can be placed."""
        spans = sorted(s for s in (self.block_span(b) for b in blocks) if s is not None)
        merged: list[Span] = []
        for s, e in spans:
            if merged and s <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged or [(0, len(self.text))]

    # ---- search ----

    def find(self, quote: str, region: list[Span]) -> list[Span]:
        """Every place in the region where the quote occurs, compared without any whitespace."""
        q = "".join(unicodedata.normalize("NFKC", quote).split())
        if not q:
            return []
        out: list[Span] = []
        for s, e in region:
            lo = bisect.bisect_left(self._sq_pos, s)
            hi = bisect.bisect_left(self._sq_pos, e)
            i = self.squeezed.find(q, lo, hi)
            while i >= 0:
                out.append((self._sq_pos[i], self._sq_pos[i + len(q) - 1] + 1))
                i = self.squeezed.find(q, i + 1, hi)
        return out

    def starts_in(self, quote: str, span: Span) -> bool:
        """The quote (in ``normalize_text``'s form) occurs starting inside ``span``, running on past it or
        not: in the stream, else compared without any whitespace."""
        s, e = span
        if s < e:
            i = self.text.find(normalize_text(quote), s)
            if 0 <= i <= e:
                return True
        j = self.squeezed.find(squeeze(quote), self._squeezed_at(s))
        return 0 <= j <= self._squeezed_at(e)

    def runs_into(self, quote: str, before: Span, span: Span) -> bool:
        """The quote starts in ``before`` and runs on into ``span`` (a sentence across a page break)."""
        q, sq = normalize_text(quote), squeeze(quote)
        searches = [(self.squeezed, sq, self._squeezed_at(before[0]), self._squeezed_at(span[0]))]
        if before[0] < before[1] and span[0] < span[1]:
            searches.insert(0, (self.text, q, before[0], span[0]))
        for text, needle, lo, hi in searches:
            i = text.find(needle, lo)
            while 0 <= i < hi:
                if i + len(needle) > hi:
                    return True
                i = text.find(needle, i + 1)
        return False

    def _squeezed_at(self, pos: int) -> int:
        """The squeezed index of the first character at or after stream position ``pos``."""
        return bisect.bisect_left(self._sq_pos, pos)

    # ---- provenance ----

    def quote(self, span: Span) -> str:
        return self.text[span[0] : span[1]].strip()

    def original(self, span: Span) -> str:
        """The span as printed (before NFKC): each line's own characters, lines joined by nothing."""
        out: list[str] = []
        last: tuple[int, int] | None = None
        for pos in range(span[0], span[1]):
            k = self._owner[pos]
            if k < 0:
                continue
            key = (k, self._offset[pos])
            if key != last:
                out.append(self.lines[k].line.text[self._offset[pos]])
                last = key
        return "".join(out)

    def line_at(self, pos: int) -> _LineRef:
        k = self._owner[pos]
        if k < 0:
            k = self._owner[pos + 1] if pos + 1 < len(self._owner) else self._owner[pos - 1]
        return self.lines[k]

    def place(self, span: Span) -> tuple[int | None, int | None, BBox | None]:
        """(page, source line, box) of a span: where it starts, and its characters' box on that page."""
        s, e = span
        while s < e and self._owner[s] < 0:
            s += 1
        first = self.line_at(s)
        if first.line.source_line is not None:
            return None, first.line.source_line, None
        boxes: list[BBox] = []
        for pos in range(s, e):
            k = self._owner[pos]
            if k < 0 or self.lines[k].page != first.page:
                continue
            box = self._char_boxes(k)[self._offset[pos]]
            if box is not None:
                boxes.append(box)
        if not boxes:
            return first.page, None, first.line.bbox if _real(first.line.bbox) else None
        return first.page, None, _union(boxes)

    def _char_boxes(self, k: int) -> list[BBox | None]:
        """One box per character of line k's text, from its words' character boxes (or even slices)."""
        if k not in self._boxes:
            line = self.lines[k].line
            boxes: list[BBox | None] = [None] * len(line.text)
            cursor = 0
            for w in line.words:
                j = line.text.find(w.text, cursor)
                if j < 0 or not w.text:
                    continue
                wb = w.chars if w.chars and len(w.chars) == len(w.text) else split_box(w.bbox, len(w.text))
                for i, b in enumerate(wb):
                    boxes[j + i] = b
                cursor = j + len(w.text)
            if not line.words and _real(line.bbox):
                boxes = list(split_box(line.bbox, len(line.text)))
            self._boxes[k] = boxes
        return self._boxes[k]


def _trim(chars: list[str], start: int, end: int) -> Span:
    """A span without the space it may end with; a span of no text at all is (end, end)."""
    while end > start and chars[end - 1] == " ":
        end -= 1
    return (start, end) if end > start else (end, end)


def _real(box: BBox) -> bool:
    return box[2] > box[0] and box[3] > box[1]


def _union(boxes: list[BBox]) -> BBox:
    return (
        round(min(b[0] for b in boxes), 2),
        round(min(b[1] for b in boxes), 2),
        round(max(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
    )
