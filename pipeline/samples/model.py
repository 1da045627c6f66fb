"""One consistent set of figures for a department's year, from which every table and sentence is printed.

Amounts are drawn in whole cents and every total is the sum of its printed parts, so the identities a
validator checks (T1 closure, 类 = Σ款 = Σ项, 301 = Σ30101…, "三公" 合计 = 出国 + 车辆 + 接待) hold exactly
unless an error is planted on purpose (``misprints``, ``planted``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.money import ZERO, pct, q2, rand_money, split

INCOME_KEYS = [
    "general_budget", "government_fund", "state_capital", "superior_subsidy",
    "business", "operating", "affiliated", "other",
]  # fmt: skip
NA_SOURCES = ["superior_subsidy", "business", "operating", "affiliated", "other"]
COMMON_CODES = {d.code for d in cat.COMMON_ITEMS + cat.OPTIONAL_ITEMS + cat.INSTITUTION_ITEMS}
CORE = {"30101", "30102", "30107", "30201", "30209", "30299"}


@dataclass
class Item:
    """A 项 row: spending by budget (appropriation ``basic``/``project``; ``na_*`` from other income)."""

    code: str
    kind: str
    usage: str
    fund: str
    basic: Decimal = ZERO
    project: Decimal = ZERO
    na_basic: Decimal = ZERO
    na_project: Decimal = ZERO
    budget: Decimal = ZERO  # 年初预算 (一般公共预算 items)
    income: dict[str, Decimal] = field(default_factory=dict)  # T2: 财政拨款 and the other sources
    reason: str = ""
    weight: float = 0.0  # relative size among the department's 一般公共预算 items
    na_share: float = 0.0  # part also paid from non-appropriation income

    @property
    def name(self) -> str:
        return cat.FUNC_NAMES[self.code]

    @property
    def approp(self) -> Decimal:
        return self.basic + self.project

    @property
    def total_basic(self) -> Decimal:
        return self.basic + self.na_basic

    @property
    def total_project(self) -> Decimal:
        return self.project + self.na_project

    @property
    def total(self) -> Decimal:
        return self.total_basic + self.total_project


@dataclass
class ThreePublic:
    """The "三公" figures; keys of the dicts: overseas, purchase, operation, reception."""

    budget: dict[str, Decimal]
    actual: dict[str, Decimal]
    prior: dict[str, Decimal]
    groups: int = 0
    travellers: int = 0
    batches: int = 0
    persons: int = 0
    foreign: Decimal = ZERO
    foreign_batches: int = 0
    foreign_persons: int = 0
    vehicles_owned: int = 0
    vehicles_bought: int = 0

    @staticmethod
    def parts(d: dict[str, Decimal]) -> dict[str, Decimal]:
        """合计, 出国, 车辆小计, 购置, 运行, 接待 from the four leaves."""
        vehicles = d["purchase"] + d["operation"]
        return {
            "total": d["overseas"] + vehicles + d["reception"],
            "overseas": d["overseas"],
            "vehicles": vehicles,
            "purchase": d["purchase"],
            "operation": d["operation"],
            "reception": d["reception"],
        }

    @property
    def any(self) -> bool:
        return self.parts(self.actual)["total"] > 0 or self.parts(self.budget)["total"] > 0


@dataclass
class Planted:
    """A source error put in on purpose; ``refs`` are statement keys whose pages the gold entry lists."""

    kind: str  # rounding | error | share
    severity: str
    description: str
    fields: list[str]
    refs: list[str]


class Named:
    """A sample department's names, the same for every kind of report it publishes: its full name, its file
    slug and the units it consolidates (the dataclasses below carry ``district``, ``district_py``, ``dept``)."""

    district: str
    district_py: str
    dept: cat.DeptDef

    @property
    def name(self) -> str:
        return f"上海市{self.district}{self.dept.name}"

    @property
    def slug(self) -> str:
        return f"{self.district_py}-{self.dept.slug}"

    @property
    def units(self) -> list[str]:
        return [f"{self.name}（本级）"] + [u.format(d=self.district) for u in self.dept.units]


class FundSums:
    """Appropriation by fund ('gb', 'gf', 'sc') summed over the items a report counts in it (``fund_items``)."""

    def fund_items(self, fund: str) -> list[Item]:
        raise NotImplementedError

    def fund_total(self, fund: str) -> Decimal:
        return sum((i.approp for i in self.fund_items(fund)), ZERO)

    def fund_basic(self, fund: str) -> Decimal:
        return sum((i.basic for i in self.fund_items(fund)), ZERO)

    def fund_project(self, fund: str) -> Decimal:
        return sum((i.project for i in self.fund_items(fund)), ZERO)


@dataclass
class Report(Named, FundSums):
    index: int
    district: str
    district_py: str
    dept: cat.DeptDef
    items: list[Item]
    income: dict[str, Decimal]
    carryover_begin: Decimal
    nonapprop_used: Decimal
    balance_distribution: Decimal
    carryover_end: Decimal
    econ: dict[str, Decimal]
    three: ThreePublic
    prior: dict[str, Decimal]
    operating_costs: Decimal
    procurement: dict[str, Decimal]
    assets: dict[str, int]
    performance: dict[str, Decimal | int]
    reasons: dict[str, str]
    misprints: dict[str, Decimal] = field(default_factory=dict)
    planted: list[Planted] = field(default_factory=list)

    # --- totals ---------------------------------------------------------------------------------------
    def fund_items(self, fund: str) -> list[Item]:
        return [i for i in self.items if i.fund == fund]

    @property
    def gb_items(self) -> list[Item]:
        return [i for i in self.fund_items("gb") if i.approp > 0]

    @property
    def income_total(self) -> Decimal:
        return sum((self.income[k] for k in INCOME_KEYS), ZERO)

    @property
    def appropriation_income(self) -> Decimal:
        return self.income["general_budget"] + self.income["government_fund"] + self.income["state_capital"]

    @property
    def summary_total(self) -> Decimal:
        return self.income_total + self.nonapprop_used + self.carryover_begin

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
    def gb_budget(self) -> Decimal:
        return sum((i.budget for i in self.gb_items), ZERO)

    @property
    def personnel(self) -> Decimal:
        return sum((self.econ.get(c, ZERO) for c, _ in cat.ECON_LEFT if len(c) == 5), ZERO)

    @property
    def public(self) -> Decimal:
        return sum((self.econ.get(c, ZERO) for c, _ in cat.ECON_RIGHT if len(c) == 5), ZERO)

    def econ_group(self, group: str) -> Decimal:
        return sum((v for c, v in self.econ.items() if c.startswith(group)), ZERO)

    def printed(self, key: str, true: Decimal) -> Decimal:
        """The figure as the report prints it at ``key``: the true one unless an error was planted there."""
        return self.misprints.get(key, true)


def build_report(index: int, rng: random.Random, dept: cat.DeptDef, district: tuple[str, str]) -> Report:
    """Draw a department's figures; everything downstream prints from this."""
    items = _pick_items(rng, dept)
    gb_total = rand_money(rng, *dept.scale)
    _spend(rng, items, gb_total)
    _budgets(rng, items)
    income, begin, used, end = _income(rng, dept, items)
    three = _three_public(rng, dept, gb_total)
    econ = _economic(rng, items, three)
    report = Report(
        index=index,
        district=district[0],
        district_py=district[1],
        dept=dept,
        items=items,
        income=income,
        carryover_begin=begin,
        nonapprop_used=used,
        balance_distribution=ZERO,
        carryover_end=end,
        econ=econ,
        three=three,
        prior={},
        operating_costs=ZERO,
        procurement={},
        assets={},
        performance={},
        reasons={},
    )
    _prior_and_other(rng, report)
    return report


