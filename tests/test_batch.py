"""Batch pieces that need no model: which files, when a record counts as done, and the analysts' tables."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.batch.discover import discover
from pipeline.batch.outputs import SUMMARY_COLUMNS, Entry, write_outputs
from pipeline.batch.resume import atomic_write_text, finished, settings_fingerprint, write_record
from pipeline.config import Settings
from pipeline.record.figure import figure
from pipeline.record.model import ClassRow, GeneralBudget, Income, Record, Summary


def touch(path: Path, data: bytes = b"%PDF-1.4\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discover_files_folders_and_globs(tmp_path):
    a = touch(tmp_path / "in" / "a.pdf")
    touch(tmp_path / "in" / "deep" / "er" / "b.PDF")
    touch(tmp_path / "in" / "c.txt", b"text")
    touch(tmp_path / "in" / "notes.docx")  # not a report: a folder's other files are left alone
    touch(tmp_path / "in" / ".hidden" / "h.pdf")
    touch(tmp_path / "in" / "out" / "old.md")  # the output folder inside the input is never read
    touch(tmp_path / "g" / "x1.pdf")
    touch(tmp_path / "g" / "x2.pdf")
    found = discover(
        [tmp_path / "in", str(tmp_path / "g" / "x*.pdf"), a, tmp_path / "nothing*.pdf", tmp_path / "named.docx"],
        exclude=tmp_path / "in" / "out",
    )
    names = [i.path.relative_to(tmp_path).as_posix() for i in found.inputs]
    assert names == ["in/a.pdf", "in/c.txt", "in/deep/er/b.PDF", "g/x1.pdf", "g/x2.pdf", "named.docx"]
    assert found.unmatched == [str(tmp_path / "nothing*.pdf")]  # a named missing file is kept: it fails later


def test_same_stem_gets_distinct_stable_names(tmp_path):
    one, two = touch(tmp_path / "2023" / "report.pdf"), touch(tmp_path / "2024" / "report.pdf")
    names = [i.name for i in discover([tmp_path]).inputs]
    assert len(set(names)) == 2 and all(n.startswith("report~") for n in names)
    assert [i.name for i in discover([two, one]).inputs] == names[::-1]


def test_fingerprint_ignores_speed_settings_only():
    base = settings_fingerprint(Settings())
    assert settings_fingerprint(Settings(llm_max_concurrency=7, ocr_threads=3, cache_dir=Path("/x"))) == base
    assert settings_fingerprint(Settings(llm_timeout_s=5, llm_threads=1, use_cache=False)) == base
    assert settings_fingerprint(Settings(llm_min_tokens_per_s=50)) == base
    assert settings_fingerprint(Settings(extract_repair_rounds=0)) != base
    assert settings_fingerprint(Settings(render_dpi=300)) != base
    assert settings_fingerprint(Settings(llm_model="other.gguf")) != base


def test_finished_needs_same_bytes_and_settings(tmp_path):
    path = tmp_path / "r.json"
    assert finished(path, "abc", "fp") is None
    path.write_text('{"record": {}, "sha', encoding="utf-8")  # half a file (never written by us, but be safe)
    assert finished(path, "abc", "fp") is None
    write_record(path, {"record": {}, "sha256": "abc", "settings_fingerprint": "fp"})
    assert finished(path, "abc", "fp") is not None
    assert finished(path, "abd", "fp") is None
    assert finished(path, "abc", "fq") is None


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "x.json"
    for i in range(3):
        atomic_write_text(target, json.dumps({"i": i}))
    assert json.loads(target.read_text()) == {"i": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would make it, not mkstemp's 0600


def _entry(folder: Path) -> Entry:
    record = Record(
        department="某某局",
        fiscal_year=2024,
        report_type="final_accounts",
        summary=Summary(total=figure("770.43", "收支总计770.43万元", page=3, bbox=(1, 2, 3, 4))),
        income=Income(total=figure("544.24", "本年收入合计544.24", page=4, table="T2", kind="table")),
        general_budget=GeneralBudget(
            total=figure("1200", "一般公共预算财政拨款支出1,200.00万元", page=9),
            by_class=[ClassRow(code="201", name="一般公共服务支出", amount=figure("10.5", "201 10.50", page=9))],
        ),
    )
    data = {
        "document": "a.pdf",
        "sha256": "s",
        "record": record.model_dump(mode="json"),
        "status": "source_inconsistent",
        "validation": {"summary": {"extraction": 0, "source": 2, "rounding": 1}},
        "ledger": {"calls": 5},
        "errors": [{"part": "income"}],
        "batch": {"pages": 17, "seconds": 12.5},
    }
    write_record(folder / "a.json", data)
    return Entry.of_record("in/a.pdf", "a", folder / "a.json", data)


def test_tables_for_analysts(tmp_path):
    entries = [
        _entry(tmp_path),
        Entry("in/bad.pdf", "bad", error="damaged or not a PDF"),
        Entry("in/later.pdf", "later", status="pending", error="not reached: interrupted"),
    ]
    paths = write_outputs(tmp_path, entries)
    raw = paths["summary_csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    a, bad, later = rows
    assert (a["department"], a["fiscal_year"], a["summary.total"], a["income.total"]) == ("某某局", "2024", "770.43", "544.24")
    assert (a["general_budget.total"], a["three_public.total"]) == ("1200", "")
    assert (a["status"], a["violations_source"], a["violations_rounding"], a["pages"]) == ("source_inconsistent", "2", "1", "17")
    assert (a["part_errors"], a["figures"], a["review"]) == ("1", "4", "a.html")
    assert (bad["status"], bad["error"]) == ("failed", "damaged or not a PDF")
    assert later["status"] == "pending"

    figs = list(csv.DictReader(io.StringIO(paths["figures"].read_bytes().decode("utf-8-sig"))))
    assert [f["path"] for f in figs] == [
        "summary.total", "income.total", "general_budget.total", "general_budget.by_class[201].amount",
    ]  # fmt: skip
    assert figs[0]["quote"] == "收支总计770.43万元" and figs[0]["page"] == "3"
    assert figs[1]["table"] == "T2" and figs[3]["value"] == "10.5"

    lines = paths["records"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["record"]["summary"]["total"]["value"] == 770.43

    ws = load_workbook(paths["summary_xlsx"]).active
    assert [c.value for c in ws[1]] == list(SUMMARY_COLUMNS)
    assert ws.cell(2, SUMMARY_COLUMNS.index("summary.total") + 1).value == 770.43  # a number, not text
    assert ws.cell(3, SUMMARY_COLUMNS.index("status") + 1).value == "failed"


def test_cli_usage_and_configuration_errors(tmp_path, monkeypatch):
    from pipeline.cli import app

    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    out = ["--out", str(tmp_path / "out")]
    nothing = runner.invoke(app, ["extract", str(tmp_path / "none*.pdf"), *out])
    assert nothing.exit_code == 2 and "no input files" in nothing.output
    assert runner.invoke(app, ["extract", str(tmp_path), *out, "--jobs", "0"]).exit_code == 2
    report = touch(tmp_path / "r.pdf")
    bad_model = runner.invoke(app, ["extract", str(report), *out, "--model", str(tmp_path / "missing.gguf")])
    assert bad_model.exit_code == 2 and "llm_model" in bad_model.output
    assert not list((tmp_path / "out").glob("*.json"))
