"""Where a record field and a standard-table cell state the same quantity.

The validator uses these twice: a field the record leaves empty is read from its table cell (so record-level
identities still run on table-only records), and where both are given they must agree.
"""

from __future__ import annotations

from pipeline.record.model import Record
from pipeline.record.tables import INCOME_ROWS

_T1_INCOME = [(f"income.{k}", f"T1[in:{k}].amount") for k in INCOME_ROWS if k not in ("total", "grand_total")]

LINKS: list[tuple[str, str]] = [
    ("summary.total", "T1[in:grand_total].amount"),
    ("summary.total", "T1[out:grand_total].amount"),
    ("income.total", "T1[in:total].amount"),
    ("income.total", "T2[total].total"),
    *_T1_INCOME,
    ("income.appropriation", "T2[total].appropriation"),
    ("income.appropriation", "T4[in:total].amount"),
    ("income.general_budget", "T4[in:general_budget].amount"),
    ("income.government_fund", "T4[in:government_fund].amount"),
    ("income.state_capital", "T4[in:state_capital].amount"),
    ("income.superior_subsidy", "T2[total].superior_subsidy"),
    ("income.business", "T2[total].business"),
    ("income.operating", "T2[total].operating"),
    ("income.affiliated", "T2[total].affiliated"),
    ("income.other", "T2[total].other"),
    ("expenditure.total", "T1[out:total].amount"),
    ("expenditure.total", "T3[total].total"),
    ("expenditure.basic", "T3[total].basic"),
    ("expenditure.project", "T3[total].project"),
    ("expenditure.operating", "T3[total].operating"),
    ("expenditure.remit_superior", "T3[total].remit_superior"),
    ("expenditure.affiliated_subsidy", "T3[total].affiliated_subsidy"),
    ("expenditure.balance_distribution", "T1[out:balance_distribution].amount"),
    ("expenditure.carryover_end", "T1[out:carryover_end].amount"),
    ("appropriation.total", "T4[in:grand_total].amount"),
    ("appropriation.total", "T4[out:grand_total].total"),
    ("general_budget.total", "T5[total].total"),
    ("general_budget.total", "T4[out:total].general_budget"),
    ("general_budget.basic", "T5[total].basic"),
    ("general_budget.project", "T5[total].project"),
    ("basic_expenditure.total", "T5[total].basic"),
    ("basic_expenditure.personnel", "T6[personnel_total].amount"),
    ("basic_expenditure.public", "T6[public_total].amount"),
    ("three_public.total", "T7[actual].total"),
    ("three_public.overseas", "T7[actual].overseas"),
    ("three_public.vehicles", "T7[actual].vehicles"),
    ("three_public.vehicle_purchase", "T7[actual].vehicle_purchase"),
    ("three_public.vehicle_operation", "T7[actual].vehicle_operation"),
    ("three_public.reception", "T7[actual].reception"),
    ("three_public.budget", "T7[budget].total"),
    ("three_public.overseas_budget", "T7[budget].overseas"),
    ("three_public.vehicles_budget", "T7[budget].vehicles"),
    ("three_public.vehicle_purchase_budget", "T7[budget].vehicle_purchase"),
    ("three_public.vehicle_operation_budget", "T7[budget].vehicle_operation"),
    ("three_public.reception_budget", "T7[budget].reception"),
    ("government_fund.income", "T8[total].income"),
    ("government_fund.expenditure", "T8[total].expenditure"),
    ("government_fund.expenditure", "T4[out:total].government_fund"),
    ("state_capital.income", "T9[total].income"),
    ("state_capital.expenditure", "T9[total].expenditure"),
    ("state_capital.expenditure", "T4[out:total].state_capital"),
]


def row_links(record: Record) -> list[tuple[str, str]]:
    """Links of the list rows that print a code: a 类 or 项 and its T5 row."""
    out = []
    for kind, rows in (("by_class", record.general_budget.by_class), ("items", record.general_budget.items)):
        for row in rows:
            if row.code:
                base = f"general_budget.{kind}[{row.code}]"
                out += [
                    (f"{base}.amount", f"T5[{row.code}].total"),
                    (f"{base}.basic", f"T5[{row.code}].basic"),
                    (f"{base}.project", f"T5[{row.code}].project"),
                ]
    return out
