"""The bad-input set: damaged PDFs and odd text files never crash or stop a run, and damage is never silent.

Each bad file is either refused with one InputError line naming it, or read with the damaged pages named in
the Document's warnings; the good files beside them are read all the same, by the library and by the CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from bad_inputs import (
    FLIP_SEEDS,
    SAMPLE,
    corrupt_jpeg_pdf,
    flipped,
    text_pdf,
    truncated,
    xref_broken,
)
from conftest import NoOcr

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
GOOD_TEXT = "上海市某区某局2024年度部门决算\n一、收入支出决算总体情况说明\n收入、支出决算总计1,234.56万元。\n"


@dataclass
class BadSet:
    folder: Path
    good_pdf: Path
    good_txt: Path
    flips: list[Path]
    refused: dict[str, str]  # file name → words its one-line error must hold
    original: list[str]  # the good PDF's page texts as ingested


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> BadSet:
    folder = tmp_path_factory.mktemp("bad")
    good_pdf = text_pdf(folder / "good.pdf")
    good_txt = folder / "good.txt"
    good_txt.write_text(GOOD_TEXT, encoding="utf-8")
    source = good_pdf.read_bytes()
    flips = []
    for seed in FLIP_SEEDS:
        path = folder / f"flip-{seed:02d}.pdf"
        path.write_bytes(flipped(source, seed))
        flips.append(path)
    (folder / "truncated-sample.pdf").write_bytes(truncated(SAMPLE.read_bytes(), 5000))
    (folder / "truncated.pdf").write_bytes(truncated(source, len(source) * 2 // 3))
    (folder / "xref.pdf").write_bytes(xref_broken(source))
    corrupt_jpeg_pdf(folder / "corrupt-jpeg.pdf")
    (folder / "utf16.txt").write_bytes("部门决算收入总计".encode("utf-16-le"))  # no BOM, no newline
    (folder / "gb18030.txt").write_bytes(GOOD_TEXT.encode("gb18030"))
    (folder / "binary.txt").write_bytes(bytes((i * 73 + 41) % 256 for i in range(3000)))
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")
    (folder / "dangling.pdf").symlink_to(folder / "gone.pdf")
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_text(GOOD_TEXT, encoding="utf-8")  # parse takes folders
    (folder / "sub" / "loop.txt").symlink_to(folder / "sub" / "loop.txt")  # in a folder: not a report, skipped
    refused = {
        "truncated-sample.pdf": "damaged or truncated",
        "binary.txt": "cannot tell the text's encoding",
        "loop.pdf": "symbolic link loop",
        "dangling.pdf": "broken symbolic link",
    }
    original = [p.text for p in read(good_pdf).pages]
    return BadSet(folder, good_pdf, good_txt, flips, refused, original)


def read(path: Path) -> Document:
    return ingest(path, Settings(cache_dir=path.parent / "cache"), ocr=NoOcr()).document


def named(doc: Document, page: int) -> bool:
    return any(w.startswith(f"page {page}:") for w in doc.warnings)


def file_wide_damage(doc: Document) -> bool:
    return any(w.startswith("PDF ") and "damaged" in w for w in doc.warnings)


def test_each_flipped_pdf_is_refused_or_read_with_its_damage_named(bad):
    outcomes = Counter()
    for path in bad.flips:
        try:
            doc = read(path)
        except InputError as e:
            assert e.path == str(path) and "\n" not in str(e)
            outcomes["refused"] += 1
            continue
        changed = [p.number for p in doc.pages if p.number > len(bad.original) or p.text != bad.original[p.number - 1]]
        unnamed = [n for n in changed if not named(doc, n)]
        assert not unnamed or file_wide_damage(doc), f"{path.name}: pages {unnamed} changed without a warning"
        outcomes["damage named" if changed else "intact"] += 1
    assert sum(outcomes.values()) == len(FLIP_SEEDS) >= 24
    assert outcomes["refused"] and outcomes["damage named"], outcomes  # the set exercises both ends


def test_truncated_pdfs(bad):
    with pytest.raises(InputError, match="damaged or truncated PDF: MuPDF cannot count its pages"):
        read(bad.folder / "truncated-sample.pdf")  # the issue's `head -c 5000` of a sample
    doc = read(bad.folder / "truncated.pdf")  # a third missing: MuPDF rebuilds what is left
    assert file_wide_damage(doc) and doc.pages[0].text == bad.original[0]
    assert named(doc, 2) and doc.pages[1].text != bad.original[1]


def test_xref_broken_pdf_is_repaired_and_says_so(bad):
    doc = read(bad.folder / "xref.pdf")
    assert [p.text for p in doc.pages] == bad.original
    assert any("repaired" in w for w in doc.warnings)


def test_corrupt_jpeg_is_named_with_its_page_not_printed_bare(bad, capfd):
    doc = read(bad.folder / "corrupt-jpeg.pdf")
    assert any(w.startswith("page 1: damaged (Corrupt JPEG data") for w in doc.warnings), doc.warnings
    assert "Corrupt JPEG" not in capfd.readouterr().err


def test_odd_text_encodings(bad):
    page = read(bad.folder / "utf16.txt").pages[0]  # GB18030 would decode these bytes to rare hanzi
    assert [ln.text for ln in page.lines] == ["部门决算收入总计"]
    assert read(bad.folder / "gb18030.txt").pages[0].lines[0].text == "上海市某区某局2024年度部门决算"
    with pytest.raises(InputError, match="cannot tell the text's encoding"):
        read(bad.folder / "binary.txt")


def test_links_that_lead_nowhere_say_why(bad):
    with pytest.raises(InputError, match="symbolic link loop"):
        read(bad.folder / "loop.pdf")
    with pytest.raises(InputError, match=r"broken symbolic link: its target .*gone\.pdf does not exist"):
        read(bad.folder / "dangling.pdf")


def juesuan(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", "from pipeline.cli import main; main()", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env or os.environ.copy(), capture_output=True, text=True,
                          timeout=timeout)


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("error:")]


def test_parse_cli_reports_each_bad_file_and_reads_every_other(bad, tmp_path):
    """One `juesuan parse` over the whole set and a folder: exit 1, no traceback, one error line per refused
    file, a Document for every other file (the good ones included), and no bare decoder message."""
    out = tmp_path / "json"
    out.mkdir()
    env = {**os.environ, "JUESUAN_CACHE_DIR": str(tmp_path / "cache")}
    # a quarter of the flips (each read one costs the layout's table model ~1 s); the library test has all
    others = [p for p in bad.folder.iterdir() if p.suffix in (".pdf", ".txt") and p not in [*bad.flips, bad.good_txt]]
    inputs = sorted(others + bad.flips[:8])
    run = juesuan("parse", "-q", "--dpi", "72", "--json", str(out), *map(str, inputs), str(bad.folder / "sub"),
                  env=env)
    assert "Traceback" not in run.stdout + run.stderr
    assert not [ln for ln in run.stderr.splitlines() if ln.startswith("Corrupt JPEG")]  # named, not bare
    assert run.returncode == 1
    errors = error_lines(run.stderr)
    for name, words in bad.refused.items():
        mine = [e for e in errors if f"/{name}:" in e]
        assert len(mine) == 1 and words in mine[0], (name, errors)
    refused = {Path(e.split(": ", 2)[1]).stem for e in errors}
    written = {p.stem for p in out.glob("*.json")}
    assert {"good", "corrupt-jpeg", "xref", "nested"} <= written
    assert {p.stem for p in inputs} | {"nested"} == written | refused and not written & refused
    damaged = json.loads((out / "corrupt-jpeg.json").read_text(encoding="utf-8"))
    assert any("Corrupt JPEG data" in w for w in damaged["warnings"])


def test_parse_cli_takes_folders_and_goes_on_past_an_unwritable_json(bad, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b.pdf").write_bytes(bad.good_pdf.read_bytes())
    (folder / "notes.docx").write_text("not a report")  # a folder's other files are not reports: skipped
    run = juesuan("parse", str(folder))
    assert run.returncode == 0, run.stderr
    assert "a.txt" in run.stdout and "b.pdf" in run.stdout and "notes.docx" not in run.stdout + run.stderr

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = juesuan("parse", "-q", "--json", str(blocker / "out.json"), str(bad.good_txt))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    (line,) = error_lines(run.stderr)
    assert str(bad.good_txt) in line and "cannot write" in line and str(blocker / "out.json") in line


def test_extract_cli_goes_on_past_bad_files(bad, tmp_path):
    """`juesuan extract` over bad files and a good one (LLM: the scripted stub, answering nothing useful):
    the good one still gets its record, each bad one is a failure naming its cause, no traceback."""
    from llm_stub import Step, StubServer

    out = tmp_path / "out"
    with StubServer([Step(content="{}")]) as stub:
        env = {
            **os.environ,
            "JUESUAN_CACHE_DIR": str(tmp_path / "cache"),
            "JUESUAN_LLM_BASE_URL": stub.url,
            "JUESUAN_LLM_API_KEY": "sk-test",
            "JUESUAN_LLM_ATTEMPTS": "1",
            "JUESUAN_EXTRACT_REPAIR_ROUNDS": "0",
        }
        names = ["truncated-sample.pdf", "loop.pdf", "binary.txt", "good.txt", "truncated.pdf"]
        run = juesuan("extract", *(str(bad.folder / n) for n in names), "--out", str(out),
                      "--llm", "openai", "--model", "stub", "-q", "--no-review", env=env)
    text = run.stdout + run.stderr
    assert "Traceback" not in text and run.returncode == 1, text[-3000:]
    record = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert record["record"]["document"] == "good.txt" and record["record"]["warnings"] == []
    damaged = json.loads((out / "truncated.json").read_text(encoding="utf-8"))["record"]["warnings"]
    assert any(w.startswith("page 2: damaged") for w in damaged), damaged  # the record says which page
    for name in ("truncated-sample", "loop", "binary"):
        assert not (out / f"{name}.json").exists()
        assert name in text


def test_quiet_parse_of_a_blank_scan_prints_no_stray_ocr_warnings(tmp_path):
    """RapidOCR logs "The text detection result is empty" as a WARNING; under -q only our own lines may show,
    and the empty page is named in the Document's warnings instead."""
    import cv2
    import numpy as np
    import pymupdf

    blank = np.full((600, 420), 255, np.uint8)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=cv2.imencode(".png", blank)[1].tobytes())
    path = tmp_path / "blank-scan.pdf"
    doc.save(path)
    out = tmp_path / "blank.json"
    run = juesuan("parse", "-q", "--json", str(out), str(path),
                  env={**os.environ, "JUESUAN_CACHE_DIR": str(tmp_path / "cache")})
    assert run.returncode == 0 and run.stderr == "" and run.stdout == "", run.stderr
    warnings = json.loads(out.read_text(encoding="utf-8"))["warnings"]
    assert warnings == ["page 1: scanned, but no text was recognised in its image"]
