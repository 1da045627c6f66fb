"""The rule catalog: every identity the validator checks, as data.

Families: GRD grounding · AMB ambiguity · NAR narrative wording · T1…T9 inside a table · INC/EXP/APR/GB/BE/TP/
PROC record-level identities · X across tables and table-vs-narrative · PCT shares · YOY year-on-year ·
CMP completion rates · PL plausibility · DC disclosure completeness.
Record-level rules read a table cell where the record leaves the field empty (see ``links``).
"""

from __future__ import annotations

from pipeline.record.codes import T6_THREE_PUBLIC_LINES
from pipeline.validate.checks.arith import AtMost, Balance, Equal, RowBalance, Sum, stated, values_equal
from pipeline.validate.checks.completeness import (
    CoreTablesRead,
    EmptyTableExplained,
    TablesComplete,
    TablesPresent,
    ThreePublicItems,
)
from pipeline.validate.checks.lists import ClassItems, Numbering
from pipeline.validate.checks.plausibility import Magnitude, NonNegative, ScoreRange, ShareRange
from pipeline.validate.checks.ratios import Growth, Ratio, ShareSum
from pipeline.validate.checks.tables import CodeTree, PairedRows, RowSums, Stated, T6Split
from pipeline.validate.checks.text import Ambiguous, Comparison, Direction, Grounded
from pipeline.validate.rules import Rule

TABLE_IDS = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9")
CORE_TABLES = ("T1", "T2", "T3", "T4", "T5")  # no total is checked without them: their absence is our reading's

KINDS = ("general_budget", "government_fund", "state_capital")
INCOME_OTHER = ("superior_subsidy", "business", "operating", "affiliated", "other")
EXP_PARTS = ("basic", "project", "operating", "remit_superior", "affiliated_subsidy")
T2_COLS = ("appropriation", *INCOME_OTHER)
T8_COLS = ("carryover_begin", "income", "expenditure", "basic", "project", "carryover_end")
ALL_APPROPRIATION = values_equal("summary.total", "appropriation.total")

R = Rule

GROUNDING = [
    R(
        "GRD.located",
        "引文见于原文",
        "quote found at its page/line",
        "quote ∈ normalize(page or line text)",
        Grounded("located"),
        tolerance="exact",
    ),
    R(
        "GRD.printed",
        "引文载有该数",
        "quote prints the value",
        "value (or 元÷10000, or 无/没有 for 0) ∈ quote",
        Grounded("printed"),
        tolerance="exact",
    ),
    R(
        "AMB.alternates",
        "同一项目多个数值",
        "one item stated with different values",
        "every alternate value = value",
        Ambiguous(),
        severity="warning",
        tolerance="exact",
    ),
    R(
        "NAR.direction",
        "增减方向与数值一致",
        "增加/减少 agrees with the sign",
        "sign(change) = direction word",
        Direction(),
        tolerance="exact",
    ),
    R(
        "NAR.comparison",
        "大于/小于/持平与完成率一致",
        "大于/小于/持平 agrees with the rate",
        "决算数 vs 预算数 word = sign(rate − 100)",
        Comparison(),
        tolerance="exact",
    ),
]

T1 = [
    R(
        "T1.income_closure",
        "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
        "income grand total closes",
        "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
        Sum(
            "summary.total",
            "income.total",
            "income.nonappropriation_balance_used",
            "income.carryover_begin",
            unstated="unknown",
        ),
    ),
    R(
        "T1.expenditure_closure",
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
        "expenditure grand total closes",
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
        Sum(
            "summary.total",
            "expenditure.total",
            "expenditure.balance_distribution",
            "expenditure.carryover_end",
            unstated="unknown",
        ),
    ),
    R(
        "T1.balanced",
        "收入总计 = 支出总计",
        "T1 balances",
        "T1 收入总计 = T1 支出总计",
        Equal("T1[in:grand_total].amount", "T1[out:grand_total].amount"),
    ),
    R(
        "T1.classes",
        "本年支出合计 = Σ 各类支出",
        "T1 expenditure = Σ classes",
        "T1 本年支出合计 = Σ T1 类",
        CodeTree("T1", ("amount",), total_key="out:total", key_prefix="out:", depth=1),
    ),
]

