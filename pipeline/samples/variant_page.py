"""A few tables of a sample report alone on their pages, in any layout the plan allows: for tests that hold
the table reader to each layout variant.

``variant_page`` lays the chosen tables of a seeded, clean report out as the plan (``TableLook``) says and
writes them as a born-digital PDF (a text layer; ruled, three-line or borderless), a scanned image-only PDF
(drawn and degraded as the samples are), or a text file whose columns are aligned by tabs or spaces. It
returns the gold those pages state (the samples' gold format) beside the report they print, so a test can
compare what the reader makes of the pages with exact typed values.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.samples import catalog as cat
from pipeline.samples import degrade
from pipeline.samples.compose import table
from pipeline.samples.flow import Flow, Style, TableTruth
from pipeline.samples.fonts import Fonts
from pipeline.samples.generate import DPI
from pipeline.samples.gold import build_gold
from pipeline.samples.look import TableLook
from pipeline.samples.model import Report, build_report
from pipeline.samples.pdf import write_pdf, write_text_pdf
from pipeline.samples.plain import table_lines
from pipeline.samples.render import draw_page

FORMS = ("digital", "scan", "text", "text_tabs")


@dataclass
class VariantPage:
    path: Path
    report: Report
    look: TableLook
    gold: dict[str, Any]
    tables: list[TableTruth]
    pages: int

    @property
    def fields(self) -> dict[str, Any]:
        """The figures these pages state, by contract path (identity fields left out)."""
        skip = {"department", "fiscal_year", "report_type", "unit"}
        return {k: v for k, v in self.gold["fields"].items() if k not in skip and v not in ([], None)}


def department(slug: str) -> cat.DeptDef:
    return next(d for d in cat.DEPARTMENTS if d.slug == slug)


def variant_page(out_dir: Path, tables: Sequence[str], form: str = "digital", dept: str = "guoziwei",
                 seed: int = 1, **choices: Any) -> VariantPage:  # fmt: skip
    """Write ``tables`` (ids of ``look.TITLES``, each from a new page) of department ``dept``'s report in
    layout ``choices`` (``TableLook`` fields) as ``form`` (``FORMS``) into ``out_dir``."""
    if form not in FORMS:
        raise ValueError(f"form {form!r}: one of {', '.join(FORMS)}")
    look = TableLook(**choices)
    rng = random.Random(f"juesuan-variant/{seed}/{dept}")
    report = build_report(1, rng, department(dept), cat.DISTRICTS[seed % len(cat.DISTRICTS)])
    fonts = Fonts(DPI)
    flow = Flow(fonts, Style())
    order = look.order_of_tables()
    flow.run([table(report, look, tid, order.index(tid) + 1) for tid in tables])
    stem = "-".join(tables) + f"-{form}"
    out_dir.mkdir(parents=True, exist_ok=True)
    if form.startswith("text"):
        path = out_dir / f"{stem}.txt"
        lines: list[str] = []
        dept_line = f"编制单位：{report.name}" if look.dept_line else None
        for t in flow.tables:
            lines += table_lines(t, dept_line, "tabs" if form == "text_tabs" else "spaces") + [""]
        path.write_text("\n".join(lines), encoding="utf-8")
    elif form == "digital":
        path = out_dir / f"{stem}.pdf"
        write_text_pdf(path, flow.pages, title=report.name)
    else:
        path = out_dir / f"{stem}.pdf"
        scan = degrade.choose_look(np.random.default_rng([seed]))
        images = []
        for page in flow.pages:
            jpeg, _ = degrade.scan(draw_page(page, fonts), scan, np.random.default_rng([seed, page.number]), DPI)
            images.append((jpeg, *page.size))
        write_pdf(path, images, title=report.name)
    gold = build_gold(report, path.name, flow.stmts)
    return VariantPage(path, report, look, gold, flow.tables, len(flow.pages))
