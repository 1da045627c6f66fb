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
from pipeline.record.model import ClassRow, GeneralBudget, Income, Record, Summary
from pipeline.record.tables import StandardTable, TableRow
from pipeline.review.page import EXTRACTION_COLOUR, OK_COLOUR, SOURCE_COLOUR, review_html, write_review
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


# code, name, 合计, 基本支出, 项目支出: each row splits right; the classes (10.50) do not add up to the total (12.00)
TABLE_ROWS = [("201", "一般公共服务支出", "10.50", "6.00", "4.50"), ("", "合计", "12.00", "7.50", "4.50")]
COLUMNS = ("total", "basic", "project")


def make_pdf(path: Path) -> dict[str, tuple[float, float, float, float]]:
    """A report: the narrative on page 1, a small T5 on page 2; returns the box (PDF points) of each number."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="um", fontfile=FONT)
    for i, text in enumerate(LINES):
        page.insert_text((60, 90 + 40 * i), text, fontname="um", fontsize=14)
    boxes = {q: tuple(page.search_for(q)[0]) for q in ("770.43万元", "544.24万元")}
    table = doc.new_page(width=595, height=842)
    table.insert_font(fontname="um", fontfile=FONT)
    table.insert_text((60, 90), "一般公共预算财政拨款支出决算表", fontname="um", fontsize=14)
    for i, (code, name, *amounts) in enumerate(TABLE_ROWS):
        y = 300 + 40 * i
        for x, text in ((60, code), (120, name), *zip((360, 440, 520), amounts, strict=True)):
            if text:
                table.insert_text((x, y), text, fontname="um", fontsize=12)
        for amount in amounts:
            boxes[amount] = next(tuple(r) for r in table.search_for(amount) if abs(r.y1 - y) < 8)
    doc.save(path)
    return boxes


def make_output(boxes: dict) -> dict:
    """A record file's JSON: summary.total fine, income.total in an extraction error, T5's classes not adding
    up to its total (the report's own error, v2), a refused number, a damaged-page warning."""
    cells = {
        key: {column: figure(amount, amount, page=2, bbox=boxes[amount], kind="table", table="T5", column=column,
                             row_text=" ".join(t for t in (code, name, *amounts) if t))
              for column, amount in zip(COLUMNS, amounts, strict=True)}
        for (code, name, *amounts), key in zip(TABLE_ROWS, ("201", "total"), strict=True)
    }  # fmt: skip
    t5 = StandardTable(id="T5", pages=[2], rows=[
        TableRow(key="201", label="201 一般公共服务支出", code="201", name="一般公共服务支出", values=cells["201"]),
        TableRow(key="total", label="合计", values=cells["total"]),
    ])  # fmt: skip
    record = Record(
        document="r.pdf",
        department="上海市某某区文化旅游局",
        fiscal_year=2024,
        report_type="final_accounts",
        summary=Summary(total=figure("770.43", "收入、支出总计均为770.43万元", page=1, bbox=boxes["770.43万元"])),
        income=Income(total=figure("554.24", "本年收入合计544.24万元", page=1, bbox=boxes["544.24万元"])),
        general_budget=GeneralBudget(by_class=[ClassRow(code="201", name="一般公共服务支出", amount=cells["201"]["total"])]),
        tables={"T5": t5},
    )
    ours = Violation(
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
    theirs = Violation(
        rule="T5.class_sum", title_zh="各类之和等于合计", title_en="classes add up to the total", subject="T5",
        severity="error", cls="source", expected="12.00", found="10.50", difference="-1.50",
        fields=[Involved(path="T5[201].total", value="10.50", grounded=True, quote="10.50", page=2),
                Involved(path="T5[total].total", value="12.00", grounded=True, quote="12.00", page=2)],
    )  # fmt: skip
    report = ValidationReport(grounded_document=True, violations=[theirs, ours], figures=3)
    return {
        "document": "r.pdf",
        "sha256": "0" * 64,
        "record": record.model_dump(mode="json"),
        "status": "unresolved",
        "validation": report.model_dump(mode="json"),
        "ledger": {"calls": 2, "stage_seconds": {"ocr": 0.1}},
        "errors": [],
        "rejected": [{"part": "income", "path": "income.other", "label": "其他收入", "value": "9.99",
                      "quote": "其他收入9.99万元", "reason": "原文中找不到这段引文"}],
        "warnings": ["第 3 页已损坏：MuPDF 修复了文件，该页没有读出文字"],
    }


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    boxes = make_pdf(folder / "r.pdf")
    out = folder / "out"
    html = write_review(out, "r", folder / "r.pdf", make_output(boxes))
    return html, boxes


def _box(text: str, anchor: str) -> str:
    return re.search(rf'<a class="box[^>]*id="{re.escape(anchor)}"[^>]*>', text).group(0)


def test_page_has_images_boxes_and_violations(page):
    html, boxes = page
    text = html.read_text(encoding="utf-8")
    assert (html.parent / "r_pages" / "p001.jpg").stat().st_size > 1000
    assert 'src="r_pages/p001.jpg"' in text  # relative: opens from disk, no server
    # every number read has a box: 3 record figures (by_class[201] is the T5 cell) and the 6 T5 cells
    assert text.count('<a class="box') == 9
    x0, y0, x1, y1 = boxes["770.43万元"]
    assert f"left: {100 * x0 / 595:.3f}%; top: {100 * y0 / 842:.3f}%" in text
    assert "http://" not in text and "https://" not in text
    # no label is drawn over the page: the Chinese label is the box's tooltip and a row of the side list
    assert "<span>" not in re.search(r'<main class="pages">.*</main>', text, re.S).group(0)
    assert 'title="收支总计 = 770.43 万元' in text

    # v1 is ours (extraction) and comes first; it links to its box, and the box links back to it
    v1 = re.search(r'<div class="violation" id="v1".*?</table>', text, re.S).group(0)
    fid = re.search(r'href="#box-(f\d+)">本年收入合计</a>', v1).group(1)
    assert "本年收入合计544.24万元" in v1 and 'href="#v2"' in v1  # its quote, and the step to the next issue
    box = _box(text, f"box-{fid}")
    assert f"--c: {EXTRACTION_COLOUR}" in box and 'href="#v1"' in box and 'data-v="v1"' in box

    # v2 is the report's own error about two T5 cells on page 2: both are boxed, in the source colour
    v2 = re.search(r'<div class="violation" id="v2".*?</table>', text, re.S).group(0)
    assert 'data-boxes="box-c-T5-201_total box-c-T5-total_total"' in v2
    for anchor in ("box-c-T5-201_total", "box-c-T5-total_total"):
        assert f'href="#{anchor}"' in v2
        assert f"--c: {SOURCE_COLOUR}" in _box(text, anchor) and 'href="#v2"' in _box(text, anchor)

    # the panels: refused numbers with the reason, contract fields left empty, the document's warnings
    refused = re.search(r'id="refused".*?</table>', text, re.S).group(0)
    assert "其他收入" in refused and "9.99" in refused and "原文中找不到这段引文" in refused
    empty = re.search(r'<details id="empty">.*?</details>', text, re.S).group(0)
    assert "本年支出合计" in empty and "expenditure.total" in empty and "income.total" not in empty
    assert "第 3 页已损坏" in text
    for word in ("记录中的字段", "表格单元格", "我们读错", "报告自身不一致", "同一数字的其他出处"):
        assert word in re.search(r'id="legend".*?</span>\s*</span>', text, re.S).group(0)
    assert 'id="next-issue"' in text and 'id="prev-issue"' in text


def test_text_report_shows_quoted_lines(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text("标题\n2024年度收入、支出总计均为770.43万元。\n", encoding="utf-8")
    rec = Record(summary=Summary(total=figure("770.43", "收入、支出总计均为770.43万元", line=2)))
    out = {"record": rec.model_dump(mode="json"), "status": "reconciled", "validation": {}}
    text = write_review(tmp_path / "out", "r", src, out).read_text(encoding="utf-8")
    assert 'class="hit" id="box-f1"' in text and "r_pages" not in text


def test_inline_page_is_one_self_contained_file(tmp_path):
    boxes = make_pdf(tmp_path / "r.pdf")
    text = review_html("r", tmp_path / "r.pdf", make_output(boxes))
    assert text.count('src="data:image/jpeg;base64,') == 2 and "r_pages" not in text
    assert not (tmp_path / "r_pages").exists()


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


def _screenshot(url: str, shot: Path, profile: Path, height: int = 1000) -> np.ndarray:
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", f"--screenshot={shot}", f"--window-size=1400,{height}",
            "--hide-scrollbars", "--virtual-time-budget=3000", url,
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return np.asarray(Image.open(shot).convert("RGB"))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _rects(mask: np.ndarray, min_side: int = 6) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of outlines of one colour, taken band by band from the top."""
    out = []
    for y0, y1 in _runs(mask.any(axis=1)):
        for x0, x1 in _runs(mask[y0:y1].any(axis=0)):
            if y1 - y0 >= min_side and x1 - x0 >= min_side:
                out.append((int(x0), int(y0), int(x1), int(y1)))
    return out


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),  # CI installs it: there a missing browser fails
    reason="needs Debian's chromium (apt-get install -y chromium)",
)


@needs_chromium
def test_boxes_drawn_on_page_image_in_chromium(page, tmp_path):
    html, boxes = page
    img = _screenshot(html.resolve().as_uri(), tmp_path / "shot.png", tmp_path / "profile")
    left, top, right, bottom = _page_rect(img)
    width = right - left
    assert width > 500, (left, top, right, bottom)
    scale = width / 595  # CSS pixels per PDF point on the displayed page
    for quote, colour in (("770.43万元", OK_COLOUR), ("544.24万元", EXTRACTION_COLOUR)):
        mask = _colour_mask(img, colour)
        x0, y0, x1, y1 = (left + boxes[quote][0] * scale, top + boxes[quote][1] * scale,
                          left + boxes[quote][2] * scale, top + boxes[quote][3] * scale)  # fmt: skip
        inside = mask[int(y0) - 4 : int(y1) + 5, int(x0) - 4 : int(x1) + 5]
        assert inside.sum() > 2 * (x1 - x0), f"no {colour} box around {quote}"
        # the four edges: a column of box colour at the left edge, a row at the top edge
        assert mask[int(y0) + 2 : int(y1) - 1, int(x0) - 4 : int(x0) + 4].any(axis=1).mean() > 0.8
        assert mask[int(y0) - 4 : int(y0) + 4, int(x0) + 2 : int(x1) - 1].any(axis=0).mean() > 0.8
        # the digits inside the box are not covered: dark text pixels remain inside it
        digits = img[int(y0) + 3 : int(y1) - 2, int(x0) + 3 : int(x1) - 3]
        assert (digits.max(axis=2) < 100).sum() > 20, f"the digits of {quote} are covered"


@needs_chromium
def test_violation_link_shows_its_figures_boxed_on_their_page_in_chromium(page, tmp_path):
    """Open the page at the report's own error (v2, two T5 cells on page 2): both cells are boxed on page 2
    in the source colour, and highlighted as the current issue's figures."""
    html, boxes = page
    img = _screenshot(html.resolve().as_uri() + "#v2", tmp_path / "shot.png", tmp_path / "profile", height=2600)
    left, _, right, _ = _page_rect(img)
    scale = (right - left) / 595
    white = (img[:, left:right] >= 245).all(axis=2).mean(axis=1) > 0.6
    pages = [(y0, y1) for y0, y1 in _runs(white) if y1 - y0 > 500]
    assert len(pages) == 2, pages  # both page images are in the shot, one under the other
    top, bottom = pages[1]
    found = _rects(_colour_mask(img, SOURCE_COLOUR)[top:bottom, left:right])
    assert len(found) == 2, found  # page 2: exactly the violation's two cells
    a, b = (boxes[total] for _, _, total, *_ in TABLE_ROWS)
    ra, rb = found[:2]
    for rect, bbox in ((ra, a), (rb, b)):
        # each outline sits at its cell's x position and has its cell's size (the 3 px border around it)
        assert abs(rect[0] - bbox[0] * scale) < 8 and abs((rect[2] - rect[0]) - (bbox[2] - bbox[0]) * scale) < 10
        assert abs((rect[3] - rect[1]) - (bbox[3] - bbox[1]) * scale) < 10
    assert abs((rb[1] - ra[1]) - (b[1] - a[1]) * scale) < 6  # one row apart, as printed
    # the current issue's boxes carry the yellow highlight (the page's script ran and found them)
    yellow = _colour_mask(img, "#ffd400")[top:bottom, left:right]
    assert yellow[ra[1] - 8 : ra[3] + 8, ra[0] - 8 : ra[2] + 8].sum() > 20


def test_the_reports_other_statement_of_a_figure_is_boxed_too(tmp_path):
    from pipeline.record.figure import Alternate, Source

    boxes = make_pdf(tmp_path / "r.pdf")
    output = make_output(boxes)
    record = Record.model_validate(output["record"])
    record.summary.total.alternates.append(
        Alternate(value="544.24", sources=[Source(page=1, quote="本年收入合计544.24万元", bbox=boxes["544.24万元"])])
    )
    output["record"] = record.model_dump(mode="json")
    text = write_review(tmp_path / "out", "r", tmp_path / "r.pdf", output).read_text(encoding="utf-8")
    alt = _box(text, "box-f1-1")
    assert 'class="box alt' in alt and "（报告此处写作 544.24）" in alt