INCOME_EXPENDITURE = [
    R(
        "INC.sources",
        "本年收入合计 = 财政拨款收入 + 其他各项收入",
        "income = Σ sources",
        "本年收入合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他",
        Sum(
            "income.total",
            "income.appropriation",
            *(f"income.{k}" for k in INCOME_OTHER),
            when=stated("income.appropriation"),
        ),
    ),
    R(
        "INC.sources_by_kind",
        "本年收入合计 = 三类财政拨款收入 + 其他各项收入",
        "income = Σ sources (by kind)",
        "本年收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他",
        Sum(
            "income.total",
            *(f"income.{k}" for k in KINDS + INCOME_OTHER),
            when=stated("income.general_budget"),
        ),
    ),
    R(
        "INC.appropriation_kinds",
        "财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
        "appropriation income = Σ kinds",
        "财政拨款收入 = Σ 三类财政拨款收入",
        Sum("income.appropriation", *(f"income.{k}" for k in KINDS), when=stated("income.general_budget")),
    ),
    R(
        "EXP.parts",
        "本年支出合计 = 基本 + 项目 + 经营 + 上缴上级 + 对附属单位补助",
        "expenditure = Σ parts",
        "本年支出合计 = 基本支出 + 项目支出 + 经营支出 + 上缴上级支出 + 对附属单位补助支出",
        Sum("expenditure.total", *(f"expenditure.{k}" for k in EXP_PARTS)),
    ),
    R(
        "APR.income",
        "全部为财政拨款时：本年收入合计 = 三类财政拨款收入",
        "all-appropriation income",
        "if 收支总计 = 财政拨款收支总计: 本年收入合计 = Σ 三类财政拨款收入",
        Sum(
            "income.total",
            *(f"income.{k}" for k in KINDS),
            when=lambda v: ALL_APPROPRIATION(v) and v.get("income.general_budget") is not None,
        ),
    ),
    R(
        "APR.expenditure",
        "全部为财政拨款时：本年支出合计 = 三类财政拨款支出",
        "all-appropriation expenditure",
        "if 收支总计 = 财政拨款收支总计: 本年支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营 支出",
        Sum(
            "expenditure.total",
            "general_budget.total",
            "government_fund.expenditure",
            "state_capital.expenditure",
            when=ALL_APPROPRIATION,
        ),
    ),
]

T2_T3 = [
    R(
        "T2.row_sources",
        "收入决算表：合计 = 各项收入",
        "T2 row total = Σ sources",
        "T2 每行 本年收入合计 = Σ 各收入列",
        RowSums("T2", ("total",), T2_COLS),
    ),
    R(
        "T2.tree",
        "收入决算表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
        "T2 code tree",
        "T2 合计 = Σ 类; 类 = Σ 款 = Σ 项",
        CodeTree("T2", ("total", *T2_COLS)),
    ),
    R(
        "T3.row_parts",
        "支出决算表：合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助",
        "T3 row total = Σ parts",
        "T3 每行 本年支出合计 = Σ 各支出列",
        RowSums("T3", ("total",), EXP_PARTS),
    ),
    R(
        "T3.tree",
        "支出决算表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
        "T3 code tree",
        "T3 合计 = Σ 类; 类 = Σ 款 = Σ 项",
        CodeTree("T3", ("total", *EXP_PARTS)),
    ),
]

