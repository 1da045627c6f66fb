"""The 部门预算 profile on real budgets: the born-digital 万里街道 2024 budget (text layer, and its pages rasterized
at 200 dpi so the OCR path runs), and the two scanned 2026 budgets (城管执法局, 文旅局).

Expected figures come from the PDF's own text layer, not from our reader: the 类 rows of the 一般公共预算 table
(B5) are parsed from pymupdf's plain text of its pages. OCR'd pages are cached under the settings' cache
directory, so only a first run reads pixels (a few minutes on two cores).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest
from conftest import CORPUS, image_pdf, render_grey

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.extract.tables import table_fields
from pipeline.parse import parse_path
from pipeline.record.money import WAN
from pipeline.reports import get as report_kind

WANLI = CORPUS / "putuo-wanli-2024-budget.pdf"
CHENGGUAN = CORPUS / "putuo-chengguan-2026-budget-scan.pdf"
WENLVJU = CORPUS / "putuo-wenlvju-2026-budget-scan.pdf"
B5_PAGES = range(22, 27)  # 部门一般公共预算支出功能分类预算表, five pages
# the pages a rasterized copy needs: cover, 编制说明 (6–9), B1, B4, B5 (22–26), B9 and the 三公 说明
RASTER_PAGES = [1, 6, 7, 8, 9, 10, 21, 22, 23, 24, 25, 26, 31, 32]
RASTER_DPI = 200

BUDGET = report_kind("budget")
needs_wanli = pytest.mark.skipif(not WANLI.exists(), reason="shared corpus not mounted")
needs_scans = pytest.mark.skipif(not (CHENGGUAN.exists() and WENLVJU.exists()), reason="shared corpus not mounted")

THREE_PUBLIC = {"total": "47.91", "overseas": "0", "reception": "1.35", "vehicles": "46.56",
                "vehicle_purchase": "25", "vehicle_operation": "21.56"}


def text_layer_classes(pdf: Path, pages) -> dict[str, tuple[str, Decimal]]:
    """类 rows of a budget table as the text layer prints them: a 3-digit code on a line of its own, the
    name, then 合计 | 基本支出 | 项目支出 in 元: {code: (name, 合计 in 元)}."""
    row = re.compile(r"(?m)^(\d{3})\s*\n([^\d\n]+?)\s*\n([\d,]+)\s*\n[\d,]+\s*\n[\d,]+\s*$")
    out = {}
    with pymupdf.open(pdf) as doc:
        for n in pages:
            for m in row.finditer(doc[n - 1].get_text()):
                out[m.group(1)] = (m.group(2), Decimal(m.group(3).replace(",", "")))
    return out


def _figures(document: Document):
    tables = BUDGET.read_tables(document, None)
    return tables, table_fields(tables, BUDGET.links), BUDGET.table_lists(tables)


def _check_wanli(document: Document, expected_classes: dict[str, tuple[str, Decimal]]) -> None:
    assert document.report_type == "budget"
    tables, fields, (classes, _) = _figures(document)
    total = fields["summary.total"]
    assert total.value == Decimal("15621.1123") and total.value * WAN == 156_211_123
    src = total.source
    assert (src.table, src.quote, src.printed_unit) == ("B1", "156,211,123", "元") and src.bbox is not None
    assert [(c.code, c.name, c.amount.value * WAN) for c in classes] == [
        (code, name, amount) for code, (name, amount) in expected_classes.items()
    ]
    for key, value in THREE_PUBLIC.items():
        fig = fields[f"three_public.{key}"]
        assert fig.value == Decimal(value), key
        assert fig.source.table == "B9" and fig.source.printed_unit == "万元"
    assert fields["operating_costs.total"].value == Decimal("443.18")
    b5 = tables["B5"]
    assert b5.unit == "元" and b5.cell("total", "total").value == Decimal("15621.1123")
    assert b5.cell("2010507", "total").source.quote == "257,700"  # 201 | 05 | 07 as one code


@pytest.fixture(scope="module")
def wanli() -> Document:
    return parse_path(WANLI, Settings())


@needs_wanli
def test_wanli_born_digital_tables(wanli):
    expected = text_layer_classes(WANLI, B5_PAGES)
    assert list(expected) == ["201", "204", "205", "206", "207", "208", "210", "212", "221"]
    _check_wanli(wanli, expected)
    tables = BUDGET.read_tables(wanli, None)
    assert sorted(tables) == [f"B{i}" for i in range(1, 10)]
    assert all(t.numbers_read == t.numbers_printed for tid, t in tables.items() if tid not in ("B6", "B7"))
    b1, b4, b8 = tables["B1"], tables["B4"], tables["B8"]
    assert b1.cell("in:appropriation", "amount").value == b1.cell("out:grand_total", "amount").value
    assert b1.cell("out:212", "amount").value == Decimal("11938.5303")
    assert b4.cell("out:grand_total", "general_budget").value == Decimal("15621.1123")
    assert b8.cell("30102", "total").source.row_text.startswith("301 2 津贴补贴")  # '2': the 款 02 as printed
    assert (b8.cell("total", "personnel").value, b8.cell("total", "public").value) == (
        Decimal("8853.7451"), Decimal("1116.8569"))
    for tid in ("B6", "B7"):  # empty, and its note says so: its 合计 is 0, sourced to the note
        zero = tables[tid].cell("total", "total")
        assert zero.value == 0 and "故本表为空表" in zero.source.quote


@needs_wanli
def test_wanli_record_without_the_model(wanli, tmp_path):
    """Every figure of the born-digital budget is read without a model call: tables by their cells, the
    编制说明 and 其他相关情况说明 by their labels, the 项 list by its printed entries."""
    try:
        from tests.llm_stub import StubServer
        from tests.test_extract_faults import stub_settings
    except ImportError:
        from llm_stub import StubServer
        from test_extract_faults import stub_settings
    from pipeline.extract.run import Extractor
    from pipeline.llm import LLMClient, connect

    with StubServer([]) as stub:
        settings = stub_settings(stub, tmp_path)
        with connect(settings) as endpoint:
            result = Extractor(wanli, LLMClient(endpoint, settings), settings, BUDGET).run(0)
    assert not stub.requests and not result.errors
    rec = result.record
    assert (rec.report_type, rec.fiscal_year) == ("budget", 2024)
    assert rec.department == "上海市普陀区人民政府万里街道办事处"
    assert rec.summary.total.value == Decimal("15621.1123")
    assert rec.income.total.value == Decimal("15621.1123")
    assert [str(a.value) for a in rec.income.total.alternates] == ["15621.11"]  # the 说明's 万元, rounded
    assert rec.appropriation.total_change.value == Decimal("-876.75")
    assert rec.three_public.change.value == 25
    assert rec.procurement.total.value == Decimal("1662.44")
    assert rec.performance.target_projects.value == 50
    assert rec.assets.vehicles.value == 7
    items = {i.code: i for i in rec.general_budget.items}
    assert len(items) == 33
    legal = items["2040607"]  # 7. “公共安全支出（类）司法（款）公共法律服务（项）”30.00万元 … 增加100.00%
    assert (legal.amount.value, legal.prior_executed.value, legal.change_pct.value) == (30, 15, 100)
    census = items["2010507"]
    assert (census.prior_executed.value, census.change_pct.value) == (Decimal("60.13"), Decimal("-57.14"))
    src = census.prior_executed.source  # its sentence as printed (a line wraps inside it)
    assert src.page == 6 and "执行数为60.13万元" in "".join(src.quote.split()) and src.bbox is not None
    # 一般行政管理事务 is the 项 of five 款: each narrative row lands on its own 款's code
    assert items["2013302"].prior_executed.value == Decimal("114.00")
    assert items["2081602"].prior_executed.value == Decimal("4.33")
    assert not result.validation.errors("source")


@pytest.fixture(scope="module")
def wanli_raster(tmp_path_factory) -> Document:
    with pymupdf.open(WANLI) as src:
        size = (src[0].rect.width, src[0].rect.height)
    pages = [render_grey(WANLI, n, RASTER_DPI) for n in RASTER_PAGES]
    path = image_pdf(tmp_path_factory.mktemp("wanli") / "wanli-scan.pdf", pages, size)
    return parse_path(path, Settings())  # OCR cached under the settings' cache_dir


@needs_wanli
@pytest.mark.slow
def test_wanli_rasterized_tables(wanli_raster):
    assert {p.kind.value for p in wanli_raster.pages} == {"scanned"}
    _check_wanli(wanli_raster, text_layer_classes(WANLI, B5_PAGES))


@pytest.mark.slow
@needs_scans
@pytest.mark.parametrize(
    ("pdf", "total", "three_public"),
    [
        (CHENGGUAN, "4748.3458", {"total": "114.22", "overseas": "0", "reception": "0.46", "vehicles": "113.76",
                                  "vehicle_purchase": "75", "vehicle_operation": "38.76"}),
        (WENLVJU, "27807.6101", {"total": "11.49", "overseas": "0", "reception": "2.11", "vehicles": "9.38",
                                 "vehicle_operation": "9.38"}),
    ],
    ids=["chengguan", "wenlvju"],
)
def test_scanned_budgets(pdf, total, three_public):
    document = parse_path(pdf, Settings())
    assert document.report_type == "budget"
    assert {p.kind.value for p in document.pages} <= {"scanned", "empty"}
    tables, fields, (classes, _) = _figures(document)
    assert {"B1", "B5", "B9"} <= set(tables)
    assert fields["summary.total"].value == Decimal(total)
    assert fields["summary.total"].source.table == "B1"
    assert tables["B1"].cell("out:grand_total", "amount").value == Decimal(total)
    for key, value in three_public.items():
        assert fields[f"three_public.{key}"].value == Decimal(value), key
    assert sum(c.amount.value for c in classes) == Decimal(total)  # B5's 类 rows add up to its total


def test_contract_paths_equal_the_budget_contract_document():
    """The budget's scored paths are its contract section's, in its order, with the list rows' fields; every
    path is a record field."""
    from pipeline.record.model import Record

    doc = Path(__file__).resolve().parents[1] / "pipeline/reports/budget/record-fields.md"
    lines = doc.read_text(encoding="utf-8").split("## Figures (budget)", 1)[1].splitlines()
    rows = [line for line in lines if line.startswith("| `")]
    paths = [p for line in rows for p in re.findall(r"`([^`]+)`", line.split("|")[1])]
    contract = BUDGET.contract
    assert [p.removesuffix("[]") for p in paths] == list(contract.field_paths)
    for path, fields in contract.lists.items():
        row = next(line for line in rows if f"`{path}[]`" in line)
        assert [f.split(" ")[0] for f in re.findall(r"`(\w+)`", row.split("|")[2])] == list(fields)
    record = Record()
    for path in contract.figures:
        head, leaf = path.split(".")
        assert leaf in type(record.section(head)).model_fields, path
    assert {p.split(".")[0] for p in contract.field_paths} <= set(contract.sections)


def test_budget_titles_tell_nested_tables_apart():
    names = BUDGET.table_names
    match = BUDGET.tables.match
    for tid, name in names.items():
        assert match(f"2024年{name}").standard_id == tid
    assert match("2026年一般公共预算“三公”经费支出预算表").standard_id == "B9"
    assert match("部门财政拨款收支预算总表").standard_id == "B4"  # not B1's 收支预算总表
    assert match("部门一般公共预算基本支出部门预算经济分类预算表").standard_id == "B8"  # not B5
    assert match("项目支出预算表") is None
    assert match("2024年部门预算编制说明") is None


def test_a_final_accounts_table_naming_its_money_is_no_budget(tmp_path):
    """一般公共预算 names a kind of money: a 决算 page titled with it stays a 决算 now that budgets have a
    profile; a 部门预算 is one by its title."""
    final = tmp_path / "final.txt"
    final.write_text("2024年一般公共预算财政拨款支出决算表\n单位：万元\n合计 10.00\n", encoding="utf-8")
    assert parse_path(final, Settings()).report_type == "final_accounts"
    budget = tmp_path / "budget.txt"
    budget.write_text("上海市普陀区2024年区级部门预算\n收入预算100.00万元。\n", encoding="utf-8")
    assert parse_path(budget, Settings()).report_type == "budget"
