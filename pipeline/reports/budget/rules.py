"""The 部门预算's rule catalog: every identity the validator checks on a budget report, as data.

Read it as the 决算's (``pipeline/reports/final_accounts/rules.py``): sections of rules, each with its id,
Chinese and English titles, the identity as printed and the check that computes it; a section's ``words`` say
what its identities' words stand for, and a ``Family`` is one rule written out for each member it lists.

The budget's standard tables are B1…B9: B1 部门财务收支预算总表 (two-sided: ``in:``/``out:`` rows), B2 部门收入
预算总表, B3 部门支出预算总表, B4 部门财政拨款收支预算总表, B5 一般公共预算支出功能分类预算表, B6 政府性基金
and B7 国有资本经营 (B5's columns), B8 一般公共预算基本支出经济分类预算表, B9 “三公”经费和机关运行经费预算表.
Amounts are 万元. Every id starts ``BUD.``, but for the rules every kind shares (GRD, AMB, NAR, PL).
The text against the tables: ``BUD.X.stated`` checks every field the profile links to a cell; the pairs named
here (收支总计, 一般公共预算支出, 三公) are checked where the profile does not link them.
"""

from __future__ import annotations

from pipeline.reports.common import GROUNDING, PL_MAGNITUDE, PL_MISREAD, PL_NONNEG, PL_SHARE_RANGE
from pipeline.validate.checks.arith import AtMost, Balance, stated
from pipeline.validate.checks.lists import ClassItems
from pipeline.validate.checks.ratios import GrowthOverPrior
from pipeline.validate.checks.tables import CodeTree, FieldCell, RowSums, Stated
from pipeline.validate.rules import Family, Rule, Section, catalog

GROUNDING_SECTION = Section(title="引文与措辞 — every figure against its own text", rules=GROUNDING)

TOTALS = Section(
    title="部门财务收支预算总表 (B1) — 收入总计 = 支出总计, and the expenditure by class",
    words={
        "B1 收入总计": "B1[in:grand_total].amount",
        "B1 支出总计": "B1[out:grand_total].amount",
        "收支总计": "summary.total",
        "B1 本年支出合计": "B1[out:total].amount",
        "B1 类": "B1[*].amount",
    },
    rules=(
        Rule(
            id="BUD.B1.balanced",
            title_zh="收支总表：收入总计 = 支出总计",
            title_en="B1 balances",
            identity="B1 收入总计 = B1 支出总计",
            check=Balance(left=("B1[in:grand_total].amount",), right=("B1[out:grand_total].amount",)),
        ),
        Rule(
            id="BUD.B1.summary",
            title_zh="收支总计 = 收支总表收入总计",
            title_en="收支总计 is B1's grand total",
            identity="收支总计 = B1 收入总计",
            check=FieldCell(field="summary.total", cell="B1[in:grand_total].amount"),
        ),
        Rule(
            id="BUD.B1.classes",
            title_zh="收支总表：本年支出合计 = Σ 各类支出",
            title_en="B1 expenditure = Σ classes",
            identity="B1 本年支出合计 = Σ B1 类",
            check=CodeTree(table="B1", columns=("amount",), total_key="out:total", key_prefix="out:", depth=1),
        ),
    ),
)

INCOME_EXPENDITURE = Section(
    title="收入预算与支出预算 — the appropriation by kind, the expenditure by part",
    words={
        "财政拨款收入": "income.appropriation",
        "一般公共预算": "income.general_budget",
        "政府性基金": "income.government_fund",
        "国有资本经营": "income.state_capital",
        "本年收入合计": "income.total",
        "各项收入": ("income.appropriation", "income.business", "income.operating", "income.other"),
        "本年支出合计": "expenditure.total",
        "基本支出": "expenditure.basic",
        "项目支出": "expenditure.project",
    },
    rules=(
        Rule(
            id="BUD.INC.appropriation_kinds",
            title_zh="财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
            title_en="appropriation income = Σ kinds",
            identity="财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
            check=Balance(
                left=("income.appropriation",),
                right=("income.general_budget", "income.government_fund", "income.state_capital"),
                when=stated("income.general_budget"),
            ),
        ),
        Rule(
            id="BUD.INC.parts",
            title_zh="各项收入不大于本年收入合计",
            title_en="each source ≤ income",
            identity="各项收入 ≤ 本年收入合计",
            check=AtMost(
                parts=("income.appropriation", "income.business", "income.operating", "income.other"),
                whole="income.total",
                each=True,
            ),
        ),
        Rule(
            id="BUD.EXP.split",
            title_zh="本年支出合计 = 基本支出 + 项目支出",
            title_en="expenditure = basic + project",
            identity="本年支出合计 = 基本支出 + 项目支出",
            check=Balance(left=("expenditure.total",), right=("expenditure.basic", "expenditure.project")),
        ),
    ),
)