T4 = [
    R(
        "T4.income_kinds",
        "财政拨款收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
        "T4 income = Σ kinds",
        "T4 本年收入合计 = Σ 三类财政拨款",
        Sum("T4[in:total].amount", *(f"T4[in:{k}].amount" for k in KINDS)),
    ),
    R(
        "T4.expenditure_kinds",
        "财政拨款支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
        "T4 expenditure = Σ kinds",
        "T4 每行 合计 = Σ 三类财政拨款列",
        RowSums("T4", ("total",), KINDS, side="expenditure"),
    ),
    R(
        "T4.income_closure",
        "财政拨款收入总计 = 本年收入 + 年初结转和结余",
        "T4 income closes",
        "T4 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
        Sum("T4[in:grand_total].amount", "T4[in:total].amount", "T4[in:carryover_begin].amount"),
    ),
    R(
        "T4.expenditure_closure",
        "财政拨款支出总计 = 本年支出 + 年末结转和结余",
        "T4 expenditure closes",
        "T4 支出总计 = 本年支出合计 + 年末财政拨款结转和结余",
        Sum("T4[out:grand_total].total", "T4[out:total].total", "T4[out:carryover_end].total"),
    ),
    R(
        "T4.balanced",
        "财政拨款收入总计 = 支出总计",
        "T4 balances",
        "T4 收入总计 = T4 支出总计",
        Equal("T4[in:grand_total].amount", "T4[out:grand_total].total"),
    ),
    R(
        "T4.carryover_kinds",
        "年初财政拨款结转和结余 = Σ 三类",
        "T4 opening balance = Σ kinds",
        "年初财政拨款结转和结余 = Σ 三类",
        Sum("T4[in:carryover_begin].amount", *(f"T4[in:carryover_begin.{k}].amount" for k in KINDS)),
    ),
    R(
        "T4.classes",
        "财政拨款本年支出合计 = Σ 各类支出",
        "T4 expenditure = Σ classes",
        "T4 每列 本年支出合计 = Σ 类",
        CodeTree("T4", ("total", *KINDS), total_key="out:total", key_prefix="out:", depth=1),
    ),
    *(
        R(
            f"T4.flow.{k}",
            f"{z}：年初结转 + 本年收入 = 本年支出 + 年末结转",
            f"T4 {k} flow",
            "年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
            Balance(
                (f"T4[in:carryover_begin.{k}].amount", f"T4[in:{k}].amount"),
                (f"T4[out:total].{k}", f"T4[out:carryover_end].{k}"),
            ),
        )
        for k, z in zip(KINDS, ("一般公共预算", "政府性基金", "国有资本经营"), strict=True)
    ),
]

GENERAL_BUDGET = [
    R(
        "T5.row_split",
        "一般公共预算支出表：合计 = 基本支出 + 项目支出",
        "T5 row = basic + project",
        "T5 每行 合计 = 基本支出 + 项目支出",
        RowSums("T5", ("total",), ("basic", "project")),
    ),
    R(
        "T5.tree",
        "一般公共预算支出表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
        "T5 code tree",
        "T5 合计 = Σ 类 = Σ 项; 类 = Σ 款 = Σ 项 (code prefix)",
        CodeTree("T5", ("total", "basic", "project")),
    ),
    R(
        "GB.split",
        "一般公共预算财政拨款支出 = 基本支出 + 项目支出",
        "general budget = basic + project",
        "一般公共预算财政拨款支出 = 基本支出 + 项目支出",
        Sum("general_budget.total", "general_budget.basic", "general_budget.project"),
    ),
    R(
        "GB.classes",
        "一般公共预算财政拨款支出 = Σ 各类",
        "general budget = Σ classes",
        "一般公共预算财政拨款支出 = Σ 类",
        Sum("general_budget.total", "general_budget.by_class[*].amount"),
    ),
    R(
        "GB.class_items",
        "各类支出 = Σ 其项",
        "class = Σ its items",
        "类 = Σ 项 (by code or class name)",
        ClassItems(),
    ),
    R(
        "GB.class_split",
        "各类：合计 = 基本支出 + 项目支出",
        "class = basic + project",
        "类 = 基本 + 项目",
        RowBalance(
            "general_budget.by_class[*].amount",
            ("general_budget.by_class[*].amount",),
            ("general_budget.by_class[*].basic", "general_budget.by_class[*].project"),
        ),
    ),
    R(
        "GB.item_split",
        "各项：合计 = 基本支出 + 项目支出",
        "item = basic + project",
        "项 = 基本 + 项目",
        RowBalance(
            "general_budget.items[*].amount",
            ("general_budget.items[*].amount",),
            ("general_budget.items[*].basic", "general_budget.items[*].project"),
        ),
    ),
    R(
        "GB.basic_classes",
        "基本支出 = Σ 各类基本支出",
        "basic = Σ class basic",
        "基本支出 = Σ 类 基本支出",
        Sum("general_budget.basic", "general_budget.by_class[*].basic"),
    ),
    R(
        "GB.project_classes",
        "项目支出 = Σ 各类项目支出",
        "project = Σ class project",
        "项目支出 = Σ 类 项目支出",
        Sum("general_budget.project", "general_budget.by_class[*].project"),
    ),
    R(
        "GB.numbering",
        "说明所列各项编号连续",
        "item list numbering has no gap",
        "printed_no = 1…n",
        Numbering(),
        severity="warning",
        tolerance="exact",
    ),
]

