"""The 部门决算's field contract (``shared/contract/record-fields.md`` v1): every contract path, in its order.

The one copy of the list: the evaluation scores these paths and the sample generator writes gold files in
this order. It is a literal, not read from the contract file at run time (the file lives beside the
repository, not in the package) nor from the record model (which carries many more fields, such as shares,
component budgets and changes of parts, that gold files keep under ``extra_fields``). A test checks it against
the contract document.
"""

from __future__ import annotations

from pipeline.record.contract import IDENTITY, Contract

# Every non-identity path in the contract's order; a list field is named without its ``[]``.
FIELD_PATHS: tuple[str, ...] = (
    "summary.total",
    "summary.total_change",
    "summary.total_change_pct",
    "income.total",
    "income.appropriation",
    "income.general_budget",
    "income.government_fund",
    "income.state_capital",
    "income.superior_subsidy",
    "income.business",
    "income.operating",
    "income.affiliated",
    "income.other",
    "income.carryover_begin",
    "income.nonappropriation_balance_used",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.project",
    "expenditure.operating",
    "expenditure.remit_superior",
    "expenditure.affiliated_subsidy",
    "expenditure.balance_distribution",
    "expenditure.carryover_end",
    "appropriation.total",
    "appropriation.total_change",
    "appropriation.total_change_pct",
    "general_budget.total",
    "general_budget.share_pct",
    "general_budget.change",
    "general_budget.change_pct",
    "general_budget.budget",
    "general_budget.completion_pct",
    "general_budget.basic",
    "general_budget.project",
    "general_budget.by_class",
    "general_budget.items",
    "basic_expenditure.total",
    "basic_expenditure.personnel",
    "basic_expenditure.public",
    "three_public.total",
    "three_public.budget",
    "three_public.completion_pct",
    "three_public.change",
    "three_public.change_pct",
    "three_public.overseas",
    "three_public.vehicles",
    "three_public.vehicle_purchase",
    "three_public.vehicle_operation",
    "three_public.reception",
    "three_public.reception_domestic",
    "three_public.reception_foreign",
    "three_public.reception_batches",
    "three_public.reception_persons",
    "three_public.vehicles_owned",
    "government_fund.income",
    "government_fund.expenditure",
    "state_capital.income",
    "state_capital.expenditure",
    "operating_costs.total",
    "operating_costs.change",
    "operating_costs.change_pct",
    "procurement.total",
    "procurement.goods",
    "procurement.works",
    "procurement.services",
    "procurement.sme_awarded",
    "procurement.sme_share_pct",
    "assets.vehicles",
    "assets.high_value_equipment",
    "performance.projects_evaluated",
    "performance.self_score",
    "performance.projects",
)

# The list fields and the row fields the contract names for them.
LISTS: dict[str, tuple[str, ...]] = {
    "general_budget.by_class": ("code", "name", "amount", "share_pct"),
    "general_budget.items": ("code", "name", "amount", "budget", "completion_pct"),
    "performance.projects": ("name", "budget", "adjusted_budget", "executed", "execution_rate_pct", "score"),
}

# The single figures: the field paths that are not lists.
FIGURES: tuple[str, ...] = tuple(p for p in FIELD_PATHS if p not in LISTS)

# Every path in the contract's order: identity first.
PATHS: tuple[str, ...] = IDENTITY + FIELD_PATHS

CONTRACT = Contract(identity=IDENTITY, field_paths=FIELD_PATHS, lists=LISTS)
