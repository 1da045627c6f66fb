"""The nine tables of a Shanghai district 部门预算 (B1…B9), as ruled-table specs, from a ``BudgetReport``.

B1 部门财务收支预算总表 and B4 部门财政拨款收支预算总表 pair income and spending side by side; B2, B3, B5, B6, B7
list 类/款/项 rows (``tables.functional_rows``) under a 项目 header, the codes as ``subjects.Codes`` prints them;
B8 lists 基本支出 by economic 类/款 split into 人员经费 and 公用经费; B9 is one row of "三公" and 机关运行经费.
B1–B8 print whole 元 grouped by thousands (2,932,700), B9 万元 with two decimals, as the real reports do. Every
figure the gold records is tagged on its row (``TableRef``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pipeline.reports.budget.tables import NAMES
from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Cell, Para, Row, TableRef, TableSpec
from pipeline.samples.budget_model import BudgetReport
from pipeline.samples.model import Item
from pipeline.samples.money import ZERO, q2
from pipeline.samples.subjects import ECONOMIC, FUNCTIONAL, Codes, Heads, h, header
from pipeline.samples.tables import functional_rows, row

TITLES = NAMES  # B1…B9 as the budget profile names them: one list for the reader and the drawing


@dataclass
class BudgetLook:
    """Per-report choices the budget's tables vary on (defaults: the Putuo reports)."""

    codes: str = "split"  # split: 类 | 款 | 项 columns; column: one 科目编码 column
    short_codes: bool = True  # 款 printed "05" and 项 "07" under the split header, as the Putuo reports do
    zeros: str = "0"  # how a zero cell of B2/B3/B5–B8 prints: "0", or "" (blank)
    num_align: str = "r"  # l | r
    total_first: bool = False  # the 合计 row above the 科目 rows (else below, as the Putuo reports)
    year_titles: bool = True  # "2024年部门收入预算总表"; else the bare title
    b9_year: bool = True  # B9 titled with the year too (one Putuo report leaves it off)

    def yuan(self, x: Decimal) -> str:
        """A 万元 amount as whole 元, grouped by thousands."""
        return f"{int(q2(x) * 10000):,}"

    def cell(self, x: Decimal) -> str:
        return self.zeros if x == 0 else self.yuan(x)

    def title(self, tid: str, year: int) -> str:
        year_it = self.year_titles and (tid != "B9" or self.b9_year)
        return f"{year}年{TITLES[tid]}" if year_it else TITLES[tid]


def _look_codes(look: BudgetLook, levels: tuple[str, ...], kind: str) -> Codes:
    return Codes(look.codes, levels, look.short_codes and look.codes == "split", "repeat", kind)


def _spec(r: BudgetReport, look: BudgetLook, tid: str, unit: str = "元", **kw) -> TableSpec:
    return TableSpec(
        title=look.title(tid, r.year),
        standard_id=tid,
        dept_line=f"编制部门：{r.name}",
        unit=unit,
        **kw,
    )


def _amounts(look: BudgetLook, values: list[Decimal], blank_zero: bool = False) -> list[Cell | str | None]:
    return [Cell("" if blank_zero and v == 0 else look.cell(v), align=look.num_align) for v in values]


# --- B1, B4: income beside spending ----------------------------------------------------------------------


def _classes(r: BudgetReport, value: Callable[[Item], Decimal]) -> list[tuple[str, Decimal]]:
    """(类 code, amount) for each class with spending, in code order."""
    out: dict[str, Decimal] = {}
    for it in r.items:
        if value(it) > 0:
            out[it.code[:3]] = out.get(it.code[:3], ZERO) + value(it)
    return sorted(out.items())


def _two_sided(left: list[tuple[str, Decimal, str | None]], right: list[list[Cell | str | None]],
               width: int, look: BudgetLook) -> list[Row]:  # fmt: skip
    """Rows pairing the income lines (label, amount, record path) with the spending rows, blank-padded."""
    body = []
    for n in range(max(len(left), len(right))):
        cells: list[Cell | str | None] = ["", ""]
        refs = []
        if n < len(left):
            label, v, key = left[n]
            cells = [label, *_amounts(look, [v], blank_zero=True)]
            if key and v > 0:
                refs.append(TableRef(key, v, (0, 2)))
        cells += right[n] if n < len(right) else [""] * (width - 2)
        body.append(row(cells, refs))
    return body


