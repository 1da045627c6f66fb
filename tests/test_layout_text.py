"""Layout of born-digital and plain-text reports: the real putuo report, the seeds, a drawn two-page table."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.parse import parse_path

CORPUS = (SHARED / "corpus")
SEEDS = (SHARED / "seeds")
PUTUO = CORPUS / "putuo-shehuigongzuobu-2024-final.pdf"
TEMPLATE = CORPUS / "final-accounts-template-2024.pdf"

pytestmark = pytest.mark.skipif(not PUTUO.exists(), reason="shared corpus not mounted")


@pytest.fixture(scope="session")
def layout_settings(tmp_path_factory) -> Settings:
    return Settings(cache_dir=tmp_path_factory.mktemp("layout-ocr-cache"))


@pytest.fixture(scope="session")
def putuo(layout_settings) -> Document:
    return parse_path(PUTUO, layout_settings)


def _cell(t, row, col):
    return next(c for c in t.cells if c.row == row and c.col == col)


# -- sections ------------------------------------------------------------------------------------------


def test_section_tree_of_the_putuo_report(putuo):
    top = [(s.number, s.title) for s in putuo.sections]
    assert top[0] == (None, "目录")
    assert ("第一部分", "中共上海市普陀区委社会工作部概况") in top
    assert ("第三部分", "中共上海市普陀区委社会工作部2024 年度部门决算情况说明") in top
    assert ("第四部分", "名词解释") in top
    part3 = next(s for s in putuo.sections if s.number == "第三部分")
    assert [c.number for c in part3.children] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    five = part3.children[4]
    assert [(c.number, c.level) for c in five.children] == [("(一)", 3), ("(二)", 3), ("(三)", 3)]
    # The standard tables' titles are sections of the tables part, each holding its table block.
    tables_part = next(s for s in putuo.sections if s.title.endswith("部门决算表"))
    assert len(tables_part.children) == 9
    t1_section = tables_part.children[0]
    assert t1_section.title == "收入支出决算总表"
    blocks = {b.id: b for b in putuo.blocks}
    assert any(blocks[i].kind == "table" and blocks[i].table_id == putuo.standard_table("T1").id
               for i in t1_section.block_ids)


def test_find_section_reaches_the_body_not_the_contents(putuo):
    s = putuo.find_section("收入决算情况说明")
    assert (s.number, s.level, s.page) == ("二", 2, 17)
    text = putuo.section_text(s)
    assert "本年收入合计307.82 万元" in text and "占100.00%" in text
    assert "支出决算情况说明" not in text
    five = putuo.find_section("一般公共预算财政拨款支出决算情况说明")
    text5 = putuo.section_text(five)
    assert "(三)一般公共预算财政拨款支出决算具体情况" in text5 and "95.89%" in text5


def test_blocks_leave_tables_to_table_blocks(putuo):
    pages = [b.page for b in putuo.blocks]
    assert pages == sorted(pages)
    kinds = {b.kind for b in putuo.blocks}
    assert {"heading", "paragraph", "table", "toc", "caption"} <= kinds
    t1 = putuo.standard_table("T1")
    inside = [b for b in putuo.blocks if b.page == 5 and b.kind != "table"
              and t1.bbox[1] < (b.bbox[1] + b.bbox[3]) / 2 < t1.bbox[3]]
    assert inside == []
    # A paragraph wrapped over several lines is one block.
    para = next(b for b in putuo.blocks if b.text.startswith("中共上海市普陀区委社会工作部负责贯彻落实"))
    assert para.text.endswith("指导社会工作人才队伍建设等。")


# -- tables ----------------------------------------------------------------------------------------------


def test_all_nine_standard_tables(putuo):
    found = {t.standard_id: t for t in putuo.tables if t.standard_id}
    assert sorted(found) == [f"T{i}" for i in range(1, 10)]
    assert {sid: t.pages for sid, t in found.items()} == {
        "T1": [5], "T2": [6, 7], "T3": [8, 9], "T4": [10, 11], "T5": [12], "T6": [13], "T7": [14],
        "T8": [15], "T9": [16],
    }
    assert all(t.unit == "万元" for t in found.values())
    assert {sid: (t.n_rows, t.n_cols, t.header_rows) for sid, t in found.items()} == {
        "T1": (32, 4, 2), "T2": (20, 9, 2), "T3": (20, 8, 2), "T4": (34, 7, 2), "T5": (20, 5, 2),
        "T6": (40, 6, 1), "T7": (5, 12, 4), "T8": (6, 8, 3), "T9": (6, 8, 3),
    }


def test_cells_of_the_putuo_tables(putuo):
    g1 = putuo.standard_table("T1").grid()
    assert g1[2] == ["一、一般公共预算财政拨款收入", "307.82", "一、一般公共服务支出", "264.87"]
    assert g1[-1] == ["总计", "307.82", "总计", "307.82"]
    g2 = putuo.standard_table("T2").grid()
    assert g2[1][:2] == ["功能分类科目编码", "科目名称"]
    assert g2[-1][:4] == ["2210203", "购房补贴", "11.72", "11.72"]  # from the continuation page
    g6 = putuo.standard_table("T6").grid()
    assert g6[1] == ["301", "工资福利支出", "95.36", "302", "商品和服务支出", "10.23"]
    cell = _cell(putuo.standard_table("T2"), 19, 2)
    assert cell.page == 7 and cell.bbox[1] < 300  # rows keep the page and box they were printed on


def test_merged_header_spans(putuo):
    t7 = putuo.standard_table("T7")
    assert (_cell(t7, 0, 0).colspan, _cell(t7, 0, 0).text) == (12, "财政拨款“三公”经费")
    assert (_cell(t7, 1, 0).rowspan, _cell(t7, 1, 0).colspan, _cell(t7, 1, 0).text) == (2, 2, "合计")
    assert (_cell(t7, 1, 4).colspan, _cell(t7, 1, 4).text) == (6, "公务用车购置及运行维护费")
    t2 = putuo.standard_table("T2")
    assert (_cell(t2, 0, 0).colspan, _cell(t2, 0, 2).rowspan, _cell(t2, 0, 2).text) == (2, 2, "本年收入合计")
    t8 = putuo.standard_table("T8")
    assert (_cell(t8, 0, 4).colspan, _cell(t8, 0, 4).text) == (3, "本年支出")


def test_continuation_without_repeated_header(putuo):
    t4 = putuo.standard_table("T4")
    names = [row[2] for row in t4.grid()]
    assert names[2] == "一、一般公共服务支出" and "十六、金融支出" in names
    assert names.count("项目") == 1
    assert t4.grid()[-1] == ["总计", "307.82", "总计", "307.82", "307.82", "", ""]


def test_template_report_tables(layout_settings):
    doc = parse_path(TEMPLATE, layout_settings)
    assert sorted(t.standard_id for t in doc.tables if t.standard_id) == [f"T{i}" for i in range(1, 10)]


# -- a drawn table over two pages, header repeated ----------------------------------------------------


def _draw_table(page: pymupdf.Page, x0: float, y0: float, widths: list[float], rows: list[list[str]],
                merges: dict[tuple[int, int], tuple[int, int]], row_h: float = 22) -> float:
    covered = {(r + i, c + j) for (r, c), (rs, cs) in merges.items() for i in range(rs) for j in range(cs)}
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in covered and (r, c) not in merges:
                continue
            rs, cs = merges.get((r, c), (1, 1))
            rect = pymupdf.Rect(xs[c], y0 + r * row_h, xs[c + cs], y0 + (r + rs) * row_h)
            page.draw_rect(rect, width=0.6)
            if text:
                page.insert_text((rect.x0 + 3, rect.y0 + row_h * 0.7), text, fontname="china-s", fontsize=10)
    return y0 + len(rows) * row_h


@pytest.fixture(scope="session")
def two_page_table(tmp_path_factory) -> Path:
    header = [["项目", "", "金额"], ["科目编码", "科目名称", ""]]
    merges = {(0, 0): (1, 2), (0, 2): (2, 1)}
    body = [[f"2010{i:02d}", f"支出项目{i}", f"{i}.{i:02d}"] for i in range(1, 41)]
    doc = pymupdf.open()
    p1 = doc.new_page()
    p1.insert_text((230, 70), "支出决算表", fontname="china-s", fontsize=14)
    p1.insert_text((450, 92), "单位：万元", fontname="china-s", fontsize=10)
    _draw_table(p1, 72, 100, [120, 200, 120], header + body[:30], merges)
    p2 = doc.new_page()
    end = _draw_table(p2, 72, 60, [120, 200, 120], header + body[30:], merges)
    p2.insert_text((72, end + 16), "注：本表反映部门本年度各项支出情况。", fontname="china-s", fontsize=9)
    path = tmp_path_factory.mktemp("drawn") / "two-page.pdf"
    doc.save(path)
    return path


def test_table_stitched_over_a_page_break_drops_repeated_header(two_page_table, layout_settings):
    doc = parse_path(two_page_table, layout_settings)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert (t.standard_id, t.pages, t.unit, t.header_rows) == ("T3", [1, 2], "万元", 2)
    assert (t.n_rows, t.n_cols) == (42, 3)
    grid = t.grid()
    assert grid[0] == ["项目", "", "金额"] and grid[2] == ["201001", "支出项目1", "1.01"]
    assert grid[-1] == ["201040", "支出项目40", "40.40"]
    assert [row[0] for row in grid].count("科目编码") == 1


# -- plain text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "figure", "line"),
    [
        ("xiqu-panzhihua-2024-final.txt", "本年收入合计544.24万元", 25),
        ("luzhou-2024-final.txt", "本年收入合计2254.91万元", 17),
        ("dingxi-2023-final.txt", "收入合计 1058.66 万元", 87),
    ],
)
def test_seed_sections(seed, figure, line, layout_settings):
    path = SEEDS / seed
    if not path.exists():
        pytest.skip("seeds not mounted")
    doc = parse_path(path, layout_settings)
    assert doc.pages[0].kind.value == "none" and doc.tables == []
    s = doc.find_section("收入决算情况说明")
    assert s is not None and s.number == "二" and s.level == 2
    text = doc.section_text(s)
    assert figure in text
    assert "支出决算情况说明" not in text
    heading = next(b for b in doc.blocks if b.id == s.block_ids[0])
    assert heading.kind == "heading" and heading.line_span is not None
    if line is not None:
        assert heading.line_span[0] == line
    parts = [x for x in doc.sections if x.level == 1 and x.number]
    assert [p.number for p in parts][:3] == ["第一部分", "第二部分", "第三部分"]


@pytest.fixture(scope="session")
def headed_pages(tmp_path_factory) -> Path:
    """Three pages with a running header, a page number in the footer, and a numbered outline."""
    doc = pymupdf.open()
    body = ["一、收入决算情况说明", "本年收入合计100.00万元，其中：财政拨款收入100.00万元，占100.00%。",
            "二、支出决算情况说明", "本年支出合计100.00万元，其中：基本支出60.00万元，占60.00%。"]
    for n in range(1, 4):
        page = doc.new_page()
        page.insert_text((200, 40), "上海市某某局2024年度部门决算", fontname="china-s", fontsize=9)
        page.insert_text((290, 810), f"- {n} -", fontname="china-s", fontsize=9)
        for i, text in enumerate(body):
            page.insert_text((100, 120 + 40 * i), text, fontname="china-s", fontsize=12)
    path = tmp_path_factory.mktemp("headed") / "headed.pdf"
    doc.save(path)
    return path


def test_running_headers_and_page_numbers_dropped(headed_pages, layout_settings):
    doc = parse_path(headed_pages, layout_settings)
    texts = [b.text for b in doc.blocks]
    assert not any("某某局" in t or t.strip("- ").isdigit() for t in texts), texts
    assert len(doc.blocks) == 12
    assert [s.number for s in doc.sections] == ["一", "二"] * 3
    assert doc.section_text(doc.sections[0]).endswith("占100.00%。")
