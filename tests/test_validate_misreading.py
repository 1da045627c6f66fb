"""Each misreading pattern on hand-built records and printed tables: the finding is ``extraction`` with the
evidence that says why, names the table to re-read, and the same figures read completely stay ``source``.

The printed tables here are layout ``Table`` grids typed by the pipeline's own table reader, so the
comparison of printed cells with the figures read from them is the one a real report gets.
"""

from __future__ import annotations

from decimal import Decimal

from test_validate_rules import Doc, only

from pipeline.document import Cell, Document, Line, Page, PageKind, Table
from pipeline.extract.run import PartError, verdict
from pipeline.layout.standard import match_title
from pipeline.record.figure import Alternate, Source, SourceKind
from pipeline.record.model import ClassRow, Record
from pipeline.record.table_build import tables_from_document
from pipeline.reports import get as report_kind
from pipeline.validate import ValidationSettings, validate

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

D = Decimal
T5_HEADER = [["项目", "", "合计", "基本支出", "项目支出"], ["功能分类科目编码", "科目名称", "", "", ""]]
T5_ROWS = [
    ["合计", "", "300.00", "100.00", "200.00"],
    ["201", "一般公共服务支出", "260.00", "60.00", "200.00"],
    ["20139", "社会工作事务", "260.00", "60.00", "200.00"],
    ["2013901", "行政运行", "60.00", "60.00", ""],
    ["2013999", "其他社会工作事务支出", "200.00", "", "200.00"],
    ["208", "社会保障和就业支出", "40.00", "40.00", ""],
    ["20805", "行政事业单位养老支出", "40.00", "40.00", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "40.00", "40.00", ""],
]


def printed(grid: list[list[str]], title: str = "一般公共预算财政拨款支出决算表", header: int = 2) -> Document:
    """A one-page document printing ``grid`` as a ruled table (a cell 40×12 points) under ``title``."""
    cells = [
        Cell(row=r, col=c, text=text, bbox=(40.0 * c, 12.0 * r + 100, 40.0 * c + 40, 12.0 * r + 112), page=1)
        for r, row in enumerate(grid)
        for c, text in enumerate(row)
    ]
    table = Table(id="p1-t1", title=title, standard_id=match_title(title, FA.tables).standard_id, pages=[1],
                  bbox=(0, 100, 200, 400), n_rows=len(grid),
                  n_cols=len(grid[0]), header_rows=header, cells=cells, unit="万元")
    lines = [Line(text=title, bbox=(0, 80, 200, 92))] + [
        Line(text=" ".join(t for t in row if t), bbox=(0, 12.0 * r + 100, 200, 12.0 * r + 112))
        for r, row in enumerate(grid)
    ]
    page = Page(number=1, width=600, height=800, kind=PageKind.TEXT, lines=lines)
    return Document(source="t.pdf", sha256="0", pages=[page], tables=[table])


def read(grid: list[list[str]], **kw) -> tuple[Record, Document]:
    doc = printed(grid, **kw)
    return Record(document="t.pdf", tables=tables_from_document(doc)), doc


def check(record: Record, document: Document):
    return validate(record, document, ValidationSettings(disabled=["DC"]))


def patterns(v) -> set[str]:
    return {e.pattern for e in v.evidence}


# ── the printed table read completely: its own errors are the report's ─────────────────────────────────────


def test_a_table_read_completely_keeps_its_own_error_as_source():
    grid = [row[:] for row in T5_HEADER + T5_ROWS]
    grid[3][2] = "270.00"  # the report's 201 row does not add up: 270 ≠ 60 + 200, and ≠ Σ its 项
    record, doc = read(grid)
    report = check(record, doc)
    assert report.tables["T5"].printed == report.tables["T5"].mapped == 19
    assert report.tables["T5"].problems == [] and report.suspect_tables() == {}
    v = only(report, "T5.row_split")
    assert v.subject == "T5[201].total" and v.cls == "source" and v.evidence == []
    assert not report.errors("extraction")


