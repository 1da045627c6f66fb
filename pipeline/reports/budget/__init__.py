"""部门预算 (budget): the second report kind. Its nine tables (B1…B9), their reading, the narrative of its
编制说明 and 其他相关情况说明, the links between them, its rules and its scored paths."""

from __future__ import annotations

from functools import partial

from pipeline.extract.tables import t5_lists
from pipeline.reports.budget.contract import CONTRACT
from pipeline.reports.budget.links import LINKS
from pipeline.reports.budget.parts import PARTS
from pipeline.reports.budget.reader import read_tables
from pipeline.reports.budget.rules import RULES
from pipeline.reports.budget.tables import TITLES
from pipeline.reports.profile import ReportProfile

PROFILE = ReportProfile(
    kind="budget",
    name="部门预算",
    tables=TITLES,
    read_tables=read_tables,
    parts=PARTS,
    links=LINKS,
    list_table="B5",  # 一般公共预算支出 by function: its 类 and 项 rows are the lists
    rules=tuple(RULES),
    contract=CONTRACT,
    table_lists=partial(t5_lists, table="B5"),  # 类 and 项 of 一般公共预算支出 by function (B5)
    core_tables=("B1", "B3", "B5"),  # no total is checked without them: their absence is our reading's
    model_tables=False,  # the model's table reading and header mapping are written for the 决算's nine
)