def _pick_items(rng: random.Random, dept: cat.DeptDef) -> list[Item]:
    defs = list(dept.items) + list(cat.COMMON_ITEMS)
    defs += [d for d in cat.OPTIONAL_ITEMS if rng.random() < 0.6]
    if dept.has_institution:
        defs += cat.INSTITUTION_ITEMS
    # a department drops one or two of its own project lines some years
    own_projects = [d for d in dept.items if d.kind == "project" and d.fund == "gb"]
    for d in rng.sample(own_projects, k=max(0, min(len(own_projects) - 2, rng.choice([0, 0, 1])))):
        defs.remove(d)
    items = [
        Item(
            code=d.code, kind=d.kind, usage=d.usage, fund=d.fund, weight=d.weight, na_share=d.nonappropriation
        )
        for d in defs
    ]
    items.sort(key=lambda i: i.code)
    return items


def _spend(rng: random.Random, items: list[Item], gb_total: Decimal) -> None:
    """Spread 一般公共预算 spending over the items; add fund and non-appropriation spending."""
    own = [i for i in items if i.fund == "gb" and i.code not in COMMON_CODES]
    common = [i for i in items if i.code in COMMON_CODES]
    weights = [i.weight * rng.uniform(0.75, 1.3) for i in own]
    # pensions, medical insurance and housing fund follow the payroll, i.e. the running (basic) items
    running = sum(w for i, w in zip(own, weights, strict=True) if i.kind == "basic")
    parts = split(gb_total, weights + [running * rng.uniform(0.26, 0.34)])
    for it, amount in zip(own, parts, strict=False):
        if it.kind == "basic":
            it.basic = amount
        else:
            it.project = amount
    cw = [i.weight * rng.uniform(0.8, 1.2) for i in common]
    for it, amount in zip(common, split(parts[-1], cw), strict=True):
        it.basic = amount
    for it in items:
        if it.fund in ("gf", "sc"):
            it.project = q2(gb_total * Decimal(str(rng.uniform(0.06, 0.22))))
    na_items = [i for i in items if i.na_share > 0]
    if not na_items and rng.random() < 0.45:
        # a little 其他收入 spent on running costs (interest, rent refunds …)
        na_items = [next(i for i in items if i.code.endswith("01") and i.fund == "gb")]
        na_items[0].na_share = 0.012
    for it in na_items:
        amount = q2(it.approp * Decimal(str(it.na_share * rng.uniform(0.7, 1.3))))
        if it.kind == "basic":
            it.na_basic = amount
        else:
            it.na_project = amount


