"""The standard 决算 tables with 科目 rows (T2, T3, T5, T8, T9), the two-sided T1 and T4, the national
template's 项目支出 table and part one's unit list, as ruled-table specs laid out as the report's plan says.

By default layouts follow the official 2024 template: T1/T4 pair income and expenditure side by side,
T2/T3/T5/T8/T9 list 类/款/项 rows under a 项目 header; how the codes print is ``subjects``' business, the unit
and number style ``look``'s. T6 and T7 have modules of their own. Blank cells mean "not stated".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Cell, Para, Row, TableRef, TableSpec
from pipeline.samples.look import TITLES, TableLook
from pipeline.samples.model import Item, Report
from pipeline.samples.money import ZERO
from pipeline.samples.subjects import Codes, Heads, h, header

# A wrapped 科目名称 column is this many characters wide: long names run over two or three lines.
WRAP_CHARS = 7.0
_NUMBER = re.compile(r"^-?[\d,]*\.\d+$")


def row(cells: list[Cell | str | None], refs: list[TableRef] | None = None, align: str = "c") -> Row:
    """A body row: strings become cells (amounts aligned as the plan says, text left); a merged cell's
    covered slots are filled with None."""
    out: list[Cell | None] = []
    for c in cells:
        if isinstance(c, str):
            c = Cell(c, align=align if is_amount(c) else "l")
        out.append(c)
        if c is not None:
            out.extend([None] * (c.colspan - 1))
    return Row(out, list(refs or []))


def is_amount(s: str) -> bool:
    """An amount (has a decimal point); codes such as 2010501 stay left-aligned like text."""
    return bool(_NUMBER.match(s))


def common(r: Report, look: TableLook, sid: str, **kw: Any) -> dict[str, Any]:
    return {
        "title": TITLES[sid],
        "standard_id": sid if sid.startswith("T") else None,
        "dept_line": f"编制单位：{r.name}" if look.dept_line else None,
        "repeat_header": look.repeat_header.get(sid, True),
        "unit": look.unit,
        "rules": look.rules,
        **kw,
    }


def note(text: str) -> Para:
    return Para("note", text)


def functional_rows(
    items: list[Item], values: Callable[[Item], list[Decimal]]
) -> list[tuple[str, str, str, list[Decimal]]]:
    """(level, code, name, values) for each 类, 款 and 项, the upper levels summed from the items."""
    out: list[tuple[str, str, str, list[Decimal]]] = []
    for cls in sorted({i.code[:3] for i in items}):
        in_cls = [i for i in items if i.code.startswith(cls)]
        out.append(("类", cls, cat.FUNC_NAMES[cls], _sum(in_cls, values)))
        for kuan in sorted({i.code[:5] for i in in_cls}):
            in_kuan = [i for i in in_cls if i.code.startswith(kuan)]
            out.append(("款", kuan, cat.FUNC_NAMES[kuan], _sum(in_kuan, values)))
            for it in in_kuan:
                out.append(("项", it.code, it.name, values(it)))
    return out


def _sum(items: list[Item], values: Callable[[Item], list[Decimal]]) -> list[Decimal]:
    cols = [values(i) for i in items]
    return [sum(c, ZERO) for c in zip(*cols, strict=True)]


def _class_totals(r: Report, value: Callable[[Item], Decimal]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for it in r.items:
        out[it.code[:3]] = out.get(it.code[:3], ZERO) + value(it)
    return out


def t1(r: Report, look: TableLook) -> TableSpec:
    a = look.num_align
    inc = [
        ("一、一般公共预算财政拨款收入", "general_budget"),
        ("二、政府性基金预算财政拨款收入", "government_fund"),
        ("三、国有资本经营预算财政拨款收入", "state_capital"),
        ("四、上级补助收入", "superior_subsidy"),
        ("五、事业收入", "business"),
        ("六、经营收入", "operating"),
        ("七、附属单位上缴收入", "affiliated"),
        ("八、其他收入", "other"),
    ]
    classes = _class_totals(r, lambda i: i.total)
    body: list[Row] = []
    for n, (code, name) in enumerate(cat.T1_CLASSES):
        left: list[Cell | str | None] = ["", ""]
        refs = []
        if n < len(inc):
            label, key = inc[n]
            left = [label, look.cell(r.income[key])]
            if r.income[key] > 0:
                refs.append(TableRef(f"income.{key}", r.income[key], (0, 2)))
        right = [f"{cat.CN_ORDINALS[n]}、{name}", look.cell(classes.get(code, ZERO))]
        body.append(row(left + right, refs, a))
    income_total = r.printed("T1.income_total", r.income_total)
    body.append(
        row(
            [Cell("本年收入合计"), look.amount(income_total), Cell("本年支出合计"), look.amount(r.expenditure_total)],
            [
                TableRef("income.total", income_total, (0, 2)),
                TableRef("expenditure.total", r.expenditure_total, (2, 4)),
            ],
            a,
        )
    )
    pairs = [
        ("使用非财政拨款结余", r.nonapprop_used, "income.nonappropriation_balance_used",
         "结余分配", r.balance_distribution, "expenditure.balance_distribution"),
        ("年初结转和结余", r.carryover_begin, "income.carryover_begin",
         "年末结转和结余", r.carryover_end, "expenditure.carryover_end"),
    ]  # fmt: skip
    for l_label, l_val, l_key, r_label, r_val, r_key in pairs:
        refs = []
        if l_val > 0:
            refs.append(TableRef(l_key, l_val, (0, 2)))
        if r_val > 0:
            refs.append(TableRef(r_key, r_val, (2, 4)))
        body.append(row([l_label, look.cell(l_val), r_label, look.cell(r_val)], refs, a))
    total = r.summary_total
    body.append(
        row(
            [Cell("总计"), look.amount(total), Cell("总计"), look.amount(total)],
            [TableRef("summary.total", total)],
            a,
        )
    )
    heads = [
        [h("收入", 2), None, h("支出", 2), None],
        [h("项目"), h("决算数"), h("项目"), h("决算数")],
    ]
    return TableSpec(
        **common(r, look, "T1"),
        landscape=False,
        widths=[3.2, 1.15, 3.4, 1.15],
        header=[Row(x) for x in heads],
        body=body,
        notes=[note("注：本表反映部门本年度的总收支和年末结转结余情况。")],
        heading=f"{r.name}{cat.YEAR}年度部门决算表",
        font_size=9.0,
        row_height=15.0,
    )


def _widths(codes: Codes, look: TableLook, code_w: float, name_w: float, values: list[float]) -> dict[str, Any]:
    """Column weights of a 科目 list, and the wrapped name column's width in characters when it wraps."""
    out: dict[str, Any] = {"widths": codes.weights(code_w, name_w) + values}
    if look.wrap_names:
        out["fixed_chars"] = {codes.n_cols - 1: WRAP_CHARS + (3.0 if codes.style == "in_name" else 0.0)}
    return out


