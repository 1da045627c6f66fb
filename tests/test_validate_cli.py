"""`juesuan validate` and `juesuan schema`: output grouped by class, exit 1 only on our own errors."""

from __future__ import annotations

import json

from test_validate_docs import GOLD, needs_shared, source_of
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.record import Record, figure

runner = CliRunner()


def write(tmp_path, record: Record):
    path = tmp_path / "record.json"
    path.write_text(record.model_dump_json(), encoding="utf-8")
    return path


def consistent() -> Record:
    r = Record(department="某部门", fiscal_year=2024, unit="万元")
    q = "本年支出合计100.00万元，其中：基本支出60.00万元，项目支出40.00万元"
    r.expenditure.total, r.expenditure.basic, r.expenditure.project = (
        figure(v, q, line=1) for v in ("100.00", "60.00", "40.00")
    )
    return r


def test_exit_0_for_a_reconciling_record(tmp_path):
    result = runner.invoke(app, ["validate", str(write(tmp_path, consistent()))])
    assert result.exit_code == 0, result.output
    assert "accepted" in result.output


def test_exit_0_when_only_the_report_is_wrong(tmp_path):
    r = consistent()
    q = "本年支出合计100.00万元，其中：基本支出60.00万元，项目支出50.00万元"
    r.expenditure.total, r.expenditure.basic, r.expenditure.project = (
        figure(v, q, line=1) for v in ("100.00", "60.00", "50.00")
    )
    result = runner.invoke(app, ["validate", str(write(tmp_path, r))])
    assert result.exit_code == 0, result.output
    assert "source" in result.output and "EXP.parts" in result.output


def test_exit_1_on_an_extraction_error_and_json_output(tmp_path):
    r = consistent()
    r.expenditure.project = figure("50.00", "项目支出40.00万元", line=1)  # the quote says 40.00
    path = write(tmp_path, r)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "extraction" in result.output
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    classes = {v["cls"] for v in report["violations"]}
    assert "extraction" in classes
    bad = next(v for v in report["violations"] if v["rule"] == "GRD.printed")
    assert bad["fields"][0]["value"] == 50 and bad["fields"][0]["quote"] == "项目支出40.00万元"


def test_exit_2_on_unreadable_input(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "missing.json")]).exit_code == 2


@needs_shared
def test_validate_a_gold_file_against_its_document():
    gold = next(g for g in GOLD if g.stem.startswith("xiqu"))
    result = runner.invoke(app, ["validate", str(gold), "--document", str(source_of(gold)), "--json"])
    assert result.exit_code == 0, result.output[-2000:]
    report = json.loads(result.output)
    assert report["grounded_document"] and report["ungrounded"] == 0
    assert any(v["rule"] == "YOY.summary" and v["cls"] == "source" for v in report["violations"])


def test_schema_command(tmp_path):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["$defs"]["Figure"]["properties"]["value"]["type"] == "number"
    assert runner.invoke(app, ["schema", "--check"]).exit_code == 0
    out = tmp_path / "s.json"
    assert runner.invoke(app, ["schema", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(result.output)
