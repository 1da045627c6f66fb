"""Plain-text reports (.txt / .md): one geometry-free page, markers stripped, every line traceable."""

from __future__ import annotations

import re

from conftest import SEEDS

from pipeline.config import Settings
from pipeline.document import PageKind
from pipeline.ingest import ingest
from pipeline.ocr.normalize import normalize_text

SEED = SEEDS / "xiqu-panzhihua-2024-final.txt"


def test_seed_report_lines_keep_their_line_numbers(tmp_path):
    doc = ingest(SEED, Settings(cache_dir=tmp_path)).document
    assert len(doc.pages) == 1
    page = doc.pages[0]
    assert (page.kind, page.width, page.height, page.image) == (PageKind.NONE, 0, 0, None)
    source = SEED.read_text(encoding="utf-8-sig").splitlines()
    assert len(page.lines) == sum(1 for s in source if re.sub(r"\[(bookmark|image):[^\]]*\]", "", s).strip())
    for line in page.lines:
        assert line.source == "plain" and line.bbox == (0, 0, 0, 0)
        assert "[bookmark" not in line.text and "[image" not in line.text
        raw = re.sub(r"\[(?:bookmark|image):[^\]]*\]", "", source[line.source_line - 1])
        assert line.text == normalize_text(raw)


def test_markers_are_stripped_from_known_lines(tmp_path):
    lines = ingest(SEED, Settings(cache_dir=tmp_path)).document.pages[0].lines
    by_number = {ln.source_line: ln.text for ln in lines}
    assert by_number[3] == "一、部门职责"  # "[bookmark: _Toc15396600][bookmark: _Toc15377197]一、部门职责"
    assert by_number[1] == "第一部分 部门概况"
    image_only = [
        i for i, s in enumerate(SEED.read_text(encoding="utf-8").splitlines(), 1) if s.strip() == "[image: ]"
    ]
    assert image_only and not set(image_only) & set(by_number)
    assert any("770.43万元" in t for t in by_number.values())


def test_gb18030_and_bom_files_are_decoded(tmp_path):
    text = "一、收入决算情况说明\n\n本年收入合计５４４．２４万元。\n"
    gb = tmp_path / "gb.txt"
    gb.write_bytes(text.encode("gb18030"))
    bom = tmp_path / "bom.md"
    bom.write_bytes(text.encode("utf-8-sig"))
    for path in (gb, bom):
        lines = ingest(path, Settings(cache_dir=tmp_path)).document.pages[0].lines
        assert [(ln.source_line, ln.text) for ln in lines] == [
            (1, "一、收入决算情况说明"),
            (3, "本年收入合计544.24万元。"),
        ]
