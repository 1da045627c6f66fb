"""Source errors put into a report on purpose, so the validator has known inconsistencies to find.

Each kind changes what is printed in one place (``Report.misprints``) and records a gold
``source_inconsistencies`` entry; the entry's pages are filled in after layout from its ``refs``.
"""

from __future__ import annotations

import random
from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.model import Planted, Report
from pipeline.samples.money import ZERO, money, pct, q2

KINDS = ("rounding", "error", "share")


def kinds_for(index: int, rng: random.Random) -> list[str]:
    """Sample 1 is clean, 2 has a rounding slip and a real error, 3 a wrong narrative share; later ones vary."""
    fixed = {1: [], 2: ["rounding", "error"], 3: ["share"]}
    if index in fixed:
        return fixed[index]
    return rng.choice([[], ["rounding"], ["error"], ["share"], ["rounding", "share"]])


def plant(r: Report, kinds: list[str], rng: random.Random) -> None:
    for kind in kinds:
        {"rounding": _rounding, "error": _error, "share": _share}[kind](r, rng)


def _rounding(r: Report, rng: random.Random) -> None:
    true = r.public
    shown = true + Decimal("0.01")
    r.misprints["T6.public"] = shown
    basic = r.fund_basic("gb")
    r.planted.append(
        Planted(
            kind="rounding",
            severity="rounding",
            description=(
                f"T6 公用经费合计 is printed {money(shown)} (and 说明六 repeats it), but the 302/310 lines add up to "
                f"{money(true)}; 人员经费合计 {money(r.personnel)} + 公用经费合计 {money(shown)} = "
                f"{money(r.personnel + shown)}, while 一般公共预算财政拨款基本支出 is {money(basic)} in T5 and 说明六 "
                "(0.01 difference)."
            ),
            fields=["basic_expenditure.public", "basic_expenditure.total"],
            refs=["basic_expenditure.public", "basic_expenditure.total"],
        )
    )


def _error(r: Report, rng: random.Random) -> None:
    true = r.income_total
    shown = true + Decimal(100)
    r.misprints["T1.income_total"] = shown
    r.planted.append(
        Planted(
            kind="error",
            severity="error",
            description=(
                f"T1 本年收入合计 is printed {money(shown)}, but the T1 income rows add up to {money(true)}, which is "
                f"also the T2 合计 and the 说明二 figure; with it T1 does not close (本年收入合计 + 使用非财政拨款结余 + "
                f"年初结转和结余 = {money(shown + r.nonapprop_used + r.carryover_begin)} ≠ 总计 {money(r.summary_total)}). "
                "Off by 100.00."
            ),
            fields=["income.total", "summary.total"],
            refs=["income.total"],
        )
    )


def _share(r: Report, rng: random.Random) -> None:
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