BASIC = [
    R(
        "T6.basic_split",
        "基本支出 = 人员经费 + 公用经费",
        "basic = personnel + public",
        "基本支出 = 人员经费 + 公用经费",
        Sum("basic_expenditure.total", "basic_expenditure.personnel", "basic_expenditure.public"),
    ),
    R(
        "T6.econ_tree",
        "经济分类：各类 = Σ 其款",
        "economic class = Σ its items",
        "301/302/303/310 … = Σ 其款",
        CodeTree("T6", ("amount",), depth=2),
    ),
    R(
        "T6.personnel_public",
        "人员经费 = 301 + 303；公用经费 = 其余各类",
        "personnel/public = Σ classes",
        "人员经费合计 = 工资福利 + 对个人和家庭的补助; 公用经费合计 = 其余经济分类",
        T6Split(),
    ),
]

THREE_PUBLIC = [
    R(
        "T7.total",
        "三公经费：合计 = 出国 + 公务用车 + 接待（预算、决算）",
        "T7 total = Σ items",
        "合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费 (预算数, 决算数)",
        RowSums("T7", ("total",), ("overseas", "vehicles", "reception")),
    ),
    R(
        "T7.vehicles",
        "公务用车：小计 = 购置费 + 运行维护费（预算、决算）",
        "T7 vehicles = purchase + operation",
        "公务用车购置及运行维护费 = 购置费 + 运行维护费",
        RowSums("T7", ("vehicles",), ("vehicle_purchase", "vehicle_operation")),
    ),
    R(
        "TP.total",
        "三公经费合计 = 出国 + 公务用车 + 接待",
        "三公 total = Σ items",
        "三公 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
        Sum("three_public.total", "three_public.overseas", "three_public.vehicles", "three_public.reception"),
    ),
    R(
        "TP.vehicles",
        "公务用车购置及运行维护费 = 购置 + 运行",
        "vehicles = purchase + operation",
        "公务用车购置及运行维护费 = 购置费 + 运行维护费",
        Sum("three_public.vehicles", "three_public.vehicle_purchase", "three_public.vehicle_operation"),
    ),
    R(
        "TP.budget",
        "三公经费预算 = 各项预算之和",
        "三公 budget = Σ item budgets",
        "预算 合计 = Σ 各项预算",
        Sum(
            "three_public.budget",
            "three_public.overseas_budget",
            "three_public.vehicles_budget",
            "three_public.reception_budget",
        ),
    ),
    R(
        "TP.vehicles_budget",
        "公务用车预算 = 购置 + 运行",
        "vehicle budget = purchase + operation",
        "公务用车预算 = 购置费预算 + 运行维护费预算",
        Sum(
            "three_public.vehicles_budget",
            "three_public.vehicle_purchase_budget",
            "three_public.vehicle_operation_budget",
        ),
    ),
    R(
        "TP.reception",
        "公务接待费 = 国内 + 外事",
        "reception = domestic + foreign",
        "公务接待费 = 国内公务接待 + 外事接待",
        Sum("three_public.reception", "three_public.reception_domestic", "three_public.reception_foreign"),
    ),
]