FUNCTIONAL_TABLES = Section(
    title="支出预算表 (B3, B5, B6, B7) — each row splits, each code adds up",
    rules=(
        Family(
            names=("t", "z"),
            members=(("B3", "部门支出预算总表"), ("B5", "一般公共预算支出功能分类预算表")),
            rules=Rule(
                id="BUD.{t}.row_split",
                title_zh="{z}：合计 = 基本支出 + 项目支出",
                title_en="{t} row = basic + project",
                identity="{t} 每行 合计 = 基本支出 + 项目支出",
                check=RowSums(table="{t}", left=("total",), right=("basic", "project")),
            ),
            words={"{t} 每行 合计": "{t}[*].total", "基本支出": "{t}[*].basic", "项目支出": "{t}[*].project"},
        ),
        Family(
            names=("t", "z"),
            members=(
                ("B3", "部门支出预算总表"),
                ("B5", "一般公共预算支出功能分类预算表"),
                ("B6", "政府性基金预算支出表"),
                ("B7", "国有资本经营预算支出表"),
            ),
            rules=Rule(
                id="BUD.{t}.tree",
                title_zh="{z}：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
                title_en="{t} code tree",
                identity="{t} 合计 = Σ 类 = Σ 项; 类 = Σ 款 = Σ 项 (code prefix)",
                check=CodeTree(table="{t}", columns=("total", "basic", "project")),
            ),
            words={"{t} 合计": ("{t}[total].total", "{t}[total].basic", "{t}[total].project")},
        ),
    ),
)

APPROPRIATION = Section(
    title="部门财政拨款收支预算总表 (B4) — each class by kind of appropriation",
    words={
        "B4 每行 合计": "B4[*].total",
        "一般公共预算": "B4[*].general_budget",
        "政府性基金": "B4[*].government_fund",
        "国有资本经营": "B4[*].state_capital",
        "B4 一般公共预算 合计": "B4[out:total].general_budget",
        "B5 合计": "B5[total].total",
    },
    rules=(
        Rule(
            id="BUD.B4.kinds",
            title_zh="财政拨款支出：合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
            title_en="B4 row = Σ kinds",
            identity="B4 每行 合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
            check=RowSums(table="B4", left=("total",), right=("general_budget", "government_fund", "state_capital")),
        ),
        Rule(
            id="BUD.X.B4_B5",
            title_zh="B4 一般公共预算支出 = B5 合计",
            title_en="B4 general budget = B5 total",
            identity="B4 一般公共预算 合计 = B5 合计",
            check=Balance(left=("B4[out:total].general_budget",), right=("B5[total].total",)),
        ),
    ),
)

GENERAL_BUDGET = Section(
    title="一般公共预算支出 — the total, its classes (类) and items (项), and B5",
    words={
        "一般公共预算支出": "general_budget.total",
        "基本支出": "general_budget.basic",
        "项目支出": "general_budget.project",
        "类": "general_budget.by_class[*].amount",
        "项": "general_budget.items[*].amount",
        "B5 合计": "B5[total].total",
    },
    rules=(
        Rule(
            id="BUD.GB.split",
            title_zh="一般公共预算支出 = 基本支出 + 项目支出",
            title_en="general budget = basic + project",
            identity="一般公共预算支出 = 基本支出 + 项目支出",
            check=Balance(left=("general_budget.total",), right=("general_budget.basic", "general_budget.project")),
        ),
        Rule(
            id="BUD.GB.classes",
            title_zh="一般公共预算支出 = Σ 各类",
            title_en="general budget = Σ classes",
            identity="一般公共预算支出 = Σ 类",
            check=Balance(left=("general_budget.total",), right=("general_budget.by_class[*].amount",)),
        ),
        Rule(
            id="BUD.GB.class_items",
            title_zh="各类支出 = Σ 其项",
            title_en="class = Σ its items",
            identity="类 = Σ 项 (by code or class name)",
            check=ClassItems(),
        ),
        Rule(
            id="BUD.X.general_budget",
            title_zh="说明的一般公共预算支出 = B5 合计",
            title_en="general budget = B5 total",
            identity="一般公共预算支出 = B5 合计",
            check=FieldCell(field="general_budget.total", cell="B5[total].total"),
        ),
    ),
)

