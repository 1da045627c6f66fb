"""Identities over the record's lists: a 类 is the sum of its 项, and a printed numbering has no holes.

Items printed without codes are assigned to their 类 by the 类 name they start with
('一般公共服务（类）…'), former class names included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.record.codes import class_of_item_name, function_class_code
from pipeline.record.model import ClassRow, ItemRow
from pipeline.validate.checks.arith import balance_outcome
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Status, skip
from pipeline.validate.settings import ValidationSettings


def class_code(row: ClassRow) -> str | None:
    return row.code or function_class_code(row.name_normalized or row.name)


def item_class(row: ItemRow) -> str | None:
    if row.code:
        return row.code[:3]
    return class_of_item_name(row.name) or (
        class_of_item_name(row.narrative_name) if row.narrative_name else None
    )


@dataclass(frozen=True)
class ClassItems:
    """Each 类 amount of 一般公共预算财政拨款支出 = Σ the amounts of its 项."""

    def reads(self) -> tuple[str, ...]:
        return ("general_budget.by_class[*].amount", "general_budget.items[*].amount")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        gb = view.record.general_budget
        if not gb.by_class or not gb.items:
            lacking = [p for p, rows in (("general_budget.by_class", gb.by_class), ("general_budget.items", gb.items))
                       if not rows]
            yield skip("general_budget.by_class", "not stated: " + ", ".join(lacking), lacking)
            return
        by_code: dict[str, list[Fact]] = {}
        for item, fact in _row_facts(view, "general_budget.items", gb.items):
            code = item_class(item)
            if code:
                by_code.setdefault(code, []).append(fact)
        for row, fact in _row_facts(view, "general_budget.by_class", gb.by_class):
            items = sorted(by_code.get(class_code(row) or "", []), key=lambda f: f.path)
            if not items:
                yield skip(fact.path, "no items of this class stated", (f"general_budget.items of {fact.path}",))
                continue
            yield balance_outcome(fact.path, [fact], items, [], [], settings)


def _row_facts(view: FactView, base: str, rows: list) -> Iterator[tuple[object, Fact]]:
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.key] = seen.get(row.key, 0) + 1
        key = row.key if seen[row.key] == 1 else f"{row.key}#{seen[row.key]}"
        fact = view.get(f"{base}[{key}].amount")
        if fact is not None:
            yield row, fact


@dataclass(frozen=True)
class Numbering:
    """The 说明's numbered item list runs 1, 2, 3 … without a gap (a gap is a missing item)."""

    def reads(self) -> tuple[str, ...]:
        return ("general_budget.items[*].printed_no",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        numbers = sorted(i.printed_no for i in view.record.general_budget.items if i.printed_no is not None)
        if not numbers:
            yield skip("general_budget.items", "no printed numbering", ("general_budget.items[*].printed_no",))
            return
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if missing:
            yield Outcome(
                Status.FAIL,
                "general_budget.items",
                message=f"the numbered item list skips {', '.join(map(str, missing))}",
            )
        else:
            yield Outcome(Status.PASS, "general_budget.items")