FUNDS = [
    rule
    for t, z in (("T8", "政府性基金"), ("T9", "国有资本经营"))
    for rule in (
        R(
            f"{t}.flow",
            f"{z}：年初结转 + 本年收入 = 本年支出 + 年末结转",
            f"{t} row flow",
            "年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
            RowSums(t, ("carryover_begin", "income"), ("expenditure", "carryover_end")),
        ),
        R(
            f"{t}.split",
            f"{z}：本年支出 = 基本支出 + 项目支出",
            f"{t} expenditure = basic + project",
            "本年支出 合计 = 基本支出 + 项目支出",
            RowSums(t, ("expenditure",), ("basic", "project")),
        ),
        R(
            f"{t}.tree",
            f"{z}：合计 = Σ类 = Σ项",
            f"{t} code tree",
            "合计 = Σ 类 = Σ 项",
            CodeTree(t, T8_COLS),
        ),
    )
]

PROCUREMENT = [
    R(
        "PROC.parts",
        "政府采购支出总额 = 货物 + 工程 + 服务",
        "procurement = goods + works + services",
        "政府采购支出总额 = 货物 + 工程 + 服务",
        Sum("procurement.total", "procurement.goods", "procurement.works", "procurement.services"),
    ),
    R(
        "PROC.sme",
        "授予中小企业合同金额 ≤ 政府采购支出总额",
        "SME awards ≤ procurement",
        "中小企业 ≤ 总额",
        AtMost(("procurement.sme_awarded",), "procurement.total"),
    ),
    R(
        "PROC.sme_parts",
        "预留项目与其他项目中小企业中标金额之和 ≤ 采购总额",
        "SME awards (both kinds) ≤ procurement",
        "预留项目中小企业中标 + 其他项目中小企业中标 ≤ 总额",
        AtMost(
            ("procurement.sme_awarded_in_sme_reserved", "procurement.sme_awarded_in_other"),
            "procurement.total",
        ),
    ),
    R(
        "PROC.small_micro",
        "授予小微企业合同金额 ≤ 授予中小企业合同金额",
        "small/micro ≤ SME",
        "小微企业 ≤ 中小企业",
        AtMost(("procurement.small_micro_awarded",), "procurement.sme_awarded"),
    ),
]

ACROSS = [
    R(
        "X.T1_T2",
        "T1 本年收入合计 = T2 合计",
        "T1 income = T2 total",
        "T1 本年收入合计 = T2 本年收入合计",
        Equal("T1[in:total].amount", "T2[total].total"),
    ),
    R(
        "X.T1_T3",
        "T1 本年支出合计 = T3 合计",
        "T1 expenditure = T3 total",
        "T1 本年支出合计 = T3 本年支出合计",
        Equal("T1[out:total].amount", "T3[total].total"),
    ),
    R(
        "X.T1_T3_classes",
        "T1 各类支出 = T3 各类合计",
        "T1 classes = T3 classes",
        "T1 类 = T3 类 合计",
        PairedRows("T1", "out:", "amount", "T3", "total"),
    ),
    R(
        "X.T2_T4",
        "T2 财政拨款收入 = T4 本年收入合计",
        "T2 appropriation = T4 income",
        "T2 财政拨款收入 合计 = T4 本年收入合计",
        Equal("T2[total].appropriation", "T4[in:total].amount"),
    ),
    R(
        "X.T4_T5",
        "T4 一般公共预算财政拨款支出 = T5 合计",
        "T4 general budget = T5 total",
        "T4 本年支出合计 (一般公共预算) = T5 合计",
        Equal("T4[out:total].general_budget", "T5[total].total"),
    ),
    R(
        "X.T4_T5_classes",
        "T4 各类一般公共预算支出 = T5 各类合计",
        "T4 classes = T5 classes",
        "T4 类 (一般公共预算) = T5 类 合计",
        PairedRows("T4", "out:", "general_budget", "T5", "total"),
    ),
    R(
        "X.T5_T6",
        "T5 基本支出 = T6 人员经费 + 公用经费",
        "T5 basic = T6 total",
        "T5 合计 基本支出 = T6 人员经费合计 + 公用经费合计",
        Balance(("T5[total].basic",), ("T6[personnel_total].amount", "T6[public_total].amount")),
    ),
    R(
        "X.T4_T8",
        "T4 政府性基金支出 = T8 本年支出",
        "T4 fund expenditure = T8",
        "T4 政府性基金 = T8 本年支出 合计",
        Equal("T4[out:total].government_fund", "T8[total].expenditure"),
    ),
    R(
        "X.T4_T9",
        "T4 国有资本经营支出 = T9 本年支出",
        "T4 state capital expenditure = T9",
        "T4 国有资本经营 = T9 本年支出 合计",
        Equal("T4[out:total].state_capital", "T9[total].expenditure"),
    ),
    *(
        R(
            f"X.T6_T7.{item}",
            f"T6 {code} ≤ T7 决算",
            f"T6 {code} ≤ T7 {item} actual",
            f"T6 {code} ≤ T7 决算 {item}",
            AtMost((f"T6[{code}].amount",), f"three_public.{item}"),
        )
        for code, item in T6_THREE_PUBLIC_LINES.items()
    ),
    R(
        "X.stated",
        "表与说明同一数字一致",
        "a figure stated in a table and the text agrees",
        "record field = its table cell",
        Stated(),
    ),
]


