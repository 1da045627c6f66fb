"""The nine standard 决算 tables (and the unit list of part one) as ruled-table specs, with merged headers.

Layouts follow the official 2024 template: T1/T4 pair income and expenditure side by side, T2/T3/T5/T8/T9
list 类/款/项 rows under a 项目 header spanning 科目编码/科目名称, T6 has two economic-classification panels,
T7 a three-level header. Blank cells mean "not stated"; T6 and a filled T7 print 0.00.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Cell, Para, Row, TableRef, TableSpec
from pipeline.samples.model import Item, Report, ThreePublic
from pipeline.samples.money import ZERO, cell, money

STANDARD_TITLES = {
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


@dataclass
class TableLook:
    """Per-report choices that real reports vary on."""

    num_align: str  # c | r
    repeat_header: dict[str, bool]
    total_first_t5: bool
    dept_line: bool
    empty_note_national: bool  # T8/T9 说明 in the national wording


def choose_look(rng: random.Random) -> TableLook:
    repeat = {t: rng.random() < 0.5 for t in STANDARD_TITLES}
    repeat["T4"] = not repeat["T6"]  # both always continue: one repeats its header, one does not
    return TableLook(
        num_align=rng.choice(["c", "r"]),
        repeat_header=repeat,
        total_first_t5=rng.random() < 0.5,
        dept_line=True,
        empty_note_national=rng.random() < 0.5,
    )


def _row(cells: list[Cell | str | None], refs: list[TableRef] | None = None, align: str = "c") -> Row:
    out: list[Cell | None] = []
    for c in cells:
        if isinstance(c, str):
            c = Cell(c, align=align if _is_number(c) else "l")
        out.append(c)
        if c is not None:
            out.extend([None] * (c.colspan - 1))
    return Row(out, list(refs or []))


def _is_number(s: str) -> bool:
    """An amount (has a decimal point); codes such as 2010501 stay left-aligned like text."""
    return "." in s and s.replace(".", "", 1).replace("-", "", 1).isdigit()


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align="c")


def _header_rows(spec: list[list[Cell | None]]) -> list[Row]:
    return [Row(r) for r in spec]


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


def _common(r: Report, look: TableLook, sid: str, **kw) -> dict:
    return {
        "title": STANDARD_TITLES[sid],
        "standard_id": sid,
        "dept_line": f"编制单位：{r.name}" if look.dept_line else None,
        "repeat_header": look.repeat_header[sid],
        **kw,
    }


def _note(text: str) -> Para:
    return Para("note", text)


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
            left = [label, cell(r.income[key])]
            if r.income[key] > 0:
                refs.append(TableRef(f"income.{key}", r.income[key], (0, 2)))
        right = [f"{cat.CN_ORDINALS[n]}、{name}", cell(classes.get(code, ZERO))]
        body.append(_row(left + right, refs, a))
    income_total = r.printed("T1.income_total", r.income_total)
    body.append(
        _row(
            [Cell("本年收入合计"), money(income_total), Cell("本年支出合计"), money(r.expenditure_total)],
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
        body.append(_row([l_label, cell(l_val), r_label, cell(r_val)], refs, a))
    total = r.summary_total
    body.append(
        _row(
            [Cell("总计"), money(total), Cell("总计"), money(total)],
            [TableRef("summary.total", total)],
            a,
        )
    )
    header = _header_rows(
        [
            [_h("收入", 2), None, _h("支出", 2), None],
            [_h("项目"), _h("决算数"), _h("项目"), _h("决算数")],
        ]
    )
    return TableSpec(
        **_common(r, look, "T1"),
        landscape=False,
        widths=[3.2, 1.15, 3.4, 1.15],
        header=header,
        body=body,
        notes=[_note("注：本表反映部门本年度的总收支和年末结转结余情况。")],
        heading=f"{r.name}{cat.YEAR}年度部门决算表",
        font_size=9.0,
        row_height=15.0,
    )


def _func_header(cols: list[str]) -> list[Row]:
    n = len(cols)
    top: list[Cell | None] = [_h("项目", 2), None] + [_h(c, rowspan=2) for c in cols]
    bottom: list[Cell | None] = [_h("功能分类科目编码"), _h("科目名称")] + [None] * n
    return _header_rows([top, bottom])


def _func_body(
    rows: list[tuple[str, str, str, list[Decimal]]], align: str, ref_prefix: str | None = None
) -> list[Row]:
    out = []
    for level, code, name, vals in rows:
        refs = []
        if ref_prefix and level in ("类", "项"):
            key = f"{'by_class' if level == '类' else 'item'}:{code}"
            refs.append(TableRef(key, vals))
        out.append(_row([code, name] + [cell(v) for v in vals], refs, align))
    return out


def _total_row(vals: list[Decimal], refs: list[TableRef], align: str, label_span: int = 2) -> Row:
    return _row([Cell("合计", colspan=label_span)] + [cell(v) for v in vals], refs, align)


def t2(r: Report, look: TableLook) -> TableSpec:
    keys = ["appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"]

    def vals(i: Item) -> list[Decimal]:
        parts = [i.income.get(k, ZERO) for k in keys]
        return [sum(parts, ZERO)] + parts

    items = [i for i in r.items if vals(i)[0] > 0]
    totals = _sum(items, vals)
    body = [
        _total_row(
            totals,
            [TableRef("income.total", totals[0]), TableRef("income.appropriation", totals[1])],
            look.num_align,
        )
    ]
    body += _func_body(functional_rows(items, vals), look.num_align)
    return TableSpec(
        **_common(r, look, "T2"),
        landscape=True,
        widths=[1.35, 3.3, 1.3, 1.3, 1.2, 1.1, 1.1, 1.15, 1.1],
        header=_func_header(
            [
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ]
        ),
        body=body,
        notes=[_note("注：本表反映部门本年度取得的各项收入情况。")],
        row_height=15.0,
    )


def t3(r: Report, look: TableLook) -> TableSpec:
    def vals(i: Item) -> list[Decimal]:
        return [i.total, i.total_basic, i.total_project, ZERO, ZERO, ZERO]

    items = [i for i in r.items if i.total > 0]
    totals = _sum(items, vals)
    body = [
        _total_row(
            totals,
            [
                TableRef("expenditure.total", totals[0]),
                TableRef("expenditure.basic", totals[1]),
                TableRef("expenditure.project", totals[2]),
            ],
            look.num_align,
        )
    ]
    body += _func_body(functional_rows(items, vals), look.num_align)
    return TableSpec(
        **_common(r, look, "T3"),
        landscape=True,
        widths=[1.35, 3.3, 1.3, 1.2, 1.2, 1.15, 1.1, 1.3],
        header=_func_header(
            ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        ),
        body=body,
        notes=[_note("注：本表反映部门本年度各项支出情况。")],
        row_height=15.0,
    )


def t4(r: Report, look: TableLook) -> TableSpec:
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
            left = [label, cell(v)]
            if v > 0:
                refs.append(TableRef(key, v, (0, 2)))
        parts = [gb.get(code, ZERO), gf.get(code, ZERO), sc.get(code, ZERO)]
        right = [f"{cat.CN_ORDINALS[n]}、{name}", cell(sum(parts, ZERO))] + [cell(p) for p in parts]
        body.append(_row(left + right, refs, a))
    funds = [r.fund_total("gb"), r.fund_total("gf"), r.fund_total("sc")]
    total = r.appropriation_income
    body.append(
        _row(
            [Cell("本年收入合计"), money(total), Cell("本年支出合计"), money(total)]
            + [cell(f) for f in funds],
            [TableRef("general_budget.total", funds[0], (2, 7))],
            a,
        )
    )
    body.append(_row(["年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", ""], [], a))
    for label in ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款"):
        body.append(_row([label, "", label, "", "", "", ""], [], a))
    body.append(
        _row(
            [Cell("总计"), money(total), Cell("总计"), money(total)] + [cell(f) for f in funds],
            [TableRef("appropriation.total", total)],
            a,
        )
    )
    header = _header_rows(
        [
            [_h("收入", 2), None, _h("支出", 5), None, None, None, None],
            [
                _h("项目"),
                _h("决算数"),
                _h("项目"),
                _h("合计"),
                _h("一般公共预算财政拨款"),
                _h("政府性基金预算财政拨款"),
                _h("国有资本经营预算财政拨款"),
            ],
        ]
    )
    return TableSpec(
        **_common(r, look, "T4"),
        landscape=True,
        widths=[2.9, 1.1, 3.1, 1.1, 1.25, 1.25, 1.25],
        header=header,
        body=body,
        notes=[_note("注：本表反映部门本年度财政拨款总收支和结转结余情况。")],
        font_size=9.0,
        row_height=15.5,
    )


def t5(r: Report, look: TableLook) -> TableSpec:
    def vals(i: Item) -> list[Decimal]:
        return [i.approp, i.basic, i.project]

    items = r.gb_items
    totals = _sum(items, vals)
    total_row = _total_row(
        totals,
        [
            TableRef("general_budget.total", totals[0]),
            TableRef("general_budget.basic", totals[1]),
            TableRef("general_budget.project", totals[2]),
            TableRef("basic_expenditure.total", totals[1]),
        ],
        look.num_align,
    )
    body = _func_body(functional_rows(items, vals), look.num_align, ref_prefix="gb")
    body = [total_row] + body if look.total_first_t5 else body + [total_row]
    return TableSpec(
        **_common(r, look, "T5"),
        landscape=False,
        widths=[1.3, 3.0, 1.2, 1.2, 1.2],
        header=_func_header(["合计", "基本支出", "项目支出"]),
        body=body,
        notes=[_note("注：本表反映部门本年度一般公共预算财政拨款支出情况。")],
    )


def t6(r: Report, look: TableLook) -> TableSpec:
    a = look.num_align

    def side(lines: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
        out = []
        for code, name in lines:
            v = r.econ_group(code) if len(code) == 3 else r.econ.get(code, ZERO)
            out.append((code, name, money(v)))
        return out

    body = []
    for left, right in zip_longest(side(cat.ECON_LEFT), side(cat.ECON_RIGHT), fillvalue=("", "", "")):
        body.append(_row(list(left) + list(right), [], a))
    public = r.printed("T6.public", r.public)
    body.append(
        _row(
            [
                Cell("人员经费合计", colspan=2),
                money(r.personnel),
                Cell("公用经费合计", colspan=2),
                money(public),
            ],
            [
                TableRef("basic_expenditure.personnel", r.personnel, (0, 3)),
                TableRef("basic_expenditure.public", public, (3, 6)),
            ],
            a,
        )
    )
    header = _header_rows(
        [
            [
                _h("经济分类科目编码"),
                _h("科目名称"),
                _h("决算数"),
                _h("经济分类科目编码"),
                _h("科目名称"),
                _h("决算数"),
            ]
        ]
    )
    return TableSpec(
        **_common(r, look, "T6"),
        landscape=False,
        widths=[1.05, 2.45, 1.0, 1.05, 2.45, 1.0],
        header=header,
        body=body,
        notes=[_note("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")],
    )


def t7(r: Report, look: TableLook) -> TableSpec:
    tp = r.three
    header = _header_rows(
        [
            [_h("财政拨款“三公”经费", 12)] + [None] * 11,
            [_h("合计", 2, 2), None, _h("因公出国（境）费", 2, 2), None, _h("公务用车购置及运行维护费", 6)]
            + [None] * 5 + [_h("公务接待费", 2, 2), None],
            [None] * 4 + [_h("小计", 2), None, _h("公务用车购置费", 2), None, _h("公务用车运行维护费", 2), None]
            + [None] * 2,
            [_h("预算数"), _h("决算数")] * 6,
        ]
    )  # fmt: skip
    notes = [_note("注：本表反映部门本年度“三公”经费支出预决算情况。")]
    if tp.any:
        b, x = ThreePublic.parts(tp.budget), ThreePublic.parts(tp.actual)
        order = ["total", "overseas", "vehicles", "purchase", "operation", "reception"]
        vals = [v for k in order for v in (b[k], x[k])]
        keys = {"total": "three_public.total", "overseas": "three_public.overseas",
                "vehicles": "three_public.vehicles", "purchase": "three_public.vehicle_purchase",
                "operation": "three_public.vehicle_operation", "reception": "three_public.reception"}  # fmt: skip
        refs = [TableRef("three_public.budget", b["total"])] + [TableRef(keys[k], x[k]) for k in order]
        body = [_row([money(v) for v in vals], refs, "c")]
    else:
        body = [_row([""] * 12, [], "c")]
        note = Para("note", "")
        note.fig(
            "three_public.total", 0, f"说明：{r.name}本年度没有财政拨款“三公”经费支出，故本表无数据。", "", ""
        )
        notes.append(note)
    return TableSpec(
        **_common(r, look, "T7"),
        landscape=True,
        widths=[1.0] * 12,
        header=header,
        body=body,
        notes=notes,
    )


def _fund_table(r: Report, look: TableLook, sid: str, fund: str, field_prefix: str, label: str) -> TableSpec:
    items = [i for i in r.fund_items(fund) if i.approp > 0]

    def vals(i: Item) -> list[Decimal]:
        return [ZERO, i.approp, i.approp, i.basic, i.project, ZERO]

    notes = [_note(f"注：本表反映部门本年度{label}财政拨款收入支出及结转和结余情况。")]
    if items:
        totals = _sum(items, vals)
        body = [
            _total_row(
                totals,
                [
                    TableRef(f"{field_prefix}.income", totals[1]),
                    TableRef(f"{field_prefix}.expenditure", totals[2]),
                ],
                look.num_align,
            )
        ]
        body += _func_body(functional_rows(items, vals), look.num_align)
    else:
        body = [_total_row([ZERO] * 6, [], look.num_align)]
        note = Para("note", "")
        if look.empty_note_national:
            text = (f"说明：本部门{cat.YEAR}年度没有{label}财政拨款收入，也没有使用{label}财政拨款安排的支出，"
                    "故本表无数据。")  # fmt: skip
        else:
            text = f"说明：{r.name}本年度没有{label}财政拨款收入和支出，故本表无数据。"
        start = note.pos()
        note.add(text)
        income_key = "income.government_fund" if fund == "gf" else "income.state_capital"
        for key in (f"{field_prefix}.income", f"{field_prefix}.expenditure", income_key):
            note.ref(key, 0, start, start)
        notes.append(note)
    return TableSpec(
        **_common(r, look, sid),
        landscape=True,
        widths=[1.35, 3.2, 1.25, 1.2, 1.2, 1.2, 1.2, 1.25],
        header=_header_rows(
            [
                [
                    _h("项目", 2),
                    None,
                    _h("年初结转和结余", rowspan=2),
                    _h("本年收入", rowspan=2),
                    _h("本年支出", 3),
                    None,
                    None,
                    _h("年末结转和结余", rowspan=2),
                ],
                [
                    _h("功能分类科目编码"),
                    _h("科目名称"),
                    None,
                    None,
                    _h("合计"),
                    _h("基本支出"),
                    _h("项目支出"),
                    None,
                ],
            ]
        ),  # fmt: skip
        body=body,
        notes=notes,
    )


def t8(r: Report, look: TableLook) -> TableSpec:
    return _fund_table(r, look, "T8", "gf", "government_fund", "政府性基金预算")


def t9(r: Report, look: TableLook) -> TableSpec:
    return _fund_table(r, look, "T9", "sc", "state_capital", "国有资本经营预算")


def unit_table(r: Report) -> TableSpec:
    """Part one's 部门决算单位构成 list: a small ruled table that is none of the nine."""
    body = [_row([str(n), Cell(u, align="l"), ""], [], "c") for n, u in enumerate(r.units, 1)]
    for row in body:
        row.cells[0] = Cell(row.cells[0].text if row.cells[0] else "", align="c")
    return TableSpec(
        title="",
        standard_id=None,
        landscape=False,
        widths=[0.8, 4.2, 1.6],
        header=_header_rows([[_h("序号"), _h("单位名称"), _h("备注")]]),
        body=body,
        unit=None,
        new_page=False,
        repeat_header=True,
    )


def all_tables(r: Report, look: TableLook) -> list[TableSpec]:
    return [t1(r, look), t2(r, look), t3(r, look), t4(r, look), t5(r, look), t6(r, look), t7(r, look),
            t8(r, look), t9(r, look)]  # fmt: skip