def _list_body(codes: Codes, look: TableLook, rows: list[tuple[str, str, str, list[Decimal]]],
               ref_levels: tuple[str, ...] = ()) -> list[Row]:  # fmt: skip
    """Body rows of a 科目 list; the 类/项 rows named in ``ref_levels`` are tagged for the gold lists."""
    out = []
    for level, code, name, vals in rows:
        refs = []
        if level in ref_levels:
            refs.append(TableRef(f"{'by_class' if level == '类' else 'item'}:{code}", vals))
        out.append(row(codes.cells(code, name) + [look.cell(v) for v in vals], refs, look.num_align))
    return out


def _total_row(codes: Codes, look: TableLook, vals: list[Decimal], refs: list[TableRef]) -> Row:
    return row([Cell("合计", colspan=codes.n_cols)] + [look.cell(v) for v in vals], refs, look.num_align)


def t2(r: Report, look: TableLook) -> TableSpec:
    keys = ["appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"]

    def vals(i: Item) -> list[Decimal]:
        parts = [i.income.get(k, ZERO) for k in keys]
        return [sum(parts, ZERO)] + parts

    codes = Codes.functional(look)
    items = [i for i in r.items if vals(i)[0] > 0]
    totals = _sum(items, vals)
    refs = [TableRef("income.total", totals[0]), TableRef("income.appropriation", totals[1])]
    body = [_total_row(codes, look, totals, refs)] + _list_body(codes, look, functional_rows(items, vals))
    heads: Heads = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
                    "其他收入"]  # fmt: skip
    return TableSpec(
        **common(r, look, "T2"),
        landscape=True,
        **_widths(codes, look, 1.35, 3.3, [1.3, 1.3, 1.2, 1.1, 1.1, 1.15, 1.1]),
        header=header(codes.header_block(), heads),
        body=body,
        notes=[note("注：本表反映部门本年度取得的各项收入情况。")],
        row_height=15.0,
    )