def _budgets(rng: random.Random, items: list[Item]) -> None:
    """年初预算 per 一般公共预算 item: near the outturn, sometimes equal, now and then 0 (added mid-year)."""
    for it in items:
        if it.fund != "gb" or it.approp == 0:
            continue
        roll = rng.random()
        if roll < 0.2:
            it.budget = it.approp
        elif roll < 0.26 and it.kind == "project":
            it.budget = ZERO
        else:
            factor = rng.uniform(0.93, 1.15) if rng.random() < 0.8 else rng.uniform(0.85, 0.99)
            it.budget = q2(it.approp * Decimal(str(factor)))
        if it.budget > it.approp:
            it.reason = rng.choice(cat.UNDER_BUDGET_REASONS)
        elif it.budget < it.approp:
            it.reason = rng.choice(cat.OVER_BUDGET_REASONS)


def _income(
    rng: random.Random, dept: cat.DeptDef, items: list[Item]
) -> tuple[dict[str, Decimal], Decimal, Decimal, Decimal]:
    """Income by source so that income + 年初结转 + 使用结余 = spending + 年末结转 (T1 closes)."""
    income = {k: ZERO for k in INCOME_KEYS}
    income["general_budget"] = sum((i.approp for i in items if i.fund == "gb"), ZERO)
    income["government_fund"] = sum((i.approp for i in items if i.fund == "gf"), ZERO)
    income["state_capital"] = sum((i.approp for i in items if i.fund == "sc"), ZERO)
    na_spend = sum((i.na_basic + i.na_project for i in items), ZERO)
    begin = used = end = ZERO
    if na_spend > 0:
        begin = q2(na_spend * Decimal(str(rng.uniform(0.05, 0.35))))
        end = q2(na_spend * Decimal(str(rng.uniform(0.04, 0.3))))
        if rng.random() < 0.25:
            used = q2(na_spend * Decimal(str(rng.uniform(0.02, 0.06))))
        na_income = na_spend + end - begin - used
        if dept.business_income:
            shares = {"business": 0.82, "other": 0.18}
            if rng.random() < 0.35:
                shares["superior_subsidy"] = 0.1
        else:
            shares = {"other": 1.0}
        keys = list(shares)
        for k, v in zip(keys, split(na_income, [shares[k] for k in keys]), strict=True):
            income[k] = v
        na_items = [i for i in items if i.na_basic + i.na_project > 0]
        for k in keys:
            per_item = split(income[k], [float(i.na_basic + i.na_project) for i in na_items])
            for it, v in zip(na_items, per_item, strict=True):
                it.income[k] = v
    for it in items:
        it.income["appropriation"] = it.approp
        for k in NA_SOURCES:
            it.income.setdefault(k, ZERO)
    return income, begin, used, end


