"""Generate sample reports: model → blocks → pages → scanned image-only PDF, plus gold and ground truth.

``build_sample`` stops before pixels (fast: the gold and truth are known after layout), ``scan_pages``
draws and degrades; ``generate_samples`` does both and writes the files. Everything is drawn from
generators seeded by (seed, sample index[, page]), so the same seed gives byte-identical files.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.files import atomic_write_text
from pipeline.samples import catalog as cat
from pipeline.samples import degrade
from pipeline.samples.compose import compose
from pipeline.samples.flow import Flow, Style
from pipeline.samples.fonts import Fonts
from pipeline.samples.gold import build_gold, build_truth
from pipeline.samples.look import TableLook, look_for
from pipeline.samples.model import Report, build_report
from pipeline.samples.pdf import write_pdf
from pipeline.samples.planted import kinds_for, plant
from pipeline.samples.render import draw_page

# 150 dpi, a common office-scanner setting: at 200 dpi these dense pages cost ~1.6x the bytes (~150 KB a page),
# too much for a committed sample set; OCR still reads every table figure at 150 dpi (tests check it).
DPI = 150


@dataclass
class Sample:
    index: int
    stem: str
    report: Report
    flow: Flow
    fonts: Fonts
    gold: dict[str, Any]
    scan: degrade.ScanLook
    seed: int
    look: TableLook

    @property
    def pdf_name(self) -> str:
        return f"{self.stem}.pdf"

    @property
    def title(self) -> str:
        """The PDF's title metadata."""
        return f"{self.report.name}{cat.YEAR}年度部门决算"


def _assignment(index: int, seed: int) -> tuple[cat.DeptDef, tuple[str, str]]:
    """Departments and districts are dealt from seeded shuffles, so a batch has no repeats."""
    master = random.Random(f"juesuan-samples/{seed}")
    depts = master.sample(cat.DEPARTMENTS, len(cat.DEPARTMENTS))
    districts = master.sample(cat.DISTRICTS, len(cat.DISTRICTS))
    return depts[(index - 1) % len(depts)], districts[(index - 1) % len(districts)]


def _style(rng: random.Random) -> Style:
    return Style(
        heading_face=rng.choice(["hei", "kai"]),
        body_size=rng.choice([11.0, 11.5, 12.0]),
        line_factor=rng.choice([1.45, 1.5, 1.55]),
        margin_x=rng.uniform(58, 70),
        table_size=rng.choice([9.5, 10.0]),
        row_height=rng.choice([18.0, 19.0, 20.0]),
    )


def build_sample(index: int, seed: int) -> Sample:
    """Model, plant errors, compose and lay out sample ``index`` (1-based); no pixels yet."""
    rng = random.Random(f"juesuan-samples/{seed}/{index}")
    dept, district = _assignment(index, seed)
    report = build_report(index, rng, dept, district)
    look = look_for(index, rng)
    plant(report, kinds_for(index, rng), rng, look)
    fonts = Fonts(DPI)
    flow = Flow(fonts, _style(rng))
    flow.run(compose(report, look, rng))
    stem = f"sample-{index:02d}-{report.slug}"
    gold = build_gold(report, f"{stem}.pdf", flow.stmts)
    scan = degrade.choose_look(np.random.default_rng([seed, index]))
    return Sample(index, stem, report, flow, fonts, gold, scan, seed, look)


def scan_pages(sample: Sample) -> tuple[list[tuple[bytes, float, float]], list[float]]:
    """Draw and degrade every page: (jpeg, width pt, height pt) per page, and the skew of each."""
    pages, skews = [], []
    for page in sample.flow.pages:
        rng = np.random.default_rng([sample.seed, sample.index, page.number])
        jpeg, angle = degrade.scan(draw_page(page, sample.fonts), sample.scan, rng, DPI)
        pages.append((jpeg, *page.size))
        skews.append(angle)
    return pages, skews


def write_sample(sample: Sample, out_dir: Path, gold_dir: Path) -> list[Path]:
    """Scan ``sample`` (of either kind: a ``budget.BudgetSample`` too) and write its PDF (titled by the sample),
    gold and truth."""
    pages, skews = scan_pages(sample)
    out_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / sample.pdf_name
    write_pdf(pdf, pages, title=sample.title)
    gold_path = gold_dir / f"{sample.stem}.json"
    _write_json(gold_path, sample.gold)
    truth_path = gold_dir / f"{sample.stem}.truth.json"
    _write_json(truth_path, build_truth(sample.pdf_name, DPI, sample.flow.pages, skews, sample.flow.tables))
    return [pdf, gold_path, truth_path]


REPORT_TYPES = ("final_accounts", "budget")


def generate_samples(out_dir: Path, gold_dir: Path, count: int, seed: int,
                     report_type: str = "final_accounts") -> list[Path]:  # fmt: skip
    """Write ``count`` scanned sample reports of ``report_type`` (部门决算 ``final_accounts`` or 部门预算
    ``budget``) into ``out_dir`` and their gold + truth into ``gold_dir``."""
    if report_type not in REPORT_TYPES:
        raise ValueError(f"unknown report type {report_type!r}: samples are made for {', '.join(REPORT_TYPES)}")
    build: Callable[[int, int], Any] = build_sample
    if report_type == "budget":
        from pipeline.samples.budget import build_budget_sample

        build = build_budget_sample
    written: list[Path] = []
    for index in range(1, count + 1):
        written += write_sample(build(index, seed), Path(out_dir), Path(gold_dir))
    return written


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