def b1(r: BudgetReport, look: BudgetLook) -> TableSpec:
    left = [
        ("一、财政拨款收入", r.appropriation, "income.appropriation"),
        ("1. 一般公共预算资金", r.fund_total("gb"), "income.general_budget"),
        ("2. 政府性基金", r.fund_total("gf"), "extra:income.government_fund"),
        ("3. 国有资本经营预算", r.fund_total("sc"), "extra:income.state_capital"),
        ("二、事业收入", r.source("business"), "income.business"),
        ("三、事业单位经营收入", r.source("operating"), "income.operating"),
        ("四、其他收入", r.source("other"), "income.other"),
    ]
    right = [[f"{cat.CN_ORDINALS[n]}、{cat.FUNC_NAMES[code]}", *_amounts(look, [v])]
             for n, (code, v) in enumerate(_classes(r, lambda i: i.total))]  # fmt: skip
    body = _two_sided(left, right, 4, look)
    total = r.income_total
    body.append(
        row(
            ["收入总计", *_amounts(look, [total]), "支出总计", *_amounts(look, [r.expenditure_total])],
            [TableRef("summary.total", total), TableRef("income.total", total, (0, 2)),
             TableRef("expenditure.total", r.expenditure_total, (2, 4))],
        )  # fmt: skip
    )
    heads = [[h("本年收入", 2), None, h("本年支出", 2), None], [h("项目"), h("预算数"), h("项目"), h("预算数")]]
    return _spec(r, look, "B1", landscape=False, widths=[3.0, 1.3, 3.4, 1.3], header=[Row(x) for x in heads],
                 body=body, font_size=9.5, row_height=18.0)  # fmt: skip


def b4(r: BudgetReport, look: BudgetLook) -> TableSpec:
    left = [
        ("一、一般公共预算资金", r.fund_total("gb"), "income.general_budget"),
        ("二、政府性基金", r.fund_total("gf"), "extra:income.government_fund"),
        ("三、国有资本经营预算", r.fund_total("sc"), "extra:income.state_capital"),
    ]
    by_fund = {f: dict(_classes(r, lambda i, f=f: i.approp if i.fund == f else ZERO)) for f in ("gb", "gf", "sc")}
    codes = sorted({c for v in by_fund.values() for c in v})
    right = []
    for n, code in enumerate(codes):
        parts = [by_fund[f].get(code, ZERO) for f in ("gb", "gf", "sc")]
        right.append([f"{cat.CN_ORDINALS[n]}、{cat.FUNC_NAMES[code]}",
                      *_amounts(look, [sum(parts, ZERO), *parts], blank_zero=True)])  # fmt: skip
    body = _two_sided(left, right, 7, look)
    funds = [r.fund_total(f) for f in ("gb", "gf", "sc")]
    total = r.appropriation
    body.append(
        row(
            ["收入总计", *_amounts(look, [total]), "支出总计", *_amounts(look, [total, *funds], blank_zero=True)],
            [TableRef("income.appropriation", total, (0, 2)), TableRef("general_budget.total", funds[0], (2, 7))],
        )
    )
    heads = [
        [h("财政拨款收入", 2), None, h("财政拨款支出", 5), None, None, None, None],
        [h("项目"), h("预算数"), h("项目"), h("合计"), h("一般公共预算"), h("政府性基金预算"), h("国有资本经营预算")],
    ]
    return _spec(r, look, "B4", landscape=True, widths=[2.6, 1.3, 3.0, 1.3, 1.3, 1.3, 1.3],
                 header=[Row(x) for x in heads], body=body, font_size=9.5, row_height=18.0)  # fmt: skip


# --- B2, B3, B5, B6, B7: 科目 lists ------------------------------------------------------------------


