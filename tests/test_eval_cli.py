"""``juesuan eval``: tables, JSON, the HTML report, the floor, and exit codes for usage errors."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

REPO = Path(__file__).resolve().parents[1]
GOLD = {
    "document": "t-2024-final.pdf",
    "fields": {
        "department": "中共测试区委政法委员会",
        "fiscal_year": 2024,
        "summary.total": {"value": 307.82, "page": 5, "quote": "总计 307.82"},
        "income.total": {"value": 307.82, "page": 5, "quote": "本年收入合计 307.82"},
    },
    "source_inconsistencies": [],
}

runner = CliRunner()


@pytest.fixture
def dirs(tmp_path) -> tuple[Path, Path]:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "t.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    wrong = json.loads(json.dumps(GOLD))
    wrong["fields"]["income.total"]["value"] = 300
    (pred / "t.json").write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    return gold, pred


def test_tables(dirs):
    gold, pred = dirs
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    for title in ("Overall", "By section", "By document", "Worst fields"):
        assert title in out
    assert "income.total" in out


def test_json(dirs):
    gold, pred = dirs
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["overall"]["tp"], data["overall"]["fp"], data["overall"]["fn"]) == (3, 1, 1)
    assert data["overall"]["f1"] == pytest.approx(0.75)
    assert data["worst_fields"][0]["examples"][0]["gold"]["quote"] == "本年收入合计 307.82"


def test_html_report_is_self_contained(dirs, tmp_path):
    gold, pred = dirs
    out = tmp_path / "r" / "report.html"
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--html", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    pngs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(pngs) >= 2  # F1 by section, errors by kind
    assert all(base64.b64decode(p).startswith(b"\x89PNG") for p in pngs)
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")
    assert "本年收入合计 307.82" in html


def test_floor(dirs, tmp_path):
    gold, pred = dirs
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"f1": 0.8}), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--floor", str(floor)])
    assert res.exit_code == 1
    assert "0.7500" in res.output and "0.8000" in res.output
    floor.write_text(json.dumps({"f1": 0.75, "sections": {"summary": 1.0}}), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--floor", str(floor)])
    assert res.exit_code == 0, res.output


def test_floor_per_document(dirs, tmp_path):
    """A document's own floor (by stem); a document with a floor that was not scored fails too."""
    gold, pred = dirs
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"f1": 0.5, "documents": {"t": 0.8}}), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--floor", str(floor)])
    assert res.exit_code == 1
    assert "t F1 0.7500 is under the floor 0.8000" in " ".join(res.output.split())
    floor.write_text(json.dumps({"f1": 0.5, "documents": {"t": 0.75, "gone": 0.1}}), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--floor", str(floor)])
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert "gone has a floor of 0.1000 but was not scored" in out and "t F1" not in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--gold", "{gold}"], "--pred"),
        (["--gold", "{tmp}/nope", "--pred", "{pred}"], "not a folder"),
        (["--gold", "{gold}", "--pred", "{tmp}/empty"], "no predictions"),
        (["--gold", "{gold}", "--pred", "{tmp}/other"], "no prediction matches"),
        (["--gold", "{gold}", "--pred", "{pred}", "--floor", "{tmp}/nofloor.json"], "not a floor file"),
    ],
)
def test_usage_errors_exit_2(dirs, tmp_path, args, message):
    gold, pred = dirs
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "z.json").write_text(json.dumps(GOLD | {"document": "z.pdf"}), encoding="utf-8")
    argv = [a.format(gold=gold, pred=pred, tmp=tmp_path) for a in args]
    res = runner.invoke(app, ["eval", *argv])
    assert res.exit_code == 2
    assert message in " ".join(res.output.split())


def test_configurations_side_by_side(dirs):
    """What ``eval run`` will show: one column per configuration, in the terminal and in the HTML."""
    from rich.console import Console

    from pipeline.evaluation import score_documents
    from pipeline.evaluation.report_html import render_html
    from pipeline.evaluation.report_terminal import print_comparison

    gold, pred = dirs
    results = {"rapidocr × qwen-0.5b": score_documents(gold, pred), "gold": score_documents(gold, gold)}
    console = Console(width=160, record=True)
    print_comparison(results, console)
    text = console.export_text()
    assert "rapidocr × qwen-0.5b" in text and "75.0%" in text and "100.0%" in text
    html = render_html(results)
    assert "Configurations side by side" in html and html.count("data:image/png;base64,") >= 3
