"""The record: Decimal figures written as JSON numbers, provenance on every figure, contract paths."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from conftest import SHARED
from hypothesis import given
from hypothesis import strategies as st

from pipeline.record import ClassRow, Figure, Record, Source, figure
from pipeline.record.tables import StandardTable, TableRow

D = Decimal
CONTRACT = SHARED / "contract" / "record-fields.md"


def test_money_round_trips_exactly_as_json_numbers():
    r = Record()
    r.summary.total = figure("770.43", "总计770.43万元", page=3)
    r.income.total = figure(D("0.1") + D("0.2"), "0.30")
    text = r.model_dump_json()
    raw = json.loads(text)
    assert raw["summary"]["total"]["value"] == 770.43 and isinstance(raw["summary"]["total"]["value"], float)
    back = Record.model_validate_json(text)
    assert back.summary.total.value == D("770.43") and back.income.total.value == D("0.3")
    assert isinstance(back.summary.total.value, Decimal)


@given(st.decimals(min_value=D("-1e9"), max_value=D("1e9"), places=2, allow_nan=False, allow_infinity=False))
def test_any_printed_amount_round_trips(value):
    r = Record()
    r.summary.total = Figure(value=value)
    assert Record.model_validate_json(r.model_dump_json()).summary.total.value == value


def test_figure_keeps_every_source_and_the_contract_shape():
    f = Figure(
        value=D("307.82"),
        sources=[
            Source(
                page=5,
                quote="总计 307.82 总计 307.82",
                bbox=(1, 2, 3, 4),
                kind="table",
                table="T1",
                row="总计",
                column="amount",
            ),
            Source(page=17, quote="收入支出总计307.82 万元", kind="narrative", section="一"),
        ],
    )
    assert f.contract() == {
        "value": 307.82,
        "page": 5,
        "line": None,
        "quote": "总计 307.82 总计 307.82",
        "bbox": [1, 2, 3, 4],
    }
    assert (f.page, f.quote, f.bbox) == (5, "总计 307.82 总计 307.82", (1, 2, 3, 4))
    with pytest.raises(ValueError):
        Figure(value="not a number")
    with pytest.raises(ValueError):
        Source(quote="x", table="T100")  # a kind's letter and the table's number: T1…T9, B1…B9
    assert Source(quote="x", table="B5").table == "B5"


def test_flatten_gives_contract_paths_and_values():
    r = Record(department="某部门", fiscal_year=2024, report_type="final_accounts", unit="万元")
    r.summary.total = figure("770.43", "q")
    r.general_budget.by_class.append(
        ClassRow(
            code="201",
            name="一般公共服务支出",
            amount=figure("552.33", "q"),
            share_pct=figure("77.79", "q", unit="%"),
        )
    )
    flat = r.flatten()
    assert flat["summary.total"] == 770.43 and flat["fiscal_year"] == 2024
    assert flat["general_budget.by_class"] == [
        {"code": "201", "name": "一般公共服务支出", "amount": 552.33, "share_pct": 77.79}
    ]
    assert r.flatten(exact=True)["summary.total"] == D("770.43")
    assert "income.total" not in flat  # absent, never 0


def test_every_contract_path_is_a_record_field():
    if not CONTRACT.exists():
        pytest.skip("contract not available")
    paths = set()
    for row in CONTRACT.read_text(encoding="utf-8").splitlines():
        if row.startswith("| `"):
            cell = row.split("|")[1]
            paths |= set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)(?:\[\])?`", cell))
    expanded = set()
    for p in paths:  # `a.b` / `c` in one cell means a.b and a.c
        expanded.add(p)
    sections = {p.split(".")[0] for p in expanded if "." in p}
    r = Record()
    for p in expanded:
        if "." in p:
            section, field = p.split(".", 1)
            assert field in type(r.section(section)).model_fields, p
        else:
            assert p in Record.model_fields or any(p in type(r.section(s)).model_fields for s in sections), p


def test_figures_walk_lists_and_tables_are_typed():
    r = Record()
    r.general_budget.by_class = [
        ClassRow(name="卫生健康支出", amount=figure("1", "q")),
        ClassRow(name="卫生健康支出", amount=figure("2", "q")),
    ]
    paths = [p for p, _ in r.figures()]
    assert paths == [
        "general_budget.by_class[卫生健康支出].amount",
        "general_budget.by_class[卫生健康支出#2].amount",
    ]
    t = StandardTable(
        id="T5",
        rows=[
            TableRow(
                key="2013901",
                label="2013901 行政运行",
                code="2013901",
                values={"total": figure("51.32", "q")},
            )
        ],
    )
    assert t.cell("2013901", "total").value == D("51.32") and t.row("2013901").level == 3
    assert t.cell("2013901", "basic") is None and not t.is_empty