def _list(r: BudgetReport, look: BudgetLook, tid: str, items: list[Item], values: Callable[[Item], list[Decimal]],
          heads: Heads, total_refs: Callable[[list[Decimal]], list[TableRef]], tag: bool = False,
          notes: list[Para] | None = None) -> TableSpec:  # fmt: skip
    codes = _look_codes(look, FUNCTIONAL, "功能分类")
    rows = functional_rows(items, values) if items else []
    body = []
    for level, code, name, vals in rows:
        refs = []
        if tag and level in ("类", "项"):
            refs.append(TableRef(f"{'by_class' if level == '类' else 'item'}:{code}", vals))
        body.append(row(codes.cells(code, name) + _amounts(look, vals), refs))
    n_values = len(heads[0][1]) if isinstance(heads[0], tuple) else len(heads)
    totals = [sum((values(i)[k] for i in items), ZERO) for k in range(n_values)]
    total_row = row([Cell("合计", colspan=codes.n_cols)] + _amounts(look, totals, blank_zero=not items),
                    total_refs(totals) if items else [])  # fmt: skip
    body = [total_row] + body if look.total_first else body + [total_row]
    label_w = [0.55, 0.5, 0.5, 3.1] if codes.style == "split" else [1.2, 3.1]
    return _spec(r, look, tid, landscape=False, widths=label_w + [1.45] * n_values,
                 header=header(codes.header_block(), heads), body=body, notes=notes or [], font_size=9.0,
                 row_height=17.0)  # fmt: skip


