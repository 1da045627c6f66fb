"""The review page: boxes where the figures are, violations with their figures, and a real browser's view.

The record is built by hand on a born-digital page (so the expected box positions are known exactly); the
screenshot test renders the page in headless Chromium and finds the box borders at those positions on the
page image.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from pipeline.record.figure import figure
from pipeline.record.model import Income, Record, Summary
from pipeline.review.page import EXTRACTION_COLOUR, OK_COLOUR, write_review
from pipeline.validate.report import Involved, ValidationReport, Violation

FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
LINES = [
    "上海市某某区文化旅游局 2024年度部门决算",
    "一、收入支出决算总体情况说明",
    "2024年度收入、支出总计均为770.43万元。",
    "二、收入决算情况说明",
    "2024年度本年收入合计544.24万元。",
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def make_pdf(path: Path) -> dict[str, tuple[float, float, float, float]]:
    """A one-page report; returns the box (PDF points) of each quoted number."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="um", fontfile=FONT)
    for i, text in enumerate(LINES):
        page.insert_text((60, 90 + 40 * i), text, fontname="um", fontsize=14)
    boxes = {q: tuple(page.search_for(q)[0]) for q in ("770.43万元", "544.24万元")}
    doc.save(path)
    return boxes


def make_output(boxes: dict) -> dict:
    """A record file's JSON: summary.total fine, income.total in an extraction error."""
    record = Record(
        document="r.pdf",
        department="上海市某某区文化旅游局",
        fiscal_year=2024,
        report_type="final_accounts",
        summary=Summary(total=figure("770.43", "收入、支出总计均为770.43万元", page=1, bbox=boxes["770.43万元"])),
        income=Income(total=figure("554.24", "本年收入合计544.24万元", page=1, bbox=boxes["544.24万元"])),
    )
    violation = Violation(
        rule="G.quote_value",
        title_zh="数值与原文不符",
        title_en="value not in its quote",
        subject="income.total",
        severity="error",
        cls="extraction",
        fields=[Involved(path="income.total", value="554.24", grounded=False, quote="本年收入合计544.24万元", page=1)],
        expected="544.24",
        found="554.24",
    )
    report = ValidationReport(grounded_document=True, violations=[violation], figures=2)
    return {
        "document": "r.pdf",
        "sha256": "0" * 64,
        "record": record.model_dump(mode="json"),
        "status": "unresolved",
        "validation": report.model_dump(mode="json"),
        "ledger": {"calls": 2, "stage_seconds": {"ocr": 0.1}},
        "errors": [],
    }


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    boxes = make_pdf(folder / "r.pdf")
    out = folder / "out"
    html = write_review(out, "r", folder / "r.pdf", make_output(boxes))
    return html, boxes


def test_page_has_images_boxes_and_violations(page):
    html, boxes = page
    text = html.read_text(encoding="utf-8")
    assert (html.parent / "r_pages" / "p001.jpg").stat().st_size > 1000
    assert 'src="r_pages/p001.jpg"' in text  # relative: opens from disk, no server
    assert text.count('class="box') == 2
    x0, y0, x1, y1 = boxes["770.43万元"]
    assert f"left: {100 * x0 / 595:.3f}%; top: {100 * y0 / 842:.3f}%" in text
    assert "summary.total = 770.43" in text
    # the violation lists its figure with its quote and links to its box, which is drawn in the error colour
    fid = re.search(r'id="box-(f\d+)"[^>]*title="income.total', text).group(1)
    assert f'href="#box-{fid}">income.total</a>' in text
    assert "本年收入合计544.24万元" in text
    assert f"--c: {EXTRACTION_COLOUR}" in text
    assert "http://" not in text and "https://" not in text


def test_text_report_shows_quoted_lines(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text("标题\n2024年度收入、支出总计均为770.43万元。\n", encoding="utf-8")
    rec = Record(summary=Summary(total=figure("770.43", "收入、支出总计均为770.43万元", line=2)))
    out = {"record": rec.model_dump(mode="json"), "status": "reconciled", "validation": {}}
    text = write_review(tmp_path / "out", "r", src, out).read_text(encoding="utf-8")
    assert 'class="hit" id="box-f1"' in text and "r_pages" not in text


def _colour_mask(img: np.ndarray, hex_colour: str, tol: int = 60) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=int)
    return np.abs(img[:, :, :3].astype(int) - rgb).sum(axis=2) < tol


def _page_rect(img: np.ndarray, probe_x: int = 400) -> tuple[int, int, int, int]:
    """The page image in the screenshot: the longest run of white rows, and the white columns around probe_x."""
    white = (img[:, :, :3] >= 245).all(axis=2)
    rows = white[:, : 2 * probe_x].mean(axis=1) > 0.6
    best, start = (0, 0), None
    for y, on in enumerate([*rows, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            best = max(best, (y - start, start), key=lambda r: r[0])
            start = None
    height, top = best
    cols = white[top : top + height].mean(axis=0) > 0.6
    left = right = probe_x
    while left > 0 and cols[left - 1]:
        left -= 1
    while right < len(cols) and cols[right]:
        right += 1
    return left, top, right, top + height


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),  # CI installs it: there a missing browser fails
    reason="needs Debian's chromium (apt-get install -y chromium)",
)
def test_boxes_drawn_on_page_image_in_chromium(page, tmp_path):
    html, boxes = page
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1400,1000",
            "--hide-scrollbars", html.resolve().as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    img = np.asarray(Image.open(shot).convert("RGB"))
    left, top, right, bottom = _page_rect(img)
    width = right - left
    assert width > 500, (left, top, right, bottom)
    scale = width / 595  # CSS pixels per PDF point on the displayed page
    for quote, colour in (("770.43万元", OK_COLOUR), ("544.24万元", EXTRACTION_COLOUR)):
        mask = _colour_mask(img, colour)
        x0, y0, x1, y1 = (left + boxes[quote][0] * scale, top + boxes[quote][1] * scale,
                          left + boxes[quote][2] * scale, top + boxes[quote][3] * scale)  # fmt: skip
        inside = mask[int(y0) - 3 : int(y1) + 4, int(x0) - 3 : int(x1) + 4]
        assert inside.sum() > 2 * (x1 - x0), f"no {colour} box around {quote}"
        # the four edges: a column of box colour at the left edge, a row at the top edge
        assert mask[int(y0) + 2 : int(y1) - 1, int(x0) - 3 : int(x0) + 4].any(axis=1).mean() > 0.8
        assert mask[int(y0) - 3 : int(y0) + 4, int(x0) + 2 : int(x1) - 1].any(axis=0).mean() > 0.8
        # and the colour is on the page image, not only in the legend above it
        assert mask[top:bottom, left:right].sum() >= inside.sum()
