"""Where a budget record field and a B-table cell state the same quantity.

The first linked cell gives the record its value, the others add sources (or alternates where they
disagree); the validator reads a cell where the record leaves a field empty, and checks that both agree.
A 部门预算 has no 结转 in most reports, so 收入总计 (B1) is the record's ``summary.total`` and 本年收入 (B2's
合计) its ``income.total``; the 财政拨款 kinds are B1's income rows and B4's.
"""

from __future__ import annotations

_KINDS = ("general_budget", "government_fund", "state_capital")
_OTHER_INCOME = ("business", "operating", "other")
_THREE_PUBLIC = ("total", "overseas", "reception", "vehicles", "vehicle_purchase", "vehicle_operation")

LINKS: tuple[tuple[str, str], ...] = (
    ("summary.total", "B1[in:grand_total].amount"),
    ("summary.total", "B1[out:grand_total].amount"),
    ("income.total", "B2[total].total"),
    ("income.total", "B1[in:total].amount"),
    ("income.appropriation", "B1[in:appropriation].amount"),
    ("income.appropriation", "B2[total].appropriation"),
    *((f"income.{k}", f"B1[in:{k}].amount") for k in _KINDS),
    *((f"income.{k}", f"B4[in:{k}].amount") for k in _KINDS),
    *((f"income.{k}", f"B1[in:{k}].amount") for k in _OTHER_INCOME),
    *((f"income.{k}", f"B2[total].{k}") for k in _OTHER_INCOME),
    ("expenditure.total", "B3[total].total"),
    ("expenditure.total", "B1[out:total].amount"),
    ("expenditure.basic", "B3[total].basic"),
    ("expenditure.project", "B3[total].project"),
    ("appropriation.total", "B4[in:grand_total].amount"),
    ("appropriation.total", "B4[out:grand_total].total"),
    ("general_budget.total", "B5[total].total"),
    ("general_budget.total", "B4[out:grand_total].general_budget"),
    ("general_budget.total", "B4[out:total].general_budget"),
    ("general_budget.basic", "B5[total].basic"),
    ("general_budget.project", "B5[total].project"),
    ("basic_expenditure.total", "B8[total].total"),
    ("basic_expenditure.total", "B5[total].basic"),
    ("basic_expenditure.personnel", "B8[total].personnel"),
    ("basic_expenditure.public", "B8[total].public"),
    *((f"three_public.{k}", f"B9[total].{k}") for k in _THREE_PUBLIC),
    ("operating_costs.total", "B9[total].operating_costs"),
    ("government_fund.expenditure", "B6[total].total"),
    ("government_fund.expenditure", "B4[out:grand_total].government_fund"),
    ("government_fund.expenditure", "B4[out:total].government_fund"),
    ("state_capital.expenditure", "B7[total].total"),
    ("state_capital.expenditure", "B4[out:grand_total].state_capital"),
    ("state_capital.expenditure", "B4[out:total].state_capital"),
)
