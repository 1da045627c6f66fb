"""Disclosure completeness: what a 部门决算 must publish, whether or not it adds up, and whether we read it.

A missing table is the report's gap (``source``) unless the document prints that table and the record lacks
it (``extraction``). A record with no tables at all from a document with none (a text-only source) is not
checked. The core tables (T1…T5) of a document that prints them must have been read: a record without them
is not a reading of the report, however well its few figures add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.record.printed import states_zero
from pipeline.validate.facts import FactView
from pipeline.validate.outcome import Outcome, Status, skip
from pipeline.validate.reading import document_cells
from pipeline.validate.settings import ValidationSettings

THREE_PUBLIC_ITEMS = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
_WORDS = {
    "three_public.total": "三公",
    "three_public.overseas": "出国",
    "three_public.vehicle_purchase": "购置",
    "three_public.vehicle_operation": "运行",
    "three_public.reception": "接待",
}
"""A word the document prints wherever it states the item: if it does, an item we lack is ours to read."""


def _unstated(view: FactView, path: str, message: str, facts: tuple = ()) -> Outcome:
    """The report does not state an item (``source``) only if its document never names it; a document
    that names it and a record that lacks it is our reading (``extraction``)."""
    named = view.index is not None and any(_WORDS[path] in p.text for p in view.index.document.pages)
    return Outcome(
        Status.FAIL,
        path,
        facts,
        message=message + ("; the document names it, so it was not read" if named else ""),
        cls="extraction" if named else None,
    )
_EMPTY_TABLE_FIELDS = {
    "T7": ("three_public.total",),
    "T8": ("government_fund.income", "government_fund.expenditure"),
    "T9": ("state_capital.income", "state_capital.expenditure"),
}


def _document_tables(view: FactView) -> set[str]:
    return set(view.printed_tables)


@dataclass(frozen=True)
class TablesPresent:
    """All the kind's standard tables are published."""

    tables: tuple[str, ...]

    def reads(self) -> tuple[str, ...]:
        return self.tables

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        found = _document_tables(view)
        if not view.record.tables and not found:
            yield skip("tables", "no standard tables in the record or the document (text-only source)")
            return
        for tid in self.tables:
            if tid in view.record.tables:
                yield Outcome(Status.PASS, tid)
            else:
                yield Outcome(
                    Status.FAIL,
                    tid,
                    message=f"{view.table_name(tid)} is missing",
                    cls="extraction" if tid in found else "source",
                )


@dataclass(frozen=True)
class CoreTablesRead:
    """T1…T5 were read (a row with an amount) wherever the document prints them. Free-form reports (a
    narrative and 绩效自评, no tables) and 预算 reports print none of them, so nothing is required of them."""

    core: tuple[str, ...]

    def reads(self) -> tuple[str, ...]:
        return self.core

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        if view.index is None:
            yield skip("tables", "no document to tell which tables it prints", ("document",))
            return
        printed = view.printed_tables
        if not printed:
            yield skip("tables", "the document prints none of the standard tables", ("standard tables in the document",))
            return
        cells = document_cells(view.index.document)
        for tid in self.core:
            table = view.record.tables.get(tid)
            blank_form = tid in cells and not any(c.value is not None for c in cells[tid])
            if table is not None and not table.is_empty:
                yield Outcome(Status.PASS, tid)
            elif tid in printed and not blank_form:
                yield Outcome(
                    Status.FAIL,
                    tid,
                    message=f"tables not read: {view.table_name(tid)} is printed (p.{printed[tid]}) but no amount of it "
                    "was read",
                    cls="extraction",
                )
            else:
                yield skip(tid, f"{view.table_name(tid)} is not printed with amounts", (tid,))


@dataclass(frozen=True)
class TablesComplete:
    """Every amount a printed table shows was read into the record's table: no identity may fail for a row we
    never read, and a row we never read breaks none (so this is checked on its own). A gap in a core table
    is an error (the record is not a reading of the report), in the others a warning."""

    tables: tuple[str, ...]
    core: tuple[str, ...]

    def reads(self) -> tuple[str, ...]:
        return self.tables

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        if view.index is None:
            yield skip("tables", "no document to compare the tables with", ("document",))
            return
        for tid, reading in sorted(view.readings.items()):
            if not reading.printed:
                yield skip(tid, f"{tid} has no printed table to compare with", (f"{tid} printed table",))
            elif reading.complete:
                yield Outcome(Status.PASS, tid)
            else:
                yield Outcome(
                    Status.FAIL,
                    tid,
                    message=f"{view.table_name(tid)}: {'; '.join(reading.reasons())}",
                    cls="extraction",
                    severity="error" if tid in self.core else "warning",
                )


@dataclass(frozen=True)
class ThreePublicItems:
    """Each of the four 三公 items is stated (an amount, or 0/未发生), unless the total is stated as none."""

    def reads(self) -> tuple[str, ...]:
        return ("three_public.total", *(f"three_public.{i}" for i in THREE_PUBLIC_ITEMS))

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        total = view.get("three_public.total")
        if total is None:
            yield _unstated(view, "three_public.total", "the 三公 total is not stated")
            return
        if total.value == 0:
            yield Outcome(Status.PASS, "three_public.total", (total,))
            return
        vehicles = view.get("three_public.vehicles")
        for item in THREE_PUBLIC_ITEMS:
            path = f"three_public.{item}"
            if view.get(path) is not None or (
                item.startswith("vehicle_") and vehicles and vehicles.value == 0
            ):
                yield Outcome(Status.PASS, path)
            else:
                yield _unstated(view, path, f"{path} is not stated", (total,))


@dataclass(frozen=True)
class EmptyTableExplained:
    """A published table without data (三公, 政府性基金, 国有资本经营) says why (说明：…无数据)."""

    def reads(self) -> tuple[str, ...]:
        return tuple(_EMPTY_TABLE_FIELDS)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for tid, fields in _EMPTY_TABLE_FIELDS.items():
            table = view.record.tables.get(tid)
            if table is None or not table.is_empty:
                continue
            explained = table.empty_note is not None or any(
                (f := view.get(p)) is not None
                and f.value == 0
                and any(states_zero(s.quote) for s in f.figure.sources)
                for p in fields
            )
            if explained:
                yield Outcome(Status.PASS, tid)
            else:
                yield Outcome(Status.FAIL, tid, message=f"{tid} has no data and no explanation")
