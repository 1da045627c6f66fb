"""Grounding: a figure's quote must occur where it says (page, or line of a text source) and print its value.

Pages are matched by page number; plain-text documents by ``source_line`` (the quote starts on that line and
may run on for a few lines). Both sides are normalized the same way (``normalize_text``); when layout put
spaces inside words, a comparison with all whitespace removed is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache

from pipeline.document import Document
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.money import UNIT_SCALE
from pipeline.record.printed import Printed, Role, match_printed, misread_as, states_zero
from pipeline.validate.normalize import normalize_text, squeeze

_NUMERIC = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
_SPECKS = ".,·:：、'‘’\"`"  # OCR reads scan specks beside a cell as stray marks: ".719.97", "301.", "30301·"
_LABEL_PIECES = 4


def _pieces(token: str, text: str) -> int:
    """How many contiguous pieces of ``text`` spell ``token`` (greedy, longest first); large if none do."""
    n = i = 0
    while i < len(token):
        j = len(token)
        while j > i and token[i:j] not in text:
            j -= 1
        if j == i:
            return len(token) + 1
        n, i = n + 1, j
    return n


@dataclass(slots=True)
class SourceCheck:
    """What grounding found for one source of a figure."""

    source: Source
    located: bool | None  # the quote is at its page/line; None when there is no document to look in
    printed: Printed | None  # the number in the quote that states the value
    zero_in_words: bool  # a value of 0 stated as 无/没有/未发生
    misread: Role | None  # the value occurs in the quote only as a year, list number or code

    @property
    def states_value(self) -> bool:
        return self.printed is not None or self.zero_in_words

    @property
    def ok(self) -> bool:
        return self.located is not False and self.states_value


@dataclass(frozen=True)
class Grounding:
    checks: tuple[SourceCheck, ...]

    @property
    def ok(self) -> bool:
        """Every source is found and prints the value (a figure with no source is not grounded)."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def decimals(self) -> int | None:
        """Digits after the point as printed in the first source that prints the value."""
        return next((c.printed.decimals for c in self.checks if c.printed is not None), None)


class _Text:
    """One searchable text: normalized and squeezed, with each piece's offsets in both."""

    def __init__(self, pieces: list[str]):
        norm, sq = [], []
        self.spans: list[tuple[int, int, int, int]] = []
        n_pos = s_pos = 0
        for piece in pieces:
            a, b = normalize_text(piece), squeeze(piece)
            self.spans.append((n_pos, n_pos + len(a), s_pos, s_pos + len(b)))
            norm.append(a)
            sq.append(b)
            n_pos += len(a) + 1
            s_pos += len(b)
        self.norm = " ".join(norm)
        self.squeezed = "".join(sq)

    def starts_in(self, quote: str, first: int, last: int) -> bool:
        """The quote occurs starting in pieces first..last (inclusive)."""
        n0, n1, s0, s1 = self.spans[first][0], self.spans[last][1], self.spans[first][2], self.spans[last][3]
        i = self.norm.find(normalize_text(quote), n0)
        if 0 <= i <= n1:
            return True
        j = self.squeezed.find(squeeze(quote), s0)
        return 0 <= j <= s1

    def cells_near(self, quote: str, first: int, last: int) -> bool:
        """Every cell of a table-row quote occurs close together in pieces first..last, in any order.

        Layout may serialize a row's cells, and the lines of a wrapped cell, in another order than the
        quote: numbers and codes must occur as printed, a label may be spelled by up to
        ``_LABEL_PIECES`` pieces of nearby text.
        """
        cells = normalize_text(quote).split(" ")
        numbers = [c for c in cells if _NUMERIC.match(c)]
        labels = [c for c in cells if not _NUMERIC.match(c)]
        if not numbers:
            return False
        lo, hi = self.spans[first][0], self.spans[last][1]
        window = 2 * len(quote) + 40
        anchor = max(numbers, key=len)
        i = self.norm.find(anchor, lo)
        while 0 <= i <= hi:
            near = self.norm[max(lo, i - window) : i + window]
            tokens = [t.strip(_SPECKS) for t in near.split(" ")]
            squeezed = near.replace(" ", "")
            if all(tokens.count(c) >= numbers.count(c) for c in set(numbers)) and all(
                _pieces(label, squeezed) <= _LABEL_PIECES for label in labels
            ):
                return True
            i = self.norm.find(anchor, i + 1)
        return False

    def runs_into(self, quote: str, piece: int) -> bool:
        """The quote starts in the piece before ``piece`` and runs on into it (a sentence across a page break)."""
        if piece == 0:
            return False
        for text, q, lo, hi in (
            (self.norm, normalize_text(quote), self.spans[piece - 1][0], self.spans[piece][0]),
            (self.squeezed, squeeze(quote), self.spans[piece - 1][2], self.spans[piece][2]),
        ):
            i = text.find(q, lo)
            while 0 <= i < hi:
                if i + len(q) > hi:
                    return True
                i = text.find(q, i + 1)
        return False


