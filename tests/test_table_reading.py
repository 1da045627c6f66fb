"""Table reading that follows the header, on a real scanned report and on hand-built grids.

The real report is ../shared/corpus/putuo-shengtai-2025-final-scan.pdf (image-only, tilted, specks, JPEG):
its T2/T3/T5 print the subject code under a 类 | 款 | 项 header with the whole code in the 类 column, its
continuation pages are laid out anew (other widths, the 类 | 款 | 项 sub-columns gone), and its T7 pairs
预算数 | 决算数 under merged item headers. Only the pages a test needs are OCR'd (cached per session).
"""

from __future__ import annotations

from decimal import Decimal

import pymupdf
import pytest
from conftest import CORPUS

from pipeline.config import Settings
from pipeline.document import Cell, Document, Table
from pipeline.extract.tables import t5_lists, table_fields
from pipeline.layout.ocrfix import fix_separators
from pipeline.layout.standard import find_unit, match_title
from pipeline.parse import parse_path
from pipeline.record.table_build import standard_table, tables_from_document
from pipeline.record.table_columns import plan_columns
from pipeline.reports import get as report_kind

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

SHENGTAI = CORPUS / "putuo-shengtai-2025-final-scan.pdf"
PAGES = [8, 9, 14, 15, 16, 17]  # T2 and its continuation, T5, T6 and its continuation, T7

needs_scan = pytest.mark.skipif(not SHENGTAI.exists(), reason="shared corpus not mounted")


@pytest.fixture(scope="module")
def shengtai(tmp_path_factory, session_cache) -> Document:
    out = pymupdf.open()
    with pymupdf.open(SHENGTAI) as src:
        for n in PAGES:
            out.insert_pdf(src, from_page=n - 1, to_page=n - 1)
    path = tmp_path_factory.mktemp("shengtai") / "shengtai-tables.pdf"
    out.save(path)
    return parse_path(path, Settings(cache_dir=session_cache))


@needs_scan
def test_split_code_header_gives_item_rows_with_their_split(shengtai):
    tables = tables_from_document(shengtai)
    t5 = tables["T5"]
    assert t5.cell("2110101", "total").value == Decimal("1293.60")
    assert t5.cell("2110101", "basic").value == Decimal("1283.70")
    assert t5.cell("2110101", "project").value == Decimal("9.90")
    assert t5.row("2110101").name == "行政运行"
    assert t5.cell("total", "total").value == Decimal("4733.14")
    classes, items = t5_lists(tables)
    assert [c.code for c in classes] == ["208", "210", "211", "221"]
    assert len(items) >= 15 and all(i.code and len(i.code) == 7 for i in items)
    assert sum(i.amount.value for i in items) == Decimal("4733.14")


@needs_scan
def test_continuation_laid_out_anew_is_stitched(shengtai):
    t2 = tables_from_document(shengtai)["T2"]
    assert t2.pages == [1, 2]  # pages 8 and 9 of the report
    assert t2.cell("2210203", "total").value == Decimal("202.20")  # a row of the continuation page
    assert t2.cell("2210203", "appropriation").value == Decimal("202.20")
    codes = [r.code for r in t2.rows if r.code]
    assert codes[0] == "208" and codes[-1] == "2210203" and len(codes) == len(set(codes))


@needs_scan
def test_economic_codes_split_over_lei_kuan(shengtai):
    t6 = tables_from_document(shengtai)["T6"]
    assert t6.cell("30101", "amount").value == Decimal("405.36")  # 301 | 01 | 基本工资
    assert t6.cell("30201", "amount").value == Decimal("92.11")  # the second panel
    assert t6.cell("31002", "amount").value == Decimal("13.94")  # the continuation page


@needs_scan
def test_three_public_pairs_under_merged_headers(shengtai):
    fields = table_fields(tables_from_document(shengtai), FA.links)
    assert fields["three_public.total"].value == Decimal("16.95")
    assert fields["three_public.budget"].value == Decimal("21.00")
    assert fields["three_public.reception"].value == Decimal("0.00")
    assert fields["three_public.reception_budget"].value == Decimal("0.50")


# ---- hand-built grids: the layouts the real report does not show ----


def _table(rows: list[list[str]], header_rows: int, tid: str, title: str = "", unit: str | None = None) -> Table:
    cells = [
        Cell(row=r, col=k, text=text, bbox=(k * 50.0, r * 20.0, k * 50.0 + 50, r * 20.0 + 20), page=1)
        for r, row in enumerate(rows) for k, text in enumerate(row)
    ]
    return Table(id="t", title=title or tid, standard_id=tid, pages=[1], bbox=(0, 0, 500, 500),
                 n_rows=len(rows), n_cols=len(rows[0]), header_rows=header_rows, cells=cells, unit=unit)


