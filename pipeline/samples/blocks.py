"""What a report is written in before it is laid out: paragraphs and ruled tables that remember their figures.

Every figure the gold records is tagged where it is written (a ``Ref`` in a paragraph, a ``TableRef`` on a
table row), so that after layout its page and its exact printed quote can be read back instead of guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ref:
    """A stated figure inside a paragraph: ``text[start:end]`` is its quote, ``at`` where the number begins."""

    key: str
    value: Any
    start: int
    end: int
    at: int


class Para:
    """A paragraph being written piece by piece, recording where each figure and its quote lie."""

    def __init__(self, style: str = "body", text: str = "") -> None:
        self.style = style
        self.text = text
        self.refs: list[Ref] = []

    def add(self, s: str) -> Para:
        self.text += s
        return self

    def pos(self) -> int:
        return len(self.text)

    def num(self, shown: str) -> int:
        """Append a printed number; returns where it starts."""
        at = len(self.text)
        self.text += shown
        return at

    def ref(self, key: str, value: Any, start: int, at: int, end: int | None = None) -> None:
        self.refs.append(Ref(key, value, start, len(self.text) if end is None else end, at))

    def fig(self, key: str, value: Any, pre: str, shown: str, post: str = "万元") -> tuple[int, int]:
        """Write ``pre + shown + post`` and tag it as the quote of ``key``; returns (start, at)."""
        start = self.pos()
        self.add(pre)
        at = self.num(shown)
        self.add(post)
        self.ref(key, value, start, at)
        return start, at


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: str = "c"  # l | c | r


@dataclass
class TableRef:
    """A figure stated on a table row; its quote is the row's non-empty cells in ``cols`` joined by spaces."""

    key: str
    value: Any
    cols: tuple[int, int] | None = None  # slot range [c0, c1); None = whole row


@dataclass
class Row:
    cells: list[Cell | None]  # one slot per column; None where a merged cell covers it
    refs: list[TableRef] = field(default_factory=list)


@dataclass
class TableSpec:
    title: str
    standard_id: str | None
    landscape: bool
    widths: list[float]  # relative column widths
    header: list[Row]
    body: list[Row]
    notes: list[Para] = field(default_factory=list)
    heading: str | None = None  # e.g. "…2024年度部门决算表" above T1
    dept_line: str | None = None
    unit: str | None = "万元"
    repeat_header: bool = True
    new_page: bool = True
    font_size: float | None = None
    row_height: float | None = None
    rules: str = "grid"  # grid | none (borderless) | three_line (top, under the header, bottom)
    fixed_chars: dict[int, float] = field(default_factory=dict)  # column → width in characters (a wrapped column)

    @property
    def n_cols(self) -> int:
        return len(self.widths)


@dataclass
class PageBreak:
    landscape: bool = False


@dataclass
class Spacer:
    height: float


Block = Para | TableSpec | PageBreak | Spacer