def _share(path: str, part: str, whole: str) -> Ratio:
    return Ratio(path, part, whole)


PERCENTAGES = [
    R(
        "PCT.general_budget",
        "一般公共预算支出占本年支出合计%",
        "general budget share",
        "share = 一般公共预算 / 本年支出合计 × 100",
        _share("general_budget.share_pct", "general_budget.total", "expenditure.total"),
        tolerance="pct",
    ),
    R(
        "PCT.class",
        "各类占一般公共预算支出%",
        "class share",
        "类 share = 类 / 一般公共预算财政拨款支出 × 100",
        _share(
            "general_budget.by_class[*].share_pct",
            "general_budget.by_class[*].amount",
            "general_budget.total",
        ),
        tolerance="pct",
    ),
    *(
        R(
            f"PCT.income.{k}",
            f"收入构成占比：{k}",
            f"income share: {k}",
            f"{k} / 本年收入合计 × 100",
            _share(f"income.{k}_share_pct", f"income.{k}", "income.total"),
            tolerance="pct",
        )
        for k in ("appropriation", *KINDS, *INCOME_OTHER)
    ),
    *(
        R(
            f"PCT.expenditure.{k}",
            f"支出构成占比：{k}",
            f"expenditure share: {k}",
            f"{k} / 本年支出合计 × 100",
            _share(f"expenditure.{k}_share_pct", f"expenditure.{k}", "expenditure.total"),
            tolerance="pct",
        )
        for k in EXP_PARTS
    ),
    *(
        R(
            f"PCT.{s}",
            "占本年支出合计%",
            f"{s} expenditure share",
            "支出 / 本年支出合计 × 100",
            _share(f"{s}.expenditure_share_pct", f"{s}.expenditure", "expenditure.total"),
            tolerance="pct",
        )
        for s in ("government_fund", "state_capital")
    ),
    R(
        "PCT.sme",
        "授予中小企业合同金额占比",
        "SME share",
        "中小企业 / 采购总额 × 100",
        _share("procurement.sme_share_pct", "procurement.sme_awarded", "procurement.total"),
        tolerance="pct",
    ),
    R(
        "PCT.sum.classes",
        "各类占比之和 = 100%",
        "class shares sum to 100",
        "Σ 类 share = 100",
        ShareSum(("general_budget.by_class[*].share_pct",), complete=True),
        tolerance="pct",
    ),
    R(
        "PCT.sum.income",
        "收入构成占比之和 = 100%",
        "income shares sum to 100",
        "Σ income shares = 100",
        ShareSum(tuple(f"income.{k}_share_pct" for k in ("appropriation", *INCOME_OTHER))),
        tolerance="pct",
    ),
    R(
        "PCT.sum.expenditure",
        "支出构成占比之和 = 100%",
        "expenditure shares sum to 100",
        "Σ expenditure shares = 100",
        ShareSum(tuple(f"expenditure.{k}_share_pct" for k in EXP_PARTS)),
        tolerance="pct",
    ),
]

