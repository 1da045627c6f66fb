"""``import juesuan``: extract and parse with settings as keyword arguments, the model started and stopped
for the caller, one server for many files; and the CLI's ``-o -`` and corrections across ``--force``.

Runs the real embedded model on a one-page born-digital report (text layer: no OCR); its answers are cached
for the module, so only the first extraction costs model time.
"""

from __future__ import annotations

import json
import re
import socket
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from test_batch_e2e import LINES  # the same one-page 说明 the batch tests read
from typer.testing import CliRunner

import juesuan
from pipeline.cli import app
from pipeline.config import Settings
from pipeline.llm.models import resolve_local_model

FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"


def report(path: Path, extra: str = "") -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="um", fontfile=FONT)
    for i, text in enumerate([*LINES, extra]):
        page.insert_text((60, 80 + 24 * i), text, fontname="um", fontsize=12)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> dict:
    cache = tmp_path_factory.mktemp("api-cache")
    return {"cache_dir": cache, "llm_model": str(resolve_local_model(Settings()).path)}


def _port(label: str) -> int:
    return int(re.search(r":(\d+)", label).group(1))


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_extract_starts_and_stops_the_model_for_the_caller(tmp_path, settings):
    result = juesuan.extract(report(tmp_path / "r.pdf"), **settings)
    assert isinstance(result, juesuan.Result)
    assert result.record.summary.total.value == Decimal("770.43") and result.record.summary.total.page == 1
    assert result.status in ("reconciled", "source_inconsistent", "unresolved")
    assert not _listening(_port(result.ledger.endpoint))  # the server it started is gone again


def test_one_server_for_many_files(tmp_path, settings):
    with juesuan.Extractor(**settings) as ex:
        a = ex.extract(report(tmp_path / "a.pdf"))
        b = ex.extract(report(tmp_path / "b.pdf", "（本页另有说明。）"))
        assert a.ledger.endpoint == b.ledger.endpoint and _listening(_port(a.ledger.endpoint))
    assert not _listening(_port(a.ledger.endpoint))
    assert a.record.summary.total.value == b.record.summary.total.value == Decimal("770.43")


def test_settings_are_keywords_and_checked(tmp_path):
    with pytest.raises(TypeError, match="ocr_engin"):
        juesuan.parse(report(tmp_path / "r.pdf"), ocr_engin="x")
    with pytest.raises(juesuan.ConfigError, match="api-key"):
        juesuan.extract(tmp_path / "r.pdf", llm="openai", base_url="https://api.deepseek.com", api_key=None)
    doc = juesuan.parse(tmp_path / "r.pdf", pages="1")
    assert "770.43" in doc.pages[0].text


def test_stdout_json_and_corrections_kept_across_force(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(settings["cache_dir"]))
    monkeypatch.setenv("JUESUAN_LLM_MODEL", settings["llm_model"])
    pdf = report(tmp_path / "in" / "r.pdf")
    runner = CliRunner()
    one = runner.invoke(app, ["extract", str(pdf), "-o", "-", "--quiet"])
    data = json.loads(one.stdout)
    assert data["record"]["summary"]["total"]["value"] == 770.43 and data["status"]

    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(out), "-q"]).exit_code in (0, 1)
    fixes = out / "r.corrections.json"
    fixes.write_text(json.dumps({"corrections": {"summary.total_change_pct": {
        "value": 1.6, "page": 1, "quote": "增长1.6%", "note": "checked on the page"}}}), encoding="utf-8")
    kept = fixes.read_bytes()
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(out), "-q", "--force"]).exit_code in (0, 1)
    record = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert record["corrections"] == ["summary.total_change_pct"]
    fig = record["record"]["summary"]["total_change_pct"]
    assert fig["value"] == 1.6 and fig["sources"][0]["quote"] == "增长1.6%" and "reviewer" in fig["note"]
    assert fixes.read_bytes() == kept  # the reviewer's file is never rewritten
