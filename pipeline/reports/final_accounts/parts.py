"""The parts of a 部门决算 and the figures each reads, as data (the types are pipeline.extract.fields').

Each field has the Chinese label the model sees (the key it answers under: a small model reads a label from
the text far better than it maps text onto English names), its meaning from the contract, the kind of number
it is (money, %, count, score) and the label words that must precede the number in its sentence. Those words
decide a field's candidates: 收支总计 770.43 is no candidate for 本年收入合计, since no 收入合计 precedes it.
"""

from __future__ import annotations

from pipeline.extract.fields import FieldSpec, Kind, PartSpec, RowField, RowSpec


def _f(path: str, label: str, meaning: str, *keywords: str, kind: Kind = "money", **kw) -> FieldSpec:
    return FieldSpec(path, label, meaning, keywords or (label,), kind, **kw)


def _share(base: FieldSpec, label: str) -> FieldSpec:
    """The share of a part in its whole: same label words as the amount, printed as a %."""
    return FieldSpec(
        f"{base.path}_share_pct", label, f"{base.label}占合计的百分比", base.words, "pct", exclude=base.exclude
    )


_DONE = ("完成预算", "完成年初预算", "完成全年预算", "完成调整预算", "完成")
_UP_DOWN = ("增加", "减少", "增长", "下降", "增减", "减", "增", "上升", "降低", "持平")

# ---- 说明一 … 说明四 ----

SUMMARY = PartSpec(
    "summary",
    "收入支出决算总体情况",
    ("收入支出决算总体情况", "收支决算总体情况", "收入支出决算总表情况"),
    (
        _f("summary.total", "收支总计", "收入总计=支出总计（收入、支出总计）", "总计", exclude=("财政拨款",)),
        _f("summary.total_change", "收支总计增减额", "收支总计与上年相比增加(+)或减少(-)的金额", *_UP_DOWN,
           signed=True),
        _f("summary.total_change_pct", "收支总计增减率", "收支总计与上年相比的增长率或下降率(%)", *_UP_DOWN,
           kind="pct", signed=True),
    ),
    search=("收入、支出总计", "收入支出总计", "收支总计"),
)

_INC_TOTAL = _f("income.total", "本年收入合计", "本年收入合计", "收入合计", "本年收入")
_INC_APPR = _f("income.appropriation", "财政拨款收入", "财政拨款收入（三类财政拨款合计）", "财政拨款收入", "财政拨款",
               exclude=("一般公共预算", "政府性基金", "国有资本"))
_INC_GB = _f("income.general_budget", "一般公共预算财政拨款收入", "一般公共预算财政拨款收入", "一般公共预算")
_INC_GF = _f("income.government_fund", "政府性基金预算财政拨款收入", "政府性基金预算财政拨款收入", "政府性基金")
_INC_SC = _f("income.state_capital", "国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款收入", "国有资本经营")
_INC_SUP = _f("income.superior_subsidy", "上级补助收入", "上级补助收入", "上级补助")
_INC_BUS = _f("income.business", "事业收入", "事业收入", "事业收入")
_INC_OPE = _f("income.operating", "经营收入", "经营收入", "经营收入")
_INC_AFF = _f("income.affiliated", "附属单位上缴收入", "附属单位上缴收入", "附属单位上缴", "附属单位")
_INC_OTH = _f("income.other", "其他收入", "其他收入", "其他收入")
_INC_CARRY = _f("income.carryover_begin", "年初结转和结余", "年初结转和结余", "年初结转")

INCOME = PartSpec(
    "income",
    "收入决算情况",
    ("收入决算情况",),
    (
        _INC_TOTAL, _INC_APPR, _INC_GB, _INC_GF, _INC_SC, _INC_SUP, _INC_BUS, _INC_OPE, _INC_AFF, _INC_OTH,
        _INC_CARRY,
        _share(_INC_APPR, "财政拨款收入占比"),
        _share(_INC_GB, "一般公共预算财政拨款收入占比"),
        _share(_INC_GF, "政府性基金预算财政拨款收入占比"),
        _share(_INC_SC, "国有资本经营预算财政拨款收入占比"),
        _share(_INC_SUP, "上级补助收入占比"),
        _share(_INC_BUS, "事业收入占比"),
        _share(_INC_OPE, "经营收入占比"),
        _share(_INC_AFF, "附属单位上缴收入占比"),
        _share(_INC_OTH, "其他收入占比"),
    ),
    search=("本年收入合计", "收入合计"),
)