def _three_public(rng: random.Random, dept: cat.DeptDef, gb_total: Decimal) -> ThreePublic:
    zero = {"overseas": ZERO, "purchase": ZERO, "operation": ZERO, "reception": ZERO}
    if rng.random() < 0.15:
        return ThreePublic(budget=dict(zero), actual=dict(zero), prior=dict(zero))
    big = gb_total > 5000
    vehicles = rng.choice([0, 1, 2]) + (rng.choice([1, 2, 3]) if big else 0)
    actual = dict(zero)
    actual["reception"] = rand_money(rng, 0.12, 3.5 if big else 1.2)
    if vehicles:
        actual["operation"] = rand_money(rng, 1.6 * vehicles, 3.2 * vehicles)
    bought = 0
    if vehicles and rng.random() < 0.25:
        bought = 1
        actual["purchase"] = rand_money(rng, 16, 26)
    groups = travellers = 0
    if big and rng.random() < 0.4:
        groups = rng.choice([1, 1, 2])
        travellers = groups * rng.choice([2, 3, 4])
        actual["overseas"] = rand_money(rng, 2.5 * travellers, 4.5 * travellers)
    budget = {}
    for k, v in actual.items():
        if v == 0:
            budget[k] = ZERO if rng.random() < 0.8 or k == "purchase" else q2(Decimal(rng.choice([1, 2, 3])))
        else:
            budget[k] = max(v, q2(v * Decimal(str(rng.uniform(1.0, 1.5)))))
            if rng.random() < 0.5:  # budgets are often round figures
                budget[k] = max(v, Decimal(int(budget[k]) + 1).quantize(Decimal("0.01")))
    prior = {}
    for k, v in actual.items():
        if k == "purchase":
            prior[k] = ZERO if rng.random() < 0.7 else rand_money(rng, 15, 25)
        elif v == 0:
            prior[k] = ZERO
        else:
            prior[k] = q2(v * Decimal(str(rng.uniform(0.7, 1.35))))
    batches = persons = 0
    if actual["reception"] > 0:
        batches = max(1, int(actual["reception"] / Decimal(str(rng.uniform(0.06, 0.15)))))
        persons = batches * rng.randint(4, 9)
    foreign = ZERO
    fb = fp = 0
    if actual["reception"] > 1 and rng.random() < 0.25:
        foreign = q2(actual["reception"] * Decimal(str(rng.uniform(0.05, 0.2))))
        fb = 1
        fp = rng.randint(3, 8)
    return ThreePublic(
        budget=budget, actual=actual, prior=prior, groups=groups, travellers=travellers,
        batches=batches, persons=persons, foreign=foreign, foreign_batches=fb, foreign_persons=fp,
        vehicles_owned=vehicles, vehicles_bought=bought,
    )  # fmt: skip


# functional 项 → the economic line that carries it in T6
TIED = {
    "2080505": "30108",
    "2080506": "30109",
    "2101101": "30110",
    "2101102": "30110",
    "2101103": "30111",
    "2210201": "30113",
    "2080501": "30302",
    "2210203": "30399",
}


def _economic(rng: random.Random, items: list[Item], three: ThreePublic) -> dict[str, Decimal]:
    """T6: 一般公共预算 基本支出 by economic line; the leaves add up to the 基本支出 of T5 exactly."""
    econ: dict[str, Decimal] = {}
    running = ZERO
    for it in items:
        if it.fund != "gb" or it.basic == 0:
            continue
        line = TIED.get(it.code)
        if line:
            econ[line] = econ.get(line, ZERO) + it.basic
        else:
            running += it.basic
    a = three.actual
    econ["30212"] = a["overseas"]
    econ["30231"] = a["operation"]
    econ["30217"] = a["reception"]
    econ["31013"] = a["purchase"]
    fixed = a["overseas"] + a["operation"] + a["reception"] + a["purchase"]
    personnel = q2(running * Decimal(str(rng.uniform(0.72, 0.86))))
    # some lines are 0.00 in a given year, never the core pay lines or office costs
    pkeys = list(cat.PERSONNEL_WEIGHTS)
    pw = [
        cat.PERSONNEL_WEIGHTS[k] * rng.uniform(0.6, 1.4) * (k in CORE or rng.random() > 0.12) for k in pkeys
    ]
    for k, v in zip(pkeys, split(personnel, pw), strict=True):
        econ[k] = v
    public = running - personnel - fixed
    ukeys = list(cat.PUBLIC_WEIGHTS)
    uw = [cat.PUBLIC_WEIGHTS[k] * rng.uniform(0.5, 1.5) * (k in CORE or rng.random() > 0.2) for k in ukeys]
    for k, v in zip(ukeys, split(public, uw), strict=True):
        econ[k] = econ.get(k, ZERO) + v
    return econ


