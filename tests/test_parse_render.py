"""`juesuan parse`: parse_path with a progress console, and what print_document shows."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from conftest import SHARED
from rich.console import Console

from pipeline.config import Settings
from pipeline.parse import parse_path
from pipeline.render import print_document

SEED = (SHARED / "seeds/xiqu-panzhihua-2024-final.txt")


@pytest.fixture()
def table_pdf(tmp_path: Path) -> Path:
    doc = pymupdf.open()
    for n in range(2):
        page = doc.new_page()
        page.insert_text((220, 70), "收入支出决算总表" if n == 0 else "支出决算表", fontname="china-s", fontsize=14)
        page.insert_text((450, 92), "单位：万元", fontname="china-s", fontsize=10)
        for r in range(3):
            for c in range(2):
                rect = pymupdf.Rect(72 + 150 * c, 100 + 24 * r, 222 + 150 * c, 124 + 24 * r)
                page.draw_rect(rect, width=0.6)
                text = ["项目", "决算数"][c] if r == 0 else (f"收入{r}" if c == 0 else f"{r}.00")
                page.insert_text((rect.x0 + 4, rect.y0 + 17), text, fontname="china-s", fontsize=10)
    path = tmp_path / "table.pdf"
    doc.save(path)
    return path


def _render(doc) -> str:
    console = Console(file=io.StringIO(), width=140, force_terminal=False, color_system=None)
    print_document(doc, console)
    return console.file.getvalue()


def test_render_pages_sections_tables(table_pdf, tmp_path):
    progress = Console(file=io.StringIO(), width=100, force_terminal=True)
    doc = parse_path(table_pdf, Settings(cache_dir=tmp_path / "cache"), progress=progress)
    out = _render(doc)
    assert "2 page(s) (2 text)" in out
    assert "1:text  2:text" in out
    assert "收入支出决算总表 (p1)" in out  # the section tree
    assert "T1 p1-t1 · 收入支出决算总表 · p1 · 3×2 · 1 header row(s), 万元" in out
    assert "T3 p2-t1 · 支出决算表 · p2" in out
    assert "收入1" in out and "1.00" in out  # the table's first rows


@pytest.mark.skipif(not SEED.exists(), reason="seeds not mounted")
def test_render_plain_text_sections_by_line(tmp_path):
    doc = parse_path(SEED, Settings(cache_dir=tmp_path / "cache"))
    out = _render(doc)
    assert "1 page(s) (1 none)" in out
    assert "二 收入决算情况说明 (line 25)" in out
    assert "no tables found" in out
