"""``juesuan extract`` end to end on small scanned reports: real OCR, the real embedded LLM, real processes.

Every report is the same one-page scan with a different speck in the margin: each file has its own bytes
and page image (so each is really OCR'd), while the OCR'd text, and so every LLM prompt, is the same. The
report is read once through the real model first (``warm_answers``); its answers sit in a per-session cache,
so the batches cost OCR and processes, not model time. Requests from workers to a shared endpoint are tested
against the scripted stub in test_batch_pool.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from conftest import image_pdf
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.batch.resume import file_sha256
from pipeline.config import Settings
from pipeline.llm.client import connect
from pipeline.llm.models import resolve_local_model

FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
LINES = [
    "上海市某某区文化旅游局",
    "2024年度部门决算",
    "第三部分 2024年度部门决算情况说明",
    "一、收入支出决算总体情况说明",
    "2024年度收入、支出总计均为770.43万元。与2023年度相比，",
    "收入、支出总计各增加12.30万元，增长1.6%。",
]
OK_STATUSES = ("reconciled", "source_inconsistent")


@pytest.fixture(scope="session")
def page_grey() -> np.ndarray:
    """The report page as a 150-dpi grey scan."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="um", fontfile=FONT)
    for i, text in enumerate(LINES):
        page.insert_text((60, 80 + 24 * i), text, fontname="um", fontsize=12)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()


def scanned_report(path: Path, grey: np.ndarray, variant: int) -> Path:
    img = grey.copy()
    img[-8:-5, 4 + 5 * variant : 7 + 5 * variant] = 190  # a speck in the bottom margin: new bytes, same text
    path.parent.mkdir(parents=True, exist_ok=True)
    return image_pdf(path, [img], (595, 842))


@pytest.fixture(scope="session")
def batch_cache(tmp_path_factory) -> Path:
    """OCR and LLM answers for this test session: a rerun inside it costs no model call."""
    return tmp_path_factory.mktemp("batch-cache")


@pytest.fixture(scope="module")
def model_path() -> Path:
    return resolve_local_model(Settings()).path  # joined once into the user cache, shared by every run


@pytest.fixture
def env(monkeypatch, batch_cache, model_path) -> dict[str, str]:
    # pre-fill off, as in warm_answers: the page's 说明 is then the model's, answered from the session's cache
    values = {"JUESUAN_CACHE_DIR": str(batch_cache), "JUESUAN_LLM_MODEL": str(model_path),
              "JUESUAN_EXTRACT_PREFILL": "false"}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


@pytest.fixture(scope="module")
def server(batch_cache, model_path):
    """The embedded server, held for the module: in-process batches share it (pipeline.llm shares by model)."""
    with connect(Settings(cache_dir=batch_cache, llm_model=str(model_path))) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def warm_answers(server, page_grey, batch_cache, model_path, tmp_path_factory):
    """The report read once in this process through the real model: its answers fill the session's cache,
    so the batches below (all the same text) are about processes and files, not model time. Pre-fill is
    off here, so the total checked is the model's own answer (the page has no table to map)."""
    from pipeline.extract.run import extract_path
    from pipeline.llm.client import LLMClient

    settings = Settings(cache_dir=batch_cache, llm_model=str(model_path), extract_prefill=False)
    doc = scanned_report(tmp_path_factory.mktemp("warm") / "w.pdf", page_grey, 0)
    result = extract_path(doc, settings, LLMClient(server, settings))
    assert result.ledger.calls + result.ledger.cache_hits >= 1 and not result.errors  # the model was asked
    assert result.record.summary.total is not None and str(result.record.summary.total.value) == "770.43"
    return result