def test_printed_rows_not_read_make_the_gap_ours():
    """T5's 项 rows not read (here: dropped after typing): Σ项 ≠ 类, and the printed amounts say why."""
    record, doc = read(T5_HEADER + T5_ROWS)
    t5 = record.tables["T5"]
    t5.rows = [r for r in t5.rows if r.key != "2013999"]
    report = check(record, doc)
    tree = [v for v in report.violations if v.rule == "T5.tree" and v.cls != "rounding"]
    assert tree and all(v.cls == "extraction" for v in tree)
    ev = next(e for v in tree for e in v.evidence if e.pattern == "rows_not_read")
    assert ev.table == "T5" and any("其他社会工作事务支出" in c for c in ev.cells)
    assert report.tables["T5"].mapped == report.tables["T5"].printed - 2
    assert "T5" in report.suspect_tables()
    assert "2 of 19 printed amounts not read" in report.suspect_tables()["T5"][0]


def test_a_cell_ocr_could_not_read():
    grid = [row[:] for row in T5_HEADER + T5_ROWS]
    grid[6][2] = "4O.0O"  # OCR: letters for zeros; the reader skips the cell, the 类 row looks short
    record, doc = read(grid)
    report = check(record, doc)
    hit = [v for v in report.violations if v.cls == "extraction" and "unreadable_cell" in patterns(v)]
    assert hit and all(e.table == "T5" for v in hit for e in v.evidence if e.pattern == "unreadable_cell")
    assert not report.errors("source")


def test_a_gap_of_exactly_one_row():
    """The 合计 row reads 340.00 where the rows give 300.00: 40.00 is the 208 row's amount (read twice)."""
    record, doc = read(T5_HEADER + T5_ROWS)
    total = record.tables["T5"].row("total").values["total"]
    total.value = D("340.00")  # as if the reader had added a row twice; its cell still prints 300.00
    total.sources[0].printed = "340.00"
    report = validate(record, None, ValidationSettings(disabled=["DC", "GRD"]))
    v = next(v for v in report.violations if v.subject.startswith("T5[total].total = Σ 2 rows"))
    assert v.cls == "extraction" and "off_by_one_row" in patterns(v)
    assert any(c.startswith("T5[208]") for e in v.evidence for c in e.cells)


def test_a_value_equal_to_its_neighbour_column():
    """基本支出 read into 合计 (the column read twice) on a row that prints other amounts."""
    grid = [row[:] for row in T5_HEADER + T5_ROWS]
    record, doc = read(grid)
    row = record.tables["T5"].row("201")
    row.values["total"] = row.values["basic"].model_copy(deep=True)
    row.values["total"].sources[0].column = "total"
    row.values["total"].sources[0].bbox = (80.0, 136.0, 120.0, 148.0)  # the 合计 cell of row 201
    report = check(record, doc)
    v = only(report, "T5.row_split")
    assert v.cls == "extraction" and "neighbour_value" in patterns(v)


def test_split_code_rows():
    """The national template's 类 | 款 | 项 code columns read as two rows: codes without amounts, amounts
    without codes. No row is keyed, so no identity over the table is the report's."""
    d = Doc()
    d.table("T5", {
        "total": {"total": "300.00", "basic": "100.00", "project": "200.00"},
        "201": {},
        "一般公共服务支出": {"total": "250.00", "basic": "60.00", "project": "200.00"},
    })
    d.put("general_budget.total", "300.00", "一般公共预算财政拨款支出300.00万元")
    report = d.validate()
    bad = [v for v in report.violations if v.cls != "rounding"]
    assert bad and all(v.cls == "extraction" for v in bad)
    assert any("split_rows" in patterns(v) for v in bad)
    assert report.tables["T5"].problems and "201" in report.tables["T5"].problems[0]


def test_two_figures_from_one_printed_cell():
    record, doc = read(T5_HEADER + T5_ROWS)
    row = record.tables["T5"].row("208")
    row.values["project"] = row.values["basic"].model_copy(deep=True)  # 40.00 read again as 项目支出
    report = check(record, doc)
    v = only(report, "T5.row_split")
    assert v.cls == "extraction" and "same_cell" in patterns(v)


