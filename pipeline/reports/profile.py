"""``ReportProfile``: everything the pipeline knows of one report kind, as one declarative object.

The machinery is shared (ingest, layout, the table reader, pointer extraction, the validator, the evaluation);
what differs between a 部门决算 and a 部门预算 is data: which tables it prints and how they are titled, which
parts its narrative has and the labels of their figures, which table cells state which record fields, which
identities must hold, which paths its gold scores. A profile holds that data and is handed down the pipeline;
no stage imports a kind's knowledge itself. The types it is built from belong to the stages that use them
(``TableTitles`` to layout, ``PartSpec`` to extract, ``Rule`` to validate, ``Contract`` to the record), so a
kind is written in the stages' own terms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: a profile is data for these stages, not a dependency of them
    from pipeline.document import Document
    from pipeline.extract.fields import PartSpec
    from pipeline.layout.standard import TableTitles
    from pipeline.record.contract import Contract
    from pipeline.record.tables import StandardTable
    from pipeline.validate.rules import Rule

    TableReader = Callable[[Document, Mapping[str, dict[int, tuple[str, str]]] | None], dict[str, StandardTable]]


@dataclass(frozen=True)
class ReportProfile:
    """One report kind. ``kind`` is the record's ``report_type``; ``name`` its Chinese name."""

    kind: str
    name: str
    tables: TableTitles  # the standard tables by id: official titles, their variants, what tells them apart
    read_tables: TableReader  # a document's standard tables typed by id (the kind's columns and row keys)
    parts: tuple[PartSpec, ...]  # the record's parts: headings, field labels, routing words
    links: tuple[tuple[str, str], ...]  # record path ↔ the table cell stating the same quantity
    rules: tuple[Rule, ...]  # the rule catalog: every identity a report of this kind must satisfy
    contract: Contract  # the paths a gold file scores, in the contract's order
    table_lists: Callable[[dict[str, StandardTable]], tuple[list, list]]  # (类 rows, 项 rows) the tables print
    list_table: str | None = None  # the table whose rows by function code are the 类 and 项 lists (决算: T5)
    core_tables: tuple[str, ...] = ()  # tables without which no total is checked (their absence is ours)
    model_tables: bool = False  # the model maps table headers the kind's column words do not know, re-reads
    # tables the validator doubts and reads tables layout could not type (written for the 决算's nine)

    @property
    def table_names(self) -> dict[str, str]:
        """Table id → official title."""
        return self.tables.names

    @cached_property
    def cell_fields(self) -> dict[str, set[str]]:
        """Table cell → the record fields it states (the links read backwards; built once per kind)."""
        out: dict[str, set[str]] = {}
        for field, cell in self.links:
            out.setdefault(cell, set()).add(field)
        return out

    def table_name(self, tid: str) -> str:
        return self.tables.names.get(tid, "")