def t3(r: Report, look: TableLook) -> TableSpec:
    def vals(i: Item) -> list[Decimal]:
        return [i.total, i.total_basic, i.total_project, ZERO, ZERO, ZERO]

    codes = Codes.functional(look)
    items = [i for i in r.items if i.total > 0]
    totals = _sum(items, vals)
    refs = [
        TableRef("expenditure.total", totals[0]),
        TableRef("expenditure.basic", totals[1]),
        TableRef("expenditure.project", totals[2]),
    ]
    body = [_total_row(codes, look, totals, refs)] + _list_body(codes, look, functional_rows(items, vals))
    heads: Heads = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    return TableSpec(
        **common(r, look, "T3"),
        landscape=True,
        **_widths(codes, look, 1.35, 3.3, [1.3, 1.2, 1.2, 1.15, 1.1, 1.3]),
        header=header(codes.header_block(), heads),
        body=body,
        notes=[note("注：本表反映部门本年度各项支出情况。")],
        row_height=15.0,
    )


FUND_HEADS = {
    False: ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
    True: ["一般公共预算", "政府性基金预算", "国有资本经营预算"],
}


def t4(r: Report, look: TableLook) -> TableSpec:
    """Income by kind at left; spending by class at right, in 合计 and one column per kind of appropriation."""
    a = look.num_align
    gb = _class_totals(r, lambda i: i.approp if i.fund == "gb" else ZERO)
    gf = _class_totals(r, lambda i: i.approp if i.fund == "gf" else ZERO)
    sc = _class_totals(r, lambda i: i.approp if i.fund == "sc" else ZERO)
    inc = [
        ("一、一般公共预算财政拨款", r.income["general_budget"], "income.general_budget"),
        ("二、政府性基金预算财政拨款", r.income["government_fund"], "income.government_fund"),
        ("三、国有资本经营预算财政拨款", r.income["state_capital"], "income.state_capital"),
    ]
    body: list[Row] = []
    for n, (code, name) in enumerate(cat.T1_CLASSES):
        left: list[Cell | str | None] = ["", ""]
        refs = []
        if n < len(inc):
            label, v, key = inc[n]
            left = [label, look.cell(v)]
            if v > 0:
                refs.append(TableRef(key, v, (0, 2)))
        parts = [gb.get(code, ZERO), gf.get(code, ZERO), sc.get(code, ZERO)]
        right = [f"{cat.CN_ORDINALS[n]}、{name}", look.cell(sum(parts, ZERO))] + [look.cell(p) for p in parts]
        body.append(row(left + right, refs, a))
    funds = [r.fund_total("gb"), r.fund_total("gf"), r.fund_total("sc")]
    total = r.appropriation_income
    refs = [TableRef("income.appropriation", total, (0, 2)), TableRef("general_budget.total", funds[0], (2, 7))]
    refs += [TableRef(f"{key}.expenditure", v, (2, 7))
             for key, v in zip(("government_fund", "state_capital"), funds[1:], strict=True) if v > 0]  # fmt: skip
    body.append(
        row(
            [Cell("本年收入合计"), look.amount(total), Cell("本年支出合计"), look.amount(total)]
            + [look.cell(f) for f in funds],
            refs,
            a,
        )
    )
    body.append(row(["年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", ""], [], a))
    for label in ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款"):
        body.append(row([label, "", label, "", "", "", ""], [], a))
    body.append(
        row(
            [Cell("总计"), look.amount(total), Cell("总计"), look.amount(total)] + [look.cell(f) for f in funds],
            [TableRef("appropriation.total", total)],
            a,
        )
    )
    heads = [
        [h("收入", 2), None, h("支出", 5), None, None, None, None],
        [h("项目"), h("决算数"), h("项目"), h("合计")] + [h(x) for x in FUND_HEADS[look.t4_short_heads]],
    ]
    return TableSpec(
        **common(r, look, "T4"),
        landscape=True,
        widths=[2.9, 1.1, 3.1, 1.1, 1.0, 1.0, 1.0],
        header=[Row(x) for x in heads],
        body=body,
        notes=[note("注：本表反映部门本年度财政拨款总收支和结转结余情况。")],
        font_size=9.0,
        row_height=15.5,
    )


