"""One consistent set of figures for a department's 部门预算 (budget), from which its tables and 编制说明 print.

The 决算 model's machinery draws the items and their spending (``model._pick_items``, ``model._spend``), the
"三公" figures (``model._three_public``) and the economic lines of 基本支出 (``model._economic``); this module
adds what a budget states instead of an outturn: income by source (财政拨款 by fund, 事业收入, 事业单位经营收入,
其他收入) that balances spending, last year's 预算执行数 of each 一般公共预算 项 and its printed change, last
year's budgets, and 机关运行经费. Amounts are 万元 in whole cents (whole hundreds of 元), so every total is the
sum of its parts in both units: Σ项 = 款 = 类 = 合计, 基本 + 项目 = 合计, 收入 = 支出, 人员 + 公用 = 基本支出,
"三公" = 出国 + 车辆 + 接待, 车辆 = 购置 + 运行, unless an error is planted (``misprints``, ``planted``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.model import (
    FundSums,
    Item,
    Named,
    Planted,
    ThreePublic,
    _economic,
    _pick_items,
    _spend,
    _three_public,
)
from pipeline.samples.money import ZERO, pct, q2, rand_money, split

# Income sources of a budget besides 财政拨款 (the keys of ``Item.income`` and ``BudgetReport.income``).
OTHER_SOURCES = ("business", "operating", "other")
FUNDS = ("gb", "gf", "sc")  # 一般公共预算, 政府性基金, 国有资本经营预算


@dataclass
class BudgetReport(Named, FundSums):
    index: int
    year: int
    district: str
    district_py: str
    dept: cat.DeptDef
    items: list[Item]  # 财政拨款 in basic/project, other income's spending in na_basic/na_project
    prior_executed: dict[str, Decimal]  # 一般公共预算 项 → last year's 预算执行数
    item_reasons: dict[str, str]
    econ: dict[str, Decimal]  # 一般公共预算 基本支出 by economic line (B8)
    three: dict[str, Decimal]  # "三公" budget: overseas, purchase, operation, reception
    three_prior: dict[str, Decimal]  # last year's "三公" budget
    prior: dict[str, Decimal]  # last year's budgets: appropriation, gb, gf, sc
    operating_costs: Decimal
    reasons: dict[str, str]
    misprints: dict[str, Decimal] = field(default_factory=dict)
    planted: list[Planted] = field(default_factory=list)

    # --- totals ---------------------------------------------------------------------------------------
    def fund_items(self, fund: str) -> list[Item]:
        return [i for i in self.items if i.fund == fund and i.approp > 0]

    @property
    def gb_items(self) -> list[Item]:
        return self.fund_items("gb")

    @property
    def appropriation(self) -> Decimal:
        return sum((self.fund_total(f) for f in FUNDS), ZERO)

    def source(self, key: str) -> Decimal:
        """Income from ``key``: appropriation or one of ``OTHER_SOURCES``."""
        return sum((i.income.get(key, ZERO) for i in self.items), ZERO)

    @property
    def income_total(self) -> Decimal:
        return self.appropriation + sum((self.source(k) for k in OTHER_SOURCES), ZERO)

    @property
    def expenditure_basic(self) -> Decimal:
        return sum((i.total_basic for i in self.items), ZERO)

    @property
    def expenditure_project(self) -> Decimal:
        return sum((i.total_project for i in self.items), ZERO)

    @property
    def expenditure_total(self) -> Decimal:
        return self.expenditure_basic + self.expenditure_project

    @property
    def personnel(self) -> Decimal:
        """人员经费: the 301 and 303 lines."""
        return sum((v for c, v in self.econ.items() if c[:3] in ("301", "303")), ZERO)

    @property
    def public(self) -> Decimal:
        """公用经费: the 302 and 310 lines."""
        return sum((v for c, v in self.econ.items() if c[:3] in ("302", "310")), ZERO)

    @property
    def three_parts(self) -> dict[str, Decimal]:
        return ThreePublic.parts(self.three)

    @property
    def three_prior_parts(self) -> dict[str, Decimal]:
        return ThreePublic.parts(self.three_prior)

    def change_pct(self, code: str) -> Decimal:
        """An item's change on last year's 预算执行数, in percent rounded to 0.01, as the 编制说明 computes it."""
        it = next(i for i in self.gb_items if i.code == code)
        prior = self.prior_executed[code]
        return pct(it.approp - prior, prior)

    def printed(self, key: str, true: Decimal) -> Decimal:
        """The figure as the report prints it at ``key``: the true one unless an error was planted there."""
        return self.misprints.get(key, true)


def build_budget(index: int, rng: random.Random, dept: cat.DeptDef, district: tuple[str, str]) -> BudgetReport:
    """Draw a department's budget; everything downstream prints from this."""
    items = _pick_items(rng, dept)
    gb_total = rand_money(rng, *dept.scale)
    _spend(rng, items, gb_total)
    _income(rng, dept, items)
    tp = _three_public(rng, dept, gb_total)
    while ThreePublic.parts(tp.budget)["total"] == 0:  # a department with no "三公" at all has no budget for it
        tp = _three_public(rng, dept, gb_total)
    three = dict(tp.budget)
    # the budget's own economic lines carry the running "三公" costs; a car bought is a project
    running = dict(three, purchase=ZERO)
    econ = _economic(rng, items, ThreePublic(budget=three, actual=running, prior=tp.prior))
    report = BudgetReport(
        index=index,
        year=cat.YEAR,
        district=district[0],
        district_py=district[1],
        dept=dept,
        items=items,
        prior_executed={},
        item_reasons={},
        econ={c: v for c, v in econ.items() if v != 0},
        three=three,
        three_prior=dict(tp.prior),
        prior={},
        operating_costs=ZERO,
        reasons={},
    )
    _last_year(rng, report)
    return report


