"""The contract paths the evaluation scores (``shared/contract/record-fields.md`` v1), and how they group.

Kept as a literal list rather than read from the record model: the model carries many more fields (shares,
component budgets, changes of parts) that gold files keep under ``extra_fields``, and scoring those would
punish a pipeline for stating what the gold does not score. A test checks this list against the contract.
"""

from __future__ import annotations

import re

IDENTITY: tuple[str, ...] = ("department", "fiscal_year", "report_type", "unit")

FIGURES: tuple[str, ...] = (
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
)

# List fields and the row fields the contract names. ``code`` and ``name`` are scored like any field.
LISTS: dict[str, tuple[str, ...]] = {
    "general_budget.by_class": ("code", "name", "amount", "share_pct"),
    "general_budget.items": ("code", "name", "amount", "budget", "completion_pct"),
    "performance.projects": ("name", "budget", "adjusted_budget", "executed", "execution_rate_pct", "score"),
}
TEXT_ROW_FIELDS = frozenset({"code", "name"})

# Report order of the sections (a list is its own section, so 按项 errors do not hide in general_budget).
SECTIONS: tuple[str, ...] = (
    "identity",
    "summary",
    "income",
    "expenditure",
    "appropriation",
    "general_budget",
    "general_budget.by_class",
    "general_budget.items",
    "basic_expenditure",
    "three_public",
    "government_fund",
    "state_capital",
    "operating_costs",
    "procurement",
    "assets",
    "performance",
    "performance.projects",
)

_KEY = re.compile(r"\[[^\]]*\]")


def section_of(path: str) -> str:
    """The report section of a scored path: ``identity``, a record section, or a list field."""
    if path in IDENTITY:
        return "identity"
    if "[" in path:
        return path.split("[", 1)[0]
    return path.split(".", 1)[0]


def shape(path: str) -> str:
    """A path with its row key replaced by ``*``, so one field can be summed over rows and documents."""
    return _KEY.sub("[*]", path)
