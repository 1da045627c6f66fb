"""The sample generator's 部门预算 (budget) template: image-only scans of the nine budget tables and the 编制说明,
byte-identical for a seed, with a gold in the budget's paths whose figures add up (a planted wrong change rate
aside, which the gold records), and pages the project's OCR reads."""

from __future__ import annotations

import json
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from typer.testing import CliRunner

from pipeline.reports import get
from pipeline.samples.budget import build_budget_sample
from pipeline.samples.budget_tables import TITLES
from pipeline.samples.generate import generate_samples

SEED = 11
IDENTITY = ("department", "fiscal_year", "report_type", "unit")


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Budget sample 1 written by the CLI (``juesuan samples --report-type budget``)."""
    from pipeline.cli import app

    out = tmp_path_factory.mktemp("budget")
    result = CliRunner().invoke(app, ["samples", "--report-type", "budget", "--count", "1", "--seed", str(SEED),
                                      "--out", str(out / "pdf"), "--gold", str(out / "gold")])  # fmt: skip
    assert result.exit_code == 0, result.output
    (pdf,) = sorted((out / "pdf").glob("*.pdf"))
    gold = out / "gold" / f"{pdf.stem}.json"
    truth = out / "gold" / f"{pdf.stem}.truth.json"
    return {
        "pdf": pdf,
        "files": [pdf, gold, truth],
        "gold": json.loads(gold.read_text(encoding="utf-8")),
        "truth": json.loads(truth.read_text(encoding="utf-8")),
    }


def _d(x: Any) -> Decimal:
    return Decimal(str(x))


def _v(fields: dict[str, Any], path: str) -> Decimal:
    return _d(fields[path]["value"])


def _figures(gold: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(path, page, quote) of every stated figure, list rows and their 编制说明 sentences included."""
    out = []
    for section in ("fields", "extra_fields"):
        for path, f in gold[section].items():
            if isinstance(f, dict):
                out.append((path, f["page"], f["quote"]))
                out += [(path, a["page"], a["quote"]) for a in f.get("also", []) + f.get("alternates", [])]
            elif isinstance(f, list):
                for row in f:
                    out.append((path, row["page"], row["quote"]))
                    if "yoy_page" in row:
                        out.append((path, row["yoy_page"], row["yoy_quote"]))
    return out