def t5(r: Report, look: TableLook) -> TableSpec:
    def vals(i: Item) -> list[Decimal]:
        return [i.approp, i.basic, i.project]

    codes = Codes.functional(look)
    items = r.gb_items
    totals = _sum(items, vals)
    refs = [
        TableRef("general_budget.total", totals[0]),
        TableRef("general_budget.basic", totals[1]),
        TableRef("general_budget.project", totals[2]),
        TableRef("basic_expenditure.total", totals[1]),
    ]
    total_row = _total_row(codes, look, totals, refs)
    body = _list_body(codes, look, functional_rows(items, vals), ref_levels=("类", "项"))
    body = [total_row] + body if look.total_first_t5 else body + [total_row]
    cols = ["合计", "基本支出", "项目支出"]
    heads: Heads = [("本年支出", cols)] if codes.style == "split" else list(cols)
    return TableSpec(
        **common(r, look, "T5"),
        landscape=False,
        **_widths(codes, look, 1.3, 3.0, [1.2, 1.2, 1.2]),
        header=header(codes.header_block(), heads),
        body=body,
        notes=[note("注：本表反映部门本年度一般公共预算财政拨款支出情况。")],
    )


def project_table(r: Report, look: TableLook) -> TableSpec:
    """The national template's 一般公共预算财政拨款项目支出决算表: 项目支出 by 科目 (none of the nine)."""
    codes = Codes.functional(look)
    items = [i for i in r.gb_items if i.project > 0]
    rows = functional_rows(items, lambda i: [i.project])
    total = sum((i.project for i in items), ZERO)
    return TableSpec(
        **common(r, look, "P"),
        landscape=False,
        **_widths(codes, look, 1.3, 3.0, [1.6]),
        header=header(codes.header_block(), ["项目支出"]),
        body=_list_body(codes, look, rows) + [_total_row(codes, look, [total], [])],
        notes=[note("注：本表反映部门本年度一般公共预算财政拨款项目支出情况。")],
    )


def _fund_table(r: Report, look: TableLook, sid: str, fund: str, field_prefix: str, label: str) -> TableSpec:
    codes = Codes.functional(look)
    items = [i for i in r.fund_items(fund) if i.approp > 0]

    def vals(i: Item) -> list[Decimal]:
        return [ZERO, i.approp, i.approp, i.basic, i.project, ZERO]

    notes = [note(f"注：本表反映部门本年度{label}财政拨款收入支出及结转和结余情况。")]
    if items:
        totals = _sum(items, vals)
        refs = [
            TableRef(f"{field_prefix}.income", totals[1]),
            TableRef(f"{field_prefix}.expenditure", totals[2]),
        ]
        body = [_total_row(codes, look, totals, refs)] + _list_body(codes, look, functional_rows(items, vals))
    else:
        body = [_total_row(codes, look, [ZERO] * 6, [])]
        empty = Para("note", "")
        if look.empty_note_national:
            text = (f"说明：本部门{cat.YEAR}年度没有{label}财政拨款收入，也没有使用{label}财政拨款安排的支出，"
                    "故本表无数据。")  # fmt: skip
        else:
            text = f"说明：{r.name}本年度没有{label}财政拨款收入和支出，故本表无数据。"
        start = empty.pos()
        empty.add(text)
        income_key = "income.government_fund" if fund == "gf" else "income.state_capital"
        for key in (f"{field_prefix}.income", f"{field_prefix}.expenditure", income_key):
            empty.ref(key, 0, start, start)
        notes.append(empty)
    heads: Heads = ["年初结转和结余", "本年收入", ("本年支出", ["合计", "基本支出", "项目支出"]), "年末结转和结余"]
    return TableSpec(
        **common(r, look, sid),
        landscape=True,
        **_widths(codes, look, 1.35, 3.2, [1.25, 1.2, 1.2, 1.2, 1.2, 1.25]),
        header=header(codes.header_block(), heads),
        body=body,
        notes=notes,
    )


def t8(r: Report, look: TableLook) -> TableSpec:
    return _fund_table(r, look, "T8", "gf", "government_fund", "政府性基金预算")


def t9(r: Report, look: TableLook) -> TableSpec:
    return _fund_table(r, look, "T9", "sc", "state_capital", "国有资本经营预算")


def unit_table(r: Report) -> TableSpec:
    """Part one's 部门决算单位构成 list: a small ruled table that is none of the nine."""
    body = [row([str(n), Cell(u, align="l"), ""], [], "c") for n, u in enumerate(r.units, 1)]
    for each in body:
        each.cells[0] = Cell(each.cells[0].text if each.cells[0] else "", align="c")
    return TableSpec(
        title="",
        standard_id=None,
        landscape=False,
        widths=[0.8, 4.2, 1.6],
        header=[Row([h("序号"), h("单位名称"), h("备注")])],
        body=body,
        unit=None,
        new_page=False,
        repeat_header=True,
    )