_EXP_TOTAL = _f("expenditure.total", "本年支出合计", "本年支出合计", "支出合计", "本年支出")
_EXP_BASIC = _f("expenditure.basic", "基本支出", "基本支出", "基本支出")
_EXP_PROJ = _f("expenditure.project", "项目支出", "项目支出", "项目支出")
_EXP_OPE = _f("expenditure.operating", "经营支出", "经营支出", "经营支出")
_EXP_REMIT = _f("expenditure.remit_superior", "上缴上级支出", "上缴上级支出", "上缴上级")
_EXP_AFF = _f("expenditure.affiliated_subsidy", "对附属单位补助支出", "对附属单位补助支出", "附属单位")

EXPENDITURE = PartSpec(
    "expenditure",
    "支出决算情况",
    ("支出决算情况",),
    (
        _EXP_TOTAL, _EXP_BASIC, _EXP_PROJ, _EXP_OPE, _EXP_REMIT, _EXP_AFF,
        _share(_EXP_BASIC, "基本支出占比"),
        _share(_EXP_PROJ, "项目支出占比"),
        _share(_EXP_OPE, "经营支出占比"),
        _share(_EXP_REMIT, "上缴上级支出占比"),
        _share(_EXP_AFF, "对附属单位补助支出占比"),
    ),
    search=("本年支出合计", "支出合计"),
)

APPROPRIATION = PartSpec(
    "appropriation",
    "财政拨款收入支出决算总体情况",
    ("财政拨款收入支出决算总体情况", "财政拨款收支决算总体情况"),
    (
        _f("appropriation.total", "财政拨款收支总计", "财政拨款收入、支出总计", "总计", "财政拨款"),
        _f("appropriation.total_change", "财政拨款收支总计增减额", "与上年相比增加(+)或减少(-)的金额", *_UP_DOWN,
           signed=True),
        _f("appropriation.total_change_pct", "财政拨款收支总计增减率", "与上年相比的增长率或下降率(%)", *_UP_DOWN,
           kind="pct", signed=True),
    ),
    search=("财政拨款收入、支出总计", "财政拨款收入支出总计", "财政拨款收支总计"),
)

# ---- 说明五: 总体 / 结构 / 具体 ----

GB_OVERALL = PartSpec(
    "general_budget",
    "一般公共预算财政拨款支出决算总体情况",
    ("一般公共预算财政拨款支出决算总体情况",),
    (
        _f("general_budget.total", "一般公共预算财政拨款支出", "一般公共预算财政拨款支出决算数", "一般公共预算",
           "财政拨款支出"),
        _f("general_budget.share_pct", "占本年支出合计比例", "一般公共预算财政拨款支出占本年支出合计的%", "占", "支出合计",
           kind="pct"),
        _f("general_budget.change", "增减额", "与上年相比增加(+)或减少(-)的金额", *_UP_DOWN, signed=True),
        _f("general_budget.change_pct", "增减率", "与上年相比的增长率或下降率(%)", *_UP_DOWN, kind="pct", signed=True),
    ),
    search=("一般公共预算财政拨款支出",),
)

GB_CLASSES = PartSpec(
    "general_budget.by_class",
    "一般公共预算财政拨款支出决算结构情况（按类）",
    ("一般公共预算财政拨款支出决算结构情况",),
    rows=RowSpec(
        "general_budget.by_class",
        "每一类支出：name=类名称（如 一般公共服务支出），amount=金额，share_pct=占比%",
        (RowField("amount", "金额"), RowField("share_pct", "占比", "pct")),
        max_rows=8,
    ),
    search=("主要用于以下方面", "占比", "（类）"),
    chunk_chars=900,
)

