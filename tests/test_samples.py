"""The sample generator: image-only scans, contract-valid gold whose figures add up, planted errors that are
recorded, byte-identical output for a seed, and pages that OCR can read."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
import pytest
from conftest import SHARED

from pipeline.samples import look as plan
from pipeline.samples.generate import build_sample, generate_samples
from pipeline.samples.money import pct, q2, split
from pipeline.samples.variant_page import variant_page

SEED = 11
CONTRACT = SHARED / "contract" / "record-fields.md"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One generated report (index 1 of its batch, which is always clean)."""
    out = tmp_path_factory.mktemp("samples")
    pdf, gold, truth = generate_samples(out / "pdf", out / "gold", count=1, seed=SEED)
    return {
        "pdf": pdf,
        "files": [pdf, gold, truth],
        "gold": json.loads(gold.read_text(encoding="utf-8")),
        "truth": json.loads(truth.read_text(encoding="utf-8")),
    }


def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def _v(fields: dict[str, Any], path: str) -> Decimal:
    """A figure's value; an absent field counts as 0 in a sum (it is not stated because it is blank)."""
    f = fields.get(path)
    return _d(f["value"]) if f else Decimal(0)


def _figures(gold: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(path, page, quote) for every stated figure in fields and extra_fields, list rows included."""
    out = []
    for section in ("fields", "extra_fields"):
        for path, f in gold[section].items():
            if isinstance(f, dict):
                out.append((path, f["page"], f["quote"]))
                out += [(path, a["page"], a["quote"]) for a in f.get("also", []) + f.get("alternates", [])]
            elif isinstance(f, list):
                for row in f:
                    out.append((path, row["page"], row["quote"]))
                    for p, q in (("share_page", "share_quote"), ("budget_page", "budget_quote")):
                        if p in row:
                            out.append((path, row[p], row[q]))
    return out


def test_pdf_is_image_only(sample: dict[str, Any]) -> None:
    doc = pymupdf.open(sample["pdf"])
    assert 12 <= doc.page_count <= 22
    assert doc.page_count == len(sample["truth"]["pages"])
    for page in doc:
        assert page.get_text().strip() == "", f"page {page.number + 1} has a text layer"
        images = page.get_images(full=True)
        assert len(images) == 1, f"page {page.number + 1} has {len(images)} images"
        (rect,) = page.get_image_rects(images[0][0])
        assert rect.get_area() > 0.999 * page.rect.get_area(), "the scan covers the whole page"
    assert doc.metadata["creationDate"] == doc.metadata["modDate"]


def test_tables_are_standard_and_one_continues(sample: dict[str, Any]) -> None:
    tables = sample["truth"]["tables"]
    order = [t for t in build_sample(1, SEED).look.order_of_tables() if t.startswith("T")]
    assert sorted(order) == [f"T{n}" for n in range(1, 10)]
    assert [t["standard_id"] for t in tables if t["standard_id"]] == order, "the nine, in the plan's order"
    assert any(len(t["pages"]) > 1 for t in tables), "no table continues onto a second page"
    for t in tables:
        assert len(t["row_pages"]) == len(t["grid"])
        assert all(len(row) == len(t["grid"][0]) for row in t["grid"])
        for s in t["spans"]:
            assert t["grid"][s["row"]][s["col"]], "a merged cell's text sits in its top-left slot"
            for r in range(s["row"], s["row"] + s["rowspan"]):
                for c in range(s["col"], s["col"] + s["colspan"]):
                    if (r, c) != (s["row"], s["col"]):
                        assert t["grid"][r][c] == ""


def contract_paths() -> set[str]:
    """Backticked paths in the first column of the contract's tables ("a / b" rows list two)."""
    paths: set[str] = set()
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            first = line.split("|")[1]
            paths |= set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)*)(?:\[\])?`", first))
    return paths


def test_gold_uses_contract_paths_only(sample: dict[str, Any]) -> None:
    allowed = contract_paths()
    assert {"summary.total", "summary.total_change_pct", "general_budget.items", "department"} <= allowed
    unknown = set(sample["gold"]["fields"]) - allowed
    assert not unknown, f"gold fields not in the contract: {sorted(unknown)}"


def test_gold_format(sample: dict[str, Any]) -> None:
    gold = sample["gold"]
    assert gold["document"] == sample["pdf"].name
    fields = gold["fields"]
    assert (
        fields["report_type"] == "final_accounts"
        and fields["unit"] == "万元"
        and fields["fiscal_year"] == 2024
    )
    n_pages = len(sample["truth"]["pages"])
    for path, f in fields.items():
        if isinstance(f, dict):
            assert {"value", "page", "quote"} <= set(f), path
    for path, page, quote in _figures(gold):
        assert 1 <= page <= n_pages, path
        assert quote and quote == quote.strip() and "  " not in quote, path


def test_quotes_are_printed_text(sample: dict[str, Any]) -> None:
    """Every quote is on its page as drawn (a sentence may run over from the page before or onto the next)."""
    pages = {p["number"]: "".join(p["lines"]) for p in sample["truth"]["pages"]}
    for path, page, quote in _figures(sample["gold"]):
        text = pages.get(page - 1, "") + pages[page] + pages.get(page + 1, "")
        assert quote.replace(" ", "") in text.replace(" ", ""), (path, page, quote)


def test_clean_sample_adds_up(sample: dict[str, Any]) -> None:
    f = sample["gold"]["fields"]
    assert sample["gold"]["source_inconsistencies"] == []
    total = _v(f, "summary.total")
    income_parts = ["general_budget", "government_fund", "state_capital", "superior_subsidy", "business",
                    "operating", "affiliated", "other"]  # fmt: skip
    assert _v(f, "income.total") == sum(_v(f, f"income.{k}") for k in income_parts)
    assert total == _v(f, "income.total") + _v(f, "income.carryover_begin") + _v(
        f, "income.nonappropriation_balance_used"
    )
    assert total == _v(f, "expenditure.total") + _v(f, "expenditure.carryover_end") + _v(
        f, "expenditure.balance_distribution"
    )
    assert _v(f, "expenditure.total") == _v(f, "expenditure.basic") + _v(f, "expenditure.project")
    gb = _v(f, "general_budget.total")
    assert gb == _v(f, "general_budget.basic") + _v(f, "general_budget.project")
    assert gb == sum(_d(c["amount"]) for c in f["general_budget.by_class"])
    assert gb == sum(_d(i["amount"]) for i in f["general_budget.items"])
    for c in f["general_budget.by_class"]:
        assert _d(c["share_pct"]) == pct(_d(c["amount"]), gb)
    for i in f["general_budget.items"]:
        if "completion_pct" in i:
            assert _d(i["completion_pct"]) == pct(_d(i["amount"]), _d(i["budget"]))
    assert _v(f, "basic_expenditure.total") == _v(f, "basic_expenditure.personnel") + _v(
        f, "basic_expenditure.public"
    )
    assert _v(f, "three_public.total") == _v(f, "three_public.overseas") + _v(
        f, "three_public.vehicles"
    ) + _v(f, "three_public.reception")
    assert _v(f, "three_public.vehicles") == _v(f, "three_public.vehicle_purchase") + _v(
        f, "three_public.vehicle_operation"
    )
    assert _v(f, "procurement.total") == _v(f, "procurement.goods") + _v(f, "procurement.works") + _v(
        f, "procurement.services"
    )
    assert _v(f, "procurement.sme_share_pct") == pct(
        _v(f, "procurement.sme_awarded"), _v(f, "procurement.total")
    )
    change = _v(f, "summary.total_change")
    assert _v(f, "summary.total_change_pct") == pct(change, total - change)


def test_planted_errors_are_recorded() -> None:
    two = build_sample(2, SEED)
    f = two.gold["fields"]
    kinds = sorted(i["severity"] for i in two.gold["source_inconsistencies"])
    assert kinds == ["error", "rounding"]
    shown = [a["value"] for a in f["income.total"].get("alternates", [])]
    assert shown == [float(_v(f, "income.total") + 100)], "T1 本年收入合计 is printed 100 too high"
    gap = (
        _v(f, "basic_expenditure.personnel")
        + _v(f, "basic_expenditure.public")
        - _v(f, "basic_expenditure.total")
    )
    assert gap == Decimal("0.01")
    for entry in two.gold["source_inconsistencies"]:
        assert entry["pages"] and entry["fields"] and entry["description"]

    three = build_sample(3, SEED)
    (entry,) = three.gold["source_inconsistencies"]
    assert entry["severity"] == "error" and entry["fields"] == ["general_budget.by_class"]
    g = three.gold["fields"]
    gb = _v(g, "general_budget.total")
    off = [c for c in g["general_budget.by_class"] if abs(_d(c["share_pct"]) - pct(_d(c["amount"]), gb)) > 1]
    assert len(off) == 1 and off[0]["share_page"] in entry["pages"]


def test_same_seed_same_bytes(sample: dict[str, Any], tmp_path: Path) -> None:
    again = generate_samples(tmp_path / "pdf", tmp_path / "gold", count=1, seed=SEED)
    for a, b in zip(sample["files"], again, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two runs"


COMMITTED_SEED = 2024  # `juesuan samples` made the committed samples/ and eval/gold/ with its default seed
COMMITTED_GOLD = sorted(
    p for p in (Path(__file__).resolve().parents[1] / "eval" / "gold").glob("sample-*.json") if ".truth." not in p.name
)


@pytest.mark.skipif(not COMMITTED_GOLD, reason="no committed sample gold")
def test_committed_gold_is_regenerated_byte_for_byte(tmp_path: Path) -> None:
    """The gold is known after layout (no pixels): each committed gold file is what the generator writes now."""
    from pipeline.samples.generate import _write_json

    for index, committed in enumerate(COMMITTED_GOLD, 1):
        sample = build_sample(index, COMMITTED_SEED)
        assert f"{sample.stem}.json" == committed.name
        _write_json(tmp_path / committed.name, sample.gold)
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), f"{committed.name} differs"


def test_committed_samples_cover_every_layout_variant() -> None:
    """Together the committed samples print every layout choice of the plan (scans are always ruled)."""
    looks = [build_sample(i, COMMITTED_SEED).look for i in (1, 2, 3)]
    choices = {
        "codes": plan.CODE_STYLES, "econ_codes": plan.CODE_STYLES, "short_codes": (False, True),
        "wrap_names": (False, True), "t4_short_heads": (False, True), "t6": plan.T6_FORMS, "t7": plan.T7_FORMS,
        "t7_portrait": (False, True),
        "title_prefix": plan.TITLE_PREFIXES, "unit": tuple(plan.UNITS), "thousands": (False, True),
        "order": plan.ORDERS,
    }  # fmt: skip
    for name, values in choices.items():
        assert {getattr(look, name) for look in looks} == set(values), name
    assert {look.title_number for look in looks} >= {"", "表{n} ", "附表{n}："}
    assert len({(look.codes, look.t6, look.t7, look.unit) for look in looks}) == 3, "each sample a different mix"
    assert all(look.rules == "grid" for look in looks)


def test_tables_print_in_the_plan_unit() -> None:
    """The gold stays in 万元 while a 元 or 千元 table prints the amount in its unit (the quote is as printed)."""
    for index, factor in ((2, 10000), (3, 10)):
        sample = build_sample(index, SEED)
        look, f = sample.look, sample.gold["fields"]
        assert look.unit == {10000: "元", 10: "千元"}[factor]
        total = _d(f["summary.total"]["value"])
        assert look.amount(total) in f["summary.total"]["quote"]
        assert f"{total * factor:,.2f}" == look.amount(total)
        t1 = next(t for t in sample.flow.tables if t.standard_id == "T1")
        assert t1.unit == look.unit


def test_variant_page_forms(tmp_path: Path) -> None:
    """The test helper writes one layout as a born-digital PDF (ruled or not), a scan, or aligned text."""
    ruled = variant_page(tmp_path / "a", ["T5"], form="digital", codes="split", short_codes=True)
    bare = variant_page(tmp_path / "b", ["T5"], form="digital", rules="none")
    with pymupdf.open(ruled.path) as doc:
        text = doc[0].get_text()
        assert "一般公共预算财政拨款支出决算表" in text and "类" in text and doc[0].get_drawings()
        assert all(f"{_d(r['amount']):.2f}" in text for r in ruled.fields["general_budget.items"])
    with pymupdf.open(bare.path) as doc:
        assert doc[0].get_text().strip() and not doc[0].get_drawings(), "a borderless table has no rules"
    assert ruled.gold["fields"]["general_budget.total"]["value"] == bare.gold["fields"]["general_budget.total"]["value"] > 0
    scan = variant_page(tmp_path / "c", ["T7"], form="scan", t7="rows")
    with pymupdf.open(scan.path) as doc:
        assert doc.page_count == scan.pages == 1 and doc[0].get_text().strip() == ""
    tabs = variant_page(tmp_path / "d", ["T1"], form="text_tabs")
    lines = tabs.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "收入支出决算总表" and any(line.startswith("总计\t") for line in lines)


def test_money_helpers() -> None:
    parts = split(Decimal("100.00"), [1, 1, 1])
    assert sum(parts) == Decimal("100.00") and all(p == q2(p) for p in parts)
    assert pct(Decimal("29.42"), Decimal("307.82")) == Decimal("9.56")
    assert q2("0.005") == Decimal("0.01")


def test_ocr_reads_every_figure_of_a_table_page(sample: dict[str, Any]) -> None:
    """The scans are readable: RapidOCR finds every figure printed in T1's cells on its page."""
    import cv2
    import rapidocr
    (t1,) = [t for t in sample["truth"]["tables"] if t["standard_id"] == "T1"]
    page_no = t1["pages"][0]
    figures = {
        c for row, p in zip(t1["grid"], t1["row_pages"], strict=True) if p == page_no for c in row if "." in c
    }
    assert len(figures) >= 4
    doc = pymupdf.open(sample["pdf"])
    xref = doc[page_no - 1].get_images()[0][0]
    img = cv2.imdecode(np.frombuffer(doc.extract_image(xref)["image"], np.uint8), cv2.IMREAD_COLOR)
    result = rapidocr.RapidOCR(params={"Global.use_cls": False})(img)
    text = unicodedata.normalize("NFKC", "".join(result.txts or []))
    missing = sorted(x for x in figures if x not in text)
    assert not missing, f"OCR missed {missing} on page {page_no}"
