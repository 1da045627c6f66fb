"""A minimal rule catalog for the 部门预算, until the budget's own catalog replaces this file: every figure
against its own text (grounding, one item stated two ways, direction words), and the few identities every
budget prints — B1 balances, income and spending by their parts, 基本支出 by 人员/公用经费, the 三公 items.
"""

from __future__ import annotations

from pipeline.reports.common import GROUNDING
from pipeline.validate.checks.arith import Balance
from pipeline.validate.rules import Rule, Section, catalog

CORE_TABLES = ("B1", "B3", "B5")  # no total is checked without them: their absence is our reading's

GROUNDING_SECTION = Section(title="引文与措辞 — every figure against its own text", rules=GROUNDING)

TOTALS = Section(
    title="收支总表 (B1–B5, B8) — totals close",
    words={
        "B1 收入总计": "B1[in:grand_total].amount",
        "B1 支出总计": "B1[out:grand_total].amount",
        "本年收入": "income.total",
        "财政拨款收入": "income.appropriation",
        "事业收入": "income.business",
        "事业单位经营收入": "income.operating",
        "其他收入": "income.other",
        "本年支出": "expenditure.total",
        "基本支出": "expenditure.basic",
        "项目支出": "expenditure.project",
        "一般公共预算支出": "general_budget.total",
        "一般公共预算基本支出": "general_budget.basic",
        "一般公共预算项目支出": "general_budget.project",
        "基本支出合计": "basic_expenditure.total",
        "人员经费": "basic_expenditure.personnel",
        "公用经费": "basic_expenditure.public",
    },
    rules=(
        Rule(
            id="B1.balanced",
            title_zh="收入总计 = 支出总计",
            title_en="B1 balances",
            identity="B1 收入总计 = B1 支出总计",
            check=Balance(left=("B1[in:grand_total].amount",), right=("B1[out:grand_total].amount",)),
        ),
        Rule(
            id="BINC.sources",
            title_zh="本年收入 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入",
            title_en="income = Σ sources",
            identity="本年收入 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入",
            check=Balance(
                left=("income.total",),
                right=("income.appropriation", "income.business", "income.operating", "income.other"),
            ),
        ),
        Rule(
            id="BEXP.parts",
            title_zh="本年支出 = 基本支出 + 项目支出",
            title_en="expenditure = basic + project",
            identity="本年支出 = 基本支出 + 项目支出",
            check=Balance(left=("expenditure.total",), right=("expenditure.basic", "expenditure.project")),
        ),
        Rule(
            id="BGB.parts",
            title_zh="一般公共预算支出 = 基本支出 + 项目支出",
            title_en="general budget = basic + project",
            identity="一般公共预算支出 = 一般公共预算基本支出 + 一般公共预算项目支出",
            check=Balance(left=("general_budget.total",), right=("general_budget.basic", "general_budget.project")),
        ),
        Rule(
            id="BBE.parts",
            title_zh="基本支出 = 人员经费 + 公用经费",
            title_en="basic = personnel + public",
            identity="基本支出合计 = 人员经费 + 公用经费",
            check=Balance(
                left=("basic_expenditure.total",),
                right=("basic_expenditure.personnel", "basic_expenditure.public"),
            ),
        ),
    ),
)

THREE_PUBLIC = Section(
    title="“三公”经费 (B9) — the items add up",
    words={
        "“三公”经费": "three_public.total",
        "因公出国（境）费": "three_public.overseas",
        "公务用车购置及运行费": "three_public.vehicles",
        "公务用车购置费": "three_public.vehicle_purchase",
        "公务用车运行费": "three_public.vehicle_operation",
        "公务接待费": "three_public.reception",
    },
    rules=(
        Rule(
            id="BTP.items",
            title_zh="“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
            title_en="三公 = Σ items",
            identity="“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
            check=Balance(
                left=("three_public.total",),
                right=("three_public.overseas", "three_public.vehicles", "three_public.reception"),
            ),
        ),
        Rule(
            id="BTP.vehicles",
            title_zh="公务用车购置及运行费 = 购置费 + 运行费",
            title_en="vehicles = purchase + operation",
            identity="公务用车购置及运行费 = 公务用车购置费 + 公务用车运行费",
            check=Balance(
                left=("three_public.vehicles",),
                right=("three_public.vehicle_purchase", "three_public.vehicle_operation"),
            ),
        ),
    ),
)

SECTIONS = (GROUNDING_SECTION, TOTALS, THREE_PUBLIC)
RULES = catalog(*SECTIONS)
