"""The narrative of a 部门预算 as parts: the 部门预算编制说明 and the 其他相关情况说明, with their labels.

The 编制说明 is one section (收入预算 … 支出预算 … 财政拨款支出主要内容如下：1. “…（类）…（款）…（项）”30.00万元
…), so its totals and its list of 项 are one part: the totals are read before the list, each 项 entry gives a
row of ``general_budget.items`` read without the model where it prints its （项） mark — the 预算数 (right after
the name, and again as 预算安排), the 上年预算执行数 and the change against it in %. The 其他相关情况说明 has a
heading per part: 三公 (预算数 and the change against 上年预算, per item), 机关运行经费, 政府采购, 绩效目标 and
国有资产. A budget's changes are stated against the previous year's budget (or its execution, for the 项).
"""

from __future__ import annotations

from pipeline.extract.fields import FieldSpec, Kind, PartSpec, RowField, RowSpec

_UP_DOWN = ("增加", "减少", "增长", "下降", "增减", "上升", "降低", "持平")
_ITEMS_3P = ("因公出国", "公务用车", "公务接待", "购置费", "运行费")
_KIND_WORDS = ("一般公共预算", "政府性基金", "国有资本")


def _f(path: str, label: str, meaning: str, *keywords: str, kind: Kind = "money", **kw) -> FieldSpec:
    return FieldSpec(path, label, meaning, keywords or (label,), kind, **kw)


# ---- 部门预算编制说明: 收支预算总体情况 and the 项 list ----

ITEMS = RowSpec(
    "general_budget.items",
    "每一项支出：name=原文的类/款/项名称（如 一般公共服务支出（类）统计信息事务（款）专项普查活动（项）），"
    "amount=本年预算数，prior_executed=上年预算执行数，change_pct=比上年预算执行数增减%",
    (
        RowField("amount", "预算数", keywords=("预算安排", "（项）”", "(项)”", "（项）", "(项)")),
        RowField("prior_executed", "上年预算执行数", keywords=("执行数为", "预算执行数为", "执行数")),
        RowField("change_pct", "比上年预算执行数增减%", "pct", keywords=_UP_DOWN, signed=True),
    ),
    max_rows=4,
)

OVERVIEW = PartSpec(
    "budget_overview",
    "部门预算编制说明（收支预算总体情况）",
    ("收支预算总体情况", "收入支出预算总体情况", "部门预算编制说明", "预算编制说明"),
    (
        _f("income.total", "收入预算", "本年收入预算（合计）", "收入预算", exclude=("财政拨款",)),
        _f("income.appropriation", "财政拨款收入", "财政拨款收入预算", "财政拨款收入"),
        _f("appropriation.total_change", "财政拨款收入比上年预算增减", "财政拨款收入比上年预算增加(+)或减少(-)的金额",
           *_UP_DOWN, signed=True, exclude=("支出", *_KIND_WORDS)),
        _f("income.business", "事业收入", "事业收入预算", "事业收入"),
        _f("income.operating", "事业单位经营收入", "事业单位经营收入预算", "事业单位经营收入", "经营收入"),
        _f("income.other", "其他收入", "其他收入预算", "其他收入"),
        _f("expenditure.total", "支出预算", "本年支出预算（合计）", "支出预算",
           exclude=("财政拨款", *_KIND_WORDS)),
        _f("appropriation.total", "财政拨款支出预算", "财政拨款支出预算（财政拨款收支总计）", "财政拨款支出预算",
           exclude=_KIND_WORDS),
        _f("general_budget.total", "一般公共预算拨款支出预算", "一般公共预算财政拨款支出预算", "一般公共预算"),
        _f("government_fund.expenditure", "政府性基金拨款支出预算", "政府性基金预算财政拨款支出预算", "政府性基金"),
        _f("state_capital.expenditure", "国有资本经营预算拨款支出预算", "国有资本经营预算财政拨款支出预算",
           "国有资本经营"),
    ),
    rows=ITEMS,
    search=("收入预算", "支出预算", "（项）"),
    contains=("预算编制说明",),
    chunk_chars=900,
    max_chunks=6,
)

