"""Layout pieces on small inputs: grids and merged cells, title matching, headings, stitching (no OCR)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.document import Cell, Table
from pipeline.layout.grid import GridParams, Seg, build_grids
from pipeline.layout.headings import classify
from pipeline.layout.ocrfix import repair_figures, repair_labels
from pipeline.layout.ruling import image_grids
from pipeline.layout.standard import find_unit, match_title
from pipeline.layout.stitch import append, repeated_header_rows, same_columns
from pipeline.reports import get as report_kind

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

P = GridParams(tol=2.0, gap=3.0, min_cell=6.0)


def _spans(grid):
    return {(c.row, c.col): (c.rowspan, c.colspan) for c in grid.cells if c.rowspan > 1 or c.colspan > 1}


def test_grid_with_merged_header_cells():
    # 3 rows x 3 cols; the top-left cell spans two rows, the top-right two columns on row 0.
    hs = [Seg(0, 0, 90), Seg(10, 30, 90), Seg(20, 0, 90), Seg(30, 0, 90)]
    vs = [Seg(0, 0, 30), Seg(30, 0, 30), Seg(60, 10, 30), Seg(90, 0, 30)]
    (grid,) = build_grids(hs, vs, P)
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert _spans(grid) == {(0, 0): (2, 1), (0, 1): (1, 2)}
    assert len(grid.cells) == 1 + 1 + 2 + 3


def test_grid_bridges_broken_lines_and_ignores_stray_rules():
    hs = [Seg(0, 0, 40), Seg(0, 42, 90), Seg(20, 0, 90), Seg(40, 0, 90), Seg(60, 100, 200)]
    vs = [Seg(0, 0, 40), Seg(45, 0, 19), Seg(45, 21, 40), Seg(90, 0, 40)]
    (grid,) = build_grids(hs, vs, P)
    assert (grid.n_rows, grid.n_cols) == (2, 2)
    assert _spans(grid) == {}


def test_image_grid_finds_spans_on_a_tilted_drawing():
    img = np.full((700, 1000), 255, np.uint8)
    import cv2

    for y in (100, 200, 300, 400):
        cv2.line(img, (100, y), (900, y), 0, 2)
    for x in (100, 900):
        cv2.line(img, (x, 100), (x, 400), 0, 2)
    cv2.line(img, (500, 200), (500, 400), 0, 2)  # row 0 is one cell across both columns
    m = cv2.getRotationMatrix2D((500, 350), 0.4, 1.0)
    img = cv2.warpAffine(img, m, (1000, 700), flags=cv2.INTER_LINEAR, borderValue=255)
    (grid,), straight = image_grids(img, 200)
    assert abs(straight.angle_deg) > 0.2
    assert (grid.n_rows, grid.n_cols) == (3, 2)
    assert _spans(grid) == {(0, 0): (1, 2)}


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("收入支出决算总表", "T1"),
        ("财政拨款收入支出决算总表", "T4"),  # contains T1's title
        ("收入决算表", "T2"),
        ("支出决算表", "T3"),
        ("一般公共预算财政拨款支出决算表", "T5"),  # contains T3's title
        ("一般公共预算财政拨款基本支出决算表", "T6"),
        ('一般公共预算财政拨款"三公"经费支出决算表', "T7"),
        ("财政拨款“三公”经费支出决算表", "T7"),
        ("一般公共预算财政拨款三公经费支出决算表", "T7"),
        ("政府性基金预算财政拨款收入支出决算表", "T8"),
        ("国有资本经营预算财政拨款收入支出决算表", "T9"),
        ("表4 财政拨款收人支出决算总表", "T4"),  # OCR: 入 → 人
        ("一般公共预算财政拔款支出决算表", "T5"),  # OCR: 拨 → 拔
        ("中共上海市普陀区委社会工作部2024 年度部门决算表", None),
        ("一般公共预算财政拨款项目支出决算表", None),  # not T3 nor T6
        ("一般公共预算财政拨款支出决算明细表", None),
        ("二、收入决算情况说明", None),
    ],
)
def test_standard_titles(text, sid):
    m = match_title(text, FA.tables)
    assert (m.standard_id if m else None) == sid


def test_units():
    assert find_unit("单位：万元") == "万元"
    assert find_unit("金额单位:元") == "元"
    assert find_unit("收入支出决算总表") is None


@pytest.mark.parametrize(
    ("text", "level", "number"),
    [
        ("第三部分 2024年度部门决算情况说明", 1, "第三部分"),
        ("二、收入决算情况说明", 2, "二"),
        ("(三)一般公共预算财政拨款支出决算具体情况。", 3, "(三)"),
        ("1、部门职责", 4, "1"),
        ("目 录", 1, None),
        ("名词解释", 1, None),
        ("收入支出决算总表", 2, None),
        ("- 二、收入决算情况说明", 2, "二"),
    ],
)
def test_headings(text, level, number):
    h = classify(text, FA.tables)
    assert h is not None and (h.level, h.number) == (level, number)


@pytest.mark.parametrize(
    "text",
    [
        "1.深入贯彻党的路线方针政策和决策部署，统一政法各部门思想和行动，坚持党对政法工作的绝对领导。",
        "1、一般公共服务支出(类)社会工作事务(款)行政运行(项)。",
        "一、财政拨款收入:指单位本年度从本级财政部门取得的财政",
        "(一)机构组成。区委政法委内设机构7个",
        "2024年度本年收入合计544.24万元",
    ],
)
def test_body_lines_are_not_headings(text):
    assert classify(text, FA.tables) is None


def _table(tid: str, rows: list[list[str]], page: int, header_rows: int, x0: float = 0.0) -> Table:
    cells = [
        Cell(row=r, col=c, text=t, bbox=(x0 + c * 50, r * 20, x0 + (c + 1) * 50, (r + 1) * 20), page=page)
        for r, row in enumerate(rows)
        for c, t in enumerate(row)
    ]
    return Table(id=tid, pages=[page], bbox=(x0, 0, x0 + 50 * len(rows[0]), 20 * len(rows)),
                 n_rows=len(rows), n_cols=len(rows[0]), header_rows=header_rows, cells=cells)


def test_stitch_drops_repeated_header():
    a = _table("a", [["项目", "金额"], ["201", "1.00"]], 1, 1)
    b = _table("b", [["项目", "金额"], ["202", "2.00"], ["203", "3.00"]], 2, 0)
    assert same_columns(a, b)
    assert repeated_header_rows(a, b) == 1
    append(a, b)
    assert a.pages == [1, 2] and a.n_rows == 4
    assert [row[0] for row in a.grid()] == ["项目", "201", "202", "203"]


def test_numbers_repaired_in_ocr_columns():
    rows = [["项目", "金额"], ["a", "1.50"], ["b", "0.G0"], ["c", "2l.30"], ["d", "000"], ["e", ".719.97"]]
    t = _table("t", rows, 1, 1)
    repair_figures(t)
    assert [row[1] for row in t.grid()[1:]] == ["1.50", "0.00", "21.30", "0.00", "719.97"]


def test_labels_and_specks_repaired():
    from pipeline.layout.chars import Char
    from pipeline.layout.ocrfix import drop_specks

    t = _table("t", [["项目.", "金额"], ["十二:农林水支出", "1.00"], ["助学金。", "*2.00"]], 1, 1)
    repair_labels(t)
    repair_figures(t)
    assert t.grid() == [["项目", "金额"], ["十二、农林水支出", "1.00"], ["助学金", "2.00"]]
    text = [Char(ch, (i * 10.0, 0, i * 10.0 + 9, 10), 0) for i, ch in enumerate("763.91")]
    dust = Char("★", (-40, 0, -31, 10), 1)
    assert [c.text for c in drop_specks([dust, *text])] == list("763.91")
    assert [c.text for c in drop_specks([Char("-", (0, 0, 9, 10), 3)])] == ["-"]  # a dash alone stays
    assert drop_specks([Char("4", (0, 0, 3, 3), 5)], body_h=10.0) == []  # a fleck read as a digit
    assert drop_specks([Char("★", (0, 0, 9, 10), 6)]) == []


def test_stitch_continuation_with_merged_total_row():
    a = _table("a", [["项目", "", "金额", "其他"], ["201", "x", "1.00", "0"]], 1, 1)
    b = _table("b", [["合计", "3.00"]], 2, 0)
    b.cells = [Cell(row=0, col=0, text="合计", bbox=(0, 0, 100, 20), page=2),
               Cell(row=0, col=1, text="3.00", bbox=(100, 0, 150, 20), page=2),
               Cell(row=0, col=2, text="0", bbox=(150, 0, 200, 20), page=2)]
    b.n_cols = 3
    assert same_columns(a, b)
    append(a, b)
    assert a.grid()[-1] == ["合计", "", "3.00", "0"]
    assert next(c for c in a.cells if c.row == 2 and c.col == 0).colspan == 2
