"""Pointer extraction: numbers tagged with ids, label features that pre-fill, a schema that admits only the
ids present, figures built from the tagged number, and the repair prompt. Real seed text; the scripted stub
only stands in for the model's choice of ids (the real model is in test_extract_local.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.extract import pointers
from pipeline.extract.prompts import Issue, IssueFigure
from pipeline.extract.run import Extractor
from pipeline.llm import LLMClient, connect
from pipeline.parse import parse_path
from pipeline.reports import get as report_kind
from pipeline.reports.final_accounts.parts import GOVERNMENT_FUND, INCOME, SUMMARY, THREE_PUBLIC

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

try:
    from tests.llm_stub import StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import StubServer, answer

XIQU = SHARED / "seeds/xiqu-panzhihua-2024-final.txt"
_GOLD = json.loads((SHARED / "gold/xiqu-panzhihua-2024-final.json").read_text(encoding="utf-8"))
GOLD = {**_GOLD["extra_fields"], **_GOLD["fields"]}
SETTINGS = Settings()


class _NoModel:
    """Stands for a client that must not be called (template sections need no model)."""

    ledger = None

    def complete(self, *a, **k):  # pragma: no cover - a call is the failure
        raise AssertionError("the model was asked")


@pytest.fixture(scope="module")
def xiqu():
    doc = parse_path(XIQU, SETTINGS)
    return doc, Extractor(doc, _NoModel(), SETTINGS, FA)


def _doc(tmp_path: Path, text: str, name: str = "r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_path(path, SETTINGS)


def test_numbers_get_ids_that_point_back_to_the_page(xiqu):
    _, ex = xiqu
    tagged = ex.tagged["income"][0]
    assert "本年收入合计【n1】544.24万元" in tagged.text
    assert "【" not in tagged.text.split("本年收入合计")[0].split("2024")[-1]  # the year is not tagged
    fig = pointers.figure(ex.index, INCOME.fields[0], tagged.tags["n1"], "二")
    assert fig.value == Decimal("544.24") and fig.source.line == 26
    assert "本年收入合计544.24万元" in fig.source.quote and fig.source.printed == "544.24"


def test_template_sections_are_read_without_the_model(xiqu):
    _, ex = xiqu
    for part in (SUMMARY, INCOME):
        for i, tagged in enumerate(ex.tagged[part.name]):
            plan = pointers.plan(ex.index, tagged, part, ex.texts[part.name], i == 0)
            assert not plan.needs_model, [a.spec.label for a in plan.questions]
            got = pointers.answer(ex.index, plan, None, i, ex.regions[part.name], None)
            for path, fig in got.figures:
                assert fig.value == Decimal(str(GOLD[path]["value"])), path
    assert {p for p, _ in got.figures} >= {"income.total", "income.general_budget", "income.government_fund"}


def test_a_field_is_decided_once_per_part(xiqu):
    """公务接待费 0.26 (its own label, twice) and not the 0.19 of one reception in the list below it."""
    _, ex = xiqu
    figures = []
    for i, tagged in enumerate(ex.tagged["three_public"]):
        plan = pointers.plan(ex.index, tagged, THREE_PUBLIC, ex.texts["three_public"], i == 0)
        figures += pointers.answer(ex.index, plan, None, i, ex.regions["three_public"], None).figures
    reception = [f.value for p, f in figures if p == "three_public.reception"]
    assert reception == [Decimal("0.26")]


def test_zero_in_words_is_a_figure_of_zero(tmp_path):
    doc = _doc(tmp_path, "八、政府性基金预算财政拨款收入支出决算情况说明\n本年度没有政府性基金预算财政拨款收入和支出。\n")
    ex = Extractor(doc, _NoModel(), SETTINGS, FA, parts=(GOVERNMENT_FUND,))
    tagged = ex.tagged[GOVERNMENT_FUND.name][0]
    assert "【n1】没有" in tagged.text
    plan = pointers.plan(ex.index, tagged, GOVERNMENT_FUND, ex.texts[GOVERNMENT_FUND.name], True)
    got = dict(pointers.answer(ex.index, plan, None, 0, ex.regions[GOVERNMENT_FUND.name], None).figures)
    assert got["government_fund.income"].value == 0 and got["government_fund.expenditure"].value == 0
    assert got["government_fund.income"].source.quote.startswith("没有政府性基金")


FREE = (
    "关于本单位的收支\n"
    "本单位全年收入、支出总计均为770.43万元。本年收入合计544.24万元，上年收入合计500.00万元。"
    "其中一般公共预算财政拨款收入483.8万元。\n"
)


def test_schema_admits_only_the_ids_present(tmp_path):
    doc = _doc(tmp_path, FREE)
    ex = Extractor(doc, _NoModel(), SETTINGS, FA, parts=(INCOME,))
    tagged = ex.tagged["income"][0]
    plan = pointers.plan(ex.index, tagged, INCOME, ex.texts["income"], True)
    schema = pointers.response_model(plan, ex.index).model_json_schema()
    props = schema["properties"]
    assert set(schema["required"]) == set(props)  # every field answered: an id or null
    total = props["本年收入合计"]["anyOf"]
    assert {"type": "null"} in total
    enum = next(t["enum"] for t in total if "enum" in t)
    assert set(enum) <= set(tagged.tags) and tagged.tags[enum[0]].located.printed.text == "544.24"
    assert "770.43" not in {tagged.tags[i].shown().removesuffix("万元") for i in enum}  # 收支总计 is no 收入合计
    assert "pattern" not in json.dumps(schema)


def _stub_extract(doc, script, tmp_path, parts, issues=None):
    settings = Settings(
        cache_dir=tmp_path, llm_provider="openai", llm_model="stub", llm_api_key="sk-test", use_cache=False,
        llm_attempts=1, llm_max_concurrency=1,
    )
    with StubServer(script) as stub:
        settings = settings.model_copy(update={"llm_base_url": stub.url})
        with connect(settings) as endpoint:
            ex = Extractor(doc, LLMClient(endpoint, settings), settings, FA, parts=parts)
            got = ex._call_pointer(parts[0], 0, issues)
    return got, stub.requests


def test_the_models_ids_become_figures_from_the_text(tmp_path):
    doc = _doc(tmp_path, FREE)
    got, requests = _stub_extract(doc, [answer({"本年收入合计": "n2", "一般公共预算财政拨款收入": "n4"})], tmp_path, (INCOME,))
    figures = dict(got.figures)
    assert figures["income.total"].value == Decimal("544.24")
    assert figures["income.general_budget"].value == Decimal("483.8")
    assert "一般公共预算财政拨款收入483.8万元" in figures["income.general_budget"].source.quote
    (req,) = requests
    system, user = (m["content"] for m in req["messages"])
    assert "编号" in system and user.index("可选") < user.index("本年收入合计【n2】544.24")  # text last
    assert req["response_format"]["type"] == "json_schema"


def test_repair_asks_again_with_the_identity_and_the_candidate_ids(tmp_path):
    doc = _doc(tmp_path, FREE)
    issue = Issue(
        rule="INC.sources_by_kind", title="收入来源之和", message="期望 544.24，实际 483.8",
        identity="本年收入合计 = Σ 各项收入", figures=[IssueFigure(label="本年收入合计", value="544.24")],
    )
    picks = {"本年收入合计": "n2", "一般公共预算财政拨款收入": None}
    got, requests = _stub_extract(doc, [answer(picks)], tmp_path, (INCOME,), [issue])
    user = requests[0]["messages"][1]["content"]
    assert "本年收入合计 = Σ 各项收入" in user and "期望 544.24" in user
    assert "n2 544.24万元" in user  # the candidate ids, with the numbers they point at
    assert dict(got.figures)["income.total"].value == Decimal("544.24")


def test_a_class_stated_in_the_items_section_is_the_class_not_an_item():
    """'卫生健康支出年初预算为20.74万元，支出决算为20.23万元' in 具体情况, with no 项: the 类's budget."""
    from pipeline.extract.answers import Answer, NarrativeRow
    from pipeline.extract.assemble import assemble
    from pipeline.record.figure import figure
    from pipeline.record.model import Record

    cls = NarrativeRow("general_budget.by_class", "卫生健康支出", {"amount": figure("20.23", "卫生健康支出20.23万元")})
    item = NarrativeRow("general_budget.items", "卫生健康支出",
                        {"budget": figure("20.74", "年初预算为20.74万元"), "amount": figure("20.23", "支出决算为20.23万元")})
    record = assemble(Record(), {}, [], [], [Answer("general_budget.by_class", 0, rows=[cls]),
                                           Answer("general_budget.items", 0, rows=[item])]).record
    assert record.general_budget.items == []
    (row,) = record.general_budget.by_class
    assert row.budget.value == Decimal("20.74") and row.amount.value == Decimal("20.23")
