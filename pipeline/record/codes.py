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
