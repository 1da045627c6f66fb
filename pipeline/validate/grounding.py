"""Grounding: a figure's quote must occur where it says (page, or line of a text source) and print its value.

Pages are matched by page number; plain-text documents by ``source_line`` (the quote starts on that line and
may run on for a few lines). The document's text is the one ``pipeline.textindex.TextIndex`` the extraction
reads too; a quote is compared in ``normalize_text``'s form, and when layout put spaces inside words, a
comparison with all whitespace removed is the fallback.
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
from pipeline.textindex import Span, TextIndex, normalize_text

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


def _cells_near(text: TextIndex, quote: str, span: Span) -> bool:
    """Every cell of a table-row quote occurs close together, starting inside ``span``, in any order.

    Layout may serialize a row's cells, and the lines of a wrapped cell, in another order than the
    quote: numbers and codes must occur as printed, a label may be spelled by up to
    ``_LABEL_PIECES`` pieces of nearby text.
    """
    cells = normalize_text(quote).split(" ")
    numbers = [c for c in cells if _NUMERIC.match(c)]
    labels = [c for c in cells if not _NUMERIC.match(c)]
    lo, hi = span
    if not numbers or lo == hi:
        return False
    window = 2 * len(quote) + 40
    anchor = max(numbers, key=len)
    i = text.text.find(anchor, lo)
    while 0 <= i <= hi:
        near = text.text[max(lo, i - window) : i + window]
        tokens = [t.strip(_SPECKS) for t in near.split(" ")]
        squeezed = near.replace(" ", "")
        if all(tokens.count(c) >= numbers.count(c) for c in set(numbers)) and all(
            _pieces(label, squeezed) <= _LABEL_PIECES for label in labels
        ):
            return True
        i = text.text.find(anchor, i + 1)
    return False


class DocumentIndex:
    """A document's text prepared for locating quotes: by page, and by source line for text documents."""

    def __init__(self, document: Document, line_window: int = 8):
        self.document = document
        self.line_window = line_window
        self._cache: dict[tuple[int | None, int | None, str], bool] = {}

    @cached_property
    def text(self) -> TextIndex:
        return TextIndex(self.document)

    @cached_property
    def _page_numbers(self) -> dict[int, int]:
        return {p.number: i for i, p in enumerate(self.document.pages)}

    def locate(self, source: Source) -> bool:
        """The source's text is at its page or line. A table cell is located by its whole row (a bare
        number such as '0.00' would be found anywhere on the page)."""
        key = (source.page, source.line, source.row_text or source.quote)
        if key not in self._cache:
            self._cache[key] = self._locate(source)
        return self._cache[key]

    def _locate(self, source: Source) -> bool:
        quote = source.row_text or source.quote
        text = self.text
        if source.line is not None:
            span = text.source_lines.get(source.line)
            return span is not None and text.starts_in(quote, span)
        if source.page is not None:
            if source.page not in self._page_numbers:
                return False
            i = self._page_numbers[source.page]
            span = text.pages[i]
            return (
                text.starts_in(quote, span)
                or (i > 0 and text.runs_into(quote, text.pages[i - 1], span))
                or (source.kind is SourceKind.TABLE and _cells_near(text, quote, span))
            )
        return bool(self.document.pages) and text.starts_in(quote, (0, len(text.text)))


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