BASIC = Section(
    title="一般公共预算基本支出 (B8) — personnel and public costs by economic class",
    words={
        "基本支出": "basic_expenditure.total",
        "人员经费": "basic_expenditure.personnel",
        "公用经费": "basic_expenditure.public",
        "B8 每行 合计": "B8[*].total",
        "B8 人员经费": "B8[*].personnel",
        "B8 公用经费": "B8[*].public",
        "B8 合计": ("B8[total].total", "B8[total].personnel", "B8[total].public"),
        "B5 合计 基本支出": "B5[total].basic",
        "B8 基本支出合计": "B8[total].total",
    },
    rules=(
        Rule(
            id="BUD.BE.split",
            title_zh="基本支出 = 人员经费 + 公用经费",
            title_en="basic = personnel + public",
            identity="基本支出 = 人员经费 + 公用经费",
            check=Balance(
                left=("basic_expenditure.total",),
                right=("basic_expenditure.personnel", "basic_expenditure.public"),
            ),
        ),
        Rule(
            id="BUD.B8.row_split",
            title_zh="基本支出经济分类表：合计 = 人员经费 + 公用经费",
            title_en="B8 row = personnel + public",
            identity="B8 每行 合计 = B8 人员经费 + B8 公用经费",
            check=RowSums(table="B8", left=("total",), right=("personnel", "public")),
        ),
        Rule(
            id="BUD.B8.tree",
            title_zh="基本支出经济分类表：合计 = Σ 类，类 = Σ 款",
            title_en="B8 economic code tree",
            identity="B8 合计 = Σ 类; 类 = Σ 款",
            check=CodeTree(table="B8", columns=("total", "personnel", "public"), depth=2),
        ),
        Rule(
            id="BUD.X.B5_B8",
            title_zh="B5 基本支出 = B8 合计",
            title_en="B5 basic = B8 total",
            identity="B5 合计 基本支出 = B8 基本支出合计",
            check=Balance(left=("B5[total].basic",), right=("B8[total].total",)),
        ),
    ),
)

THREE_PUBLIC_TABLE = Section(
    title="“三公”经费和机关运行经费预算表 (B9) — the row adds up",
    words={
        "B9 合计": "B9[*].total",
        "因公出国（境）费": "B9[*].overseas",
        "公务用车购置及运行维护费": "B9[*].vehicles",
        "公务接待费": "B9[*].reception",
        "购置费": "B9[*].vehicle_purchase",
        "运行维护费": "B9[*].vehicle_operation",
    },
    rules=(
        Rule(
            id="BUD.B9.total",
            title_zh="三公经费预算表：合计 = 出国 + 公务用车 + 接待",
            title_en="B9 total = Σ items",
            identity="B9 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
            check=RowSums(table="B9", left=("total",), right=("overseas", "vehicles", "reception")),
        ),
        Rule(
            id="BUD.B9.vehicles",
            title_zh="三公经费预算表：公务用车 = 购置费 + 运行维护费",
            title_en="B9 vehicles = purchase + operation",
            identity="公务用车购置及运行维护费 = 购置费 + 运行维护费",
            check=RowSums(table="B9", left=("vehicles",), right=("vehicle_purchase", "vehicle_operation")),
        ),
    ),
)