class DocumentIndex:
    """A document's text prepared for locating quotes: by page, and by source line for text documents."""

    def __init__(self, document: Document, line_window: int = 8):
        self.document = document
        self.line_window = line_window
        self._cache: dict[tuple[int | None, int | None, str], bool] = {}

    @cached_property
    def _pages(self) -> _Text:
        return _Text([p.text for p in self.document.pages])

    @cached_property
    def _page_numbers(self) -> dict[int, int]:
        return {p.number: i for i, p in enumerate(self.document.pages)}

    @cached_property
    def _lines(self) -> tuple[_Text, dict[int, int]]:
        lines = [ln for p in self.document.pages for ln in p.lines if ln.source_line is not None]
        return _Text([ln.text for ln in lines]), {ln.source_line: i for i, ln in enumerate(lines)}

    def locate(self, source: Source) -> bool:
        """The source's text is at its page or line. A table cell is located by its whole row (a bare
        number such as '0.00' would be found anywhere on the page)."""
        key = (source.page, source.line, source.row_text or source.quote)
        if key not in self._cache:
            self._cache[key] = self._locate(source)
        return self._cache[key]

    def _locate(self, source: Source) -> bool:
        if source.row_text:
            source = source.model_copy(update={"quote": source.row_text})
        if source.line is not None:
            text, index = self._lines
            if source.line in index:
                i = index[source.line]
                return text.starts_in(source.quote, i, i)
            return False
        if source.page is not None:
            if source.page not in self._page_numbers:
                return False
            i = self._page_numbers[source.page]
            pages = self._pages
            return (
                pages.starts_in(source.quote, i, i)
                or pages.runs_into(source.quote, i)
                or (source.kind is SourceKind.TABLE and pages.cells_near(source.quote, i, i))
            )
        pages = self._pages
        return bool(pages.spans) and pages.starts_in(source.quote, 0, len(pages.spans) - 1)


@lru_cache(maxsize=65536)
def _reading(value: Decimal, money: bool, quote: str, scale: Decimal | None) -> tuple[Printed | None, bool, Role | None]:
    """What a quote says about a value: the number printing it, 0 in words, or a misreading (cached)."""
    printed = match_printed(value, quote, money=money, scale=scale)
    if printed is not None:
        return printed, False, None
    return None, value == 0 and states_zero(quote), misread_as(value, quote)


def check_source(value: Decimal, money: bool, source: Source, index: DocumentIndex | None) -> SourceCheck:
    printed, zero, misread = _reading(value, money, source.quote, UNIT_SCALE.get(source.printed_unit or "万元"))
    return SourceCheck(
        source=source,
        located=index.locate(source) if index is not None else None,
        printed=printed,
        zero_in_words=zero,
        misread=misread,
    )


def ground(figure: Figure, index: DocumentIndex | None) -> Grounding:
    """Check every source of a figure against the document (or, without one, against its own quote)."""
    money = figure.unit == "万元"
    return Grounding(tuple(check_source(figure.value, money, s, index) for s in figure.sources))
