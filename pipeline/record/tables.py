"""A report's standard tables, typed (the columns and row keys below are the 部门决算's nine, 财政部 format).

Most identities live inside and between these tables, so they are kept as rows keyed by their classification
code (or a canonical label key for summary rows) with one ``Figure`` per column. Cell paths such as
``T5[2013901].total`` or ``T1[in:total].amount`` name a cell for the validator.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.record.codes import code_level
from pipeline.record.figure import Figure, Source, TableId

COLUMNS: dict[str, dict[str, str]] = {
    "T1": {"amount": "决算数"},
    "T2": {
        "total": "本年收入合计",
        "appropriation": "财政拨款收入",
        "superior_subsidy": "上级补助收入",
        "business": "事业收入",
        "operating": "经营收入",
        "affiliated": "附属单位上缴收入",
        "other": "其他收入",
    },
    "T3": {
        "total": "本年支出合计",
        "basic": "基本支出",
        "project": "项目支出",
        "remit_superior": "上缴上级支出",
        "operating": "经营支出",
        "affiliated_subsidy": "对附属单位补助支出",
    },
    "T4": {
        "amount": "决算数 (收入)",
        "total": "合计",
        "general_budget": "一般公共预算财政拨款",
        "government_fund": "政府性基金预算财政拨款",
        "state_capital": "国有资本经营预算财政拨款",
    },
    "T5": {"total": "合计", "basic": "基本支出", "project": "项目支出"},
    "T6": {"amount": "决算数"},
    "T7": {
        "total": "合计",
        "overseas": "因公出国（境）费",
        "vehicles": "公务用车购置及运行维护费 小计",
        "vehicle_purchase": "公务用车购置费",
        "vehicle_operation": "公务用车运行维护费",
        "reception": "公务接待费",
    },
    "T8": {
        "carryover_begin": "年初结转和结余",
        "income": "本年收入",
        "expenditure": "本年支出 合计",
        "basic": "本年支出 基本支出",
        "project": "本年支出 项目支出",
        "carryover_end": "年末结转和结余",
    },
}
COLUMNS["T9"] = COLUMNS["T8"]

INCOME_ROWS: dict[str, str] = {
    "general_budget": "一般公共预算财政拨款收入",
    "government_fund": "政府性基金预算财政拨款收入",
    "state_capital": "国有资本经营预算财政拨款收入",
    "superior_subsidy": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
    "total": "本年收入合计",
    "nonappropriation_balance_used": "使用非财政拨款结余",
    "carryover_begin": "年初结转和结余",
    "grand_total": "总计",
}
"""T1 income-side rows (keys ``in:<key>``); T4's income side uses the same keys for its kinds."""

EXPENDITURE_ROWS: dict[str, str] = {
    "total": "本年支出合计",
    "balance_distribution": "结余分配",
    "carryover_end": "年末结转和结余",
    "grand_total": "总计",
}
"""T1/T4 expenditure-side summary rows (keys ``out:<key>``); class rows are ``out:<code>``."""

APPROPRIATION_KINDS = ("general_budget", "government_fund", "state_capital")

Side = Literal["income", "expenditure"]


class TableRow(BaseModel):
    """One row (or one side of a two-sided row) with a figure per column."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="code ('2013901'), 'total', or a label key ('in:total', 'personnel_total')")
    label: str = Field(description="the row's label as printed (name, or code and name)")
    code: str | None = Field(None, description="functional or economic classification code")
    name: str | None = None
    side: Side | None = Field(None, description="income or expenditure side of T1/T4")
    values: dict[str, Figure] = Field(
        default_factory=dict, description="column key → figure; blank cells absent"
    )

    @property
    def level(self) -> int:
        return code_level(self.code) if self.code else 0


class ColumnMap(BaseModel):
    """How one printed column was read: its header, role (code part, name, value) and key, and on what
    basis (the header's words, the column's data, the rows' sums, or the model's mapping of the header)."""

    model_config = ConfigDict(extra="forbid")

    col: int
    header: str = ""
    role: Literal["code", "label", "value", "none"]
    part: Literal["类", "款", "项"] | None = None
    key: str | None = None
    budget: bool = False
    basis: Literal["header", "data", "sums", "llm"] = "header"


class StandardTable(BaseModel):
    """One of the nine standard tables: rows in printed order, values in 万元."""

    model_config = ConfigDict(extra="forbid")

    id: TableId
    title: str | None = None
    unit: Literal["万元", "千元", "元"] = Field("万元", description="unit printed above the table; values are 万元")
    pages: list[int] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    empty_note: Source | None = Field(
        None, description="the printed explanation of an empty table (说明：…无数据)"
    )
    columns: list[ColumnMap] = Field(default_factory=list, description="how each printed column was read")
    numbers_printed: int = Field(0, description="amount cells printed below the header, outside code and name columns")

    def row(self, key: str) -> TableRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def cell(self, key: str, column: str) -> Figure | None:
        row = self.row(key)
        return row.values.get(column) if row else None

    @property
    def numbers_read(self) -> int:
        """Amounts this reading typed (compare with ``numbers_printed``)."""
        return sum(len(r.values) for r in self.rows)

    @property
    def is_empty(self) -> bool:
        return not any(r.values for r in self.rows)


def cell_path(table: str, key: str, column: str) -> str:
    """The validator's name for a cell: ``T5[2013901].total``."""
    return f"{table}[{key}].{column}"
