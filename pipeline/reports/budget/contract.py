"""The paths a 部门预算's gold scores, in the order of ``record-fields.md`` (this package's section of the
contract): identity, single figures, the lists with their row fields, and the sections they group by.

The v1 paths keep their meaning; in a budget every amount is a 预算数, ``general_budget.by_class`` and
``general_budget.items`` carry ``amount`` = 预算数 (B5) and, for the 项, ``prior_executed`` = 上年预算执行数 and
``change_pct`` against it, as the 编制说明 states them.
"""

from __future__ import annotations

from pipeline.record.contract import IDENTITY, Contract

FIELD_PATHS: tuple[str, ...] = (
    "summary.total",
    "income.total",
    "income.appropriation",
    "income.general_budget",
    "income.government_fund",
    "income.state_capital",
    "income.business",
    "income.operating",
    "income.other",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.project",
    "appropriation.total",
    "appropriation.total_change",
    "general_budget.total",
    "general_budget.basic",
    "general_budget.project",
    "general_budget.by_class",
    "general_budget.items",
    "basic_expenditure.total",
    "basic_expenditure.personnel",
    "basic_expenditure.public",
    "three_public.total",
    "three_public.change",
    "three_public.overseas",
    "three_public.vehicles",
    "three_public.vehicle_purchase",
    "three_public.vehicle_operation",
    "three_public.reception",
    "government_fund.expenditure",
    "state_capital.expenditure",
    "operating_costs.total",
    "procurement.total",
    "procurement.goods",
    "procurement.works",
    "procurement.services",
    "procurement.sme_reserved_budget",
    "procurement.small_micro_reserved_budget",
    "performance.target_projects",
    "performance.target_budget",
    "assets.vehicles",
    "assets.high_value_equipment",
)

LISTS: dict[str, tuple[str, ...]] = {
    "general_budget.by_class": ("code", "name", "amount", "basic", "project"),
    "general_budget.items": ("code", "name", "amount", "prior_executed", "change_pct"),
}

CONTRACT = Contract(identity=IDENTITY, field_paths=FIELD_PATHS, lists=LISTS)
