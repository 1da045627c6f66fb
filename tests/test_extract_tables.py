"""Deterministic table mapping on the born-digital putuo report: table-sourced fields equal the gold's."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.extract.answers import Answer, NarrativeRow
from pipeline.extract.assemble import assemble
from pipeline.extract.run import PartError, status_of
from pipeline.extract.tables import messy_tables, t5_lists, table_fields
from pipeline.parse import parse_path
from pipeline.record.figure import Source, figure
from pipeline.record.model import Record
from pipeline.record.table_build import tables_from_document
from pipeline.reports import get as report_kind
from pipeline.validate import validate

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

PUTUO = (SHARED / "corpus/putuo-shehuigongzuobu-2024-final.pdf")
GOLD = (SHARED / "gold/putuo-shehuigongzuobu-2024-final.json")

# table-sourced contract fields of T1/T2/T3/T5/T7 (and the empty T8/T9 explained under them)
TABLE_FIELDS = [
    "summary.total",
    "income.total",
    "income.general_budget",
    "income.appropriation",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.project",
    "general_budget.total",
    "general_budget.basic",
    "general_budget.project",
    "basic_expenditure.personnel",
    "basic_expenditure.public",
    "three_public.total",
    "government_fund.income",
    "government_fund.expenditure",
    "state_capital.income",
    "state_capital.expenditure",
    "income.government_fund",
    "income.state_capital",
]


@pytest.fixture(scope="module")
def putuo():
    doc = parse_path(PUTUO, Settings())
    return doc, tables_from_document(doc)


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))["fields"]


def test_table_fields_equal_gold(putuo, gold):
    doc, tables = putuo
    figures = table_fields(tables, FA.links)
    for path in TABLE_FIELDS:
        assert path in figures, path
        fig, want = figures[path], gold[path]
        assert fig.value == Decimal(str(want["value"])), path
        assert fig.source.page == want["page"], path
        assert fig.source.bbox is not None or fig.value == 0, path


def test_table_sources_carry_cell_and_row(putuo):
    _, tables = putuo
    fig = table_fields(tables, FA.links)["expenditure.basic"]
    src = fig.source
    assert (src.table, src.row, src.column, src.kind) == ("T3", "合计", "basic", "table")
    assert src.quote == "105.58" and src.page == 8  # the cell's own text; its row beside it, for context
    assert src.row_text == "合计 307.82 105.58 202.24"
    x0, y0, x1, y1 = src.bbox
    assert 0 < x0 < x1 and 0 < y0 < y1


def test_t5_lists_equal_gold(putuo, gold):
    _, tables = putuo
    classes, items = t5_lists(tables)
    want_classes = {r["code"]: r for r in gold["general_budget.by_class"]}
    assert {c.code for c in classes} == set(want_classes)
    for c in classes:
        assert c.amount.value == Decimal(str(want_classes[c.code]["amount"]))
        assert c.name == want_classes[c.code]["name"]
    want_items = {r["code"]: r for r in gold["general_budget.items"]}
    assert {i.code for i in items} == set(want_items)
    for i in items:
        assert i.amount.value == Decimal(str(want_items[i.code]["amount"]))


def test_no_messy_tables_in_a_clean_report(putuo):
    doc, tables = putuo
    assert messy_tables(doc, tables, FA.links, FA.parts, FA.table_names) == []


def test_narrative_adds_sources_and_alternates(putuo):
    """The table value stays; an agreeing narrative statement is a second source, a differing one an alternate."""
    doc, tables = putuo
    figures = table_fields(tables, FA.links)
    classes, items = t5_lists(tables)
    agree = figure("307.82", "本年收入合计307.82 万元", page=17)
    differ = figure("300.00", "本年支出合计300.00万元", page=17)
    share = figure("86.05", "一般公共服务支出（类）264.87 万元，占86.05%", unit="%", page=18)
    budget = figure("52.00", "全年预算为52.00 万元", page=18)
    answer = Answer(
        "income",
        0,
        figures=[("income.total", agree), ("expenditure.total", differ)],
        rows=[
            NarrativeRow("general_budget.by_class", "一般公共服务支出（类）", {"share_pct": share}),
            NarrativeRow(
                "general_budget.items",
                "一般公共服务支出（类）社会工作事务（款）行政运行（项）",
                {"budget": budget},
                budget_basis="全年预算",
            ),
        ],
    )
    base = Record(document=PUTUO.name, tables=tables)
    out = assemble(base, figures, classes, items, [answer])
    rec = out.record
    assert rec.income.total.value == Decimal("307.82")
    assert [s.kind for s in rec.income.total.sources][-1] == "narrative"  # after T1's and T2's cells
    assert rec.expenditure.total.value == Decimal("307.82")
    assert [a.value for a in rec.expenditure.total.alternates] == [Decimal("300.00")]
    cls = next(c for c in rec.general_budget.by_class if c.code == "201")
    assert cls.share_pct.value == Decimal("86.05")
    item = next(i for i in rec.general_budget.items if i.code == "2013901")
    assert item.budget.value == Decimal("52.00") and item.budget_basis == "全年预算"
    assert item.narrative_name and "行政运行" in item.narrative_name
    report = validate(rec, doc)
    amb = [v for v in report.violations if v.rule == "AMB.alternates"]
    # the differing statement is made up here (p.17 does not print it): never the report's fault
    assert amb and all(v.cls == "extraction" for v in amb)
    assert {e.pattern for v in amb for e in v.evidence} == {"alternate_ungrounded"}
    assert status_of(report, []) != "source_inconsistent"


def test_status_rules():
    empty = validate(Record())
    assert status_of(empty, []) == "reconciled"
    assert status_of(empty, [PartError(part="income", stage="extract", error="HTTP 500")]) == "unresolved"
    assert status_of(empty, [PartError(part="income", stage="repair", error="HTTP 500")]) == "reconciled"
    rec = Record()  # 说明一 of xiqu: the growth rate is taken on the wrong base (the report's own error)
    rec.summary.total = figure("770.43", "2024年度收入、支出总计均为770.43万元")
    rec.summary.total_change = figure("127.19", "收入、支出总计各增加127.19万元")
    rec.summary.total_change_pct = figure("16.5", "增长16.5%", unit="%")
    report = validate(rec)
    assert report.errors("source") and not report.errors("extraction")
    assert status_of(report, []) == "source_inconsistent"
    rec.summary.total_change.sources = [Source(quote="收入、支出总计各增加12.19万元")]  # does not print it
    assert status_of(validate(rec), []) == "unresolved"


def test_value_most_places_state_wins_and_the_other_stays_an_alternate():
    """T1 prints 25866.03 where T2 and 说明二 both say 25766.03: the record says 25766.03, flagged."""
    from pipeline.extract.tables import add_statement

    t1 = figure("25866.03", "本年收入合计 25866.03", page=4)
    add_statement(t1, figure("25766.03", "合计 25766.03 25766.03", page=5))
    assert t1.value == Decimal("25866.03") and t1.alternates[0].value == Decimal("25766.03")
    add_statement(t1, figure("25766.03", "本年收入合计25766.03万元", page=15))
    assert t1.value == Decimal("25766.03") and [s.page for s in t1.sources] == [5, 15]
    assert [a.value for a in t1.alternates] == [Decimal("25866.03")] and t1.alternates[0].sources[0].page == 4
