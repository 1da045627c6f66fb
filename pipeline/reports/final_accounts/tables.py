"""The nine standard tables of a 部门决算 (财政部 format): official titles, the variants real reports print,
and what tells nested titles apart."""

from __future__ import annotations

import re

from pipeline.layout.standard import Titles

NAMES: dict[str, str] = {
    "T1": "收入支出决算总表",
    "T2": "收入决算表",
    "T3": "支出决算表",
    "T4": "财政拨款收入支出决算总表",
    "T5": "一般公共预算财政拨款支出决算表",
    "T6": "一般公共预算财政拨款基本支出决算表",
    "T7": "财政拨款“三公”经费支出决算表",
    "T8": "政府性基金预算财政拨款收入支出决算表",
    "T9": "国有资本经营预算财政拨款收入支出决算表",
}

TITLES = Titles(
    tables={
        "T1": ("收入支出决算总表",),
        "T2": ("收入决算表",),
        "T3": ("支出决算表",),
        "T4": ("财政拨款收入支出决算总表",),
        "T5": ("一般公共预算财政拨款支出决算表",),
        "T6": ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表"),
        "T7": ("一般公共预算财政拨款三公经费支出决算表", "财政拨款三公经费支出决算表", "三公经费支出决算表"),
        "T8": ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
        "T9": ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"),
    },
    names=NAMES,
    # 项目支出决算表 is not 支出决算表 (T3), and 财政拨款收入支出决算总表 is T4, not T1
    qualifier=re.compile(r"拨款|预算|基金|资本|三公|经费|基本|项目|明细|财政"),
    # dropping these words (明细表 of 一般公共预算 for T6) is no near miss
    required={"T4": "拨款", "T5": "一般公共", "T6": "基本", "T7": "三公", "T8": "基金", "T9": "资本"},
    part_title=re.compile(r"部门决算(表|公开表|情况说明)$"),
)
