"""Identities inside and between the nine standard tables.

Inside a table a blank cell is a zero (the table prints every column of every row), so these checks do not
treat blanks as unstated parts. Code trees follow the classification: a 类 (3 digits) is the sum of its
款 (5) and of its 项 (7); the table's 合计 is the sum of its 类 and of its 项.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pipeline.record.codes import ECONOMIC_PERSONNEL
from pipeline.record.tables import cell_path
from pipeline.validate.checks.arith import balance_outcome
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Status, skip
from pipeline.validate.settings import ValidationSettings


def _cells(view: FactView, tid: str, keys: list[str], column: str) -> list[Fact]:
    return [f for k in keys if (f := view.get(cell_path(tid, k, column)))]


def _blank(view: FactView, paths: list[str]) -> list[str]:
    """The cells among these that the record has blank (taken as 0 by the identity)."""
    return [p for p in paths if view.get(p) is None]


def _no_table(tid: str) -> Outcome:
    return skip(tid, "table not in the record", (tid,))


@dataclass(frozen=True)
class RowSums:
    """In every row of a table: Σ left columns = Σ right columns (e.g. 合计 = 基本支出 + 项目支出)."""

    table: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    rows: tuple[str, ...] | None = None  # only these row keys
    side: str | None = None  # only rows of this side (T1/T4)

    def reads(self) -> tuple[str, ...]:
        return tuple(f"{self.table}[*].{c}" for c in self.left + self.right)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        table = view.table(self.table)
        if table is None:
            yield _no_table(self.table)
            return
        for row in table.rows:
            if (self.rows and row.key not in self.rows) or (self.side and row.side != self.side):
                continue
            paths = [cell_path(self.table, row.key, c) for c in self.left + self.right]
            left = [f for c in self.left if (f := view.get(cell_path(self.table, row.key, c)))]
            right = [f for c in self.right if (f := view.get(cell_path(self.table, row.key, c)))]
            subject = cell_path(self.table, row.key, self.left[0])
            if left and right:
                yield balance_outcome(subject, left, right, [], [], settings, blanks=_blank(view, paths))
            elif any(f.value for f in left + right):
                yield _one_sided(subject, left, right, settings, _blank(view, paths))


def _one_sided(
    subject: str, left: list[Fact], right: list[Fact], settings: ValidationSettings, blanks: list[str]
) -> Outcome:
    """One side printed, the other blank: a blank cell is 0, so the printed side must be 0 too."""
    found = sum((f.value for f in left), Decimal(0))
    expected = sum((f.value for f in right), Decimal(0))
    return Outcome(
        Status.FAIL,
        subject,
        tuple(left + right),
        expected,
        found,
        settings.half_cent,
        message="one side is blank while the other is not zero",
        blanks=tuple(blanks),
        blank_side=True,
        additive=True,
    )


@dataclass(frozen=True)
class CodeTree:
    """Per column: each code = Σ its children and Σ its leaves; the total row = Σ 类 = Σ leaves."""

    table: str
    columns: tuple[str, ...]
    total_key: str = "total"
    key_prefix: str = ""  # 'out:' for the class rows of T1/T4
    depth: int = 3  # 3 levels (functional: 3/5/7 digits); 2 for economic codes (3/5)

    def reads(self) -> tuple[str, ...]:
        return tuple(f"{self.table}[*].{c}" for c in self.columns)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        table = view.table(self.table)
        if table is None:
            yield _no_table(self.table)
            return
        codes = sorted(
            r.key[len(self.key_prefix) :] for r in table.rows if r.code and r.key.startswith(self.key_prefix)
        )
        keys = {r.key for r in table.rows}
        groups = self._groups(codes)
        for column in self.columns:
            for parent, kids in groups:
                if parent not in keys:
                    continue  # no such row printed (e.g. no 合计 row): nothing to compare with
                paths = [cell_path(self.table, self.key_prefix + k, column) for k in kids]
                total = view.get(cell_path(self.table, parent, column))
                parts = _cells(view, self.table, [self.key_prefix + k for k in kids], column)
                if total is None and not any(p.value for p in parts):
                    continue
                subject = cell_path(self.table, parent, column) + f" = Σ {len(kids)} rows"
                blanks = _blank(view, [cell_path(self.table, parent, column), *paths])
                if total is None:
                    yield _one_sided(subject, [], parts, settings, blanks)
                elif parts:
                    yield balance_outcome(subject, [total], parts, [], [], settings, blanks=blanks)
                elif total.value != 0:
                    yield _one_sided(subject, [total], [], settings, blanks)

    def _groups(self, codes: list[str]) -> list[tuple[str, list[str]]]:
        """(parent row key, child codes): the total over 类 and over leaves, each code over each level below."""
        leaf_len = 3 + 2 * (self.depth - 1)
        below: dict[tuple[str, int], list[str]] = {}
        for c in codes:
            for cut in range(3, len(c), 2):
                below.setdefault((c[:cut], len(c)), []).append(c)
        classes = [c for c in codes if len(c) == 3]
        leaves = [c for c in codes if len(c) == leaf_len]
        groups = [(self.total_key, classes)] if classes else []
        if self.depth > 1 and leaves and leaves != classes:
            groups.append((self.total_key, leaves))
        for code in codes:
            for width in range(len(code) + 2, leaf_len + 1, 2):
                if (code, width) in below:
                    groups.append((self.key_prefix + code, below[(code, width)]))
        return groups


@dataclass(frozen=True)
class T6Split:
    """T6: 人员经费合计 = Σ classes 301, 303; 公用经费合计 = Σ the other classes."""

    def reads(self) -> tuple[str, ...]:
        return ("T6[personnel_total].amount", "T6[public_total].amount", "T6[*].amount")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        table = view.table("T6")
        if table is None:
            yield _no_table("T6")
            return
        classes = sorted(r.key for r in table.rows if r.code and len(r.code) == 3)
        personnel = [c for c in classes if c in ECONOMIC_PERSONNEL]
        public = [c for c in classes if c not in ECONOMIC_PERSONNEL]
        for key, kids in (("personnel_total", personnel), ("public_total", public)):
            total = view.get(cell_path("T6", key, "amount"))
            parts = _cells(view, "T6", kids, "amount")
            subject = cell_path("T6", key, "amount")
            if total is None or not parts:
                yield skip(subject, "not stated: " + (subject if total is None else "its classes"), (subject,))
                continue
            blanks = _blank(view, [cell_path("T6", k, "amount") for k in kids])
            yield balance_outcome(subject, [total], parts, [], [], settings, blanks=blanks)


@dataclass(frozen=True)
class PairedRows:
    """The same class row in two tables agrees (T1 支出 类 = T3 类 合计; T4 一般公共预算 类 = T5 类 合计)."""

    table_a: str
    prefix_a: str
    column_a: str
    table_b: str
    column_b: str

    def reads(self) -> tuple[str, ...]:
        return (f"{self.table_a}[*].{self.column_a}", f"{self.table_b}[*].{self.column_b}")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        a, b = view.table(self.table_a), view.table(self.table_b)
        if a is None or b is None:
            lacking = [t for t, x in ((self.table_a, a), (self.table_b, b)) if x is None]
            yield skip(f"{self.table_a}~{self.table_b}", "table not in the record", lacking)
            return
        for row in a.rows:
            if not (row.code and row.key.startswith(self.prefix_a)):
                continue
            fa = view.get(cell_path(self.table_a, row.key, self.column_a))
            fb = view.get(cell_path(self.table_b, row.code, self.column_b))
            if fa is None and fb is None:
                continue
            subject = cell_path(self.table_a, row.key, self.column_a)
            if fa is not None and fb is not None:
                yield balance_outcome(subject, [fa], [fb], [], [], settings)
            elif (fa or fb).value != 0:
                blank = cell_path(self.table_b, row.code, self.column_b) if fb is None else subject
                yield _one_sided(subject, [fa] if fa else [], [fb] if fb else [], settings, [blank])


@dataclass(frozen=True)
class FieldCell:
    """A record field is the number its table cell prints (``general_budget.total`` = ``B5[total].total``),
    named in the catalog so that it is checked whatever the profile links. Where the profile links the two,
    ``Stated`` checks them (and the field may be read from the cell): this one leaves them to it, so one
    disagreement is one finding."""

    field: str
    cell: str

    def reads(self) -> tuple[str, ...]:
        return (self.field, self.cell)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        subject = f"{self.field} ~ {self.cell}"
        if (self.field, self.cell) in view.links:
            yield skip(subject, "linked: the links' rule checks it")
            return
        f, c = view.get(self.field), view.get(self.cell)
        if f is None or c is None:
            lacking = [p for p, x in ((self.field, f), (self.cell, c)) if x is None]
            yield skip(subject, "not stated: " + ", ".join(lacking), lacking)
            return
        yield balance_outcome(subject, [f], [c], [], [], settings)


@dataclass(frozen=True)
class Stated:
    """A quantity given both as a record field and as a table cell is the same number in both."""

    def reads(self) -> tuple[str, ...]:
        return ("<record field>", "<table cell>")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for field, cell in view.links:
            f, c = view.get(field), view.get(cell)
            if f is None or c is None or f.alias_of is not None:
                continue
            yield balance_outcome(f"{field} ~ {cell}", [f], [c], [], [], settings)