def test_same_seed_same_bytes(budget: dict[str, Any], tmp_path: Path) -> None:
    again = generate_samples(tmp_path / "pdf", tmp_path / "gold", count=1, seed=SEED, report_type="budget")
    for a, b in zip(budget["files"], again, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two runs"


def test_pdf_is_a_scan_of_the_budget(budget: dict[str, Any]) -> None:
    doc = pymupdf.open(budget["pdf"])
    assert doc.page_count == len(budget["truth"]["pages"]) >= 12
    for page in doc:
        assert page.get_text().strip() == "", f"page {page.number + 1} has a text layer"
        assert len(page.get_images(full=True)) == 1
    assert doc.metadata["title"].endswith("年部门预算")
    lines = [line for p in budget["truth"]["pages"] for line in p["lines"]]
    assert any("年区级部门预算" in line for line in lines) and any("预算主管部门：" in line for line in lines)
    assert any(line.endswith("年部门预算编制说明") for line in lines)
    assert any(line == "其他相关情况说明" for line in lines)


def test_tables_are_the_nine_budget_tables(budget: dict[str, Any]) -> None:
    tables = [t for t in budget["truth"]["tables"] if t["standard_id"]]
    assert [t["standard_id"] for t in tables] == list(TITLES)
    year = budget["gold"]["fields"]["fiscal_year"]
    for t in tables:
        assert t["title"] in (TITLES[t["standard_id"]], f"{year}年{TITLES[t['standard_id']]}")
        assert t["unit"] == ("万元" if t["standard_id"] == "B9" else "元")
        assert all(len(row) == len(t["grid"][0]) for row in t["grid"])
    b1 = tables[0]
    assert b1["grid"][-1][0] == "收入总计" and b1["grid"][-1][2] == "支出总计"
    amounts = [c for t in tables[:8] for row in t["grid"] for c in row if c[:1].isdigit() and "," in c]
    assert amounts and all("." not in c for c in amounts), "B1–B8 print whole 元 grouped by thousands"


def test_gold_format(budget: dict[str, Any]) -> None:
    gold = budget["gold"]
    assert gold["document"] == budget["pdf"].name
    f = gold["fields"]
    assert f["report_type"] == "budget" and f["unit"] == "万元" and f["fiscal_year"] == 2024
    assert f["department"].startswith("上海市")
    assert list(f)[:4] == list(IDENTITY)
    order = get("budget").contract.field_paths  # what the evaluation scores a budget by
    stated = [k for k in f if k not in IDENTITY]
    assert set(stated) <= set(order), "only the budget's scored paths"
    assert stated == [p for p in order if p in stated], "fields in the budget's order"
    # what the sample prints and the contract scores is gold, whatever the generator calls it
    for path in ("appropriation.total", "appropriation.total_change", "government_fund.expenditure",
                 "three_public.change", "operating_costs.total"):
        assert path in f, path
    assert not set(gold["extra_fields"]) & set(order), "no scored path left among the extra fields"
    assert gold["source_inconsistencies"] == []
    n_pages = len(budget["truth"]["pages"])
    for path, page, quote in _figures(gold):
        assert 1 <= page <= n_pages, path
        assert quote and quote == quote.strip() and "  " not in quote, path
    for row in f["general_budget.items"]:
        assert {"code", "name", "amount", "prior_executed", "change_pct"} <= set(row), row


def test_quotes_are_printed_text(budget: dict[str, Any]) -> None:
    """Every quote is on its page as drawn (a sentence may run over from the page before or onto the next)."""
    pages = {p["number"]: "".join(p["lines"]) for p in budget["truth"]["pages"]}
    for path, page, quote in _figures(budget["gold"]):
        text = pages.get(page - 1, "") + pages[page] + pages.get(page + 1, "")
        assert quote.replace(" ", "") in text.replace(" ", ""), (path, page, quote)


def _rate(amount: Decimal, prior: Decimal) -> Decimal:
    return ((amount - prior) / prior * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_identities(gold: dict[str, Any]) -> list[str]:
    """The budget's identities on the gold numbers; returns the codes of items whose printed rate is off."""
    f = gold["fields"]
    total = _v(f, "summary.total")
    assert total == _v(f, "income.total") == _v(f, "expenditure.total"), "收支平衡"
    gf = _d(f["government_fund.expenditure"]["value"])
    sc = _d(f["state_capital.expenditure"]["value"])
    assert _v(f, "income.appropriation") == _v(f, "income.general_budget") + gf + sc
    assert _v(f, "income.total") == sum(_v(f, f"income.{k}") for k in ("appropriation", "business", "operating",
                                                                        "other"))  # fmt: skip
    assert _v(f, "expenditure.total") == _v(f, "expenditure.basic") + _v(f, "expenditure.project")
    gb = _v(f, "general_budget.total")
    assert gb == _v(f, "income.general_budget")
    assert gb == _v(f, "general_budget.basic") + _v(f, "general_budget.project")
    classes, items = f["general_budget.by_class"], f["general_budget.items"]
    assert gb == sum(_d(c["amount"]) for c in classes) == sum(_d(i["amount"]) for i in items)
    for c in classes:
        mine = [i for i in items if i["code"].startswith(c["code"])]
        assert _d(c["amount"]) == sum(_d(i["amount"]) for i in mine), c["code"]
        assert _d(c.get("basic", 0)) == sum(_d(i.get("basic", 0)) for i in mine), c["code"]
        assert _d(c.get("project", 0)) == sum(_d(i.get("project", 0)) for i in mine), c["code"]
    for i in items:
        assert _d(i["amount"]) == _d(i.get("basic", 0)) + _d(i.get("project", 0)), i["code"]
    assert _v(f, "basic_expenditure.total") == _v(f, "general_budget.basic")
    assert _v(f, "basic_expenditure.total") == _v(f, "basic_expenditure.personnel") + _v(
        f, "basic_expenditure.public"
    )
    assert _v(f, "three_public.total") == _v(f, "three_public.overseas") + _v(f, "three_public.vehicles") + _v(
        f, "three_public.reception"
    )
    assert _v(f, "three_public.vehicles") == _v(f, "three_public.vehicle_purchase") + _v(
        f, "three_public.vehicle_operation"
    )
    assert 0 < _v(f, "operating_costs.total") <= _v(f, "basic_expenditure.public")
    off = []
    for i in items:
        assert _d(i["prior_executed"]) > 0, i["code"]
        if _d(i["change_pct"]) != _rate(_d(i["amount"]), _d(i["prior_executed"])):
            off.append(i["code"])
    return off


def test_clean_budget_adds_up(budget: dict[str, Any]) -> None:
    assert _check_identities(budget["gold"]) == []


def test_budgets_add_up_and_planted_rates_are_recorded() -> None:
    """Over several budgets (each layout choice, both with and without 政府性基金/国有资本经营 spending), the
    identities hold; where a wrong rate is planted, it is the one item off and the gold lists it."""
    planted = 0
    funds = set()
    for index in range(1, 7):
        sample = build_budget_sample(index, SEED)
        gold = sample.gold
        off = _check_identities(gold)
        entries = gold["source_inconsistencies"]
        assert len(off) == len(entries) <= 1, (index, off, entries)
        for code, entry in zip(off, entries, strict=True):
            planted += 1
            row = next(i for i in gold["fields"]["general_budget.items"] if i["code"] == code)
            assert entry["fields"] == ["general_budget.items"] and entry["severity"] == "error"
            assert entry["pages"] == [row["yoy_page"]]
            assert f"{abs(_d(row['change_pct'])):.2f}%" in row["yoy_quote"], "the gold keeps the printed rate"
            assert f"{abs(_d(row['change_pct'])):.2f}%" in entry["description"]
        funds |= {k for k in ("government_fund.expenditure", "state_capital.expenditure")
                  if gold["fields"][k]["value"] != 0}  # fmt: skip
    assert planted >= 1, "budget 2 prints one wrong change rate"
    assert funds == {"government_fund.expenditure", "state_capital.expenditure"}


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def test_ocr_reads_the_budget(budget: dict[str, Any], tmp_path: Path) -> None:
    """The project's OCR (``parse_path``) reads the 编制说明 and the B1 pages: titles and amounts."""
    from pipeline.config import Settings
    from pipeline.parse import parse_path

    truth, gold = budget["truth"], budget["gold"]
    f = gold["fields"]
    explanation = f["income.total"]["page"]
    b1 = next(t for t in truth["tables"] if t["standard_id"] == "B1")["pages"][0]
    part = tmp_path / "pages.pdf"
    with pymupdf.open(budget["pdf"]) as doc:
        doc.select([explanation - 1, b1 - 1])
        doc.save(part)
    parsed = parse_path(part, Settings(cache_dir=tmp_path / "cache", ocr_engine="rapidocr"))
    first, second = (_norm(page.text) for page in parsed.pages)
    year = f["fiscal_year"]
    assert f"{year}年部门预算编制说明" in first
    for path in ("income.total", "income.appropriation", "general_budget.total"):
        assert f"{_v(f, path):.2f}万元" in first, path
    assert f"{year}年部门财务收支预算总表" in second and "收入总计" in second and "支出总计" in second
    total = f"{int(_v(f, 'summary.total') * 10000):,}"
    assert second.count(total) >= 2, f"收入总计 and 支出总计 {total}"
