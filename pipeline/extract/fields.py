"""What a part of a record is, and the fields it reads: the types a report kind's parts are written in.

Each field has the Chinese label the model sees (the key it answers under: a small model reads a label from
the text far better than it maps text onto English names), its meaning from the contract, the kind of number
it is (money, %, count, score) and the label words that must precede the number in its sentence. Those words
decide a field's candidates: 收支总计 770.43 is no candidate for 本年收入合计, since no 收入合计 precedes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipeline.record.figure import Unit
from pipeline.record.gold import unit_for

Kind = Literal["money", "pct", "count", "score"]


@dataclass(frozen=True)
class FieldSpec:
    """One figure a part may return: record path, label for the model, and how to check what it picked."""

    path: str
    label: str
    meaning: str
    keywords: tuple[str, ...]
    kind: Kind = "money"
    signed: bool = False  # a change: 减少/下降 before the number makes it negative
    exclude: tuple[str, ...] = ()  # words that, nearest the number, mean another quantity
    after: tuple[str, ...] = ()  # a count's unit word printed right after it (批次, 人次, 辆 …)
    generic: tuple[str, ...] = ()  # words naming it only where no specific label stands closer (决算为)

    @property
    def words(self) -> tuple[str, ...]:
        """Label words, the full label included (the longest match decides between overlapping labels)."""
        return (*self.keywords, self.label)

    @property
    def unit(self) -> Unit:
        return unit_for(self.path)


@dataclass(frozen=True)
class RowField:
    """A number of a list row (amount, share_pct …) and the label the model sees for it."""

    name: str
    label: str
    kind: Kind = "money"
    keywords: tuple[str, ...] = ()  # words that name this number within its row, where a row has several
    signed: bool = False  # a change: 减少/下降 before the number makes it negative


@dataclass(frozen=True)
class RowSpec:
    """A list of rows (类, 项, projects): where it goes and the numbers of a row."""

    path: str  # general_budget.by_class
    meaning: str
    numbers: tuple[RowField, ...]
    max_rows: int = 8


@dataclass(frozen=True)
class PartSpec:
    """A part of the record, the section headings it lives under, and the keywords to find it elsewhere."""

    name: str
    title: str
    headings: tuple[str, ...]  # a section title starting with one of these is the part's source
    fields: tuple[FieldSpec, ...] = ()
    rows: RowSpec | None = None
    search: tuple[str, ...] = ()  # keywords for blocks of a report that does not follow the template
    max_items: int = 10  # figures one table call may return (the messy-table schema)
    chunk_chars: int = 700
    max_chunks: int = 3
    contains: tuple[str, ...] = ()  # or: a section title containing one of these
    also_search: bool = False  # add keyword-found paragraphs outside the section (e.g. 自评得分 in an annex)

    def field(self, label: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.label == label), None)


@dataclass
class FieldIndex:
    """Which part asks for which record path (the repair loop re-asks the owner of a failing figure)."""

    owner: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, parts: tuple[PartSpec, ...]) -> FieldIndex:
        out = cls()
        for part in parts:
            for f in part.fields:
                out.owner.setdefault(f.path, part.name)
            if part.rows is not None:
                out.owner.setdefault(part.rows.path, part.name)
        return out

    def part_of(self, path: str) -> str | None:
        """The part for a record path; list rows (``general_budget.items[x].amount``) go to their list."""
        if path in self.owner:
            return self.owner[path]
        base = path.split("[", 1)[0]
        return self.owner.get(base)

