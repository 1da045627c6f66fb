"""The CLI's front door: --version, flags for the endpoint, a page range, output formats, and a bad
configuration refused with one line and exit 2 before any report is touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import __version__
from pipeline.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"juesuan {__version__}"


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--llm", "openai", "--base-url", "https://api.deepseek.com"], "--api-key"),
        (["--llm", "openai", "--api-key", "sk-x"], "--base-url"),
        (["--llm-mode", "yaml"], "yaml"),
        (["--llm", "remote"], "remote"),
        (["--pages", "5-2"], "pages: Value error, not a page range: '5-2'"),
        (["--pages", "x"], "not a page range"),
        (["--output-format", "pdf"], "pdf"),
        (["--lang", "fr"], "fr"),
        (["--report-type", "annual_report"], "unknown report type 'annual_report': known types are final_accounts, budget"),
    ],
)
def test_bad_configuration_exits_2_with_one_line_before_any_work(tmp_path, monkeypatch, flags, says):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    report = tmp_path / "r.pdf"
    report.write_bytes(b"%PDF-1.4\n")
    result = run("extract", str(report), "--out", str(tmp_path / "out"), *flags)
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing was started: no folder, no record, no failed row


def test_openai_on_a_private_endpoint_needs_no_key(tmp_path, monkeypatch):
    from pipeline.api import make_settings

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    s = make_settings(llm="openai", base_url="http://127.0.0.1:11434/v1", model="qwen2.5:7b", mode="json")
    assert (s.llm_provider, s.llm_base_url, s.llm_mode) == ("openai", "http://127.0.0.1:11434/v1", "json")


def test_stdout_takes_one_report(tmp_path):
    result = run("extract", str(tmp_path), "-o", "-")
    assert result.exit_code == 2 and "exactly one report" in result.output


def test_extract_help_is_chinese_first():
    text = run("extract", "--help").stdout
    for words in ("输出文件夹", "--base-url", "--api-key", "--llm-mode", "--pages", "--output-format", "--lang"):
        assert words in text
    assert "把扫描的部门决算报告" in run("--help").stdout


def test_pages_keep_the_report_numbering(tmp_path):
    import pymupdf

    from pipeline.config import get_settings
    from pipeline.parse import parse_path

    doc = pymupdf.open()
    for i in range(3):
        doc.new_page().insert_text((72, 72), f"page {i + 1} text 12.50")
    doc.save(tmp_path / "r.pdf")
    parsed = parse_path(Path(tmp_path / "r.pdf"), get_settings(pages="2-3", cache_dir=tmp_path / "c"))
    assert [p.number for p in parsed.pages] == [1, 2, 3]
    assert parsed.pages[0].text.strip() == "" and "page 2" in parsed.pages[1].text


def test_the_public_package_is_juesuan():
    import juesuan
    from pipeline import api

    assert (juesuan.extract, juesuan.parse, juesuan.Extractor) == (api.extract, api.parse, api.Extractor)
    assert juesuan.Result.__name__ == "ExtractionResult" and juesuan.__version__ == __version__


def test_output_format_and_lang_reach_the_tables(tmp_path, monkeypatch):
    """A report already done (same bytes, same settings) is resumed, so this needs no model: the flags
    alone decide which tables are written and in which language."""
    from pipeline.batch.resume import file_sha256, settings_fingerprint, write_record
    from pipeline.config import get_settings
    from pipeline.record.figure import figure
    from pipeline.record.model import Record

    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path / "cache"))
    report = tmp_path / "in" / "r.pdf"
    report.parent.mkdir()
    report.write_bytes(b"%PDF-1.4\n")
    record = Record(department="某某局", fiscal_year=2024)
    record.summary.total = figure("770.43", "收支总计770.43万元", page=1)
    out = tmp_path / "out"
    write_record(out / "r.json", {
        "record": record.model_dump(mode="json"), "status": "reconciled", "validation": {},
        "sha256": file_sha256(report), "settings_fingerprint": settings_fingerprint(get_settings()),
    })  # fmt: skip
    result = run("extract", str(report), "--out", str(out), "-f", "csv", "--lang", "en", "--no-review", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "events.jsonl", "figures.csv", "r.json", "summary.csv", "tables.csv", "violations.csv"]
    assert (out / "figures.csv").read_text(encoding="utf-8-sig").startswith("document,department,fiscal_year")
    again = run("extract", str(report), "--out", str(out), "-f", "xlsx", "-q")
    assert again.exit_code == 0 and (out / "summary.xlsx").exists()
    assert "1 份报告" in again.output  # the closing tally, in Chinese by default


def test_report_type_reads_a_report_as_that_kind(tmp_path):
    """`--report-type budget` lays a document out with the budget's titles whatever its cover says; without it
    the title decides (a 部门预算 title reads as a budget)."""
    text = tmp_path / "r.txt"
    text.write_text("某某局2024年部门预算\n\n2024年部门收入预算总表\n单位：元\n", encoding="utf-8")
    out = tmp_path / "doc.json"
    assert run("parse", str(text), "--json", str(out), "-q").exit_code == 0
    import json

    assert json.loads(out.read_text(encoding="utf-8"))["report_type"] == "budget"
    decided = tmp_path / "forced.json"
    assert run("parse", str(text), "--json", str(decided), "-q", "--report-type", "final_accounts").exit_code == 0
    assert json.loads(decided.read_text(encoding="utf-8"))["report_type"] == "final_accounts"