GB_ITEMS = PartSpec(
    "general_budget.items",
    "一般公共预算财政拨款支出决算具体情况（按项）",
    ("一般公共预算财政拨款支出决算具体情况",),
    (
        _f("general_budget.budget", "年初预算", "一般公共预算财政拨款支出年初预算", "年初预算", "预算为"),
        _f("general_budget.completion_pct", "完成预算比例", "一般公共预算财政拨款支出完成预算的%", *_DONE, kind="pct"),
        _f("general_budget.full_year_budget", "全年预算", "一般公共预算财政拨款支出全年预算（调整预算）", "全年预算",
           "调整预算"),
    ),
    rows=RowSpec(
        "general_budget.items",
        "每一项支出：name=原文的类/款/项名称（如 一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）），"
        "amount=支出决算数，budget=预算数，completion_pct=完成预算的%",
        (
            RowField("amount", "支出决算", keywords=("决算", "支出", "实际")),
            RowField("budget", "预算数", keywords=("预算",)),
            RowField("completion_pct", "完成预算%", "pct", keywords=_DONE),
        ),
        max_rows=4,
    ),
    search=("（项）", "支出决算为"),
    chunk_chars=450,
    max_chunks=6,
)

# ---- 说明六 … 说明九 ----

BASIC = PartSpec(
    "basic_expenditure",
    "一般公共预算财政拨款基本支出决算情况",
    ("一般公共预算财政拨款基本支出决算情况",),
    (
        _f("basic_expenditure.total", "基本支出", "一般公共预算财政拨款基本支出", "基本支出"),
        _f("basic_expenditure.personnel", "人员经费", "人员经费", "人员经费"),
        _f("basic_expenditure.public", "公用经费", "公用经费", "公用经费"),
    ),
    search=("人员经费", "公用经费"),
)

THREE_PUBLIC = PartSpec(
    "three_public",
    "财政拨款“三公”经费支出决算情况",
    (),
    (
        _f("three_public.total", "三公经费支出决算", "“三公”经费财政拨款支出决算数（合计）", "三公", "合计",
           exclude=("因公出国", "公务用车", "公务接待"), generic=("决算为", "决算数为", "支出决算", "决算")),
        _f("three_public.budget", "三公经费预算", "“三公”经费财政拨款预算数", "预算", exclude=("完成",),
           generic=("预算为", "预算数为")),
        _f("three_public.completion_pct", "三公经费完成预算比例", "“三公”经费完成预算的%", *_DONE,
           kind="pct", exclude=("因公出国", "公务用车", "公务接待")),
        _f("three_public.change", "三公经费增减额", "“三公”经费比上年增加(+)或减少(-)的金额", *_UP_DOWN, signed=True,
           exclude=("因公出国", "公务用车", "公务接待")),
        _f("three_public.change_pct", "三公经费增减率", "“三公”经费比上年的增长率或下降率(%)", *_UP_DOWN, kind="pct",
           signed=True, exclude=("因公出国", "公务用车", "公务接待")),
        _f("three_public.overseas", "因公出国（境）费", "因公出国（境）费", "因公出国", "出国（境）", "出国(境)"),
        _f("three_public.vehicles", "公务用车购置及运行维护费", "公务用车购置及运行维护费（小计）", "购置及运行"),
        _f("three_public.vehicle_purchase", "公务用车购置费", "公务用车购置费", "公务用车购置", "购置费", "购置支出"),
        _f("three_public.vehicle_operation", "公务用车运行维护费", "公务用车运行维护费", "运行维护费", "运行费"),
        _f("three_public.reception", "公务接待费", "公务接待费（合计）", "公务接待费", "接待费"),
        _f("three_public.reception_domestic", "国内公务接待费", "国内公务接待支出", "国内公务接待", "国内接待"),
        _f("three_public.reception_foreign", "外事接待费", "外事接待支出", "外事接待", "外宾接待"),
        _f("three_public.reception_batches", "国内接待批次", "国内公务接待批次", "接待", "国内公务接待", kind="count",
           after=("批次", "批", "次")),
        _f("three_public.reception_persons", "国内接待人次", "国内公务接待人次", "接待", "批次", "国内公务接待",
           kind="count", after=("人次", "人")),
        _f("three_public.vehicles_owned", "公务用车保有量", "公务用车保有量（辆）", "公务用车", "保有", "共有",
           kind="count", after=("辆",), exclude=("购置",)),
    ),
    search=("三公",),
    chunk_chars=600,
    max_chunks=4,
    contains=("三公",),
)


