"""Which keys fit a table's unnamed columns, judged by the table's own arithmetic.

Within each row of most standard tables a total is the sum of its parts (T5: 合计 = 基本支出 + 项目支出), so
a guess at what unnamed columns hold can be checked against every row before a single figure is taken from
them. A small model's guess at a header is often wrong (it took 本期发生额 for 项目支出); a mapping under
which the rows do not add up is never used, and where the rows decide alone, no model is needed.
Parts of one sum are interchangeable to arithmetic (基本 and 项目 both add up to 合计): those ties are left to
the header words or the model, and stay unmapped when neither settles them.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

from pipeline.document import Table
from pipeline.record.money import parse_amount
from pipeline.record.table_columns import ColumnPlan
from pipeline.record.tables import StandardTable

ROW_SUMS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "T2": [("total", ("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"))],
    "T3": [("total", ("basic", "project", "remit_superior", "operating", "affiliated_subsidy"))],
    "T4": [("total", ("general_budget", "government_fund", "state_capital"))],
    "T5": [("total", ("basic", "project")), ("basic", ("personnel", "public"))],
    "T7": [("total", ("overseas", "vehicles", "reception")), ("vehicles", ("vehicle_purchase", "vehicle_operation"))],
    "T8": [("expenditure", ("basic", "project"))],
    "T9": [("expenditure", ("basic", "project"))],
}
_TOLERANCE = Decimal("0.011")
_MIN_ROWS = 2


def _rows(table: Table, plan: ColumnPlan, columns: list[int]) -> list[dict[int, Decimal]]:
    grid = table.grid()[plan.header_rows:]
    out = []
    for row in grid:
        values = {k: v for k in columns if (v := parse_amount(row[k])) is not None}
        if values:
            out.append(values)
    return out


def fit(table: Table, plan: ColumnPlan, keys: dict[int, str]) -> tuple[int, int]:
    """(rows whose sums hold, rows checked) when the columns hold ``keys`` (with the header's own keys)."""
    by_key = {c.key: c.index for c in plan.columns if c.role == "value" and c.key and not c.budget}
    by_key.update({key: col for col, key in keys.items()})
    rows = _rows(table, plan, list(by_key.values()))
    held = checked = 0
    for values in rows:
        for total, parts in ROW_SUMS.get(plan.table_id, []):
            present = [by_key[p] for p in parts if p in by_key]
            if total not in by_key or len(present) < 2 or by_key[total] not in values:
                continue
            if not any(values.get(c, Decimal(0)) != 0 for c in present):
                continue  # an all-zero row tells nothing
            checked += 1
            got = sum((values.get(c, Decimal(0)) for c in present), Decimal(0))
            held += abs(got - values[by_key[total]]) <= _TOLERANCE
    return held, checked


def consistent(table: Table, plan: ColumnPlan, keys: dict[int, str]) -> bool:
    """The rows check the mapping and every row checked adds up. Where the mapped columns print amounts
    other than zero on two rows or more, a mapping must make some sum checkable: one that puts the columns
    where no sum can test them is not accepted on trust."""
    held, checked = fit(table, plan, keys)
    nonzero = sum(1 for values in _rows(table, plan, list(keys)) if any(v != 0 for v in values.values()))
    if nonzero >= _MIN_ROWS and plan.table_id in ROW_SUMS and checked < _MIN_ROWS:
        return False
    return held == checked


def by_sums(table: Table, plan: ColumnPlan, columns: list[int]) -> dict[int, str]:
    """The keys of ``columns`` that the rows' sums fix: what every assignment under which all checkable rows
    (at least two) add up agrees on. Parts the sums cannot tell apart are left out."""
    taken = {c.key for c in plan.columns if c.role == "value" and c.key}
    keys = [k for total, parts in ROW_SUMS.get(plan.table_id, []) for k in (total, *parts)]
    keys = list(dict.fromkeys(k for k in keys if k not in taken))
    if not columns or len(columns) > 6 or not keys:
        return {}
    fits: list[dict[int, str]] = []
    for n in range(min(len(columns), len(keys)), 0, -1):
        for cols in permutations(columns, n):
            if list(cols) != sorted(cols):
                continue
            for combo in permutations(keys, n):
                cand = dict(zip(cols, combo, strict=True))
                held, checked = fit(table, plan, cand)
                if checked >= _MIN_ROWS and held == checked:
                    fits.append(cand)
        if fits:
            break
    if not fits:
        return {}
    main = ROW_SUMS[plan.table_id][0][0]  # a table's own total (合计) before a sub-total (基本 = 人员 + 公用)
    fits = [f for f in fits if main in f.values()] or fits
    return {col: key for col, key in fits[0].items() if all(f.get(col) == key for f in fits)}


def typed_fit(table: StandardTable) -> tuple[int, int]:
    """(rows whose sums hold, rows checked) of a typed table: how well a reading of it adds up."""
    held = checked = 0
    for row in table.rows:
        values = {k: f.value for k, f in row.values.items()}
        for total, parts in ROW_SUMS.get(table.id, []):
            present = [values[p] for p in parts if p in values]
            if total not in values or len(present) < 2 or not any(present):
                continue
            checked += 1
            held += abs(sum(present, Decimal(0)) - values[total]) <= _TOLERANCE
    return held, checked