def test_a_field_read_from_the_wrong_column():
    d = Doc()
    d.table("T5", {"total": {"total": "300.00", "basic": "100.00", "project": "200.00"}})
    fig = d.fig("200.00", "合计 300.00 100.00 200.00", kind=SourceKind.TABLE, table="T5", column="project")
    d.record.general_budget.basic = fig  # 基本支出 taken from the 项目支出 column
    report = d.validate()
    v = only(report, "X.stated")
    assert v.cls == "extraction" and "wrong_cell" in patterns(v)
    assert next(e for e in v.evidence if e.pattern == "wrong_cell").table == "T5"


def test_one_item_stated_two_ways_is_source_only_when_both_are_printed():
    d = Doc()
    d.put("expenditure.total", "307.82", "本年支出合计307.82万元")
    other = Source(line=d.line("支出总计300.00万元"), quote="支出总计300.00万元")
    d.record.expenditure.total.alternates = [Alternate(value=D("300.00"), sources=[other])]
    assert only(d.validate(), "AMB.alternates").cls == "source"
    d.record.expenditure.total.alternates[0].sources[0].quote = "支出总计300.00万元（未印）"
    v = only(d.validate(), "AMB.alternates")
    assert v.cls == "extraction" and patterns(v) == {"alternate_ungrounded"}


def test_a_statement_about_a_part_is_not_a_second_statement_of_the_whole():
    """“政府采购预算1662.44万元” and “…面向中小企业预留政府采购项目预算金额664.98万元” (a real report) are
    two quantities, not one item stated two ways."""
    d = Doc()
    d.put("procurement.total", "1662.44", "政府采购预算1662.44万元")
    quote = "2024年本部门面向中小企业预留政府采购项目预算金额664.98万元"
    other = Source(line=d.line(quote), quote=quote)
    d.record.procurement.total.alternates = [Alternate(value=D("664.98"), sources=[other])]
    v = only(d.validate(), "AMB.alternates")
    assert v.cls == "extraction" and patterns(v) == {"other_quantity"}
    assert "中小企业" in v.evidence[0].detail


def test_a_field_from_a_sentence_about_a_change_is_not_the_tables_figure():
    d = Doc()
    d.table("T3", {"total": {"total": "4733.14", "basic": "3365.38", "project": "1367.76"}})
    d.put("expenditure.basic", "3365.38", "基本支出3365.38万元")
    d.put("expenditure.project", "120.50", "项目支出比上年增加120.50万元")  # the change, taken for the amount
    v = only(d.validate(), "X.stated")
    assert v.subject == "expenditure.project ~ T3[total].project"
    assert v.cls == "extraction" and patterns(v) == {"other_quantity"}
    d.put("expenditure.project", "1376.67", "项目支出1376.67万元")  # digits swapped in print: the report's
    assert only(d.validate(), "X.stated").cls == "source"


def test_a_three_public_total_the_document_names_is_ours_to_read():
    d = Doc()
    d.put("summary.total", "100.00", "收入支出总计100.00万元")
    report = d.validate(disabled=[])
    assert only(report, "DC.three_public").cls == "source"  # the report never speaks of 三公
    d.line("部门“三公”经费和机关运行经费预算表 47.91 0 1.35 46.56")
    v = only(d.validate(disabled=[]), "DC.three_public")
    assert v.cls == "extraction" and v.evidence[0].pattern == "not_read"


def test_an_untitled_table_after_a_standard_one_is_its_continuation():
    """A continuation page the reader did not join: its amounts are printed amounts of T5, not read."""
    record, doc = read(T5_HEADER + T5_ROWS[:5])
    rest = printed(T5_ROWS[5:], header=0).tables[0]
    rest = rest.model_copy(update={"id": "p2-t1", "title": None, "standard_id": None, "pages": [2],
                                   "cells": [c.model_copy(update={"page": 2}) for c in rest.cells]})
    doc.tables.append(rest)
    doc.pages.append(doc.pages[0].model_copy(update={"number": 2}))
    report = check(record, doc)
    assert report.tables["T5"].printed == 19 and report.tables["T5"].mapped == 13
    assert "T5" in report.suspect_tables()


