"""Who and what a report is, from its cover and title block: a cover page, a title-only report, a 绩效自评
report, a 决算 whose narrative names 预算, a report whose first sentence is not the department; a missing
identity is an ``extraction`` violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.extract.identity import heuristic, looks_like_department, reconcile, violations
from pipeline.extract.parts import Identity
from pipeline.parse import parse_path
from pipeline.reports import get as report_kind

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

ROOT = Path(__file__).resolve().parents[1]


def _doc(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return parse_path(path, Settings())


def test_cover_page_of_a_scanned_report():
    sample = sorted((ROOT / "samples").glob("sample-01-*.pdf"))
    if not sample:
        pytest.skip("no committed sample-01")
    got = heuristic(parse_path(sample[0], Settings()))
    assert (got.department, got.fiscal_year, got.report_type, got.unit) == (
        "上海市嘉定区文化和旅游局", 2024, "final_accounts", "万元")


def test_title_only_report(tmp_path):
    doc = _doc(tmp_path, "上海市普陀区财政局2024年度部门决算\n一、收入支出决算总体情况说明\n2024年度收入、支出总计均为100.5万元。\n")
    got = heuristic(doc)
    assert (got.department, got.fiscal_year, got.report_type) == ("上海市普陀区财政局", 2024, "final_accounts")


def test_performance_self_evaluation_report(tmp_path):
    doc = _doc(
        tmp_path,
        "上海市普陀区民政局\n2024年度部门整体支出绩效自评报告\n"
        "一、部门基本情况\n本部门2024年度部门决算支出1200万元，年初预算1300万元。\n",
    )
    got = heuristic(doc)
    assert (got.department, got.fiscal_year, got.report_type) == ("上海市普陀区民政局", 2024, "performance_report")


def test_final_accounts_whose_narrative_names_budget(tmp_path):
    doc = _doc(
        tmp_path,
        "中共某某县委政法委员会2023年度部门决算\n"
        + "根据2023年度部门预算安排，年初预算为90万元。2024年度部门预算将另行公开。\n" * 3,
    )
    assert heuristic(doc).report_type == "final_accounts"


def test_first_sentence_is_not_the_department(tmp_path):
    doc = _doc(
        tmp_path,
        "此次绩效自评报告将与部门决算一并公开。\n第二部分 2024年度部门决算情况说明\n"
        "中共攀枝花市西区区委政法委员会2024年度收入、支出总计均为770.43万元。\n"
        "2024年度，中共攀枝花市西区区委政法委员会机关运行经费支出35万元。\n",
    )
    got = heuristic(doc)
    assert got.department == "中共攀枝花市西区区委政法委员会" and got.report_type == "final_accounts"
    # a model that offers the sentence is refused; the title block's name stands
    offered = reconcile(Identity(department="此次绩效自评报告将与"), doc, Identity(fiscal_year=2024))
    assert offered.department is None
    assert not looks_like_department("此次绩效自评报告将与") and looks_like_department("上海市普陀区民政局")


def test_missing_identity_is_an_extraction_violation(tmp_path):
    doc = _doc(tmp_path, "一、情况说明\n本年收入合计100万元。\n")
    got = heuristic(doc)
    assert got.department is None
    found = violations(got)
    assert {v.subject for v in found} == {"department", "fiscal_year", "report_type"}
    assert all(v.cls == "extraction" and v.severity == "error" for v in found)


def test_a_record_without_its_identity_is_unresolved(tmp_path):
    from pipeline.extract.run import Extractor, status_of
    from pipeline.llm.ledger import Ledger

    class NoModel:
        ledger = Ledger()

    doc = _doc(tmp_path, "一、情况说明\n本年收入合计100万元。\n")
    ex = Extractor(doc, NoModel(), Settings(), FA, parts=())  # type: ignore[arg-type]
    ex.identity = heuristic(doc)
    _, report, _ = ex.check()
    assert "ID.identity" in {v.rule for v in report.errors("extraction")}
    assert status_of(report, []) == "unresolved"
