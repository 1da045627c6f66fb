"""The 部门预算 (budget) template of the sample generator: a seeded budget model (``budget_model``), its text
(``budget_narrative``) and its nine tables (``budget_tables``) composed in the Putuo reports' order, laid out,
drawn and scanned by the same machinery as the 决算 samples (``generate``), with a gold in the budget's paths
(``budget_gold``) and the same per-page ground truth.

``build_budget_sample(index, seed)`` is the budget's ``generate.build_sample``; ``generate_samples(...,
report_type="budget")`` (``juesuan samples --report-type budget``) writes them. The budget's random streams are
its own ("juesuan-samples/budget/…"), so adding it changed no 决算 sample; the department and district of
budget ``n`` are those of 决算 sample ``n`` of the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from pipeline.samples import degrade
from pipeline.samples.blocks import Block
from pipeline.samples.budget_gold import build_budget_gold
from pipeline.samples.budget_model import BudgetReport, build_budget, kinds_for, plant
from pipeline.samples.budget_narrative import (
    contents,
    cover,
    duties,
    explanation,
    glossary,
    organisation,
    other_matters,
)
from pipeline.samples.budget_tables import BudgetLook, all_tables
from pipeline.samples.flow import Flow
from pipeline.samples.fonts import Fonts
from pipeline.samples.generate import DPI, Sample, _assignment, _style


def choose_look(index: int, rng: random.Random) -> BudgetLook:
    """Budget 1 prints as the Putuo reports do; later ones vary the code columns, zeros, alignment and titles."""
    drawn = BudgetLook(
        codes=rng.choice(["split", "split", "column"]),
        short_codes=rng.random() < 0.7,
        zeros=rng.choice(["0", ""]),
        num_align=rng.choice(["l", "r"]),
        total_first=rng.random() < 0.3,
        year_titles=rng.random() < 0.85,
        b9_year=rng.random() < 0.6,
    )
    return BudgetLook() if index == 1 else drawn


def compose(r: BudgetReport, look: BudgetLook) -> list[Block]:
    """Cover, 目录, 主要职能 and 机构设置, 名词解释, 编制说明, the nine tables, 其他相关情况说明."""
    blocks: list[Block] = []
    blocks += cover(r)
    blocks += contents(r, look)
    blocks += duties(r)
    blocks += organisation(r)
    blocks += glossary()
    blocks += explanation(r)
    blocks += all_tables(r, look)
    blocks += other_matters(r)
    return blocks


@dataclass
class BudgetSample(Sample):
    """A budget sample: ``report`` is a ``BudgetReport``, ``look`` a ``BudgetLook``."""

    @property
    def title(self) -> str:
        return f"{self.report.name}{self.report.year}年部门预算"


def build_budget_sample(index: int, seed: int) -> BudgetSample:
    """Model, plant errors, compose and lay out budget sample ``index`` (1-based); no pixels yet."""
    rng = random.Random(f"juesuan-samples/budget/{seed}/{index}")
    dept, district = _assignment(index, seed)
    report = build_budget(index, rng, dept, district)
    look = choose_look(index, rng)
    plant(report, kinds_for(index, rng), rng)
    fonts = Fonts(DPI)
    flow = Flow(fonts, _style(rng))
    flow.run(compose(report, look))
    stem = f"budget-{index:02d}-{report.slug}"
    gold = build_budget_gold(report, f"{stem}.pdf", flow.stmts)
    scan = degrade.choose_look(np.random.default_rng([seed, index, 2]))
    return BudgetSample(index, stem, report, flow, fonts, gold, scan, seed, look)  # type: ignore[arg-type]
