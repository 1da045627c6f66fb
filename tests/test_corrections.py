"""A reviewer's corrections: ``<stem>.corrections.json`` is applied by ``juesuan validate`` and survives
``juesuan extract --force`` (the extraction half runs the real embedded model on a one-page report)."""

from __future__ import annotations

import json

from test_review import make_output, make_pdf
from typer.testing import CliRunner

from pipeline.batch.resume import write_record
from pipeline.cli import app


def _validate(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


def test_validate_applies_the_reviewers_corrections(tmp_path):
    boxes = make_pdf(tmp_path / "r.pdf")
    out = tmp_path / "out"
    write_record(out / "r.json", make_output(boxes))  # income.total read as 554.24; the page prints 544.24
    doc = ["--document", str(tmp_path / "r.pdf")]

    before = _validate(str(out / "r.json"), *doc, "--json")
    assert before.exit_code == 1, before.output  # our reading is wrong: an extraction error
    report = json.loads(before.output[before.output.index("{"):])
    assert any(v["cls"] == "extraction" and v["subject"] == "income.total" for v in report["violations"])

    (out / "r.corrections.json").write_text(json.dumps({"corrections": {
        "income.total": {"value": 544.24, "page": 1, "quote": "本年收入合计544.24万元"},
    }}, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    after = _validate(str(out / "r.json"), *doc, "--json")
    assert after.exit_code == 0, after.output
    assert "applied 1 correction(s)" in after.output
    report = json.loads(after.output[after.output.index("{"):])
    assert not [v for v in report["violations"] if v["cls"] == "extraction"]

    # a correction for a place the record does not have is a one-line error, not a traceback
    (out / "bad.json").write_text(json.dumps({"corrections": {"income.nothing": {"value": 1}}}), encoding="utf-8")
    bad = _validate(str(out / "r.json"), "--corrections", str(out / "bad.json"))
    assert bad.exit_code == 2 and "income.nothing" in bad.output and "Traceback" not in bad.output
