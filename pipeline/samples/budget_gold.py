"""The gold record of a generated 部门预算, in the samples' gold format (``gold``) and the budget's paths.

Single figures and ``extra:`` figures are assembled by ``gold`` from the statements the layout recorded;
the lists are the budget's own: ``general_budget.by_class`` from B5's 类 rows, ``general_budget.items`` from
B5's 项 rows with last year's 预算执行数 and the printed change rate from the 编制说明 sentence of the 项.
"""

from __future__ import annotations

from typing import Any

from pipeline.reports import get
from pipeline.samples import catalog as cat
from pipeline.samples.budget_model import BudgetReport
from pipeline.samples.flow import Stmt
from pipeline.samples.gold import _by_class, _figure, _inconsistencies, assemble, group_statements, number

# The generator's own names for figures the budget's contract scores under another path.
CONTRACT_NAMES = {
    "income.appropriation_change": "appropriation.total_change",  # 财政拨款收入比上年预算增减
    "appropriation.expenditure": "appropriation.total",  # 财政拨款支出预算 = 财政拨款收支总计
}
LIST_PREFIXES = ("by_class:", "item:", "item_yoy:")


def build_budget_gold(r: BudgetReport, document: str, stmts: list[Stmt]) -> dict[str, Any]:
    fields: dict[str, Any] = {"department": r.name, "fiscal_year": r.year, "report_type": "budget", "unit": "万元"}
    order = get("budget").contract.field_paths  # the budget profile's scored paths, in its order
    scalars, extras, by_key = group_statements(stmts, LIST_PREFIXES)
    for key in list(extras):  # a figure drawn as extra that the contract scores is gold like any other
        path = CONTRACT_NAMES.get(key, key)
        if path in order and path not in scalars:
            scalars[path] = extras.pop(key)
    unknown = set(scalars) - set(order)
    if unknown:
        raise ValueError(f"budget statements outside the budget's paths (tag them extra:): {sorted(unknown)}")
    found: dict[str, Any] = {key: _figure(group) for key, group in scalars.items()}
    found["general_budget.by_class"] = _by_class(by_key)
    found["general_budget.items"] = _items(by_key)
    return assemble(document, fields, found, order, extras, _inconsistencies(r, stmts))


def _items(by_key: dict[str, list[Stmt]]) -> list[dict[str, Any]]:
    out = []
    for key, (s, *_) in by_key.items():
        if not key.startswith("item:"):
            continue
        code = key.split(":", 1)[1]
        amount, basic, project = s.value
        row: dict[str, Any] = {"code": code, "name": cat.FUNC_NAMES[code], "amount": number(amount)}
        yoy = by_key.get(f"item_yoy:{code}")
        if yoy:
            row["prior_executed"] = number(yoy[0].value["prior_executed"])
            row["change_pct"] = number(yoy[0].value["change_pct"])
        if basic:
            row["basic"] = number(basic)
        if project:
            row["project"] = number(project)
        row["narrative_name"] = (
            f"{cat.FUNC_NAMES[code[:3]]}（类）{cat.FUNC_NAMES[code[:5]]}（款）{cat.FUNC_NAMES[code]}（项）"
        )
        row |= {"page": s.page, "quote": s.quote}
        if yoy:
            row |= {"yoy_page": yoy[0].page, "yoy_quote": yoy[0].quote}
        out.append(row)
    return out