_GROWTH = [
    ("summary", "summary.total_change_pct", "summary.total_change", "summary.total"),
    ("appropriation", "appropriation.total_change_pct", "appropriation.total_change", "appropriation.total"),
    ("general_budget", "general_budget.change_pct", "general_budget.change", "general_budget.total"),
    ("three_public", "three_public.change_pct", "three_public.change", "three_public.total"),
    ("operating_costs", "operating_costs.change_pct", "operating_costs.change", "operating_costs.total"),
    (
        "personnel",
        "basic_expenditure.personnel_change_pct",
        "basic_expenditure.personnel_change",
        "basic_expenditure.personnel",
    ),
    (
        "public",
        "basic_expenditure.public_change_pct",
        "basic_expenditure.public_change",
        "basic_expenditure.public",
    ),
    *(
        (s, f"{s}.expenditure_change_pct", f"{s}.expenditure_change", f"{s}.expenditure")
        for s in ("government_fund", "state_capital")
    ),
    *(
        (f"three_public.{i}", f"three_public.{i}_change_pct", f"three_public.{i}_change", f"three_public.{i}")
        for i in ("overseas", "vehicles", "reception")
    ),
]
GROWTH = [
    R(
        f"YOY.{name}",
        "增减率 = 增减额 / 上年数 × 100",
        f"year-on-year rate: {name}",
        "rate = change / (current − change) × 100; a rate from a zero base is flagged",
        Growth(pct, change, cur),
        tolerance="pct",
    )
    for name, pct, change, cur in _GROWTH
]

_COMPLETION = [
    ("general_budget", "general_budget.completion_pct", "general_budget.total", "general_budget.budget"),
    ("three_public", "three_public.completion_pct", "three_public.total", "three_public.budget"),
    *(
        (
            f"three_public.{i}",
            f"three_public.{i}_completion_pct",
            f"three_public.{i}",
            f"three_public.{i}_budget",
        )
        for i in ("overseas", "vehicles", "reception")
    ),
    (
        "class",
        "general_budget.by_class[*].completion_pct",
        "general_budget.by_class[*].amount",
        "general_budget.by_class[*].budget",
    ),
    (
        "item",
        "general_budget.items[*].completion_pct",
        "general_budget.items[*].amount",
        "general_budget.items[*].budget",
    ),
    (
        "project",
        "performance.projects[*].execution_rate_pct",
        "performance.projects[*].executed",
        "performance.projects[*].adjusted_budget",
    ),
]
COMPLETION = [
    R(
        f"CMP.{name}",
        "完成率 = 决算 / 预算 × 100",
        f"completion rate: {name}",
        "rate = actual / budget × 100; a rate of a zero budget is an error",
        Ratio(pct, num, den),
        tolerance="pct",
    )
    for name, pct, num, den in _COMPLETION
]