# ---- 其他相关情况说明 ----

THREE_PUBLIC = PartSpec(
    "three_public",
    "“三公”经费预算情况",
    ("“三公”经费预算情况", "三公经费预算情况"),
    (
        _f("three_public.total", "三公经费预算", "“三公”经费预算数（合计）", "三公", "预算数为", exclude=_ITEMS_3P),
        _f("three_public.change", "三公经费比上年预算增减", "“三公”经费预算比上年预算增加(+)或减少(-)的金额",
           *_UP_DOWN, signed=True, exclude=_ITEMS_3P),
        _f("three_public.overseas", "因公出国（境）费", "因公出国（境）费预算", "因公出国", "出国（境）", "出国(境)"),
        _f("three_public.vehicles", "公务用车购置及运行费", "公务用车购置及运行费预算（小计）", "购置及运行"),
        _f("three_public.vehicle_purchase", "公务用车购置费", "公务用车购置费预算", "购置费", exclude=("运行",)),
        _f("three_public.vehicle_operation", "公务用车运行费", "公务用车运行（维护）费预算", "运行费", "运行维护费"),
        _f("three_public.reception", "公务接待费", "公务接待费预算", "公务接待费", "接待费"),
    ),
    search=("三公",),
    contains=("三公",),
    chunk_chars=700,
    max_chunks=3,
)

OPERATING = PartSpec(
    "operating_costs",
    "机关运行经费预算",
    ("机关运行经费预算",),
    (_f("operating_costs.total", "机关运行经费预算", "机关运行经费预算", "运行经费", "机关运行经费"),),
    search=("机关运行经费",),
    contains=("机关运行经费",),
)

PROCUREMENT = PartSpec(
    "procurement",
    "政府采购预算情况",
    ("政府采购预算情况",),
    (
        _f("procurement.total", "政府采购预算", "政府采购预算总额", "政府采购预算",
           exclude=("货物", "工程", "服务", "中小企业", "小型", "微型")),
        _f("procurement.goods", "货物", "政府采购货物预算", "货物"),
        _f("procurement.works", "工程", "政府采购工程预算", "工程"),
        _f("procurement.services", "服务", "政府采购服务预算", "服务"),
        _f("procurement.sme_reserved_budget", "面向中小企业预留", "面向中小企业预留政府采购项目预算金额", "中小企业",
           exclude=("小型", "微型")),
        _f("procurement.small_micro_reserved_budget", "预留给小型和微型企业", "预留给小型和微型企业的政府采购项目预算",
           "小型和微型", "小微企业", "小型"),
    ),
    search=("政府采购",),
    contains=("政府采购",),
)

PERFORMANCE = PartSpec(
    "performance",
    "绩效目标设置情况",
    ("绩效目标设置情况",),
    (
        _f("performance.target_projects", "编报绩效目标的项目", "编报绩效目标的项目个数", "编报绩效目标的项目",
           kind="count", after=("个",)),
        _f("performance.target_budget", "涉及项目预算资金", "编报绩效目标的项目涉及的项目预算资金", "项目预算资金",
           "涉及"),
    ),
    search=("绩效目标",),
    contains=("绩效目标设置",),
)

ASSETS = PartSpec(
    "assets",
    "国有资产占有使用情况",
    ("国有资产占有使用情况",),
    (
        _f("assets.vehicles", "共有车辆", "共有车辆（辆）", "共有车辆", kind="count", after=("辆",),
           exclude=("用车", "购置")),
        _f("assets.high_value_equipment", "单价100万元以上设备", "单价100万元（含）以上设备 台（套）", "以上设备",
           kind="count", after=("台", "套"), exclude=("购置",)),
    ),
    search=("车辆", "以上设备"),
    contains=("国有资产",),
)

PARTS: tuple[PartSpec, ...] = (OVERVIEW, THREE_PUBLIC, OPERATING, PROCUREMENT, PERFORMANCE, ASSETS)