def _fund(name: str, zh: str, short: str) -> PartSpec:
    exp = _f(f"{name}.expenditure", f"{zh}财政拨款支出", f"{zh}财政拨款支出", short, "支出")
    return PartSpec(
        name,
        f"{zh}财政拨款收入支出决算情况",
        (zh,),
        (
            _f(f"{name}.income", f"{zh}财政拨款收入", f"{zh}财政拨款收入", "收入"),
            exp,
            _f(f"{name}.expenditure_share_pct", "占本年支出合计比例", f"{zh}财政拨款支出占本年支出合计的%", "占",
               kind="pct"),
            _f(f"{name}.expenditure_change", "支出增减额", "支出与上年相比增加(+)或减少(-)的金额", *_UP_DOWN,
               signed=True),
            _f(f"{name}.expenditure_change_pct", "支出增减率", "支出与上年相比的增长率或下降率(%)", *_UP_DOWN, kind="pct",
               signed=True),
        ),
        search=(f"{zh}财政拨款", f"{short}预算财政拨款"),
    )


GOVERNMENT_FUND = _fund("government_fund", "政府性基金预算", "政府性基金")
STATE_CAPITAL = _fund("state_capital", "国有资本经营预算", "国有资本")

# ---- 说明十, 十一 ----

OPERATING = PartSpec(
    "operating_costs",
    "机关运行经费支出情况",
    (),
    (
        _f("operating_costs.total", "机关运行经费", "机关运行经费支出", "运行经费"),
        _f("operating_costs.change", "增减额", "比上年增加(+)或减少(-)的金额", *_UP_DOWN, signed=True),
        _f("operating_costs.change_pct", "增减率", "比上年的增长率或下降率(%)", *_UP_DOWN, kind="pct", signed=True),
    ),
    search=("机关运行经费",),
    contains=("机关运行经费",),
)

PROCUREMENT = PartSpec(
    "procurement",
    "政府采购支出情况",
    (),
    (
        _f("procurement.total", "政府采购支出总额", "政府采购支出总额", "政府采购支出总额", "采购支出总额", "政府采购金额",
           "政府采购"),
        _f("procurement.goods", "货物", "政府采购货物支出", "货物"),
        _f("procurement.works", "工程", "政府采购工程支出", "工程"),
        _f("procurement.services", "服务", "政府采购服务支出", "服务"),
        _f("procurement.sme_awarded", "授予中小企业合同金额", "授予中小企业合同金额", "授予中小企业", "中小企业合同",
           exclude=("预留",)),
        _f("procurement.sme_share_pct", "中小企业占比", "授予中小企业合同金额占政府采购支出总额的%", "中小企业", "占",
           kind="pct"),
        _f("procurement.small_micro_awarded", "授予小微企业合同金额", "授予小微企业合同金额", "小微企业"),
    ),
    search=("政府采购",),
    contains=("政府采购",),
)

ASSETS = PartSpec(
    "assets",
    "国有资产占有使用情况",
    (),
    (
        _f("assets.vehicles", "车辆", "共有车辆（辆）", "车辆", kind="count", after=("辆",)),
        _f("assets.high_value_equipment", "单价100万元以上设备", "单价100万元（含）以上设备 台（套）", "设备",
           kind="count", after=("台", "套")),
        _f("assets.fixed_assets_total", "固定资产总额", "固定资产总额（万元）", "固定资产"),
    ),
    search=("车辆", "以上设备"),
    contains=("国有资产",),
)

PERFORMANCE = PartSpec(
    "performance",
    "预算绩效管理情况",
    (),
    (
        _f("performance.projects_evaluated", "绩效自评项目个数", "开展绩效自评的项目个数", "项目", "自评",
           kind="count", after=("个",), exclude=("事前", "监控", "编制")),
        _f("performance.self_score", "整体绩效自评得分", "部门整体支出绩效自评得分（分）", "得分", "评分", "自评",
           kind="score", after=("分",), exclude=("平均", "项目绩效自评得分", "项目自评", "项目得分", "项目评分")),
    ),
    search=("自评得分", "评价得分", "绩效自评得分"),
    contains=("绩效",),
    also_search=True,
)

PARTS: tuple[PartSpec, ...] = (
    SUMMARY,
    INCOME,
    EXPENDITURE,
    APPROPRIATION,
    GB_OVERALL,
    GB_CLASSES,
    GB_ITEMS,
    BASIC,
    THREE_PUBLIC,
    GOVERNMENT_FUND,
    STATE_CAPITAL,
    OPERATING,
    PROCUREMENT,
    ASSETS,
    PERFORMANCE,
)
PARTS_BY_NAME: dict[str, PartSpec] = {p.name: p for p in PARTS}