def _classes(d: Doc, shares: list[str]) -> None:
    d.put("general_budget.total", "300.00", "一般公共预算财政拨款支出300.00万元")
    for (name, amount), share in zip((("一般公共服务支出", "200.00"), ("教育支出", "60.00")), shares, strict=True):
        q = f"{name}{amount}万元，占{share}%"
        d.record.general_budget.by_class.append(
            ClassRow(name=name, amount=d.fig(amount, q), share_pct=d.fig(share, q, unit="%"))
        )


def test_a_class_list_read_from_the_text_must_account_for_every_share():
    d = Doc()
    _classes(d, ["66.67", "20.00"])  # 86.67%: a 类 was not read
    v = only(d.validate(), "GB.classes")
    assert v.cls == "extraction" and patterns(v) == {"list_incomplete"}
    d = Doc()
    _classes(d, ["76.92", "23.08"])  # the shares the report prints add up: the amounts are its own error
    assert only(d.validate(), "GB.classes").cls == "source"


def test_a_single_class_read_against_the_total_is_a_list_not_read_whole():
    """One 类 of four read from the text (a real seed): Σ类 ≠ 一般公共预算 is ours, not the report's."""
    d = Doc()
    d.put("general_budget.total", "1054.28", "一般公共预算财政拨款支出 1054.28 万元")
    q = "一般公共预算服务支出 909.50 万元,占 86.27%"
    d.record.general_budget.by_class.append(
        ClassRow(name="一般公共服务支出", amount=d.fig("909.50", q), share_pct=d.fig("86.27", q, unit="%")))
    v = only(d.validate(), "GB.classes")
    assert v.cls == "extraction" and patterns(v) == {"list_incomplete"}


def test_a_zero_read_from_words_about_another_item():
    """“…无公务用车运行维护费。3.公务接待费全年预算数为” does not state 公务接待费 = 0 (a real seed; it is 0.66)."""
    d = Doc()
    d.put("three_public.total", "0.66", "“三公”经费支出决算为 0.66 万元")
    d.put("three_public.overseas", "0", "因公出国(境)费用支出决算为 0.00 万元")
    d.put("three_public.vehicles", "0", "公务用车购置数及保有量为 0 辆,故无公务用车运行维护费")
    d.put("three_public.reception", "0", "无公务用车运行维护费。 3.公务接待费全年预算数为")
    v = only(d.validate(), "TP.total")
    assert v.cls == "extraction" and patterns(v) == {"weak_zero"}
    assert {c for e in v.evidence for c in e.cells} == {"three_public.vehicles", "three_public.reception"}
    d.put("three_public.reception", "0.00", "公务接待费支出决算为 0.00 万元")  # printed, and still short
    d.put("three_public.vehicles", "0.00", "公务用车购置及运行维护费支出决算为 0.00 万元")
    assert only(d.validate(), "TP.total").cls == "source"


def test_a_misprinted_share_of_a_complete_class_list_is_the_reports():
    """The 类 amounts add up to the total, so none is missing: shares short of 100% are a misprinted share."""
    d = Doc()
    d.put("general_budget.total", "260.00", "一般公共预算财政拨款支出260.00万元")
    for name, amount, share in (("一般公共服务支出", "200.00", "75.00"), ("教育支出", "60.00", "23.08")):
        q = f"{name}{amount}万元，占{share}%"
        d.record.general_budget.by_class.append(
            ClassRow(name=name, amount=d.fig(amount, q), share_pct=d.fig(share, q, unit="%")))
    report = d.validate()
    assert only(report, "PCT.sum.classes").cls == "source"
    assert {v.rule for v in report.by_class("source")} >= {"PCT.class", "PCT.sum.classes"}


# ── core tables, coverage, status ─────────────────────────────────────────────────────────────────────────


def test_core_tables_printed_but_not_read():
    record, doc = read(T5_HEADER + T5_ROWS)
    record.tables = {}
    report = validate(record, doc)
    v = only(report, "DC.core_tables")
    assert v.cls == "extraction" and v.severity == "error" and "tables not read" in v.message
    status, reasons = verdict(report, [])
    assert status == "unresolved" and any("tables not read" in r and "T5" in r for r in reasons)


