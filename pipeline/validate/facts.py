"""The validator's view of a record: every figure (record fields, list rows, table cells) by path, grounded.

Rules read facts by path (``income.total``, ``T5[2013901].total``) or by pattern with ``[*]`` for list rows
and table rows. A field the record leaves empty but a table states is filled from the table (an alias), so
the same rules run on narrative-only and table-only records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from pipeline.record.figure import Alternate, Figure
from pipeline.record.model import Record

if TYPE_CHECKING:
    from pipeline.reports import ReportProfile
from pipeline.record.tables import cell_path
from pipeline.validate.grounding import DocumentIndex, Grounding, ground
from pipeline.validate.links import row_links
from pipeline.validate.reading import TableReading, printed_tables, read_tables

_KEY = re.compile(r"\[[^\]]*\]")
_CELL = re.compile(r"^([A-Z]\d{1,2})\[([^\]]*)\]\.")


def shape(path: str) -> str:
    """A path with its row keys replaced by ``*``: ``T5[201].total`` → ``T5[*].total``."""
    return _KEY.sub("[*]", path)


@dataclass
class Fact:
    path: str
    figure: Figure
    grounding: Grounding
    alias_of: str | None = None  # the table cell this record path was filled from

    @property
    def value(self) -> Decimal:
        return self.figure.value

    @property
    def grounded(self) -> bool:
        return self.grounding.ok

    @property
    def decimals(self) -> int:
        """Printed digits after the point (from the quote; else from the value itself)."""
        d = self.grounding.decimals
        if d is not None:
            return d
        exp = self.value.as_tuple().exponent
        return max(0, -exp) if isinstance(exp, int) else 0

    def misreadings(self) -> list[Alternate]:
        """Other values read from the very same printed text: two readings of one number."""
        own = self.figure.sources
        return [
            a
            for a in self.figure.alternates
            if a.value != self.value and any(s.same_place(o) for s in a.sources for o in own)
        ]


class FactView:
    def __init__(self, record: Record, profile: ReportProfile, index: DocumentIndex | None = None):
        self.record = record
        self.profile = profile  # the report kind: its links, table names and titles
        self.index = index
        self.facts: dict[str, Fact] = {}
        self._shapes: dict[str, list[Fact]] = {}
        self.links = [*profile.links, *row_links(record, profile.list_table)]
        self._cells_of: dict[str, list[str]] = {}
        for field, cell in self.links:
            self._cells_of.setdefault(field, []).append(cell)
        for path, fig in record.figures():
            self._add(path, fig)
        for tid, table in record.tables.items():
            for row in table.rows:
                for column, fig in row.values.items():
                    self._add(cell_path(tid, row.key, column), fig)
        for field, cell in self.links:
            if field not in self.facts and cell in self.facts:
                self._add(field, self.facts[cell].figure, alias_of=cell)
        for facts in self._shapes.values():
            facts.sort(key=lambda f: f.path)

    def _add(self, path: str, fig: Figure, alias_of: str | None = None) -> None:
        fact = Fact(path, fig, ground(fig, self.index), alias_of)
        self.facts[path] = fact
        self._shapes.setdefault(shape(path), []).append(fact)

    def get(self, path: str) -> Fact | None:
        return self.facts.get(path)

    @cached_property
    def printed_tables(self) -> dict[str, int]:
        """Standard tables the document prints (→ page); empty without a document."""
        return printed_tables(self.index.document if self.index is not None else None, self.profile.tables)

    @cached_property
    def readings(self) -> dict[str, TableReading]:
        """How completely each record table was read from the document's printed one."""
        return read_tables(self.record, self.index.document if self.index is not None else None)

    def table_name(self, tid: str) -> str:
        """'T5 一般公共预算财政拨款支出决算表': a table as messages name it."""
        return f"{tid} {self.profile.table_name(tid)}".strip()

    def cells_for(self, path: str) -> list[str]:
        """The table cells that state the same quantity as a record field (see ``links``)."""
        return self._cells_of.get(path, [])

    def printed_blank(self, path: str) -> bool:
        """A table row that prints this quantity is in the record with the cell blank: a printed zero."""
        cells = [path] if _CELL.match(path) else self._cells_of.get(path, [])
        for c in cells:
            m = _CELL.match(c)
            table = self.record.tables.get(m.group(1)) if m else None
            if table is not None and table.row(m.group(2)) is not None:
                return True
        return False

    def match(self, pattern: str) -> list[Fact]:
        """Facts whose path has this shape (``general_budget.by_class[*].amount``), in path order."""
        if "[*]" not in pattern:
            fact = self.facts.get(pattern)
            return [fact] if fact else []
        return self._shapes.get(pattern, [])

    def table(self, tid: str):
        return self.record.tables.get(tid)
