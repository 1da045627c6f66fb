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
from pipeline.record.tables import StandardTable, TableRow
from pipeline.validate.report import Involved, ValidationReport, Violation


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
    assert settings_fingerprint(Settings(pages="1-5,9")) != base  # other pages read: another record


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
    t5 = StandardTable(id="T5", title="一般公共预算财政拨款支出决算表", pages=[9], rows=[
        TableRow(key="201", label="201 一般公共服务支出", code="201", name="一般公共服务支出",
                 values={"total": figure("10.5", "10.50", page=9, table="T5", kind="table", column="total",
                                         row_text="201 一般公共服务支出 10.50 10.50", bbox=(300, 200, 340, 212))}),
    ])  # fmt: skip
    record = Record(
        department="某某局",
        fiscal_year=2024,
        report_type="final_accounts",
        summary=Summary(total=figure("770.43", "收支总计770.43万元", page=3, bbox=(1, 2, 3, 4))),
        income=Income(total=figure("544.24", "=HYPERLINK(\"http://x\")544.24", page=4, table="T2", kind="table")),
        general_budget=GeneralBudget(
            total=figure("1200", "一般公共预算财政拨款支出1,200.00万元", page=9),
            by_class=[ClassRow(code="201", name="一般公共服务支出", amount=figure("10.5", "201 10.50", page=9))],
        ),
        tables={"T5": t5},
    )
    violation = Violation(
        rule="T5.sum", title_zh="类之和等于合计", title_en="classes add up to the total", subject="T5",
        severity="error", cls="source", expected="12", found="10.5", difference="-1.5",
        fields=[Involved(path="general_budget.by_class[201].amount", value="10.5", grounded=True,
                         quote="201 10.50", page=9)],
        message="-1.5 short",
    )  # fmt: skip
    data = {
        "document": "a.pdf",
        "sha256": "s",
        "record": record.model_dump(mode="json"),
        "status": "source_inconsistent",
        "validation": ValidationReport(grounded_document=True, violations=[violation]).model_dump(mode="json")
        | {"summary": {"extraction": 0, "source": 2, "rounding": 1}},
        "ledger": {"calls": 5},
        "errors": [{"part": "income"}],
        "batch": {"pages": 17, "seconds": 12.5},
        "page_sizes": [[595.0, 842.0]] * 17,
    }
    write_record(folder / "a.json", data)
    return Entry.of_record("in/a.pdf", "a", folder / "a.json", data)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_tables_for_analysts(tmp_path):
    entries = [
        _entry(tmp_path),
        Entry("in/bad.pdf", "bad", error="damaged or not a PDF"),
        Entry("in/later.pdf", "later", status="pending", error="not reached: interrupted"),
    ]
    paths = write_outputs(tmp_path, entries, lang="en")
    rows = read_csv(paths["summary_csv"])
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    a, bad, later = rows
    assert (a["department"], a["fiscal_year"], a["summary.total"], a["income.total"]) == ("某某局", "2024", "770.43", "544.24")
    assert (a["general_budget.total"], a["three_public.total"]) == ("1200", "")
    assert (a["status"], a["violations_source"], a["violations_rounding"], a["pages"]) == ("source_inconsistent", "2", "1", "17")
    assert (a["part_errors"], a["figures"], a["review"]) == ("1", "4", "a.html")
    assert (bad["status"], bad["error"]) == ("failed", "damaged or not a PDF")
    assert later["status"] == "pending"

    figs = read_csv(paths["figures"])
    assert [f["path"] for f in figs] == [
        "summary.total", "income.total", "general_budget.total", "general_budget.by_class[201].amount",
    ]  # fmt: skip
    assert figs[0]["quote"] == "收支总计770.43万元" and figs[0]["page"] == "3"
    assert (figs[0]["page_width"], figs[0]["page_height"], figs[0]["bbox"]) == ("595", "842", "1.0,2.0,3.0,4.0")
    assert figs[0]["label"] == "收支总计" and figs[0]["review"] == "a.html#f1"
    assert figs[1]["table"] == "T2" and figs[3]["value"] == "10.5"
    assert (figs[3]["level"], figs[3]["code"], figs[3]["name"], figs[3]["class_code"]) == ("类", "201", "一般公共服务支出", "201")
    # a quote that would run as a formula in a spreadsheet is neutralised (OWASP): a leading apostrophe
    assert figs[1]["quote"] == "'=HYPERLINK(\"http://x\")544.24"

    cells = read_csv(paths["tables"])
    assert len(cells) == 1 and cells[0]["path"] == "T5[201].total" and cells[0]["quote"] == "10.50"
    assert (cells[0]["row_text"], cells[0]["column_header"], cells[0]["table_title"]) == (
        "201 一般公共服务支出 10.50 10.50", "合计", "一般公共预算财政拨款支出决算表")
    assert cells[0]["department"] == "某某局" and cells[0]["class_name"] == "一般公共服务支出"

    (v,) = read_csv(paths["violations"])
    assert (v["rule"], v["class"], v["expected"], v["found"], v["difference"]) == ("T5.sum", "source (the report itself)", "12", "10.5", "-1.5")
    assert v["figures"] == "general_budget.by_class[201].amount=10.5" and v["pages"] == "p9"
    assert v["quotes"] == "201 10.50" and v["review"] == "a.html#v1"
    assert v["message"] == "'-1.5 short"  # starts like a formula, is not a plain number

    lines = paths["records"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["record"]["summary"]["total"]["value"] == 770.43

    wb = load_workbook(paths["summary_xlsx"])
    assert wb.sheetnames == ["summary", "figures", "tables", "violations"]
    ws = wb["summary"]
    assert [c.value for c in ws[1]] == list(SUMMARY_COLUMNS)
    assert ws.cell(2, SUMMARY_COLUMNS.index("summary.total") + 1).value == 770.43  # a number, not text
    assert ws.cell(3, SUMMARY_COLUMNS.index("status") + 1).value == "failed"
    assert ws.cell(2, SUMMARY_COLUMNS.index("review") + 1).hyperlink.target == "a.html"
    quote = wb["figures"].cell(3, [c.value for c in wb["figures"][1]].index("quote") + 1)
    assert quote.value == "=HYPERLINK(\"http://x\")544.24" and quote.data_type == "s"  # text, never a formula
    assert wb["violations"].cell(2, len(wb["violations"][1])).hyperlink.target == "a.html#v1"


def test_tables_default_to_chinese_for_chinese_reports(tmp_path):
    paths = write_outputs(tmp_path, [_entry(tmp_path)])
    (a,) = read_csv(paths["summary_csv"])
    assert (a["部门"], a["收支总计"], a["状态"], a["复核页面"]) == ("某某局", "770.43", "报告自身不一致", "a.html")
    figs = read_csv(paths["figures"])
    assert (figs[0]["指标"], figs[0]["页码"], figs[0]["原文"]) == ("收支总计", "3", "收支总计770.43万元")
    assert figs[3]["数据项"] == "决算数" and figs[3]["类名称"] == "一般公共服务支出"
    (v,) = read_csv(paths["violations"])
    assert (v["问题"], v["类别"], v["严重程度"]) == ("类之和等于合计", "报告自身不一致", "错误")
    assert v["说明"].startswith("应为 12，实为 10.5，相差 -1.5")
    assert load_workbook(paths["summary_xlsx"]).sheetnames == ["汇总", "数字", "表格", "问题"]


def test_output_formats_choose_the_files(tmp_path):
    paths = write_outputs(tmp_path, [_entry(tmp_path)], formats=("csv",))
    assert set(paths) == {"summary_csv", "figures", "tables", "violations"}
    assert not (tmp_path / "summary.xlsx").exists() and not (tmp_path / "records.jsonl").exists()


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