_PARTS = [
    ("general_budget", ("general_budget.total",), "expenditure.total"),
    ("basic", ("expenditure.basic",), "expenditure.total"),
    ("project", ("expenditure.project",), "expenditure.total"),
    ("gb_basic", ("basic_expenditure.total",), "expenditure.basic"),
    ("gb_basic_total", ("basic_expenditure.total",), "general_budget.total"),
    ("three_public", ("three_public.total",), "expenditure.total"),
    ("operating_costs", ("operating_costs.total",), "expenditure.total"),
    ("appropriation", ("appropriation.total",), "summary.total"),
    ("income_total", ("income.total",), "summary.total"),
    ("expenditure_total", ("expenditure.total",), "summary.total"),
]
PLAUSIBILITY = [
    R(
        "PL.nonneg",
        "金额、数量、占比不为负",
        "amounts are non-negative",
        "value ≥ 0 (changes excepted)",
        NonNegative(),
        tolerance="exact",
    ),
    R(
        "PL.share_range",
        "占比在 0–100% 之间",
        "shares lie in [0, 100]",
        "0 ≤ share ≤ 100",
        ShareRange(),
        tolerance="exact",
    ),
    R(
        "PL.magnitude",
        "金额不超过部门总额的倍数",
        "amounts bounded by the department total",
        "|amount| ≤ magnitude_factor × 收支总计",
        Magnitude(),
        tolerance="exact",
    ),
    R(
        "PL.score_range",
        "自评得分不超过其权重",
        "scores within their weight",
        "0 ≤ score ≤ 100; 预算执行得分 ≤ 10",
        ScoreRange(),
        tolerance="exact",
    ),
    R(
        "PL.misread",
        "年份、序号、科目编码不作金额",
        "a year, list number or code is never an amount",
        "the value occurs in its quote as an amount",
        Grounded("misread"),
        tolerance="exact",
    ),
    *(
        R(
            f"PL.part.{name}",
            "部分不大于总额",
            f"part ≤ total: {name}",
            f"{' + '.join(parts)} ≤ {whole}",
            AtMost(parts, whole),
        )
        for name, parts, whole in _PARTS
    ),
    R(
        "PL.part.classes",
        "各类不大于一般公共预算支出",
        "each class ≤ general budget",
        "类 ≤ 一般公共预算财政拨款支出",
        AtMost(("general_budget.by_class[*].amount",), "general_budget.total", each=True),
    ),
    R(
        "PL.part.items",
        "各项不大于一般公共预算支出",
        "each item ≤ general budget",
        "项 ≤ 一般公共预算财政拨款支出",
        AtMost(("general_budget.items[*].amount",), "general_budget.total", each=True),
    ),
    R(
        "PL.part.income",
        "各项收入不大于本年收入合计",
        "each source ≤ income",
        "收入来源 ≤ 本年收入合计",
        AtMost(
            tuple(f"income.{k}" for k in ("appropriation", *KINDS, *INCOME_OTHER)), "income.total", each=True
        ),
    ),
]

COMPLETENESS = [
    R(
        "DC.core_tables",
        "核心决算表已读取",
        "the core tables were read",
        "T1…T5 printed in the document → read into the record",
        CoreTablesRead(core=CORE_TABLES),
        tolerance="exact",
    ),
    R(
        "DC.tables_complete",
        "决算表金额全部读取",
        "every printed amount of a table was read",
        "amounts printed in the table = figures read from it (no unread or unreadable cell, no split rows)",
        TablesComplete(tables=TABLE_IDS, core=CORE_TABLES),
        tolerance="exact",
    ),
    R(
        "DC.tables",
        "九张决算表齐全",
        "all nine tables published",
        "T1…T9 present",
        TablesPresent(tables=TABLE_IDS),
        severity="warning",
        tolerance="exact",
    ),
    R(
        "DC.three_public",
        "三公经费四项均有说明",
        "each 三公 item stated",
        "出国, 购置, 运行, 接待 each stated (or 未发生)",
        ThreePublicItems(),
        severity="warning",
        tolerance="exact",
    ),
    R(
        "DC.empty_table",
        "空表须说明原因",
        "an empty table is explained",
        "empty T7/T8/T9 → 说明：…无数据",
        EmptyTableExplained(),
        severity="warning",
        tolerance="exact",
    ),
]

RULES: list[Rule] = [
    *GROUNDING,
    *T1,
    *INCOME_EXPENDITURE,
    *T2_T3,
    *T4,
    *GENERAL_BUDGET,
    *BASIC,
    *THREE_PUBLIC,
    *FUNDS,
    *PROCUREMENT,
    *ACROSS,
    *PERCENTAGES,
    *GROWTH,
    *COMPLETION,
    *PLAUSIBILITY,
    *COMPLETENESS,
]

assert len({r.id for r in RULES}) == len(RULES), "rule ids must be unique"
