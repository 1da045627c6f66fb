"""T7, the 财政拨款“三公”经费支出决算表, in the two layouts reports use.

``merged``: one value row alternating 预算数 | 决算数 under merged group headers (合计 | 因公出国（境）费 |
公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费), as the official template prints it (on a landscape page, or upright with its headers wrapped).
``rows``: one row per item, columns 预算数 | 决算数. A department with no 三公 spending prints the frame and a
说明 (…没有…，故本表无数据).
"""

from __future__ import annotations

from pipeline.samples.blocks import Cell, Para, Row, TableRef, TableSpec
from pipeline.samples.look import TableLook
from pipeline.samples.model import Report, ThreePublic
from pipeline.samples.subjects import h
from pipeline.samples.tables import common, note, row

# part key of ThreePublic.parts → (record path of its 决算数, label in the rows layout)
ITEMS = {
    "total": ("three_public.total", "合计"),
    "overseas": ("three_public.overseas", "因公出国（境）费"),
    "vehicles": ("three_public.vehicles", "公务用车购置及运行维护费"),
    "purchase": ("three_public.vehicle_purchase", "其中：公务用车购置费"),
    "operation": ("three_public.vehicle_operation", "公务用车运行维护费"),
    "reception": ("three_public.reception", "公务接待费"),
}


def t7(r: Report, look: TableLook) -> TableSpec:
    tp = r.three
    notes = [note("注：本表反映部门本年度“三公”经费支出预决算情况。")]
    if not tp.any:
        empty = Para("note", "")
        empty.fig("three_public.total", 0, f"说明：{r.name}本年度没有财政拨款“三公”经费支出，故本表无数据。", "", "")
        notes.append(empty)
    layout = _rows if look.t7 == "rows" else _merged
    return TableSpec(**common(r, look, "T7"), **layout(tp, look), notes=notes)


def _merged(tp: ThreePublic, look: TableLook) -> dict:
    header = [
        [h("财政拨款“三公”经费", 12)] + [None] * 11,
        [h("合计", 2, 2), None, h("因公出国（境）费", 2, 2), None, h("公务用车购置及运行维护费", 6)]
        + [None] * 5 + [h("公务接待费", 2, 2), None],
        [None] * 4 + [h("小计", 2), None, h("公务用车购置费", 2), None, h("公务用车运行维护费", 2), None]
        + [None] * 2,
        [h("预算数"), h("决算数")] * 6,
    ]  # fmt: skip
    if tp.any:
        b, x = ThreePublic.parts(tp.budget), ThreePublic.parts(tp.actual)
        vals = [v for k in ITEMS for v in (b[k], x[k])]
        refs = [TableRef("three_public.budget", b["total"])] + [TableRef(ITEMS[k][0], x[k]) for k in ITEMS]
        body = [row([look.amount(v) for v in vals], refs, "c")]
    else:
        body = [row([""] * 12, [], "c")]
    return {"landscape": not look.t7_portrait, "widths": [1.0] * 12, "header": [Row(x) for x in header], "body": body}


def _rows(tp: ThreePublic, look: TableLook) -> dict:
    b, x = ThreePublic.parts(tp.budget), ThreePublic.parts(tp.actual)
    body = []
    for k, (path, label) in ITEMS.items():
        if not tp.any:
            body.append(row([label, "", ""], [], look.num_align))
            continue
        refs = [TableRef("three_public.budget", b[k])] if k == "total" else []
        refs.append(TableRef(path, x[k]))
        body.append(row([Cell(label, align="l"), look.amount(b[k]), look.amount(x[k])], refs, look.num_align))
    header = [Row([h("项目"), h("预算数"), h("决算数")])]
    return {"landscape": False, "widths": [3.6, 1.4, 1.4], "header": header, "body": body}
