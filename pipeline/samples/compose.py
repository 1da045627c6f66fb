"""The whole report in reading order: cover, 目录, part one 概况, the tables (in the plan's order, titled as
it says), 说明, 名词解释."""

from __future__ import annotations

import random

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Block, PageBreak, Para, Spacer, TableSpec
from pipeline.samples.econ_table import t6
from pipeline.samples.look import TITLES, TableLook
from pipeline.samples.model import Report
from pipeline.samples.narrative import part_four, part_three
from pipeline.samples.tables import project_table, t1, t2, t3, t4, t5, t8, t9, unit_table
from pipeline.samples.three_public_table import t7

Y = cat.YEAR


def compose(r: Report, look: TableLook, rng: random.Random) -> list[Block]:
    blocks: list[Block] = []
    blocks += _cover(r, rng)
    blocks += _contents(r, look)
    blocks += _part_one(r)
    blocks += all_tables(r, look)
    blocks.append(PageBreak(False))
    blocks += part_three(r, rng)
    if rng.random() < 0.5:  # 名词解释 on its own page, or run on after the 说明
        blocks.append(PageBreak(False))
    else:
        blocks.append(Spacer(12))
    blocks += part_four(r)
    return blocks


def _cover(r: Report, rng: random.Random) -> list[Block]:
    month = rng.choice([8, 9])
    return [
        PageBreak(False),
        Spacer(190),
        Para("cover", r.name),
        Para("cover_sub", f"{Y}年度部门决算"),
        Spacer(330),
        Para("date", f"{Y + 1}年{month}月"),
    ]


BUILDERS = {"T1": t1, "T2": t2, "T3": t3, "T4": t4, "T5": t5, "T6": t6, "T7": t7, "T8": t8, "T9": t9,
            "P": project_table}  # fmt: skip


def table(r: Report, look: TableLook, tid: str, n: int) -> TableSpec:
    """Table ``tid`` as the ``n``-th printed table of the report, titled as the plan says."""
    spec = BUILDERS[tid](r, look)
    spec.title = look.title(tid, n, r.name)
    return spec


def all_tables(r: Report, look: TableLook) -> list[TableSpec]:
    return [table(r, look, tid, n) for n, tid in enumerate(look.order_of_tables(), 1)]


def _contents(r: Report, look: TableLook) -> list[Block]:
    out: list[Block] = [PageBreak(False), Spacer(20), Para("toc_title", "目录")]
    out.append(Para("toc_part", f"第一部分 {r.name}概况"))
    second = "二、部门决算单位构成" if r.dept.units else "二、机构设置"
    out += [Para("toc", "一、主要职能"), Para("toc", second)]
    out.append(Para("toc_part", f"第二部分 {r.name}{Y}年度部门决算表"))
    for n, tid in enumerate(look.order_of_tables()):
        out.append(Para("toc", f"{cat.CN_ORDINALS[n]}、{TITLES[tid]}"))
    out.append(Para("toc_part", f"第三部分 {r.name}{Y}年度部门决算情况说明"))
    sections = [
        "收入支出决算总体情况说明", "收入决算情况说明", "支出决算情况说明", "财政拨款收入支出决算总体情况说明",
        "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款基本支出决算情况说明",
        "财政拨款“三公”经费支出决算情况说明", "政府性基金预算财政拨款收入支出决算情况说明",
        "国有资本经营预算财政拨款收入支出决算情况说明", "预算绩效管理情况", "其他重要事项的情况说明",
    ]  # fmt: skip
    out += [Para("toc", f"{cat.CN_ORDINALS[n]}、{s}") for n, s in enumerate(sections)]
    out.append(Para("toc_part", "第四部分 名词解释"))
    return out


def _part_one(r: Report) -> list[Block]:
    out: list[Block] = [PageBreak(False), Para("part", "第一部分"), Para("title", f"{r.name}概况")]
    out += [Para("h1", "一、主要职能"), Para("body", f"{r.name}的主要职能是：{r.dept.duties}")]
    if r.dept.units:
        out.append(Para("h1", "二、部门决算单位构成"))
        out.append(
            Para("body", f"从预算单位构成看，{r.name}部门决算包括：{r.name}本级决算、下属行政事业单位决算。")
        )
        out.append(Para("body", f"纳入{r.name}{Y}年度部门决算编制范围的单位包括："))
    else:
        out.append(Para("h1", "二、机构设置"))
        out.append(Para("body", f"{r.name}为一级预算单位，无下属预算单位，本部门决算即{r.name}本级决算。"))
    out.append(Spacer(4))
    out.append(unit_table(r))
    return out
