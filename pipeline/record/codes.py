"""The classification codes the nine tables are keyed by: 支出功能分类 (functional) and 支出经济分类 (economic).

Functional codes are 3 digits for a 类, 5 for a 款, 7 for a 项; economic codes 3 for a 类, 5 for a 款. A
narrative names a 类 in words, so names map back to codes, former names included (e.g. 210 was
医疗卫生与计划生育支出 until 2018), which lets items printed without codes still be summed per 类.
"""

from __future__ import annotations

import re
import unicodedata

FUNCTION_CLASSES: dict[str, tuple[str, ...]] = {
    "201": ("一般公共服务支出",),
    "202": ("外交支出",),
    "203": ("国防支出",),
    "204": ("公共安全支出",),
    "205": ("教育支出",),
    "206": ("科学技术支出",),
    "207": ("文化旅游体育与传媒支出", "文化体育与传媒支出"),
    "208": ("社会保障和就业支出",),
    "210": ("卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出"),
    "211": ("节能环保支出",),
    "212": ("城乡社区支出",),
    "213": ("农林水支出",),
    "214": ("交通运输支出",),
    "215": ("资源勘探工业信息等支出", "资源勘探信息等支出"),
    "216": ("商业服务业等支出",),
    "217": ("金融支出",),
    "219": ("援助其他地区支出",),
    "220": ("自然资源海洋气象等支出", "国土海洋气象等支出"),
    "221": ("住房保障支出",),
    "222": ("粮油物资储备支出",),
    "223": ("国有资本经营预算支出",),
    "224": ("灾害防治及应急管理支出",),
    "227": ("预备费",),
    "229": ("其他支出",),
    "230": ("转移性支出",),
    "231": ("债务还本支出",),
    "232": ("债务付息支出",),
    "233": ("债务发行费用支出",),
    "234": ("抗疫特别国债安排的支出",),
}

ECONOMIC_ITEMS: dict[str, str] = {
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费", "30113": "住房公积金", "30114": "医疗费",
    "30199": "其他工资福利支出",
    "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费", "30205": "水费", "30206": "电费",
    "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费", "30211": "差旅费", "30212": "因公出国(境)费用",
    "30213": "维修(护)费", "30214": "租赁费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30218": "专用材料费", "30224": "被装购置费", "30225": "专用燃料费", "30226": "劳务费", "30227": "委托业务费",
    "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30240": "税金及附加费用", "30299": "其他商品和服务支出",
    "30301": "离休费", "30302": "退休费", "30303": "退职(役)费", "30304": "抚恤金", "30305": "生活补助",
    "30306": "救济费", "30307": "医疗费补助", "30308": "助学金", "30309": "奖励金", "30310": "个人农业生产补贴",
    "30311": "代缴社会保险费", "30399": "其他对个人和家庭的补助",
    "31001": "房屋建筑物购建", "31002": "办公设备购置", "31003": "专用设备购置", "31005": "基础设施建设",
    "31006": "大型修缮", "31007": "信息网络及软件购置更新", "31008": "物资储备", "31009": "土地补偿",
    "31010": "安置补助", "31011": "地上附着物和青苗补偿", "31012": "拆迁补偿", "31013": "公务用车购置",
    "31019": "其他交通工具购置", "31021": "文物和陈列品购置", "31022": "无形资产购置", "31099": "其他资本性支出",
}
"""支出经济分类 款 of the basic-expenditure table (财政部 classification): a name whose code a scan lost still
names its 款, the way FUNCTION_CLASSES names a 类."""

_ECONOMIC_BY_NAME = {clean_name: code for code, clean_name in ECONOMIC_ITEMS.items()}


def economic_item_code(name: str, class_code: str | None) -> str | None:
    """The 款 code of an economic item printed without its code ('委托业务费' under 302 → '30227'), or None;
    only within the class the row stands under, so a name never moves a figure to another class."""
    code = _ECONOMIC_BY_NAME.get(clean_label(name))
    return code if code and class_code and code.startswith(class_code) else None


ECONOMIC_PERSONNEL = ("301", "303")
"""Economic classes that make up 人员经费; the other classes of T6 make up 公用经费."""

T6_THREE_PUBLIC_LINES: dict[str, str] = {
    "30212": "overseas",
    "30231": "vehicle_operation",
    "31013": "vehicle_purchase",
    "30217": "reception",
}
"""T6 economic lines that are part of a 三公 item (basic expenditure only, so ≤ the T7 actual)."""

_ORDINAL = re.compile(
    r"^(?:[（(][一二三四五六七八九十百零〇\d]+[）)]|[一二三四五六七八九十百零〇]+[、.．]|\d+[、．](?!\d)|\d+\.(?!\d))\s*"
)
_SUFFIX = re.compile(r"[（(](类|款|项)[）)]")


def clean_label(text: str) -> str:
    """A row label without its ordinal ('一、'), whitespace or NFKC differences."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return _ORDINAL.sub("", text)


def _stem(name: str) -> str:
    name = _SUFFIX.sub("", clean_label(name))
    return name[:-2] if name.endswith("支出") else name


_CLASS_BY_STEM = {_stem(n): code for code, names in FUNCTION_CLASSES.items() for n in names}


def function_class_code(name: str) -> str | None:
    """The 类 code a printed class name stands for ('一般公共服务（类）' → '201'), or None."""
    return _CLASS_BY_STEM.get(_stem(name))


def class_of_item_name(name: str) -> str | None:
    """The 类 code of a narrative item printed as '类（类）款（款）项（项）', from its first part."""
    name = clean_label(name)
    head = re.split(r"[（(]类[）)]", name, maxsplit=1)
    if len(head) == 2:
        return function_class_code(head[0])
    return None


def code_level(code: str) -> int:
    """1 for a 类, 2 for a 款, 3 for a 项 (functional codes); economic codes stop at 2."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def is_code(text: str) -> bool:
    return bool(re.fullmatch(r"\d{3}(\d{2}){0,2}", text))
