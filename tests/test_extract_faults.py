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
from pipeline.extract.fields import INCOME, SUMMARY
from pipeline.extract.run import Extractor
from pipeline.llm import LLMClient, connect
from pipeline.parse import parse_path
from pipeline.validate.catalog import RULES

try:
    from tests.llm_stub import Step, StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import Step, StubServer, answer

XIQU = (SHARED / "seeds/xiqu-panzhihua-2024-final.txt")
IDENTITY = {"department": "中共攀枝花市西区区委政法委员会", "fiscal_year": 2024, "report_type": "final_accounts", "unit": "万元"}
WRONG = {
    "figures": [
        {"quote": "收入、支出总计均为770.43万元", "value": "770.43", "field": "本年收入合计"},
        {"quote": "一般公共预算财政拨款收入483.8万元", "value": "483.8", "field": "一般公共预算财政拨款收入"},
        {"quote": "政府性基金预算财政拨款收入60.43万元", "value": "60.43", "field": "政府性基金预算财政拨款收入"},
    ]
}
RIGHT = {
    "figures": [
        {"quote": "本年收入合计544.24万元", "value": "544.24", "field": "本年收入合计"},
        {"quote": "一般公共预算财政拨款收入483.8万元", "value": "483.8", "field": "一般公共预算财政拨款收入"},
        {"quote": "政府性基金预算财政拨款收入60.43万元", "value": "60.43", "field": "政府性基金预算财政拨款收入"},
    ]
}


@pytest.fixture(scope="module")
def xiqu():
    return parse_path(XIQU, Settings())


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
        extract_sweep=False,  # these tests drive the repair loop; the sweep would fill the refused figure itself
    )
    values.update(over)
    return Settings(**values)


def run(document, script: list[Step], tmp_path: Path, parts=(INCOME,), rounds: int = 2, **over):
    with StubServer(script) as stub:
        settings = stub_settings(stub, tmp_path, **over)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            result = Extractor(document, client, settings, parts=parts).run(rounds)
    return result, stub


def user_prompt(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def test_wrong_figure_is_repaired(xiqu, tmp_path):
    result, stub = run(xiqu, [answer(IDENTITY), answer(WRONG), answer(RIGHT)], tmp_path)
    assert len(stub.requests) == 3
    repair = user_prompt(stub.requests[2])
    identity = {r.id: r.identity for r in RULES}["INC.sources_by_kind"]
    # the repair prompt names the violated identity, the conflicting value and its quote, and the reason
    assert identity in repair
    assert "770.43" in repair and "收入、支出总计均为770.43万元" in repair and "不在本部分原文中" in repair
    assert "本年收入合计544.24万元" in repair  # the part's own text, not the conversation so far
    assert len(stub.requests[2]["messages"]) == 2
    rec = result.record
    assert rec.income.total.value == Decimal("544.24") and rec.income.total.source.line == 26
    assert result.ledger.parts["repair:income"].calls == 1
    assert result.ledger.calls == 3
    assert [r.parts for r in result.repairs] == [["income"]]
    assert result.status in ("reconciled", "source_inconsistent")
    assert result.rejected == [] and result.errors == []


def test_sweep_fills_a_refused_figure_without_a_repair_call(xiqu, tmp_path):
    """770.43 offered as 本年收入合计 is refused; the sweep finds the one number 本年收入合计 names."""
    result, stub = run(xiqu, [answer(IDENTITY), answer(WRONG)], tmp_path, extract_sweep=True)
    assert len(stub.requests) == 2 and result.repairs == []
    fig = result.record.income.total
    assert fig.value == Decimal("544.24") and "544.24" in fig.source.quote and fig.source.line == 26
    assert [r.path for r in result.rejected] == ["income.total"]  # the refusal is still reported


def test_repairs_are_bounded(xiqu, tmp_path):
    result, stub = run(xiqu, [answer(IDENTITY), answer(WRONG)], tmp_path, rounds=2)
    assert len(stub.requests) == 4  # identity, first answer, two repair rounds, then it stops
    assert result.ledger.parts["repair:income"].calls == 2
    assert result.record.income.total is None  # never kept without a grounded quote
    assert [r.path for r in result.rejected] == ["income.total"]
    assert "不在本部分原文中" in result.rejected[0].reason


def test_failing_part_is_listed_and_unresolved(xiqu, tmp_path):
    script = [answer(IDENTITY), answer(RIGHT), Step(status=500)]
    result, stub = run(xiqu, script, tmp_path, parts=(INCOME, SUMMARY))
    assert result.status == "unresolved"
    (err,) = result.errors
    assert (err.part, err.stage) == ("summary", "extract") and "HTTP 500" in err.error
    assert result.record.income.total.value == Decimal("544.24")  # the other part is kept
    out = result.output()
    assert out["status"] == "unresolved" and out["errors"][0]["part"] == "summary"
    json.dumps(out)  # the whole output is JSON


def test_budget_stops_repairs(xiqu, tmp_path):
    script = [answer(IDENTITY, usage=(60, 40)), answer(WRONG, usage=(60, 40))]
    result, stub = run(xiqu, script, tmp_path, llm_token_budget=200)
    assert len(stub.requests) == 2
    assert any("budget" in e.error for e in result.errors)
    assert result.ledger.total_tokens == 200


def test_cli_continues_past_a_bad_file(xiqu, tmp_path, monkeypatch):
    from pipeline.cli import app

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    small = tmp_path / "small.txt"
    lines = XIQU.read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[20:31]), encoding="utf-8")
    nothing = answer({"figures": []})
    script = [answer(IDENTITY), nothing, answer(RIGHT)] + [nothing] * 20  # identity, summary, income, …
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
    lines, cells = [Line(text="收入决算表", bbox=(200, 60, 300, 75))], []
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
    result, stub = run(doc, [answer(IDENTITY), answer(table_answer)], tmp_path, parts=())
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
