"""部门决算 (final accounts): the first report kind, and the one every stage was first written for."""

from __future__ import annotations

from pipeline.extract.tables import t5_lists
from pipeline.record.table_build import tables_from_document
from pipeline.reports.final_accounts.contract import CONTRACT
from pipeline.reports.final_accounts.links import LINKS
from pipeline.reports.final_accounts.parts import PARTS
from pipeline.reports.final_accounts.rules import CORE_TABLES, RULES
from pipeline.reports.final_accounts.tables import TITLES
from pipeline.reports.profile import ReportProfile

PROFILE = ReportProfile(
    kind="final_accounts",
    name="部门决算",
    tables=TITLES,
    read_tables=tables_from_document,
    parts=PARTS,
    links=LINKS,
    list_table="T5",
    rules=tuple(RULES),
    contract=CONTRACT,
    table_lists=t5_lists,
    core_tables=CORE_TABLES,
    model_tables=True,
)
