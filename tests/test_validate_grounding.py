"""Grounding: a quote must be where its source says (page, or line of a text source) and print the value."""

from __future__ import annotations

from decimal import Decimal

from pipeline.document import Document, Line, Page, PageKind
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.printed import direction_before, find_numbers, match_printed, misread_as, states_zero
from pipeline.textindex import normalize_text
from pipeline.validate.grounding import DocumentIndex, ground

D = Decimal


def paged(*pages: list[str]) -> Document:
    return Document(
        source="r.pdf",
        sha256="0",
        pages=[
            Page(
                number=i,
                width=595,
                height=842,
                kind=PageKind.TEXT,
                lines=[Line(text=t, bbox=(0, 0, 0, 0)) for t in p],
            )
            for i, p in enumerate(pages, start=1)
        ],
    )


def plain(*lines: str) -> Document:
    ls = [
        Line(text=t, bbox=(0, 0, 0, 0), source="plain", source_line=i) for i, t in enumerate(lines, start=1)
    ]
    return Document(
        source="r.txt", sha256="0", pages=[Page(number=1, width=0, height=0, kind=PageKind.NONE, lines=ls)]
    )


def fig(value: str, quote: str, unit: str = "万元", **src) -> Figure:
    return Figure(value=D(value), unit=unit, sources=[Source(quote=quote, **src)])


def test_normalize_text_is_nfkc_collapsed_without_markers():
    assert normalize_text("收入，\n  支出（类） ２０２４") == "收入, 支出(类) 2024"
    assert normalize_text("[bookmark: _Toc1][bookmark: x]一、部门职责") == "一、部门职责"


def test_quote_on_its_page_across_line_breaks():
    doc = DocumentIndex(
        paged(["封面"], ["中共上海市普陀区委社会工作部2024 年度收入支出总", "计307.82 万元。"])
    )
    assert ground(fig("307.82", "收入支出总 计307.82 万元", page=2), doc).ok
    assert not ground(fig("307.82", "收入支出总 计307.82 万元", page=1), doc).ok  # wrong page
    assert ground(fig("307.82", "收入支出总计307.82万元", page=2), doc).ok  # layout spaces ignored


def test_quote_starting_on_the_previous_page_grounds_on_the_figure_page():
    doc = DocumentIndex(
        paged(["一般公共预算财政拨款支出307.82 万元，占本年支出合计的"], ["100.00%。与2023 年度相比"])
    )
    assert ground(fig("100", "占本年支出合计的 100.00%", unit="%", page=2), doc).ok


def test_quote_by_source_line_in_a_text_document():
    doc = DocumentIndex(plain("标题", "2024年度收入、支出总计均为770.43万元。", "与上年相比"))
    assert ground(fig("770.43", "2024年度收入、支出总计均为770.43万元", line=2), doc).ok
    assert not ground(fig("770.43", "2024年度收入、支出总计均为770.43万元", line=3), doc).ok
    assert ground(
        fig("770.43", "总计均为770.43万元。 与上年相比", line=2), doc
    ).ok  # runs on to the next line


def test_bookmark_markers_are_never_part_of_a_quote():
    doc = DocumentIndex(plain("[bookmark: _Toc1]一、收入支出决算总体情况说明 总计770.43万元"))
    assert ground(fig("770.43", "一、收入支出决算总体情况说明 总计770.43万元", line=1), doc).ok


def test_grounding_reads_the_extractions_text_index():
    """One index of the text (pipeline.textindex) for both: each page's span of it, markers left out."""
    doc = DocumentIndex(paged(["收入合计 770.43 "], [], ["[bookmark: _Toc1]本年收入 544.24"]))
    text = doc.text
    assert text.text == "收入合计 770.43 本年收入 544.24"
    assert [text.text[s:e] for s, e in text.pages] == ["收入合计 770.43", "", "本年收入 544.24"]
    assert text.find("本年收入544.24", [(0, len(text.text))])  # the extraction's search, in the same stream
    assert ground(fig("544.24", "收入 544.24", page=3), doc).ok
    assert not ground(fig("544.24", "收入 544.24", page=1), doc).ok
    assert ground(fig("770.43", "770.43 本年收入", page=1), doc).ok  # runs on past its page


def test_table_row_serialized_in_another_order():
    doc = DocumentIndex(paged(["2080505", "机关事业单位", "6.18", "6.18", "基本养老保险", "缴费支出"]))
    src = dict(page=1, kind=SourceKind.TABLE)
    assert ground(fig("6.18", "2080505 机关事业单位基本养老保险缴费支出 6.18 6.18", **src), doc).ok
    assert not ground(fig("6.18", "2080505 机关事业单位基本养老保险缴费支出 6.18 6.18 6.18", **src), doc).ok


def test_table_row_with_scan_specks_read_as_marks():
    """OCR of a scanned table reads specks beside a cell as ".719.97" or "2070199."; the row is still there."""
    doc = DocumentIndex(paged(["2070102", "一般行政管理事务", "719.97", ".719.97", "2070199.", "其他文化和旅游支出"]))
    src = dict(page=1, kind=SourceKind.TABLE)
    assert ground(fig("719.97", "2070102 一般行政管理事务 719.97 719.97", **src), doc).ok
    assert not ground(fig("719.97", "2070102 一般行政管理事务 719.97 719.98", **src), doc).ok


def test_value_must_be_printed_in_the_quote():
    g = ground(fig("770.34", "收入、支出总计均为770.43万元"), None)
    assert not g.ok and g.checks[0].located is None and not g.checks[0].states_value


def test_yuan_grounds_wan():
    assert ground(fig("770.43", "收入支出总计7,704,300.00 元"), None).ok
    assert not ground(fig("7704300", "收入支出总计7,704,300.00 元"), None).ok
    table_cell = Figure(value=D("770.43"), sources=[Source(quote="合计 7704300.00", printed_unit="元")])
    assert ground(table_cell, None).ok


def test_zero_in_words_and_percent_and_counts():
    assert ground(fig("0", "本年度没有政府性基金预算财政拨款收入和支出"), None).ok
    assert ground(fig("0", "因公出国（境）费支出决算0万元"), None).ok
    assert ground(fig("-15", "收入、支出总计各减少395.69万元，下降15%", unit="%"), None).ok
    assert ground(fig("23", "国内公务接待2批次，23人次", unit="人次"), None).ok
    assert states_zero("未发生") and not states_zero("发生了")


def test_years_list_numbers_and_codes_are_not_amounts():
    roles = {p.text: p.role for p in find_numbers("1.一般公共服务（类）：2024年度支出145.62万元")}
    assert roles == {"1": "list", "2024": "year", "145.62": "number"}
    assert find_numbers("2013901 行政运行 51.32 51.32")[0].role == "code"
    assert match_printed(D("2024"), "2024年度收入") is None
    assert misread_as(D("2024"), "2024年度收入") == "year"
    assert misread_as(D("1"), "1.行政运行（项）：支出决算为145.62万元") == "list"
    assert match_printed(D("3"), "截至2024年12月31日，单位共有公务用车3辆", money=False).text == "3"


def test_printed_precision_comes_from_the_quote():
    g = ground(fig("100", "增长100.00%", unit="%"), None)
    assert g.decimals == 2


def test_a_change_is_signed_by_the_nearest_direction_word():
    text = "收入增加127.19万元，支出比上年下降3.5%，结余与上年持平0，项目减少后又增加了2个"
    at = [p.start for p in find_numbers(text)]
    assert [direction_before(text, a) for a in at] == [1, -1, 0, 1]
    assert direction_before("合计770.43万元", 2) is None