def test_a_free_form_report_needs_no_tables():
    d = Doc()
    d.line("- 一、收入支出决算总表")  # a list of the table titles, as the seeds print them, and no table
    d.line("- 二、收入决算表")
    d.put("summary.total", "770.43", "2024年度收入、支出总计均为770.43万元。")
    report = validate(d.record, d.document())
    assert report.rules["DC.core_tables"].checked == 0
    assert report.coverage.not_run["DC.core_tables"] == ["standard tables in the document"]
    assert verdict(report, []) == ("reconciled", [])


def test_coverage_says_what_ran_and_what_was_missing():
    d = Doc()
    d.put("general_budget.total", "307.82", "一般公共预算财政拨款支出307.82万元")
    d.put("general_budget.completion_pct", "95.89", "完成预算的95.89%")
    report = d.validate()
    cov = report.coverage
    assert cov.rules == len(report.rules) and cov.ran == sum(1 for c in report.rules.values() if c.checked)
    assert cov.not_run["CMP.general_budget"] == ["general_budget.budget"]
    assert "GRD.printed" in cov.passed and "T5.tree" in cov.not_run and cov.not_run["T5.tree"] == ["T5"]
    assert cov.disabled and all(r.startswith("DC.") for r in cov.disabled)
    assert set(cov.passed).isdisjoint(cov.failed)
    dumped = report.model_dump(mode="json")
    assert dumped["coverage"]["not_run"]["CMP.general_budget"] == ["general_budget.budget"]


def test_status_reasons():
    d = Doc()
    d.put("expenditure.total", "100.00")
    d.put("expenditure.basic", "60.00")
    d.record.expenditure.basic.sources[0].quote = "基本支出61.00万元"  # does not print the value read
    status, reasons = verdict(d.validate(), [])
    assert status == "unresolved" and any("expenditure.basic" in r for r in reasons)
    status, reasons = verdict(validate(Record()), [PartError(part="income", stage="extract", error="HTTP 500")])
    assert (status, reasons) == ("unresolved", ["income: HTTP 500"])
    d = Doc()
    d.put("summary.total", "770.43", "2024年度收入、支出总计均为770.43万元")
    d.put("summary.total_change", "127.19", "收入、支出总计各增加127.19万元")
    d.put("summary.total_change_pct", "16.5", "增长16.5%")
    status, reasons = verdict(d.validate(), [])
    assert status == "source_inconsistent" and reasons and reasons[0].startswith("YOY.summary")


def test_evidence_does_not_depend_on_row_order():
    d = Doc()
    d.table("T5", {
        "total": {"total": "300.00"},
        "201": {},
        "208": {},
        "一般公共服务支出": {"total": "250.00"},
        "社会保障和就业支出": {"total": "40.00"},
    })
    before = d.validate().model_dump()
    d.record.tables["T5"].rows.reverse()
    assert d.validate().model_dump() == before


def test_without_the_document_the_table_readers_count_says_what_was_not_read():
    record, _ = read(T5_HEADER + T5_ROWS)
    t5 = record.tables["T5"]
    assert t5.numbers_printed == t5.numbers_read == 19
    t5.rows = [r for r in t5.rows if r.key != "2013999"]
    report = validate(record, None, ValidationSettings(disabled=["DC.three_public"]))
    assert report.tables["T5"].problems == ["2 of 19 printed amounts not read (counted by the table reader)"]
    assert "T5" in report.suspect_tables()


def test_figures_without_a_document_are_judged_by_the_record_alone():
    d = Doc()
    d.table("T3", {"total": {"total": "100.00", "basic": "60.00", "project": "30.00"}})
    report = validate(d.record, None, ValidationSettings(disabled=["DC"]))
    assert only(report, "T3.row_parts").cls == "source"  # grounded in their own quotes, nothing says ours
    assert report.tables["T3"].printed == 0 and report.tables["T3"].problems == []