def _prior_and_other(rng: random.Random, r: Report) -> None:
    """Prior-year figures, 机关运行经费, 政府采购, assets and 绩效 — the narrative's own numbers."""

    def drift(x: Decimal, lo: float = 0.82, hi: float = 1.18) -> Decimal:
        return q2(x * Decimal(str(rng.uniform(lo, hi))))

    # last year's totals are built from last year's parts, so they move together as this year's do
    prior_gb = drift(r.fund_total("gb"))
    prior_funds = sum((drift(r.fund_total(f), 0.6, 1.4) for f in ("gf", "sc")), ZERO)
    prior_other = drift(r.summary_total - r.appropriation_income, 0.7, 1.3)
    r.prior = {
        "summary": prior_gb + prior_funds + prior_other,
        "appropriation": prior_gb + prior_funds,
        "general_budget": prior_gb,
        "operating_costs": ZERO,
    }
    r.operating_costs = q2(r.public * Decimal(str(rng.uniform(0.6, 0.95))))
    r.prior["operating_costs"] = drift(r.operating_costs, 0.85, 1.2)
    for key, now in (("summary", r.summary_total), ("appropriation", r.appropriation_income),
                     ("general_budget", r.fund_total("gb")), ("operating_costs", r.operating_costs)):  # fmt: skip
        up = now >= r.prior[key]
        r.reasons[key] = rng.choice(cat.INCREASE_REASONS if up else cat.DECREASE_REASONS)
    gb = r.fund_total("gb")
    budget = r.gb_budget
    r.reasons["general_budget.budget"] = rng.choice(
        cat.UNDER_BUDGET_REASONS if budget > gb else cat.OVER_BUDGET_REASONS
    )
    r.reasons["three_public"] = rng.choice(
        [
            "严格执行中央八项规定精神，厉行节约，压减公务接待和公务用车支出",
            "按实际工作需要支出，从严控制“三公”经费",
        ]
    )
    total = q2(gb * Decimal(str(rng.uniform(0.03, 0.12))))
    works = ZERO if rng.random() < 0.6 else q2(total * Decimal(str(rng.uniform(0.05, 0.3))))
    services, goods = split(total - works, [rng.uniform(0.4, 0.8), rng.uniform(0.2, 0.5)])
    sme_reserved = q2(total * Decimal(str(rng.uniform(0.4, 0.8))))
    small_reserved = q2(sme_reserved * Decimal(str(rng.uniform(0.6, 1.0))))
    sme_in_reserved = q2(sme_reserved * Decimal(str(rng.uniform(0.85, 1.0))))
    small_in_reserved = min(small_reserved, q2(sme_in_reserved * Decimal(str(rng.uniform(0.7, 1.0)))))
    sme_other = q2((total - sme_reserved) * Decimal(str(rng.uniform(0.2, 0.8))))
    sme = sme_in_reserved + sme_other
    r.procurement = {
        "total": total, "goods": goods, "works": works, "services": services,
        "sme_reserved": sme_reserved, "small_reserved": small_reserved,
        "sme_in_reserved": sme_in_reserved, "small_in_reserved": small_in_reserved,
        "sme_other": sme_other, "sme": sme, "sme_share": pct(sme, total),
    }  # fmt: skip
    r.assets = {
        "vehicles": r.three.vehicles_owned + (1 if rng.random() < 0.2 else 0),
        "equipment": rng.choice([0, 0, 1, 2, 3]) if gb > 10000 else 0,
    }
    projects = [i for i in r.gb_items if i.project > 0]
    n = len(projects) + rng.choice([0, 1, 2])
    amount = q2(sum((i.project for i in projects), ZERO) * Decimal(str(rng.uniform(0.8, 1.0))))
    evaluated = max(1, n - rng.choice([0, 0, 1]))
    excellent = max(1, evaluated - rng.choice([0, 1, 2]))
    r.performance = {
        "targets": n, "targets_amount": amount, "tracked": n, "tracked_amount": amount,
        "evaluated": evaluated, "evaluated_amount": q2(amount * Decimal(str(rng.uniform(0.85, 1.0)))),
        "avg_score": q2(Decimal(str(rng.uniform(91, 99)))), "excellent": excellent,
        "good": evaluated - excellent, "problems": rng.choice([0, 1, 2, 3]),
    }  # fmt: skip
