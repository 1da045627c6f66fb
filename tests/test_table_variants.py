"""Every table layout of issue 11 read by the real parse and table reader, to the exact typed values.

Each case lays a few tables of a seeded report out in one layout variant (``samples.variant_page``): codes in
a column, split over 类 | 款 | 项, or in the name cell, with or without the parent's prefix; wrapped names;
T7 merged or by rows; T4's fund columns; T6 in two or three panels or a list; title prefixes and numbers;
元, 千元 and thousands separators; the national order; continued tables with and without a repeated
header; borderless and three-line tables; tab- and space-aligned text. The pages go through
``parse_path`` (scans through real RapidOCR, OCR cached for the session), ``tables_from_document``,
``table_fields`` and ``t5_lists``. Asserted: every figure the gold says the pages state, and every value
cell of the rows the tables print (all rows read, each in its own column), in 万元.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Settings
from pipeline.extract.tables import cell, t5_lists, table_fields
from pipeline.parse import parse_path
from pipeline.record.table_build import tables_from_document
from pipeline.record.tables import StandardTable
from pipeline.reports import get as report_kind
from pipeline.samples import catalog as cat
from pipeline.samples.model import Item, Report, ThreePublic
from pipeline.samples.money import ZERO
from pipeline.samples.tables import functional_rows
from pipeline.samples.variant_page import VariantPage, variant_page

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

SPLIT = {"codes": "split", "short_codes": True}


@dataclass(frozen=True)
class Case:
    id: str
    tables: tuple[str, ...]
    choices: dict[str, Any] = field(default_factory=dict)
    dept: str = "guoziwei"
    forms: tuple[str, ...] = ("digital",)  # "scan" where OCR matters: split codes, merged headers, 元


CASES = [
    # where the 科目 code is printed, and whether it carries its parent's prefix
    Case("t5-code-column", ("T5",)),
    Case("t5-code-column-short", ("T5",), {"short_codes": True}),
    Case("t5-split-repeat", ("T5",), SPLIT | {"split_fill": "repeat"}, forms=("digital", "scan")),
    Case("t5-split-own", ("T5",), SPLIT | {"split_fill": "own"}),
    Case("t5-split-full-codes", ("T5",), {"codes": "split", "split_fill": "repeat"}),
    Case("t5-split-code-under-lei", ("T5",), {"codes": "split", "split_fill": "first"}),
    Case("t5-code-in-name", ("T5",), {"codes": "in_name"}),
    Case("t5-code-in-name-short", ("T5",), {"codes": "in_name", "short_codes": True}),
    Case("t2-split", ("T2",), SPLIT, dept="sifaju"),
    Case("t3-split", ("T3",), SPLIT),
    Case("t8-split-own", ("T8",), SPLIT | {"split_fill": "own"}, dept="lvhuashirongju"),
    Case("t9-code-in-name", ("T9",), {"codes": "in_name"}),
    Case("t6-econ-split", ("T6",), {"econ_codes": "split", "short_codes": True}),
    Case("t6-econ-in-name", ("T6",), {"econ_codes": "in_name"}),
    # names wrapped over 2–3 lines
    Case("t5-wrapped-names", ("T5",), {"wrap_names": True}, dept="wenhualvyouju"),
    Case("t3-wrapped-code-in-name", ("T3",), {"wrap_names": True, "codes": "in_name"}, dept="sifaju"),
    # 三公: one value row under merged 预算数/决算数 headers, or one row per item
    Case("t7-merged", ("T7",), {"t7": "merged"}, dept="wenhualvyouju", forms=("digital", "scan")),
    Case("t7-merged-portrait", ("T7",), {"t7": "merged", "t7_portrait": True}, dept="wenhualvyouju",
         forms=("digital", "scan")),  # fmt: skip
    Case("t7-rows", ("T7",), {"t7": "rows"}, dept="wenhualvyouju", forms=("digital", "scan")),
    # T4's expenditure columns by kind of appropriation
    Case("t4-fund-columns", ("T4",), dept="lvhuashirongju", forms=("digital", "scan")),
    Case("t4-short-fund-heads", ("T4",), {"t4_short_heads": True}),
    # T6 panels
    Case("t6-two-panels", ("T6",), {"t6": "two"}),
    Case("t6-three-panels", ("T6",), {"t6": "three", "econ_codes": "split"}),
    Case("t6-list", ("T6",), {"t6": "list"}),
    # titles
    Case("title-year", ("T5",), {"title_prefix": "year"}),
    Case("title-department", ("T6",), {"title_prefix": "dept"}),
    Case("title-numbered", ("T4",), {"title_number": "表{n} "}, dept="lvhuashirongju"),
    Case("title-appendix", ("T7",), {"title_number": "附表{n}：", "title_prefix": "year"}, dept="wenhualvyouju"),
    Case("title-chinese-number", ("T1",), {"title_number": "表{cn}、"}),
    # units
    Case("unit-yuan", ("T1",), {"unit": "元", "thousands": True}, forms=("digital", "scan")),
    Case("unit-yuan-plain", ("T5",), {"unit": "元"}),
    Case("unit-thousand-yuan", ("T5",), {"unit": "千元", "thousands": True}),
    Case("unit-wan-separators", ("T3",), {"thousands": True}),
    # order and numbering; continued tables
    Case("national-order", ("T5", "P", "T7"), {"order": "national", "title_number": "表{n} "}, dept="wenhualvyouju"),
    Case("continued-no-header", ("T3",), {"wrap_names": True, "repeat_header": {"T3": False}}, dept="wenhualvyouju"),
    Case("continued-repeated-header", ("T3",), {"wrap_names": True, "repeat_header": {"T3": True}},
         dept="wenhualvyouju"),  # fmt: skip
    # ruling
    Case("borderless-t5", ("T5",), {"rules": "none"}),
    Case("borderless-t1", ("T1",), {"rules": "none"}),
    Case("three-line-t3", ("T3",), {"rules": "three_line"}),
    # text, columns aligned by spaces or tabs
    Case("text-spaces-t5", ("T5",), forms=("text",)),
    Case("text-tabs-t1", ("T1",), forms=("text_tabs",)),
    Case("text-spaces-t7", ("T7",), dept="wenhualvyouju", forms=("text",)),
]
PARAMS = [pytest.param(c, form, id=f"{c.id}-{form}") for c in CASES for form in c.forms]


@pytest.mark.parametrize(("case", "form"), PARAMS)
def test_variant_reads_exactly(case: Case, form: str, tmp_path: Path, session_cache: Path) -> None:
    page = variant_page(tmp_path, case.tables, form=form, dept=case.dept, **case.choices)
    doc = parse_path(page.path, Settings(cache_dir=session_cache, ocr_engine="rapidocr"))
    tables = tables_from_document(doc)
    wrong = _tables_found(page, tables) + _fields(page, tables) + _cells(page, tables)
    assert not wrong, f"{case.id} ({form}): {len(wrong)} wrong\n" + "\n".join(wrong[:30])


def _tables_found(page: VariantPage, tables: dict[str, StandardTable]) -> list[str]:
    want = set(_ids(page))
    out = [f"{tid} not found" for tid in sorted(want - set(tables))]
    out += [f"{tid} read where none is printed" for tid in sorted(set(tables) - want)]
    for tid in sorted(want & set(tables)):
        if tables[tid].unit != page.look.unit:
            out.append(f"{tid} unit {tables[tid].unit} for {page.look.unit}")
    return out


def _ids(page: VariantPage) -> list[str]:
    return [t.standard_id for t in page.tables if t.standard_id]


def _fields(page: VariantPage, tables: dict[str, StandardTable]) -> list[str]:
    """Every figure the gold records for these pages, from ``table_fields`` and ``t5_lists``."""
    figures = table_fields(tables, FA.links)
    classes, items = t5_lists(tables)
    rows = {"general_budget.by_class": {c.code: c for c in classes}, "general_budget.items": {i.code: i for i in items}}
    out = []
    for path, gold in page.fields.items():
        if isinstance(gold, list):
            got = rows[path]
            for want in gold:
                row = got.get(want["code"])
                for key in ("amount", "basic", "project"):
                    value = getattr(row, key) if row else None
                    out += _compare(f"{path}[{want['code']}].{key}", value and value.value, want.get(key))
            out += [f"{path}[{code}] read but not printed" for code in sorted(set(got) - {w["code"] for w in gold})]
            continue
        fig = figures.get(path)
        out += _compare(path, fig and fig.value, gold["value"])
    return out


def _compare(what: str, got: Decimal | None, want: Any) -> list[str]:
    want = None if want is None else Decimal(str(want))
    return [] if got == want else [f"{what}: {got} for {want}"]


def _cells(page: VariantPage, tables: dict[str, StandardTable]) -> list[str]:
    """Every value cell the printed tables state, by cell path (``T5[2150701].total``), from the model."""
    out = []
    for path, want in expected_cells(page.report, _ids(page)).items():
        fig = cell(tables, path)
        out += _compare(path, fig and fig.value, want)
    return out


# ---- what each table prints, by cell path, in 万元 (blank cells absent; T6 and T7 print 0.00) ----

T2_SOURCES = ["appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"]
LIST_COLUMNS: dict[str, tuple[list[str], Any]] = {
    "T2": (["total", *T2_SOURCES], lambda i: [sum((i.income.get(k, ZERO) for k in T2_SOURCES), ZERO)]
           + [i.income.get(k, ZERO) for k in T2_SOURCES]),
    "T3": (["total", "basic", "project"], lambda i: [i.total, i.total_basic, i.total_project]),
    "T5": (["total", "basic", "project"], lambda i: [i.approp, i.basic, i.project]),
    "T8": (["income", "expenditure", "basic", "project"], lambda i: [i.approp, i.approp, i.basic, i.project]),
}  # fmt: skip
LIST_COLUMNS["T9"] = LIST_COLUMNS["T8"]
LIST_ITEMS = {"T2": lambda r: [i for i in r.items if sum(i.income.values(), ZERO) > 0],
              "T3": lambda r: [i for i in r.items if i.total > 0], "T5": lambda r: r.gb_items,
              "T8": lambda r: [i for i in r.fund_items("gf") if i.approp > 0],
              "T9": lambda r: [i for i in r.fund_items("sc") if i.approp > 0]}  # fmt: skip
T7_KEYS = {"total": "total", "overseas": "overseas", "vehicles": "vehicles", "purchase": "vehicle_purchase",
           "operation": "vehicle_operation", "reception": "reception"}  # fmt: skip
FUNDS = {"general_budget": "gb", "government_fund": "gf", "state_capital": "sc"}


def expected_cells(r: Report, ids: list[str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for tid in ids:
        if tid in LIST_COLUMNS:
            cols, values = LIST_COLUMNS[tid]
            items: list[Item] = LIST_ITEMS[tid](r)
            for _level, code, _name, vals in functional_rows(items, values):
                out |= {f"{tid}[{code}].{c}": v for c, v in zip(cols, vals, strict=True) if v != 0}
        elif tid in ("T1", "T4"):
            for code, _ in cat.T1_CLASSES:
                in_class = [i for i in r.items if i.code.startswith(code)]
                if tid == "T1" and in_class:
                    out[f"T1[out:{code}].amount"] = sum((i.total for i in in_class), ZERO)
                for col, fund in FUNDS.items() if tid == "T4" else ():
                    v = sum((i.approp for i in in_class if i.fund == fund), ZERO)
                    if v:
                        out[f"T4[out:{code}].{col}"] = v
                        out[f"T4[out:{code}].total"] = out.get(f"T4[out:{code}].total", ZERO) + v
        elif tid == "T6":
            for code, _ in cat.ECON_LEFT + cat.ECON_RIGHT:
                out[f"T6[{code}].amount"] = r.econ_group(code) if len(code) == 3 else r.econ.get(code, ZERO)
        elif tid == "T7" and r.three.any:
            for row, d in (("budget", r.three.budget), ("actual", r.three.actual)):
                parts = ThreePublic.parts(d)
                out |= {f"T7[{row}].{col}": parts[k] for k, col in T7_KEYS.items()}
    return out