def _income(rng: random.Random, dept: cat.DeptDef, items: list[Item]) -> None:
    """Each item's income by source: its appropriation, and the non-appropriation part of its spending
    from 事业收入 (units with business income), now and then 事业单位经营收入, or 其他收入 — a budget balances."""
    if dept.business_income:
        shares = {"business": 0.85, "other": 0.15}
        if rng.random() < 0.35:
            shares["operating"] = 0.08
    else:
        shares = {"other": 1.0}
    for it in items:
        it.income = {"appropriation": it.approp} | dict.fromkeys(OTHER_SOURCES, ZERO)
        na = it.na_basic + it.na_project
        if na > 0:
            keys = [k for k in OTHER_SOURCES if k in shares]
            for k, v in zip(keys, split(na, [shares[k] for k in keys]), strict=True):
                it.income[k] = v


ITEM_UP = ["{name}经费增加", "项目调整", "根据工作需要，{name}经费有所增加", "人员经费按政策调整增加"]
ITEM_DOWN = ["{name}经费减少", "项目调整", "落实过紧日子要求，压减一般性支出", "上年度一次性项目完成"]


def _last_year(rng: random.Random, r: BudgetReport) -> None:
    """Last year's 预算执行数 per 一般公共预算 项 (never 0: the rate is on it), last year's budgets, reasons,
    and 机关运行经费 (part of 公用经费)."""

    def drift(x: Decimal, lo: float, hi: float) -> Decimal:
        return q2(x * Decimal(str(rng.uniform(lo, hi))))

    for it in r.gb_items:
        prior = it.approp if rng.random() < 0.12 else max(Decimal("0.01"), drift(it.approp, 0.65, 1.4))
        r.prior_executed[it.code] = prior
        if prior == it.approp:
            reason = f"{it.name}经费保持不变"
        else:
            reason = rng.choice(ITEM_UP if it.approp > prior else ITEM_DOWN).format(name=it.name)
        r.item_reasons[it.code] = reason
    r.prior = {"gb": drift(r.fund_total("gb"), 0.88, 1.12)}
    for f in ("gf", "sc"):
        now = r.fund_total(f)
        r.prior[f] = drift(now, 0.6, 1.4) if now > 0 else (ZERO if rng.random() < 0.8 else rand_money(rng, 50, 400))
    r.prior["appropriation"] = r.prior["gb"] + r.prior["gf"] + r.prior["sc"]
    up = r.appropriation >= r.prior["appropriation"]
    r.reasons["appropriation"] = rng.choice(cat.INCREASE_REASONS if up else cat.DECREASE_REASONS)
    r.reasons["three_public"] = rng.choice(
        ["严格执行中央八项规定精神，厉行节约，从严控制“三公”经费", "按实际工作需要安排"]
    )
    r.operating_costs = drift(r.public, 0.6, 0.95)


def change_words(now: Decimal, prior: Decimal) -> tuple[str, Decimal]:
    """('增加'|'减少'|'持平', the absolute change)."""
    d = now - prior
    return ("持平" if d == 0 else "增加" if d > 0 else "减少"), abs(d)


def yoy_rates(r: BudgetReport) -> dict[str, Decimal]:
    """Each 一般公共预算 项's change rate as printed (a planted misprint where there is one)."""
    return {it.code: r.printed(f"yoy.{it.code}", r.change_pct(it.code)) for it in r.gb_items}


# --- planted errors ------------------------------------------------------------------------------------

KINDS = ("yoy",)


def kinds_for(index: int, rng: random.Random) -> list[str]:
    """Budget sample 1 is clean, 2 prints one wrong change rate; later ones vary."""
    fixed: dict[int, list[str]] = {1: [], 2: ["yoy"]}
    if index in fixed:
        return fixed[index]
    return rng.choice([[], [], ["yoy"]])


def plant(r: BudgetReport, kinds: list[str], rng: random.Random) -> None:
    for kind in kinds:
        {"yoy": _yoy}[kind](r, rng)


def _yoy(r: BudgetReport, rng: random.Random) -> None:
    """One 项's 比上年预算执行数增加/减少 rate printed off by a few points (its direction kept)."""
    changed = [it for it in r.gb_items if r.prior_executed[it.code] != it.approp]
    it = rng.choice(changed)
    true = r.change_pct(it.code)
    delta = q2(Decimal(str(rng.uniform(1.5, 6.0))))
    shown = true + delta if true > 0 else true - delta
    r.misprints[f"yoy.{it.code}"] = shown
    prior = r.prior_executed[it.code]
    r.planted.append(
        Planted(
            kind="yoy",
            severity="error",
            description=(
                f"编制说明: {cat.FUNC_NAMES[it.code[:3]]}（类）{cat.FUNC_NAMES[it.code[:5]]}（款）{it.name}（项） "
                f"{it.approp:.2f} 万元 against {r.year - 1}年预算执行数 {prior:.2f} 万元 is a change of "
                f"{true:.2f}%, but the text prints {abs(shown):.2f}% ({'增加' if shown > 0 else '减少'})."
            ),
            fields=["general_budget.items"],
            refs=[f"item_yoy:{it.code}"],
        )
    )
