"""部门决算 (final accounts): the first report kind, and the one every stage was first written for."""

from __future__ import annotations

from pipeline.evaluation.contract import SECTIONS
from pipeline.extract.fields import PARTS
from pipeline.extract.tables import t5_lists
from pipeline.record.contract import FIELD_PATHS, IDENTITY, LISTS, Contract
from pipeline.record.table_build import tables_from_document
from pipeline.reports.final_accounts.rules import RULES
from pipeline.reports.final_accounts.tables import TITLES
from pipeline.reports.profile import ReportProfile
from pipeline.validate.links import LINKS

PROFILE = ReportProfile(
    kind="final_accounts",
    name="部门决算",
    tables=TITLES,
    read_tables=tables_from_document,
    parts=PARTS,
    links=tuple(LINKS),
    rules=tuple(RULES),
    contract=Contract(identity=IDENTITY, field_paths=FIELD_PATHS, lists=LISTS, sections=SECTIONS),
    table_lists=t5_lists,
    core_tables=("T1", "T2", "T3", "T4", "T5"),
    model_tables=True,
)