def b2(r: BudgetReport, look: BudgetLook) -> TableSpec:
    def vals(i: Item) -> list[Decimal]:
        return [i.total, i.income["appropriation"], i.income["business"], i.income["operating"],
                i.income["other"]]  # fmt: skip

    def refs(t: list[Decimal]) -> list[TableRef]:
        out = [TableRef("income.total", t[0]), TableRef("income.appropriation", t[1])]
        keys = ("income.business", "income.operating", "income.other")
        return out + [TableRef(k, v) for k, v in zip(keys, t[2:], strict=True) if v > 0]

    heads: Heads = [("收入预算", ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"])]
    return _list(r, look, "B2", [i for i in r.items if i.total > 0], vals, heads, refs)


def b3(r: BudgetReport, look: BudgetLook) -> TableSpec:
    def refs(t: list[Decimal]) -> list[TableRef]:
        return [TableRef("expenditure.total", t[0]), TableRef("expenditure.basic", t[1]),
                TableRef("expenditure.project", t[2])]  # fmt: skip

    heads: Heads = [("支出预算", ["合计", "基本支出", "项目支出"])]
    return _list(r, look, "B3", [i for i in r.items if i.total > 0],
                 lambda i: [i.total, i.total_basic, i.total_project], heads, refs)  # fmt: skip


def b5(r: BudgetReport, look: BudgetLook) -> TableSpec:
    def refs(t: list[Decimal]) -> list[TableRef]:
        return [TableRef("general_budget.total", t[0]), TableRef("general_budget.basic", t[1]),
                TableRef("general_budget.project", t[2]), TableRef("basic_expenditure.total", t[1])]  # fmt: skip

    heads: Heads = [("一般公共预算支出", ["合计", "基本支出", "项目支出"])]
    return _list(r, look, "B5", r.gb_items, lambda i: [i.approp, i.basic, i.project], heads, refs, tag=True)


def _fund_table(r: BudgetReport, look: BudgetLook, tid: str, fund: str, label: str, prefix: str) -> TableSpec:
    items = r.fund_items(fund)
    notes = []
    if not items:
        empty = Para("note", "")
        empty.add(f"注：本部门{r.year}年无{label}财政拨款安排的预算，故本表为空表。")
        empty.ref(f"extra:{prefix}.expenditure", 0, 0, 0)
        notes.append(empty)

    def refs(t: list[Decimal]) -> list[TableRef]:
        return [TableRef(f"extra:{prefix}.expenditure", t[0])]

    heads: Heads = [(f"{label}支出", ["合计", "基本支出", "项目支出"])]
    return _list(r, look, tid, items, lambda i: [i.approp, i.basic, i.project], heads, refs, notes=notes)


def b6(r: BudgetReport, look: BudgetLook) -> TableSpec:
    return _fund_table(r, look, "B6", "gf", "政府性基金预算", "government_fund")


def b7(r: BudgetReport, look: BudgetLook) -> TableSpec:
    return _fund_table(r, look, "B7", "sc", "国有资本经营预算", "state_capital")


# --- B8: 基本支出 by economic 科目 -----------------------------------------------------------------------

PERSONNEL_GROUPS = ("301", "303")


def b8(r: BudgetReport, look: BudgetLook) -> TableSpec:
    codes = _look_codes(look, ECONOMIC, "经济分类")

    def vals(code: str, v: Decimal) -> list[Decimal]:
        return [v, v, ZERO] if code[:3] in PERSONNEL_GROUPS else [v, ZERO, v]

    body = []
    for group in sorted({c[:3] for c in r.econ}):
        lines = sorted((c, v) for c, v in r.econ.items() if c.startswith(group))
        total = sum((v for _, v in lines), ZERO)
        body.append(row(codes.cells(group, cat.ECON_NAMES[group]) + _amounts(look, vals(group, total))))
        for c, v in lines:
            body.append(row(codes.cells(c, cat.ECON_NAMES[c]) + _amounts(look, vals(c, v))))
    basic = r.personnel + r.public
    total_row = row(
        [Cell("合计", colspan=codes.n_cols)] + _amounts(look, [basic, r.personnel, r.public]),
        [TableRef("basic_expenditure.total", basic), TableRef("basic_expenditure.personnel", r.personnel),
         TableRef("basic_expenditure.public", r.public)],
    )  # fmt: skip
    body = [total_row] + body if look.total_first else body + [total_row]
    heads: Heads = [("一般公共预算基本支出", ["合计", "人员经费", "公用经费"])]
    label_w = [0.55, 0.5, 3.1] if codes.style == "split" else [1.1, 3.1]
    return _spec(r, look, "B8", landscape=False, widths=label_w + [1.45] * 3,
                 header=header(codes.header_block(), heads), body=body, font_size=9.0, row_height=17.0)  # fmt: skip


# --- B9: "三公" and 机关运行经费, 万元 -------------------------------------------------------------------

B9_KEYS = [
    ("total", "three_public.total"),
    ("overseas", "three_public.overseas"),
    ("reception", "three_public.reception"),
    ("vehicles", "three_public.vehicles"),
    ("purchase", "three_public.vehicle_purchase"),
    ("operation", "three_public.vehicle_operation"),
]


def b9(r: BudgetReport, look: BudgetLook) -> TableSpec:
    parts = r.three_parts
    values = [parts[k] for k, _ in B9_KEYS] + [r.operating_costs]
    refs = [TableRef(path, parts[k]) for k, path in B9_KEYS]
    refs.append(TableRef("operating_costs.total", r.operating_costs))
    body = [row([Cell(f"{q2(v):.2f}", align=look.num_align) for v in values], refs)]
    heads = [
        [h(f"{r.year}年“三公”经费预算数", 6)] + [None] * 5 + [h(f"{r.year}年机关运行经费预算数", rowspan=3)],
        [h("合计", rowspan=2), h("因公出国(境)费", rowspan=2), h("公务接待费", rowspan=2),
         h("公务用车购置及运行费", 3), None, None, None],
        [None, None, None, h("小计"), h("购置费"), h("运行费"), None],
    ]  # fmt: skip
    return _spec(r, look, "B9", unit="万元", landscape=False, widths=[1.0, 1.3, 1.2, 1.0, 1.0, 1.0, 1.5],
                 header=[Row(x) for x in heads], body=body, font_size=9.5, row_height=20.0)  # fmt: skip


BUILDERS: dict[str, Callable[[BudgetReport, BudgetLook], TableSpec]] = {
    "B1": b1, "B2": b2, "B3": b3, "B4": b4, "B5": b5, "B6": b6, "B7": b7, "B8": b8, "B9": b9,
}  # fmt: skip


def all_tables(r: BudgetReport, look: BudgetLook) -> list[TableSpec]:
    return [BUILDERS[tid](r, look) for tid in TITLES]
