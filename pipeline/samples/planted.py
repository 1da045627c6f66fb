"""Source errors put into a report on purpose, so the validator has known inconsistencies to find.

Each kind changes what is printed in one place (``Report.misprints``) and records a gold
``source_inconsistencies`` entry; the entry's pages are filled in after layout from its ``refs``.
"""

from __future__ import annotations

import random
from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.look import TableLook
from pipeline.samples.model import Planted, Report
from pipeline.samples.money import ZERO, money, pct, q2

KINDS = ("rounding", "error", "share")


def kinds_for(index: int, rng: random.Random) -> list[str]:
    """Sample 1 is clean, 2 has a rounding slip and a real error, 3 a wrong narrative share; later ones vary."""
    fixed = {1: [], 2: ["rounding", "error"], 3: ["share"]}
    if index in fixed:
        return fixed[index]
    return rng.choice([[], ["rounding"], ["error"], ["share"], ["rounding", "share"]])


def plant(r: Report, kinds: list[str], rng: random.Random, look: TableLook) -> None:
    """Plant ``kinds`` of errors; the descriptions quote table figures as ``look`` prints them."""
    for kind in kinds:
        {"rounding": _rounding, "error": _error, "share": _share}[kind](r, rng, look)


def _shown(look: TableLook, x: Decimal) -> str:
    """A table figure as printed, its unit named where it is not the 万元 of the 说明."""
    return look.amount(x) + ("" if look.unit == "万元" else f" {look.unit}")


def _rounding(r: Report, rng: random.Random, look: TableLook) -> None:
    true = r.public
    shown = true + Decimal("0.01")
    r.misprints["T6.public"] = shown
    basic = r.fund_basic("gb")
    r.planted.append(
        Planted(
            kind="rounding",
            severity="rounding",
            description=(
                f"T6 公用经费合计 is printed {_shown(look, shown)} (and 说明六 repeats it in 万元), but the 302/310 "
                f"lines add up to {_shown(look, true)}; 人员经费合计 {_shown(look, r.personnel)} + 公用经费合计 "
                f"{_shown(look, shown)} = {_shown(look, r.personnel + shown)}, while 一般公共预算财政拨款基本支出 is "
                f"{_shown(look, basic)} in T5 and {money(basic)} 万元 in 说明六 (0.01 万元 difference)."
            ),
            fields=["basic_expenditure.public", "basic_expenditure.total"],
            refs=["basic_expenditure.public", "basic_expenditure.total"],
        )
    )


def _error(r: Report, rng: random.Random, look: TableLook) -> None:
    true = r.income_total
    shown = true + Decimal(100)
    r.misprints["T1.income_total"] = shown
    r.planted.append(
        Planted(
            kind="error",
            severity="error",
            description=(
                f"T1 本年收入合计 is printed {_shown(look, shown)}, but the T1 income rows add up to "
                f"{_shown(look, true)}, which is also the T2 合计 and the 说明二 figure; with it T1 does not close "
                f"(本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = "
                f"{_shown(look, shown + r.nonapprop_used + r.carryover_begin)} ≠ 总计 {_shown(look, r.summary_total)}). "
                "Off by 100.00 万元."
            ),
            fields=["income.total", "summary.total"],
            refs=["income.total"],
        )
    )


def _share(r: Report, rng: random.Random, look: TableLook) -> None:
    g = r.fund_total("gb")
    classes: dict[str, Decimal] = {}
    for it in r.gb_items:
        classes[it.code[:3]] = classes.get(it.code[:3], ZERO) + it.approp
    code = rng.choice(sorted(classes))
    true = pct(classes[code], g)
    delta = q2(Decimal(str(rng.uniform(1.2, 3.5))))
    shown = true + delta if true < 50 else true - delta
    r.misprints[f"N5.share.{code}"] = shown
    r.planted.append(
        Planted(
            kind="share",
            severity="error",
            description=(
                f"说明五(二): {cat.FUNC_NAMES[code]}（类） {money(classes[code])} / {money(g)} = {true:.2f}%, "
                f"but the text prints {shown:.2f}%."
            ),
            fields=["general_budget.by_class"],
            refs=[f"by_class_share:{code}"],
        )
    )
