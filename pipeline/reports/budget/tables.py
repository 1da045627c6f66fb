"""The nine tables of a 部门预算 (the 预算公开 format): official titles (matched without
quotes: layout drops them before comparing), the variants real reports print, and
what tells nested titles apart.

Ids are B1…B9 so that a budget's tables never pass for a 决算's T1…T9 (their columns and identities differ).
Titles carry the year before them ('2024年部门财务收支预算总表') and sometimes drop the 部门 or the 功能分类;
a title may also be printed with an ordinal ('9.部门“三公”经费…') in the 目录, which layout skips.
"""

from __future__ import annotations

import re

from pipeline.layout.standard import Titles

NAMES: dict[str, str] = {
    "B1": "部门财务收支预算总表",
    "B2": "部门收入预算总表",
    "B3": "部门支出预算总表",
    "B4": "部门财政拨款收支预算总表",
    "B5": "部门一般公共预算支出功能分类预算表",
    "B6": "部门政府性基金预算支出功能分类预算表",
    "B7": "部门国有资本经营预算支出功能分类预算表",
    "B8": "部门一般公共预算基本支出部门预算经济分类预算表",
    "B9": "部门“三公”经费和机关运行经费预算表",
}

TITLES = Titles(
    tables={
        "B1": ("部门财务收支预算总表", "财务收支预算总表", "部门收支预算总表", "收支预算总表"),
        "B2": ("部门收入预算总表", "收入预算总表", "部门收入预算表"),
        "B3": ("部门支出预算总表", "支出预算总表", "部门支出预算表"),
        "B4": ("部门财政拨款收支预算总表", "财政拨款收支预算总表", "财政拨款收支预算表"),
        "B5": (
            "部门一般公共预算支出功能分类预算表",
            "一般公共预算支出功能分类预算表",
            "一般公共预算支出预算表",
            "一般公共预算拨款支出预算表",
        ),
        "B6": (
            "部门政府性基金预算支出功能分类预算表",
            "政府性基金预算支出功能分类预算表",
            "政府性基金预算支出预算表",
        ),
        "B7": (
            "部门国有资本经营预算支出功能分类预算表",
            "国有资本经营预算支出功能分类预算表",
            "国有资本经营预算支出预算表",
        ),
        "B8": (
            "部门一般公共预算基本支出部门预算经济分类预算表",
            "一般公共预算基本支出部门预算经济分类预算表",
            "一般公共预算基本支出经济分类预算表",
            "一般公共预算基本支出预算表",
        ),
        "B9": (
            "部门三公经费和机关运行经费预算表",
            "三公经费和机关运行经费预算表",
            "一般公共预算三公经费支出预算表",
            "财政拨款三公经费支出预算表",
            "三公经费支出预算表",
            "三公经费预算表",
        ),
    },
    names=NAMES,
    # 财政拨款收支预算总表 is B4, not B1's 收支预算总表; 一般公共预算支出预算表 is B5, not B3's 支出预算表;
    # 基本支出… is B8, not B5; 基金/资本 are B6/B7
    qualifier=re.compile(r"拨款|预算|基金|资本|三公|经费|基本|项目|财政|一般公共|经营"),
    # dropping these words is no near miss: it is another table
    required={"B4": "拨款", "B5": "一般公共", "B6": "基金", "B7": "资本", "B8": "基本", "B9": "三公"},
    # a part's own title line: '2024年部门预算编制说明', '部门预算表', '其他相关情况说明'
    part_title=re.compile(r"部门预算(表|公开表|编制说明|情况说明)$|^其他相关情况说明$|^项目经费情况说明$"),
)