def events(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def csv_rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_parallel_batch_with_bad_files(tmp_path, page_grey, env, server, warm_answers):
    from pipeline.cli import app

    src = tmp_path / "in"
    r1 = scanned_report(src / "r1.pdf", page_grey, 1)
    r2 = scanned_report(src / "sub" / "r2.pdf", page_grey, 2)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")  # corrupt
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 not a report")  # a non-PDF, named on purpose
    out = tmp_path / "out"
    args = ["extract", str(src), str(notes), str(src / "*.pdf"), "--out", str(out), "--jobs", "2", "--quiet"]

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # two files failed; the batch went on
    assert "broken" in result.output and "notes" in result.output

    recs = {n: json.loads((out / f"{n}.json").read_text(encoding="utf-8")) for n in ("r1", "r2")}
    for name, path in (("r1", r1), ("r2", r2)):
        data = recs[name]
        assert set(data) >= {"document", "sha256", "record", "status", "validation", "ledger", "errors"}
        assert data["sha256"] == file_sha256(path) and data["settings_fingerprint"]
        assert data["ledger"]["endpoint"] == server.label  # the workers used the parent's server, not their own
        assert data["record"]["summary"]["total"]["value"] == 770.43
        assert (out / f"{name}_pages" / "p001.jpg").exists()
        assert 'class="box' in (out / f"{name}.html").read_text(encoding="utf-8")
    assert not (out / "broken.json").exists() and not (out / "notes.json").exists()

    log = events(out)
    starts = {e["doc"]: e for e in log if e["event"] == "start"}
    done = {e["doc"]: e for e in log if e["event"] == "done"}
    assert set(done) == {"r1", "r2"} and {e["doc"] for e in log if e["event"] == "failed"} == {"broken", "notes"}
    assert starts["r1"]["pid"] != starts["r2"]["pid"] != os.getpid()  # two worker processes
    assert starts["r2"]["ts"] < done["r1"]["ts"]  # and they overlapped

    rows = {r["文件"]: r for r in csv_rows(out / "summary.csv")}  # Chinese headers for Chinese reports
    assert set(rows) == {"r1", "r2", "broken", "notes"}
    assert rows["broken"]["状态"] == "失败" and "PDF" in rows["broken"]["错误"]
    assert rows["notes"]["状态"] == "失败" and "unsupported" in rows["notes"]["错误"]
    assert rows["r1"]["部门"] == recs["r1"]["record"]["department"]
    assert rows["r1"]["收支总计"] == "770.43" and rows["r1"]["页数"] == "1"
    figs = csv_rows(out / "figures.csv")
    assert {"r1", "r2"} == {f["文件"] for f in figs}
    assert any(f["字段路径"] == "summary.total" and f["原文"] and f["页码"] == "1" and f["页宽"] == "595" for f in figs)
    assert len((out / "records.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert load_workbook(out / "summary.xlsx").active.max_row == 5

    # a re-run redoes nothing that is done, and tries the failures again
    stamps = {n: (out / f"{n}.json").stat().st_mtime_ns for n in recs}
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1
    second = [e for e in events(out) if e["run"] != log[0]["run"]]
    assert sorted(e["doc"] for e in second if e["event"] == "skip") == ["r1", "r2"]
    assert {e["doc"] for e in second if e["event"] == "start"} == {"broken", "notes"}
    assert {n: (out / f"{n}.json").stat().st_mtime_ns for n in recs} == stamps

    # --force redoes a report; its answers come from the LLM cache
    forced = CliRunner().invoke(app, ["extract", str(r1), "--out", str(out), "--force", "--quiet"])
    data = json.loads((out / "r1.json").read_text(encoding="utf-8"))
    assert data["batch"]["run_id"] != recs["r1"]["batch"]["run_id"]
    assert data["ledger"]["calls"] == 0 and data["ledger"]["cache_hits"] > 0
    assert forced.exit_code == (0 if data["status"] in OK_STATUSES else 1)


def _cli(out: Path, src: Path, jobs: int, log: Path) -> subprocess.Popen:
    code = "from pipeline.cli import app; app()"
    cmd = [sys.executable, "-c", code, "extract", str(src), "--out", str(out), "--jobs", str(jobs), "--log-json"]
    return subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])


def _wait_for_records(out: Path, more_than: int, proc: subprocess.Popen, timeout: float = 420) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = len(list(out.glob("*.json")))
        if n > more_than:
            return n
        assert proc.poll() is None, f"batch ended early ({proc.returncode})"
        time.sleep(0.05)
    raise AssertionError(f"no record beyond {more_than} within {timeout}s")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_interrupted_batch_resumes(tmp_path, page_grey, env, warm_answers):
    """Ctrl-C, then SIGKILL, mid-batch: whole records only, none lost, none written twice."""
    src = tmp_path / "in"
    names = [f"d{i}" for i in range(5)]
    for i, name in enumerate(names):
        scanned_report(src / f"{name}.pdf", page_grey, 10 + i)
    out = tmp_path / "out"

    first = _cli(out, src, 1, tmp_path / "run1.log")
    _wait_for_records(out, 0, first)
    first.send_signal(signal.SIGINT)
    assert first.wait(timeout=120) == 130, (tmp_path / "run1.log").read_text()
    after1 = {p.stem for p in out.glob("*.json")}
    assert 1 <= len(after1) < len(names)
    assert (out / "summary.csv").exists()  # the tables are written for what is done, even when interrupted

    second = _cli(out, src, 2, tmp_path / "run2.log")
    _wait_for_records(out, len(after1), second)
    second.send_signal(signal.SIGKILL)
    second.wait(timeout=30)
    run2 = events(out)[-1]["run"]
    workers = {e["pid"] for e in events(out) if e["run"] == run2 and e["event"] == "start"}
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers and not any(_alive(p) for p in workers)  # workers die with the batch
    assert not list(out.glob(".*.tmp")), "a half-written file was left behind"
    after2 = {p.stem for p in out.glob("*.json")}
    assert len(after2) > len(after1)
    written = {n: json.loads((out / f"{n}.json").read_text(encoding="utf-8"))["batch"]["run_id"] for n in after2}

    third = _cli(out, src, 2, tmp_path / "run3.log")
    code = third.wait(timeout=600)
    assert code in (0, 1), (tmp_path / "run3.log").read_text()
    log = events(out)
    runs = list(dict.fromkeys(e["run"] for e in log))
    assert len(runs) == 3
    records = {n: json.loads((out / f"{n}.json").read_text(encoding="utf-8")) for n in names}  # none lost
    for name in names:
        done = [e for e in log if e["event"] == "done" and e.get("doc") == name]
        assert len(done) <= 1, f"{name} processed twice"
        if name in written:  # written before the kill: never written again
            assert records[name]["batch"]["run_id"] == written[name]
            assert not [e for e in log if e["run"] == runs[2] and e.get("doc") == name and e["event"] == "start"]
        else:
            assert records[name]["batch"]["run_id"] == runs[2]
    skipped = {e["doc"] for e in log if e["run"] == runs[2] and e["event"] == "skip"}
    assert skipped == set(written)
    end = [e for e in log if e["event"] == "batch_end"]
    assert end[0]["interrupted"] and not end[-1]["interrupted"]
    statuses = {r["status"] for r in records.values()}
    assert code == (0 if statuses <= set(OK_STATUSES) else 1)
    assert len(csv_rows(out / "summary.csv")) == len(names)
