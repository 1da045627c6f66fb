"""T6, the 一般公共预算财政拨款基本支出决算表 (基本支出 by economic 科目), in the layouts reports use.

``two``: two code–name–amount panels side by side (301 and 303 | 302 and 310), as the Shanghai template;
``three``: three panels (301 and 303 | 302 | 310) under 人员经费 | 公用经费, as the national template;
``list``: one list in code order, which runs over pages. The codes print as the plan says (``subjects``);
the closing row(s) give 人员经费合计 and 公用经费合计. Every line prints, 0.00 included.
"""

from __future__ import annotations

from itertools import zip_longest

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Cell, Row, TableRef, TableSpec
from pipeline.samples.look import TableLook
from pipeline.samples.model import Report
from pipeline.samples.money import ZERO
from pipeline.samples.subjects import Codes, h, header
from pipeline.samples.tables import common, note, row

Line = tuple[str, str]  # (code, name)


def t6(r: Report, look: TableLook) -> TableSpec:
    codes = Codes.economic(look)
    public = r.printed("T6.public", r.public)
    personnel_ref = TableRef("basic_expenditure.personnel", r.personnel)
    public_ref = TableRef("basic_expenditure.public", public)
    left = cat.ECON_LEFT
    goods = [x for x in cat.ECON_RIGHT if x[0].startswith("302")]
    capital = [x for x in cat.ECON_RIGHT if x[0].startswith("310")]
    n = codes.n_cols
    if look.t6 == "list":
        lines = sorted(left + goods + capital, key=lambda x: (x[0][:3], x[0]))
        body = [row(_cells(r, look, codes, line), [], look.num_align) for line in lines]
        for label, value, ref in (("人员经费合计", r.personnel, personnel_ref), ("公用经费合计", public, public_ref)):
            body.append(row([Cell(label, colspan=n), look.amount(value)], [ref], look.num_align))
        spec = {"landscape": False, "widths": codes.weights(1.05, 2.9) + [1.2],
                "header": header(codes.header_block(top=None), ["决算数"])}  # fmt: skip
    else:
        panels = [left, cat.ECON_RIGHT] if look.t6 == "two" else [left, goods, capital]
        body = []
        for lines in zip_longest(*panels, fillvalue=None):
            cells: list = []
            for line in lines:
                cells += _cells(r, look, codes, line) if line else [""] * (n + 1)
            body.append(row(cells, [], look.num_align))
        span = len(panels) * (n + 1) - n - 2  # 公用经费合计 runs up to the last amount column
        personnel_ref.cols, public_ref.cols = (0, n + 1), (n + 1, len(panels) * (n + 1))
        body.append(row([Cell("人员经费合计", colspan=n), look.amount(r.personnel),
                         Cell("公用经费合计", colspan=span), look.amount(public)],
                        [personnel_ref, public_ref], look.num_align))  # fmt: skip
        heads = [header(codes.header_block(top=None), ["决算数"]) for _ in panels]
        rows = [Row([c for part in parts for c in part.cells]) for parts in zip(*heads, strict=True)]
        if look.t6 == "three":
            width = n + 1
            rows.insert(0, Row([h("人员经费", width)] + [None] * (width - 1) + [h("公用经费", 2 * width)]
                               + [None] * (2 * width - 1)))  # fmt: skip
        widths = [w for _ in panels for w in codes.weights(1.05, 2.45) + [1.0]]
        spec = {"landscape": look.t6 == "three", "widths": widths, "header": rows}
    return TableSpec(
        **common(r, look, "T6"),
        **spec,
        body=body,
        notes=[note("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")],
    )


def _cells(r: Report, look: TableLook, codes: Codes, line: Line) -> list[str]:
    code, name = line
    value = r.econ_group(code) if len(code) == 3 else r.econ.get(code, ZERO)
    return codes.cells(code, name) + [look.amount(value)]
