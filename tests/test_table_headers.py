"""Columns whose header no rule names: the rows' sums fix what they can, the model is asked the rest, and
its answer is used only when every row then adds up.

A T5 headed in another province's words (本期发生额 / 其中：… / 其中：…) loses those columns to the header
rules. 合计 = 基本 + 项目 on every row fixes 本期发生额 as the total without a model; which of the two other
columns is 基本 and which 项目 the sums cannot tell, so the real embedded model is asked, and whatever it
answers, no mapping under which the rows fail to add up is ever used.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.config import Settings
from pipeline.document import Cell, Document, Table
from pipeline.extract.table_headers import map_headers, unmapped_columns
from pipeline.llm import LLMClient, ResponseCache, connect
from pipeline.record.table_build import tables_from_document


def _document(header: list[str], rows: list[list[str]] | None = None) -> Document:
    rows = [header, *(rows or [
        ["", "合计", "318.20", "252.70", "65.50"],
        ["201", "一般公共服务支出", "318.20", "252.70", "65.50"],
        ["2010301", "行政运行", "252.70", "252.70", "0.00"],
        ["2010399", "其他政府办公厅（室）及相关机构事务支出", "65.50", "0.00", "65.50"],
    ])]
    cells = [Cell(row=r, col=k, text=t, bbox=(k * 80.0, 100 + r * 20.0, k * 80.0 + 80, 120 + r * 20.0), page=1)
             for r, row in enumerate(rows) for k, t in enumerate(row)]
    table = Table(id="p1-t1", title="一般公共预算财政拨款支出决算表", standard_id="T5", pages=[1],
                  bbox=(0, 100, 400, 200), n_rows=len(rows), n_cols=5, header_rows=1, cells=cells, unit="万元")
    return Document(source="t5.pdf", sha256="0" * 64, tables=[table])


def test_the_rows_sums_fix_the_total_column_without_a_model():
    doc = _document(["科目编码", "科目名称", "本期发生额", "其中：人员和公用", "其中：专项"])
    t5 = tables_from_document(doc)["T5"]
    assert [(c.key, c.basis) for c in t5.columns[2:]] == [("total", "sums"), ("basic", "header"), ("project", "header")]
    assert t5.cell("total", "total").value == Decimal("318.20")
    assert unmapped_columns(doc.tables[0], "T5") == []


def test_sums_never_take_a_column_they_cannot_check():
    rows = [["", "合计", "0.00", "0.00", "0.00"], ["201", "一般公共服务支出", "0.00", "0.00", "0.00"]]
    doc = _document(["科目编码", "科目名称", "甲", "乙", "丙"], rows)
    assert unmapped_columns(doc.tables[0], "T5") == [2, 3, 4]
    assert tables_from_document(doc)["T5"].numbers_read == 0


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(llm_provider="local", llm_model="qwen2.5-coder-0.5b", llm_max_tokens=160, llm_n_ctx=2048)
    with connect(settings) as endpoint:
        yield LLMClient(endpoint, settings, cache=ResponseCache(tmp_path_factory.mktemp("llm")))


def test_the_model_is_asked_only_what_the_sums_leave_and_never_breaks_a_row(client):
    doc = _document(["科目编码", "科目名称", "本期发生额", "其中：经常性", "其中：一次性"])
    assert unmapped_columns(doc.tables[0], "T5") == [3, 4]
    tables = tables_from_document(doc)
    maps = map_headers(doc, tables, client)
    assert [m.table for m in maps] == ["T5"] and maps[0].error is None
    assert client.ledger.parts["header:T5"].calls == 1
    answered = maps[0].columns or maps[0].refused
    assert set(answered) <= {3, 4}, answered  # the total column was never put to the model
    t5 = tables["T5"]
    assert t5.cell("total", "total").value == Decimal("318.20")
    if maps[0].columns:
        assert {c.basis for c in t5.columns[3:]} == {"llm"}
        for row in t5.rows:
            parts = [row.values[k].value for k in ("basic", "project") if k in row.values]
            assert sum(parts) == row.values["total"].value, row.key