def test_codes_split_into_lei_kuan_xiang_columns_are_joined():
    t = _table([
        ["科目编码", "科目编码", "科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["", "", "", "合计", "100.00", "60.00", "40.00"],
        ["201", "", "", "一般公共服务支出", "100.00", "60.00", "40.00"],
        ["201", "06", "", "财政事务", "100.00", "60.00", "40.00"],
        ["201", "06", "01", "行政运行", "60.00", "60.00", "0.00"],
        ["", "", "02", "一般行政管理事务", "40.00", "", "40.00"],
    ], 2, "T5")
    typed = standard_table(t)
    assert [r.key for r in typed.rows] == ["total", "201", "20106", "2010601", "2010602"]
    assert typed.cell("2010602", "project").value == Decimal("40.00")
    assert typed.cell("2010602", "basic") is None  # a blank cell stays blank


def test_an_amount_in_yuan_with_three_decimals_is_a_misread_separator_and_stays_unread():
    """OCR reads the thousands comma of '278,076,101' as a point: in a table printed in 元 (two decimals at
    most) that is no amount of 278.076101 元 to check identities with; it is counted printed and left unread,
    so what it breaks is our reading's."""
    t = _table([
        ["项目", "合计", "基本支出", "项目支出"],
        ["合计", "278,076,101", "78,076,101", "200,000,000"],
        ["201 一般公共服务支出", "278,076.101", "78,076,101", "200,000,000.50"],
    ], 1, "T5", unit="元")
    typed = standard_table(t)
    assert typed.cell("total", "total").value == Decimal("27807.6101")  # 元 → 万元
    assert typed.cell("201", "total") is None  # three decimals in 元: not read
    assert typed.cell("201", "project").value == Decimal("20000.00005")  # two decimals (角分) are read
    assert typed.numbers_printed == typed.numbers_read + 1  # the misread cell counts as printed, not read


def test_code_in_the_name_cell_and_wrapped_names():
    t = _table([
        ["项目", "合计", "基本支出", "项目支出"],
        ["合计", "10.00", "4.00", "6.00"],
        ["201 一般公共服务支出", "10.00", "4.00", "6.00"],
        ["2010601 行政运行", "4.00", "4.00", "0.00"],
        ["2013899 其他市场监督管理", "6.00", "0.00", "6.00"],
        ["事务", "", "", ""],
    ], 1, "T5")
    typed = standard_table(t)
    assert typed.row("2010601").name == "行政运行"
    assert typed.row("2013899").name == "其他市场监督管理事务"
    assert [r.key for r in typed.rows] == ["total", "201", "2010601", "2013899"]


def test_three_public_rows_of_items_with_budget_and_actual_columns():
    t = _table([
        ["项目", "预算数", "决算数"],
        ["合计", "5.00", "4.20"],
        ["因公出国（境）费", "0.00", "0.00"],
        ["公务用车购置及运行维护费", "4.00", "3.70"],
        ["其中：公务用车购置费", "0.00", "0.00"],
        ["公务用车运行维护费", "4.00", "3.70"],
        ["公务接待费", "1.00", "0.50"],
    ], 1, "T7")
    typed = standard_table(t)
    assert typed.cell("actual", "total").value == Decimal("4.20")
    assert typed.cell("budget", "total").value == Decimal("5.00")
    assert typed.cell("actual", "vehicles").value == Decimal("3.70")
    assert typed.cell("actual", "vehicle_operation").value == Decimal("3.70")
    assert typed.cell("actual", "reception").value == Decimal("0.50")


def test_three_public_pair_with_a_lost_sub_header_reads_budget_first():
    t = _table([
        ["合计", "合计", "因公出国（境）费", "因公出国（境）费", "公务接待费", "公务接待费"],
        ["", "", "", "", "", ""],
        ["0.95", "0.80", "0.00", "0.00", "0.95", "0.80"],
    ], 2, "T7")
    typed = standard_table(t)
    assert typed.cell("budget", "total").value == Decimal("0.95")
    assert typed.cell("actual", "total").value == Decimal("0.80")


def test_t4_expenditure_by_fund_kind_under_a_spanning_header():
    t = _table([
        ["收入", "收入", "支出", "支出", "支出", "支出", "支出"],
        ["项目", "决算数", "项目", "决算数", "决算数", "决算数", "决算数"],
        ["", "", "", "小计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
        ["一、一般公共预算财政拨款", "90.00", "一、一般公共服务支出", "95.00", "90.00", "5.00", "0.00"],
        ["二、政府性基金预算财政拨款", "5.00", "", "", "", "", ""],
    ], 3, "T4")
    typed = standard_table(t)
    assert typed.cell("out:201", "total").value == Decimal("95.00")
    assert typed.cell("out:201", "general_budget").value == Decimal("90.00")
    assert typed.cell("out:201", "government_fund").value == Decimal("5.00")
    assert typed.cell("in:general_budget", "amount").value == Decimal("90.00")


def test_amounts_in_yuan_and_qianyuan_become_wanyuan():
    rows = [["项目", "决算数", "项目", "决算数"], ["本年收入合计", "1,234,500.00", "本年支出合计", "1,234,500.00"]]
    yuan = standard_table(_table(rows, 1, "T1", unit="元"))
    assert yuan.cell("in:total", "amount").value == Decimal("123.45")
    assert yuan.cell("in:total", "amount").sources[0].printed_unit == "元"
    qian = standard_table(_table(rows, 1, "T1", unit="千元"))
    assert qian.cell("in:total", "amount").value == Decimal("123450")
    assert find_unit("单位：千元") == "千元" and find_unit("金额单位：元") == "元"


def test_a_column_the_header_does_not_name_is_reported_unmapped():
    t = _table([
        ["科目编码", "科目名称", "本期发生额"],
        ["201", "一般公共服务支出", "10.00"],
    ], 1, "T5")
    plan = plan_columns(t, "T5")
    assert plan.unmapped == [2]
    typed = standard_table(t, keys={2: ("total", "llm")})
    assert typed.cell("201", "total").value == Decimal("10.00")
    assert typed.columns[2].basis == "llm"
    assert typed.numbers_printed == 1 and typed.numbers_read == 1


@pytest.mark.parametrize(("title", "tid"), [
    ("表1 收入支出决算总表", "T1"),
    ("附表1-1：上海市XX局2024年度收入支出决算总表", "T1"),
    ("表一：收入决算表（单位：万元）", "T2"),
    ("附件3 一般公共预算财政拨款支出决算表（按功能分类）", "T5"),
    ("财政拨款“三公”经费支出决算表（表7）", "T7"),
    ("表4-1 财政拨款收入支出决算总表", "T4"),
    ("2024年度一般公共预算财政拨款基本支出决算明细表", "T6"),
])
def test_titles_with_prefixes_numbers_and_notes(title, tid):
    assert match_title(title, FA.tables).standard_id == tid


@pytest.mark.parametrize(("printed", "read"), [
    ("207:69", "207.69"), ("0,00", "0.00"), ("3;742.47", "3,742.47"), ("1,543:22", "1,543.22"),
    ("471,.44", "471.44"), ("1,234", None), ("219,464,20000", "219,464,200.00"),
    (".105;054,600.00", "105,054,600.00"),
])
def test_ocr_separators(printed, read):
    assert fix_separators(printed) == read


def _unruled_pdf(path, lines: list[tuple[float, list[tuple[float, str]]]], title: str) -> None:
    """A born-digital page with a title and text placed in columns, no strokes at all."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((200, 80), title, fontname="china-s", fontsize=14)
    page.insert_text((450, 105), "单位：万元", fontname="china-s", fontsize=9)
    for y, cells in lines:
        for x, text in cells:
            page.insert_text((x, y), text, fontname="china-s", fontsize=9)
    doc.save(path)


def test_unruled_table_in_a_born_digital_pdf(tmp_path):
    rows = [
        (130, [(40, "功能分类科目编码"), (150, "科目名称"), (330, "合计"), (410, "基本支出"), (490, "项目支出")]),
        (150, [(150, "合计"), (320, "318.20"), (400, "252.70"), (490, "65.50")]),
        (168, [(40, "201"), (150, "一般公共服务支出"), (320, "318.20"), (400, "252.70"), (490, "65.50")]),
        (186, [(40, "20103"), (150, "政府办公厅（室）及相关机构"), (320, "318.20"), (400, "252.70"), (490, "65.50")]),
        (204, [(40, "2010301"), (150, "行政运行"), (320, "252.70"), (400, "252.70"), (490, "0.00")]),
        (222, [(40, "2010399"), (150, "其他政府办公厅（室）及相关"), (320, "65.50"), (400, "0.00"), (490, "65.50")]),
        (236, [(150, "机构事务支出")]),
    ]
    path = tmp_path / "unruled.pdf"
    _unruled_pdf(path, rows, "一般公共预算财政拨款支出决算表")
    doc = parse_path(path, Settings(cache_dir=tmp_path / "cache"))
    t5 = tables_from_document(doc)["T5"]
    assert t5.cell("total", "total").value == Decimal("318.20")
    assert t5.cell("2010301", "basic").value == Decimal("252.70")
    assert t5.cell("2010399", "project").value == Decimal("65.50")
    assert t5.row("2010399").name == "其他政府办公厅(室)及相关机构事务支出"  # names are NFKC
    classes, items = t5_lists(tables_from_document(doc))
    assert [i.code for i in items] == ["2010301", "2010399"]


def test_tab_separated_table_in_plain_text(tmp_path):
    text = (
        "一般公共预算财政拨款支出决算表\n单位：元\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t1,000,000.00\t600,000.00\t400,000.00\n"
        "201\t一般公共服务支出\t1,000,000.00\t600,000.00\t400,000.00\n"
        "2010601  行政运行  600,000.00  600,000.00  0.00\n"
        "\n说明：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    tables = tables_from_document(parse_path(path, Settings(cache_dir=tmp_path / "cache")))
    t5 = tables["T5"]
    assert t5.cell("total", "total").value == Decimal("100")
    assert t5.cell("2010601", "basic").value == Decimal("60")
    assert t5.row("2010601").values["total"].sources[0].line == 6