THREE_PUBLIC = Section(
    title="“三公”经费预算 — the total, its items, and B9",
    words={
        "三公": "three_public.total",
        "因公出国（境）费": "three_public.overseas",
        "公务用车购置及运行维护费": "three_public.vehicles",
        "公务接待费": "three_public.reception",
        "购置费": "three_public.vehicle_purchase",
        "运行维护费": "three_public.vehicle_operation",
        "B9 合计": "B9[total].total",
    },
    rules=(
        Rule(
            id="BUD.TP.total",
            title_zh="三公经费 = 出国 + 公务用车 + 接待",
            title_en="三公 total = Σ items",
            identity="三公 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
            check=Balance(
                left=("three_public.total",),
                right=("three_public.overseas", "three_public.vehicles", "three_public.reception"),
            ),
        ),
        Rule(
            id="BUD.TP.vehicles",
            title_zh="公务用车购置及运行维护费 = 购置 + 运行",
            title_en="vehicles = purchase + operation",
            identity="公务用车购置及运行维护费 = 购置费 + 运行维护费",
            check=Balance(
                left=("three_public.vehicles",),
                right=("three_public.vehicle_purchase", "three_public.vehicle_operation"),
            ),
        ),
        Rule(
            id="BUD.X.three_public",
            title_zh="说明的三公经费 = B9 合计",
            title_en="三公 = B9 total",
            identity="三公 = B9 合计",
            check=FieldCell(field="three_public.total", cell="B9[total].total"),
        ),
    ),
)

ACROSS = Section(
    title="表与说明 — a figure stated in a table and in the text is the same number",
    rules=(
        Rule(
            id="BUD.X.stated",
            title_zh="表与说明同一数字一致",
            title_en="a figure stated in a table and the text agrees",
            identity="record field = its table cell",
            check=Stated(),
        ),
    ),
)

GROWTH = Section(
    title="比上年执行数增减 — each printed rate recomputed from this year's budget and last year's execution",
    rules=(
        Family(
            names=("m", "z", "rows"),
            members=(("class", "类", "by_class"), ("item", "项", "items")),
            rules=Rule(
                id="BUD.YOY.{m}",
                title_zh="各{z}：增减% = (预算数 − 上年执行数) / 上年执行数 × 100",
                title_en="{m} rate against last year's execution",
                identity="增减% = (预算数 − 上年执行数) / 上年执行数 × 100; each {z}; a rate from a zero base is flagged",
                check=GrowthOverPrior(
                    pct="general_budget.{rows}[*].change_pct",
                    current="general_budget.{rows}[*].amount",
                    prior="general_budget.{rows}[*].prior_executed",
                ),
                tolerance="pct",
            ),
            words={
                "增减%": "general_budget.{rows}[*].change_pct",
                "预算数": "general_budget.{rows}[*].amount",
                "上年执行数": "general_budget.{rows}[*].prior_executed",
            },
        ),
    ),
)

PLAUSIBILITY = Section(
    title="合理性 — figures that could satisfy every sum and still be wrong",
    rules=(
        PL_NONNEG,
        PL_SHARE_RANGE,
        PL_MAGNITUDE,
        PL_MISREAD,
        Family(
            names=("name", "part", "whole"),
            members=(
                ("general_budget", "general_budget.total", "expenditure.total"),
                ("basic", "basic_expenditure.total", "general_budget.total"),
                ("three_public", "three_public.total", "expenditure.total"),
                ("operating_costs", "operating_costs.total", "expenditure.total"),
            ),
            rules=Rule(
                id="BUD.PL.part.{name}",
                title_zh="部分不大于总额",
                title_en="part ≤ total: {name}",
                identity="{part} ≤ {whole}",
                check=AtMost(parts=("{part}",), whole="{whole}"),
            ),
            words={"{part}": "{part}", "{whole}": "{whole}"},
        ),
    ),
)

SECTIONS = (
    GROUNDING_SECTION,
    TOTALS,
    INCOME_EXPENDITURE,
    FUNCTIONAL_TABLES,
    APPROPRIATION,
    GENERAL_BUDGET,
    BASIC,
    THREE_PUBLIC_TABLE,
    THREE_PUBLIC,
    ACROSS,
    GROWTH,
    PLAUSIBILITY,
)

RULES = catalog(*SECTIONS)
