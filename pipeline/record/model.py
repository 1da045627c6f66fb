"""The disclosure record of one 部门决算 report.

Sections mirror the contract (``/shared/contract/record-fields.md``): every contract path is a field here
under the same dotted name; fields beyond the contract (shares, component budgets, changes of parts) sit
beside them. A figure the report does not state is ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.record.figure import Figure, TableId
from pipeline.record.money import to_json_number
from pipeline.record.tables import StandardTable

F = Figure | None


class Section(BaseModel):
    """A group of figures; ``figures()`` walks them with their dotted names."""

    model_config = ConfigDict(extra="forbid")

    def figures(self, prefix: str) -> Iterator[tuple[str, Figure]]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Figure):
                yield f"{prefix}.{name}", value
            elif isinstance(value, list):
                seen: dict[str, int] = {}
                for row in value:
                    if isinstance(row, ListRow):
                        seen[row.key] = seen.get(row.key, 0) + 1
                        key = row.key if seen[row.key] == 1 else f"{row.key}#{seen[row.key]}"
                        yield from row.figures(f"{prefix}.{name}[{key}]")


class ListRow(Section):
    """A row of a list (a 类, a 项, a project): matched by code where printed, else by name."""

    @property
    def key(self) -> str:
        return getattr(self, "code", None) or getattr(self, "name", "")

    def figures(self, prefix: str) -> Iterator[tuple[str, Figure]]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Figure):
                yield f"{prefix}.{name}", value


class Summary(Section):
    total: F = Field(None, description="收入总计 = 支出总计 (收支总计)")
    total_change: F = Field(None, description="收支总计与上年相比增减额")
    total_change_pct: F = Field(None, description="收支总计与上年相比增减率 (%)")


class Income(Section):
    total: F = Field(None, description="本年收入合计")
    appropriation: F = Field(None, description="财政拨款收入 (three kinds together)")
    general_budget: F = Field(None, description="一般公共预算财政拨款收入")
    government_fund: F = Field(None, description="政府性基金预算财政拨款收入")
    state_capital: F = Field(None, description="国有资本经营预算财政拨款收入")
    superior_subsidy: F = Field(None, description="上级补助收入")
    business: F = Field(None, description="事业收入")
    operating: F = Field(None, description="经营收入")
    affiliated: F = Field(None, description="附属单位上缴收入")
    other: F = Field(None, description="其他收入")
    carryover_begin: F = Field(None, description="年初结转和结余")
    nonappropriation_balance_used: F = Field(None, description="使用非财政拨款结余")
    appropriation_share_pct: F = Field(None, description="财政拨款收入占本年收入合计的%")
    general_budget_share_pct: F = Field(None, description="一般公共预算财政拨款收入占比%")
    government_fund_share_pct: F = Field(None, description="政府性基金预算财政拨款收入占比%")
    state_capital_share_pct: F = Field(None, description="国有资本经营预算财政拨款收入占比%")
    superior_subsidy_share_pct: F = Field(None, description="上级补助收入占比%")
    business_share_pct: F = Field(None, description="事业收入占比%")
    operating_share_pct: F = Field(None, description="经营收入占比%")
    affiliated_share_pct: F = Field(None, description="附属单位上缴收入占比%")
    other_share_pct: F = Field(None, description="其他收入占比%")


class Expenditure(Section):
    total: F = Field(None, description="本年支出合计")
    basic: F = Field(None, description="基本支出")
    project: F = Field(None, description="项目支出")
    operating: F = Field(None, description="经营支出")
    remit_superior: F = Field(None, description="上缴上级支出")
    affiliated_subsidy: F = Field(None, description="对附属单位补助支出")
    balance_distribution: F = Field(None, description="结余分配")
    carryover_end: F = Field(None, description="年末结转和结余")
    basic_share_pct: F = Field(None, description="基本支出占本年支出合计的%")
    project_share_pct: F = Field(None, description="项目支出占比%")
    operating_share_pct: F = Field(None, description="经营支出占比%")
    remit_superior_share_pct: F = Field(None, description="上缴上级支出占比%")
    affiliated_subsidy_share_pct: F = Field(None, description="对附属单位补助支出占比%")


class Appropriation(Section):
    total: F = Field(None, description="财政拨款收入支出总计")
    total_change: F = Field(None, description="与上年相比增减额")
    total_change_pct: F = Field(None, description="与上年相比增减率 (%)")


class ClassRow(ListRow):
    """A 类 of 一般公共预算财政拨款支出 (T5 类 row; 说明五(二))."""

    code: str | None = Field(None, description="3-digit 功能分类 code where printed")
    name: str = Field(description="类 name as printed")
    name_normalized: str | None = Field(None, description="standard name where the printed one is garbled")
    amount: F = None
    share_pct: F = Field(None, description="占一般公共预算财政拨款支出的%")
    basic: F = Field(None, description="基本支出 (T5)")
    project: F = Field(None, description="项目支出 (T5)")
    budget: F = Field(None, description="年初预算 of the 类 (说明五(三))")
    completion_pct: F = Field(None, description="完成年初预算的%")
    prior_executed: F = Field(None, description="上年预算执行数 (部门预算)")
    change_pct: F = Field(None, description="比上年预算执行数增减% (部门预算)")


class ItemRow(ListRow):
    """A 项 of 一般公共预算财政拨款支出 (T5 项 row; 说明五(三))."""

    code: str | None = Field(None, description="7-digit 功能分类 code where printed")
    name: str = Field(description="项 name as printed (the 类/款/项 string where no code is printed)")
    narrative_name: str | None = Field(None, description="the 说明 wording, where it differs from the table")
    printed_no: int | None = Field(None, description="list number in the 说明")
    amount: F = None
    budget: F = Field(None, description="the item's budget as the narrative gives it")
    budget_basis: str | None = Field(None, description="which budget: 年初预算, 全年预算 …")
    completion_pct: F = Field(None, description="完成预算的%")
    basic: F = Field(None, description="基本支出 (T5)")
    project: F = Field(None, description="项目支出 (T5)")
    prior_executed: F = Field(None, description="上年预算执行数 (部门预算)")
    change_pct: F = Field(None, description="比上年预算执行数增减% (部门预算)")


class GeneralBudget(Section):
    total: F = Field(None, description="一般公共预算财政拨款支出")
    share_pct: F = Field(None, description="占本年支出合计的%")
    change: F = Field(None, description="与上年相比增减额")
    change_pct: F = Field(None, description="与上年相比增减率 (%)")
    budget: F = Field(None, description="年初预算")
    completion_pct: F = Field(None, description="完成年初预算的%")
    full_year_budget: F = Field(None, description="全年预算 (调整预算)")
    basic: F = Field(None, description="基本支出 (T5 合计)")
    project: F = Field(None, description="项目支出 (T5 合计)")
    by_class: list[ClassRow] = Field(default_factory=list, description="按类 (T5 类 rows; 说明五(二))")
    items: list[ItemRow] = Field(default_factory=list, description="按项 (T5 项 rows; 说明五(三))")


class BasicExpenditure(Section):
    total: F = Field(None, description="一般公共预算财政拨款基本支出")
    personnel: F = Field(None, description="人员经费")
    public: F = Field(None, description="公用经费")
    personnel_change: F = None
    personnel_change_pct: F = None
    public_change: F = None
    public_change_pct: F = None


class ThreePublic(Section):
    total: F = Field(None, description="“三公”经费财政拨款支出决算")
    budget: F = Field(None, description="“三公”经费预算")
    completion_pct: F = Field(None, description="完成预算%")
    change: F = Field(None, description="比上年增减额")
    change_pct: F = Field(None, description="比上年增减率 (%)")
    overseas: F = Field(None, description="因公出国（境）费")
    vehicles: F = Field(None, description="公务用车购置及运行维护费 (小计)")
    vehicle_purchase: F = Field(None, description="公务用车购置费")
    vehicle_operation: F = Field(None, description="公务用车运行维护费")
    reception: F = Field(None, description="公务接待费")
    reception_domestic: F = Field(None, description="国内公务接待")
    reception_foreign: F = Field(None, description="外事接待")
    reception_batches: F = Field(None, description="国内接待批次")
    reception_persons: F = Field(None, description="国内接待人次")
    vehicles_owned: F = Field(None, description="公务用车保有量 (辆)")
    overseas_budget: F = None
    vehicles_budget: F = None
    vehicle_purchase_budget: F = None
    vehicle_operation_budget: F = None
    reception_budget: F = None
    overseas_change: F = None
    overseas_change_pct: F = None
    vehicles_change: F = None
    vehicles_change_pct: F = None
    reception_change: F = None
    reception_change_pct: F = None
    overseas_completion_pct: F = None
    vehicles_completion_pct: F = None
    reception_completion_pct: F = None


class FundAccount(Section):
    """政府性基金 (T8) or 国有资本经营 (T9) 预算财政拨款."""

    income: F = Field(None, description="财政拨款收入")
    expenditure: F = Field(None, description="财政拨款支出")
    expenditure_share_pct: F = Field(None, description="支出占本年支出合计的%")
    expenditure_change: F = None
    expenditure_change_pct: F = None


class OperatingCosts(Section):
    total: F = Field(None, description="机关运行经费")
    change: F = None
    change_pct: F = None
    training: F = Field(None, description="培训费")
    meeting: F = Field(None, description="会议费")


class Procurement(Section):
    total: F = Field(None, description="政府采购支出总额")
    goods: F = Field(None, description="货物")
    works: F = Field(None, description="工程")
    services: F = Field(None, description="服务")
    sme_awarded: F = Field(None, description="授予中小企业合同金额")
    sme_share_pct: F = Field(None, description="授予中小企业合同金额占比%")
    small_micro_awarded: F = Field(None, description="授予小微企业合同金额")
    sme_reserved_budget: F = Field(None, description="面向中小企业预留政府采购项目预算金额")
    small_micro_reserved_budget: F = Field(None, description="面向小微企业预留政府采购项目预算金额")
    sme_awarded_in_sme_reserved: F = Field(None, description="预留项目中由中小企业中标的采购金额")
    sme_awarded_in_other: F = Field(None, description="其他项目中由中小企业中标的采购金额")


class Assets(Section):
    vehicles: F = Field(None, description="车辆 (辆)")
    high_value_equipment: F = Field(None, description="单价100万元（含）以上设备 台（套）")
    fixed_assets_total: F = Field(None, description="固定资产总额")


class ProjectRow(ListRow):
    """A project of the performance self-evaluation (项目支出绩效自评表)."""

    name: str
    project_code: str | None = None
    short_name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    budget: F = Field(None, description="年初预算数")
    adjusted_budget: F = Field(None, description="全年预算数")
    executed: F = Field(None, description="全年执行数")
    execution_rate_pct: F = Field(None, description="执行率 %")
    score: F = Field(None, description="自评总分")
    execution_score: F = Field(None, description="预算执行得分")

    @property
    def key(self) -> str:
        return self.name


class Performance(Section):
    projects_evaluated: F = Field(None, description="绩效自评项目个数")
    self_score: F = Field(None, description="整体绩效自评得分")
    projects: list[ProjectRow] = Field(default_factory=list)
    projects_evaluated_budget: F = None
    projects_avg_score: F = None
    budget_report_income: F = None
    approved_budget: F = None
    initial_budget: F = None
    overall_execution_score: F = None
    projects_total_score: F = None
    projects_total_adjusted_budget: F = None
    projects_total_executed: F = None
    projects_total_execution_rate_pct: F = None
    target_projects: F = Field(None, description="编报绩效目标的项目个数 (部门预算)")
    target_budget: F = Field(None, description="编报绩效目标的项目涉及的项目预算资金 (部门预算)")


SECTIONS: dict[str, type[Section]] = {
    "summary": Summary,
    "income": Income,
    "expenditure": Expenditure,
    "appropriation": Appropriation,
    "general_budget": GeneralBudget,
    "basic_expenditure": BasicExpenditure,
    "three_public": ThreePublic,
    "government_fund": FundAccount,
    "state_capital": FundAccount,
    "operating_costs": OperatingCosts,
    "procurement": Procurement,
    "assets": Assets,
    "performance": Performance,
}

LIST_FIELDS = ("general_budget.by_class", "general_budget.items", "performance.projects")


class Record(BaseModel):
    """One report: identity, the figures by section, the nine tables, and anything else stated."""

    model_config = ConfigDict(extra="forbid")

    document: str | None = Field(None, description="source file name")
    department: str | None = Field(None, description="部门/单位名称")
    department_aliases: list[str] = Field(default_factory=list)
    fiscal_year: int | None = Field(None, ge=1990, le=2100)
    report_type: Literal["final_accounts", "budget", "performance_report"] | None = None
    unit: Literal["万元", "元"] | None = Field(None, description="the unit the report states")

    summary: Summary = Field(default_factory=Summary)
    income: Income = Field(default_factory=Income)
    expenditure: Expenditure = Field(default_factory=Expenditure)
    appropriation: Appropriation = Field(default_factory=Appropriation)
    general_budget: GeneralBudget = Field(default_factory=GeneralBudget)
    basic_expenditure: BasicExpenditure = Field(default_factory=BasicExpenditure)
    three_public: ThreePublic = Field(default_factory=ThreePublic)
    government_fund: FundAccount = Field(default_factory=FundAccount)
    state_capital: FundAccount = Field(default_factory=FundAccount)
    operating_costs: OperatingCosts = Field(default_factory=OperatingCosts)
    procurement: Procurement = Field(default_factory=Procurement)
    assets: Assets = Field(default_factory=Assets)
    performance: Performance = Field(default_factory=Performance)

    tables: dict[TableId, StandardTable] = Field(default_factory=dict, description="T1…T9 as printed, by id")
    extra: dict[str, Figure] = Field(default_factory=dict, description="other stated figures, by dotted name")
    warnings: list[str] = Field(
        default_factory=list,
        description="what went wrong reading the report, e.g. 'page 3: damaged (…): text may be missing'; a "
        "figure on a page named here may be missing or misread",
    )

    def section(self, name: str) -> Section:
        return getattr(self, name)

    def figures(self) -> Iterator[tuple[str, Figure]]:
        """Every figure of the sections and ``extra`` with its path (list rows as ``list[key].field``)."""
        for name in SECTIONS:
            yield from self.section(name).figures(name)
        for path, fig in self.extra.items():
            yield f"extra.{path}", fig

    def get(self, path: str) -> Any:
        """The value at a dotted section path ('income.total'), or None."""
        head, _, rest = path.partition(".")
        if head not in SECTIONS or not rest:
            return getattr(self, head, None)
        return getattr(self.section(head), rest, None)

    def flatten(self, exact: bool = False) -> dict[str, Any]:
        """The record as contract paths → values, as the evaluation reads it.

        Figures become their value (JSON numbers, or Decimals with ``exact``); lists become lists of plain
        dicts; absent figures are left out.
        """

        def num(d: Decimal) -> Any:
            return d if exact else to_json_number(d)

        out: dict[str, Any] = {}
        for key in ("department", "fiscal_year", "report_type", "unit"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        for name in SECTIONS:
            section = self.section(name)
            for field in type(section).model_fields:
                value = getattr(section, field)
                if isinstance(value, Figure):
                    out[f"{name}.{field}"] = num(value.value)
                elif isinstance(value, list) and value:
                    out[f"{name}.{field}"] = [_flat_row(row, num) for row in value]
        for path, fig in self.extra.items():
            out[path] = num(fig.value)
        return out


def _flat_row(row: ListRow, num) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in type(row).model_fields:
        value = getattr(row, field)
        if isinstance(value, Figure):
            out[field] = num(value.value)
        elif value not in (None, []):
            out[field] = value
    return out
