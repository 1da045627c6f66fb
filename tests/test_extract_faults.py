"""The repair loop and failure paths against the scripted OpenAI-compatible stub, on the real xiqu seed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from pipeline.config import Settings
from pipeline.document import Cell, Document, Line, Page, PageKind, Table, Word
from pipeline.extract.run import Extractor
from pipeline.llm import LLMClient, connect
from pipeline.parse import parse_path
from pipeline.reports import get as report_kind
from pipeline.reports.final_accounts.parts import INCOME, SUMMARY
from pipeline.reports.final_accounts.rules import RULES

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

try:
    from tests.llm_stub import Step, StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import Step, StubServer, answer

XIQU = (SHARED / "seeds/xiqu-panzhihua-2024-final.txt")
# a report outside the template (no 收入决算情况 heading): nothing is pre-filled, the model points at every field
FREE = (
    "上海市某某局2024年度部门决算\n关于本单位的收支\n"
    "本单位本年收入合计544.24万元，上年收入合计500.00万元。"
    "其中一般公共预算财政拨款收入483.8万元，政府性基金预算财政拨款收入60.43万元。\n"
    "全年收入、支出总计均为770.43万元，上年收入、支出总计为700.00万元。\n"
)
# n1 544.24, n2 500.00 (上年), n3 483.8, n4 60.43
WRONG = {"本年收入合计": "n2", "一般公共预算财政拨款收入": "n3", "政府性基金预算财政拨款收入": "n4"}
RIGHT = {"本年收入合计": "n1", "一般公共预算财政拨款收入": "n3", "政府性基金预算财政拨款收入": "n4"}
NOTHING = {"本年收入合计": None, "一般公共预算财政拨款收入": None, "政府性基金预算财政拨款收入": None}


@pytest.fixture(scope="module")
def xiqu():
    return parse_path(XIQU, Settings())


@pytest.fixture
def free(tmp_path):
    path = tmp_path / "free.txt"
    path.write_text(FREE, encoding="utf-8")
    return parse_path(path, Settings())


@pytest.fixture
def ours(monkeypatch):
    """The real validator, with a sum our reading breaks counted as ours (extraction), as the classifier
    does where a gap is exactly one misread row: that is what sends a part back to the model."""
    from pipeline.extract import run as run_module

    real = run_module.validate

    def validate(record, document, **kw):
        report = real(record, document, **kw)
        for v in report.violations:
            if v.rule == "INC.sources_by_kind":
                v.cls = "extraction"
        return report

    monkeypatch.setattr(run_module, "validate", validate)


def stub_settings(stub: StubServer, tmp_path: Path, **over) -> Settings:
    values = dict(
        cache_dir=tmp_path,
        llm_provider="openai",
        llm_base_url=stub.url,
        llm_model="stub-model",
        llm_api_key="sk-test",
        llm_attempts=2,
        llm_backoff_s=0.01,
        llm_backoff_max_s=0.02,
        llm_timeout_s=5,
        llm_max_concurrency=1,  # the script is answered in request order
        use_cache=False,
    )
    values.update(over)
    return Settings(**values)


def run(document, script: list[Step], tmp_path: Path, parts=(INCOME,), rounds: int = 2, **over):
    with StubServer(script) as stub:
        settings = stub_settings(stub, tmp_path, **over)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            result = Extractor(document, client, settings, FA, parts=parts).run(rounds)
    return result, stub


def user_prompt(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def test_wrong_pick_is_repaired(free, ours, tmp_path):
    result, stub = run(free, [answer(WRONG), answer(RIGHT)], tmp_path)
    assert len(stub.requests) == 2  # no identity call: the title names the department
    repair = user_prompt(stub.requests[1])
    identity = {r.id: r.identity for r in RULES}["INC.sources_by_kind"]
    # the repair prompt names the violated identity, the value it questions and the candidate ids
    assert identity in repair and "500" in repair and "n1 544.24万元" in repair and "n2 500.00万元" in repair
    assert "本年收入合计【n1】544.24万元" in repair  # the part's own tagged text, not the conversation so far
    assert len(stub.requests[1]["messages"]) == 2
    rec = result.record
    assert rec.income.total.value == Decimal("544.24") and "本年收入合计544.24万元" in rec.income.total.source.quote
    assert rec.income.general_budget.value == Decimal("483.8")  # kept: the repair did not question it
    assert result.ledger.parts["repair:income"].calls == 1 and result.ledger.calls == 2
    assert [r.parts for r in result.repairs] == [["income"]]
    assert result.errors == []


def test_repairs_are_bounded(free, ours, tmp_path):
    result, stub = run(free, [answer(WRONG)], tmp_path, rounds=2)
    assert len(stub.requests) == 3  # first answer, two repair rounds, then it stops
    assert result.ledger.parts["repair:income"].calls == 2
    assert result.record.income.total.value == Decimal("500.00")  # the model's pick stays, with its violation
    assert result.status == "unresolved"


def test_a_pick_outside_the_enum_is_reasked_then_refused(free, tmp_path):
    """A server that ignored the grammar answers an id the text does not have: validation re-asks once."""
    script = [answer({**RIGHT, "本年收入合计": "n99"}), answer({**RIGHT, "本年收入合计": "n99"})]
    result, stub = run(free, script, tmp_path, llm_max_retries=1)
    assert len(stub.requests) == 2 and result.status == "unresolved"
    (err,) = result.errors
    assert err.part == "income" and "validation" in err.error
    assert result.record.income.total is None  # never an invented figure


def test_failing_part_is_listed_and_unresolved(free, tmp_path):
    script = [answer(RIGHT), Step(status=500)]
    result, stub = run(free, script, tmp_path, parts=(INCOME, SUMMARY))
    assert result.status == "unresolved"
    (err,) = result.errors
    assert (err.part, err.stage) == ("summary", "extract") and "HTTP 500" in err.error
    assert result.record.income.total.value == Decimal("544.24")  # the other part is kept
    out = result.output()
    assert out["status"] == "unresolved" and out["errors"][0]["part"] == "summary"
    json.dumps(out)  # the whole output is JSON


def test_budget_stops_repairs(free, ours, tmp_path):
    script = [answer(WRONG, usage=(60, 40))]
    result, stub = run(free, script, tmp_path, llm_token_budget=100)
    assert len(stub.requests) == 1
    assert any("budget" in e.error for e in result.errors)
    assert result.ledger.total_tokens == 100


def test_a_template_section_costs_no_call(xiqu, tmp_path):
    result, stub = run(xiqu, [Step(status=500)], tmp_path, parts=(SUMMARY, INCOME))
    assert stub.requests == [] and result.ledger.calls == 0
    assert result.record.income.total.value == Decimal("544.24") and result.record.summary.total.value == Decimal("770.43")


def test_cli_continues_past_a_bad_file(xiqu, tmp_path, monkeypatch):
    from pipeline.cli import app

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    small = tmp_path / "small.txt"
    lines = XIQU.read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[20:31]), encoding="utf-8")
    script = [Step(status=500)]  # the sections of the template need no call
    with StubServer(script) as stub:
        monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("JUESUAN_LLM_BASE_URL", stub.url)
        monkeypatch.setenv("JUESUAN_LLM_API_KEY", "sk-test")
        monkeypatch.setenv("JUESUAN_LLM_MAX_CONCURRENCY", "1")
        monkeypatch.setenv("JUESUAN_USE_CACHE", "false")
        result = CliRunner().invoke(
            app, ["extract", str(bad), str(small), "--out", str(tmp_path / "out"), "--llm", "openai", "--model", "stub"]
        )
    assert result.exit_code == 1, result.output
    assert "broken.pdf" in result.output
    data = json.loads((tmp_path / "out" / "small.json").read_text(encoding="utf-8"))
    assert set(data) >= {"document", "sha256", "record", "status", "validation", "ledger", "errors"}
    assert data["record"]["income"]["total"]["value"] == 544.24
    assert not (tmp_path / "out" / "broken.json").exists()


def test_cli_usage_errors(tmp_path):
    from pipeline.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(XIQU)]).exit_code == 2  # no --out
    result = runner.invoke(app, ["extract", str(XIQU), "--out", str(tmp_path), "--llm", "bogus"])
    assert result.exit_code == 2 and "Invalid value for '--llm'" in result.output  # an enumerated flag


def messy_t2_document() -> Document:
    """A 收入决算表 whose header row layout could not read: its columns have no keys, so no value is typed."""
    rows = [["合计", "307.82", "307.82"], ["201 一般公共服务支出", "264.87", "264.87"]]
    lines = [Line(text="上海市某某局2024年度部门决算", bbox=(150, 30, 400, 50)), Line(text="收入决算表", bbox=(200, 60, 300, 75))]
    cells = []
    for r, row in enumerate(rows):
        y = 100 + 20 * r
        lines.append(Line(text=" ".join(row), bbox=(50, y, 400, y + 15), words=[
            Word(text=t, bbox=(50 + 150 * k, y, 180 + 150 * k, y + 15)) for k, t in enumerate(row)
        ]))
        cells += [Cell(row=r, col=k, text=t, bbox=(50 + 150 * k, y, 180 + 150 * k, y + 15), page=1)
                  for k, t in enumerate(row)]
    table = Table(id="p1-t1", title="收入决算表", standard_id="T2", pages=[1], bbox=(50, 100, 500, 135),
                  n_rows=2, n_cols=3, cells=cells, unit="万元")
    page = Page(number=1, width=595, height=842, kind=PageKind.TEXT, lines=lines)
    return Document(source="messy.pdf", sha256="0" * 64, pages=[page], tables=[table])


def test_messy_table_goes_to_the_model(tmp_path):
    doc = messy_t2_document()
    table_answer = {"figures": [
        {"quote": "合计 307.82 307.82", "value": "307.82", "field": "本年收入合计"},
        {"quote": "合计 307.82 307.82", "value": "300", "field": "财政拨款收入"},
    ]}
    # the header mapping is asked first and maps nothing; then the rows go to the model as text
    result, stub = run(doc, [answer({"columns": []}), answer(table_answer)], tmp_path, parts=())
    prompt = user_prompt(stub.requests[1])
    assert "合计 | 307.82 | 307.82" in prompt and "本年收入合计" in prompt
    fig = result.record.income.total
    assert fig.value == Decimal("307.82")
    src = fig.source
    assert (src.kind, src.table, src.page, src.row) == ("table", "T2", 1, "合计") and src.bbox is not None
    assert [r.path for r in result.rejected] == ["income.appropriation"]
    assert result.ledger.parts["table:T2"].calls == 1
    # every figure kept is grounded; what is left is that T2's rows themselves were not typed (its 201 row)
    assert {(v.rule, v.subject) for v in result.validation.errors("extraction")} <= {
        ("DC.core_tables", "T2"), ("DC.tables_complete", "T2")}


BUDGET_TEXT = (
    "上海市普陀区某某局2024年部门预算\n2024年部门预算编制说明\n"
    "2024年，上海市普陀区某某局收入预算100.00万元，其中：财政拨款收入100.00万元，比2023年预算减少5.00万元；"
    "事业收入0.00万元；事业单位经营收入0.00万元；其他收入0.00万元。\n"
    "支出预算100.00万元，其中：财政拨款支出预算100.00万元，比2023年预算减少5.00万元。\n"
    "财政拨款支出主要内容如下：\n"
    "1. “一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”100.00万元，主要用于行政运行。"
    "2023年当年预算执行数为105.00万元，2024年预算安排100.00万元，比2023年预算执行数减少4.76%。\n"
)


def test_a_budget_report_is_read_as_a_budget(tmp_path):
    """A 部门预算 is read by its own profile: its 编制说明's totals and 项 list from their labels and entries,
    with no model call, and nothing said against the report."""
    from pipeline.reports import get

    path = tmp_path / "budget.txt"
    path.write_text(BUDGET_TEXT, encoding="utf-8")
    document = parse_path(path, Settings())
    assert document.report_type == "budget"
    budget = get("budget")
    with StubServer([]) as stub:  # no answers: none is asked for
        settings = stub_settings(stub, tmp_path)
        with connect(settings) as endpoint:
            result = Extractor(document, LLMClient(endpoint, settings), settings, budget).run(2)
    rec = result.record
    assert rec.report_type == "budget"
    assert rec.income.total.value == 100 and rec.income.appropriation.value == 100
    assert rec.appropriation.total_change.value == -5
    assert rec.expenditure.total.value == 100 and rec.income.business.value == 0
    (item,) = rec.general_budget.items
    assert "行政运行(项)" in item.name and item.amount.value == 100
    assert (item.prior_executed.value, item.change_pct.value) == (105, Decimal("-4.76"))
    assert result.ledger.calls == 0 and not stub.requests and not result.errors
    assert not result.validation.errors("source")
