"""The second reading of a table the validator doubts: a scan that counted a data row into the header loses
that row; the validator names the table, the re-read with one header row less reads it, and the report is
then reconciled instead of blamed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.document import Cell, Document, Line, Page, PageKind, Table
from pipeline.extract.assemble import assemble
from pipeline.extract.table_reread import reread_tables
from pipeline.extract.tables import t5_lists, table_fields
from pipeline.record.model import Record
from pipeline.record.table_build import tables_from_document
from pipeline.reports import get as report_kind
from pipeline.validate import validate

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

ROWS = [
    ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["", "合计", "318.20", "252.70", "65.50"],
    ["201", "一般公共服务支出", "318.20", "252.70", "65.50"],
    ["20103", "政府办公厅（室）及相关机构事务", "318.20", "252.70", "65.50"],
    ["2010301", "行政运行", "252.70", "252.70", "0.00"],
    ["2010399", "其他政府办公厅（室）及相关机构事务支出", "65.50", "0.00", "65.50"],
]


def _document(header_rows: int) -> Document:
    cells = [Cell(row=r, col=k, text=t, bbox=(k * 80.0, 100 + r * 20.0, k * 80.0 + 80, 120 + r * 20.0), page=1)
             for r, row in enumerate(ROWS) for k, t in enumerate(row)]
    table = Table(id="p1-t1", title="一般公共预算财政拨款支出决算表", standard_id="T5", pages=[1],
                  bbox=(0, 100, 400, 240), n_rows=len(ROWS), n_cols=5, header_rows=header_rows, cells=cells,
                  unit="万元")
    lines = [Line(text=" ".join(t for t in row if t), bbox=(0, 100 + r * 20.0, 400, 120 + r * 20.0))
             for r, row in enumerate(ROWS)]
    page = Page(number=1, width=595, height=842, kind=PageKind.TEXT, lines=lines)
    return Document(source="t5.pdf", sha256="0" * 64, pages=[page], tables=[table])


def _report(doc: Document, tables):
    classes, items = t5_lists(tables)
    record = assemble(Record(document=Path(doc.source).name, tables=tables), table_fields(tables, FA.links), classes, items,
                      []).record
    return validate(record, doc)


def test_a_row_taken_for_the_header_is_read_on_the_second_reading():
    doc = _document(header_rows=2)  # the scan counted 合计 into the header
    tables = tables_from_document(doc)
    assert tables["T5"].row("total") is None
    before = _report(doc, tables)
    assert "T5" in before.suspect_tables()
    assert not before.errors("source")
    done, maps = reread_tables(doc, tables, before.suspect_tables(), client=None)
    assert [(r.table, r.how) for r in done] == [("T5", "header depth")] and maps == []
    assert tables["T5"].cell("total", "total").value == Decimal("318.20")
    after = _report(doc, tables)
    assert "T5" not in after.suspect_tables()


def test_a_table_read_right_is_left_as_it_is():
    doc = _document(header_rows=1)
    tables = tables_from_document(doc)
    done, _ = reread_tables(doc, tables, {"T5": ["doubted for the test"]}, client=None)
    assert [(r.table, r.how) for r in done] == [("T5", "unchanged")]
    assert tables["T5"].cell("total", "total").value == Decimal("318.20")
