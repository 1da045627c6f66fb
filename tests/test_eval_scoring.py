"""Scoring rules on hand-built gold/prediction pairs, with the exact counts and P/R/F1 they must give."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.evaluation import EvalInputError, score_documents
from pipeline.evaluation.loading import load_prediction
from pipeline.evaluation.values import Val, equal, norm_text, to_number
from pipeline.record.figure import figure
from pipeline.record.model import ItemRow, Record

GOLD = {
    "document": "test-2024-final.pdf",
    "fields": {
        "department": "中共测试区委政法委员会",
        "fiscal_year": 2024,
        "report_type": "final_accounts",
        "unit": "万元",
        "summary.total": {"value": 307.82, "page": 5, "quote": "总计 307.82 总计 307.82"},
        "income.total": {"value": 307.82, "page": 5, "quote": "本年收入合计 307.82"},
        "general_budget.share_pct": {"value": 86.05, "page": 18, "quote": "占本年支出合计的86.05%"},
        "general_budget.items": [
            {
                "code": "2013901",
                "name": "行政运行",
                "amount": 51.32,
                "page": 12,
                "quote": "2013901 行政运行 51.32",
            },
            {
                "code": "2013950",
                "name": "事业运行",
                "amount": 11.31,
                "page": 12,
                "quote": "2013950 事业运行 11.31",
            },
        ],
    },
    "extra_fields": {"department_aliases": ["测试区委政法委"]},
    "source_inconsistencies": [],
}
N = 13  # 4 identity + 3 figures + 2 rows × (code, name, amount)


def _score(tmp_path: Path, pred: dict, gold: dict = GOLD):
    g, p = tmp_path / "gold", tmp_path / "pred"
    g.mkdir(exist_ok=True)
    p.mkdir(exist_ok=True)
    (g / "test-2024-final.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (p / "test-2024-final.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    return score_documents(g, p)


def _pred(**changes) -> dict:
    pred = copy.deepcopy(GOLD)
    for path, value in changes.items():
        pred["fields"][path.replace("__", ".")] = value
    return pred


def _counts(result) -> tuple[int, int, int]:
    c = result.overall
    return c.tp, c.fp, c.fn


def test_exact_match_scores_one(tmp_path):
    r = _score(tmp_path, _pred())
    assert _counts(r) == (N, 0, 0)
    assert (r.overall.precision, r.overall.recall, r.overall.f1) == (1.0, 1.0, 1.0)
    assert r.location.hits == r.location.total == 5  # three figures and two row amounts have a gold page


@pytest.mark.parametrize("value", [307.824, 307.816, 307.825, "307.82", "307.82万元"])
def test_within_tolerance_matches(tmp_path, value):
    r = _score(tmp_path, _pred(summary__total={"value": value, "page": 5, "quote": "总计 307.82"}))
    assert _counts(r) == (N, 0, 0)


def test_off_by_a_cent_is_a_false_positive_and_a_false_negative(tmp_path):
    r = _score(tmp_path, _pred(summary__total={"value": 307.83, "page": 5, "quote": "总计 307.83"}))
    assert _counts(r) == (12, 1, 1)
    assert r.overall.wrong == 1
    assert r.overall.precision == pytest.approx(12 / 13)
    assert r.overall.recall == pytest.approx(12 / 13)
    assert r.overall.f1 == pytest.approx(12 / 13)
    worst = r.worst_fields[0]
    assert worst.shape == "summary.total"
    ex = worst.examples[0]
    assert (ex.gold.value, ex.pred.value, ex.difference) == (307.82, 307.83, pytest.approx(0.01))
    assert (ex.gold.quote, ex.pred.quote) == ("总计 307.82 总计 307.82", "总计 307.83")


def test_missing_field_is_a_false_negative(tmp_path):
    pred = _pred()
    del pred["fields"]["income.total"]
    r = _score(tmp_path, pred)
    assert _counts(r) == (12, 0, 1)
    assert r.overall.precision == 1.0
    assert r.overall.recall == pytest.approx(12 / 13)
    assert r.overall.f1 == pytest.approx(24 / 25)
    assert r.sections["income"].recall == 0.0


def test_extra_field_is_a_false_positive(tmp_path):
    r = _score(tmp_path, _pred(three_public__total={"value": 0, "page": 19, "quote": "没有“三公”经费支出"}))
    assert _counts(r) == (13, 1, 0)
    assert r.overall.precision == pytest.approx(13 / 14)
    assert r.overall.recall == 1.0
    assert r.overall.f1 == pytest.approx(26 / 27)
    assert r.sections["three_public"].extra == 1


def test_reordered_rows_match_by_code(tmp_path):
    pred = _pred()
    pred["fields"]["general_budget.items"] = list(reversed(pred["fields"]["general_budget.items"]))
    assert _counts(_score(tmp_path, pred)) == (N, 0, 0)


def test_dropped_row_loses_all_its_fields(tmp_path):
    pred = _pred()
    pred["fields"]["general_budget.items"] = pred["fields"]["general_budget.items"][:1]
    r = _score(tmp_path, pred)
    assert _counts(r) == (10, 0, 3)
    assert r.overall.f1 == pytest.approx(20 / 23)
    assert {f.path for f in r.documents[0].fields if f.outcome == "missing"} == {
        "general_budget.items[2013950].code",
        "general_budget.items[2013950].name",
        "general_budget.items[2013950].amount",
    }


def test_rows_with_two_different_codes_are_two_rows(tmp_path):
    pred = _pred()
    pred["fields"]["general_budget.items"][1]["code"] = "2013999"
    r = _score(tmp_path, pred)
    assert _counts(r) == (10, 3, 3)


def test_rows_without_code_match_by_normalized_name(tmp_path):
    gold = copy.deepcopy(GOLD)
    for row in gold["fields"]["general_budget.items"]:
        del row["code"]
    gold["fields"]["general_budget.items"][0]["name"] = "一般公共服务（类）社会工作事务（款）行政运行（项）"
    pred = copy.deepcopy(gold)
    pred["fields"]["general_budget.items"] = [
        {"name": "事业运行", "amount": 11.31, "page": 12},
        {"name": "一般公共服务(类) 社会工作事务(款)行政运行(项)", "amount": 51.32, "page": 12},
    ]
    r = _score(tmp_path, pred, gold)
    assert _counts(r) == (11, 0, 0)  # 4 identity + 3 figures + 2 rows × (name, amount)


def test_yuan_is_converted_to_wan(tmp_path):
    r = _score(
        tmp_path, _pred(summary__total={"value": 3078200, "unit": "元", "page": 5, "quote": "3,078,200.00"})
    )
    assert _counts(r) == (N, 0, 0)
    r = _score(tmp_path, _pred(summary__total={"value": "3,078,200.00元", "page": 5}))
    assert _counts(r) == (N, 0, 0)
    # the number without its unit is 10000 times off
    r = _score(tmp_path, _pred(summary__total={"value": 3078200, "page": 5}))
    assert _counts(r) == (12, 1, 1)


def test_identity_fields_count_and_accept_aliases(tmp_path):
    pred = _pred(department="测试区委政法委", fiscal_year="2024")
    assert _counts(_score(tmp_path, pred)) == (N, 0, 0)
    pred = _pred(department="中共别的区委政法委员会", report_type="budget")
    r = _score(tmp_path, pred)
    assert _counts(r) == (11, 2, 2)
    assert r.sections["identity"].wrong == 2


def test_page_agreement_counts_gold_pages_including_also(tmp_path):
    gold = copy.deepcopy(GOLD)
    gold["fields"]["summary.total"]["also"] = [{"page": 17, "quote": "收入支出总计307.82 万元"}]
    pred = _pred(
        summary__total={"value": 307.82, "page": 17, "quote": "收入支出总计307.82 万元"},  # an `also` page
        income__total={"value": 307.82, "page": 6, "quote": "合计 307.82"},  # not a gold page
    )
    r = _score(tmp_path, pred, gold)
    assert _counts(r) == (N, 0, 0)
    assert (r.location.hits, r.location.total) == (4, 5)


def _record() -> Record:
    rec = Record(document="test-2024-final.pdf", department="中共测试区委政法委员会", fiscal_year=2024)
    rec.report_type = "final_accounts"
    rec.unit = "万元"
    rec.summary.total = figure("307.82", "总计 307.82 总计 307.82", page=5)
    rec.income.total = figure("307.82", "本年收入合计 307.82", page=5)
    rec.general_budget.share_pct = figure("86.05", "占本年支出合计的86.05%", unit="%", page=18)
    rec.income.appropriation_share_pct = figure("100", "占100%", unit="%", page=17)  # not a contract path
    rec.general_budget.items = [
        ItemRow(code="2013950", name="事业运行", amount=figure("11.31", "2013950 事业运行 11.31", page=12)),
        ItemRow(code="2013901", name="行政运行", amount=figure("51.32", "2013901 行政运行 51.32", page=12)),
    ]
    return rec


def test_record_prediction_with_validation_and_ledger(tmp_path):
    report = {
        "document": "test-2024-final.pdf",
        "grounded_document": True,
        "figures": 8,
        "ungrounded": 2,
        "violations": [
            {
                "rule": "R1",
                "title_zh": "",
                "title_en": "",
                "subject": "x",
                "severity": "error",
                "cls": "source",
                "fields": [{"path": "T1[in:total].amount", "value": 307.82, "grounded": True, "page": 5}],
            },
            {
                "rule": "R2",
                "title_zh": "",
                "title_en": "",
                "subject": "y",
                "severity": "info",
                "cls": "rounding",
                "fields": [
                    {"path": "general_budget.items[2013901].amount", "value": 51.32, "grounded": True}
                ],
            },
        ],
    }
    ledger = {
        "calls": 3,
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "stage_seconds": {"ocr": 2.5, "extract": 1.0},
        "parts": {
            "summary": {"calls": 2, "prompt_tokens": 60, "completion_tokens": 10},
            "income": {"calls": 1, "prompt_tokens": 40, "completion_tokens": 10},
        },
    }
    pred = {
        "document": "test-2024-final.pdf",
        "record": _record().model_dump(mode="json"),
        "status": "source_inconsistent",
        "validation": report,
        "ledger": ledger,
    }
    gold = copy.deepcopy(GOLD)
    gold["source_inconsistencies"] = [
        {"description": "income", "pages": [5], "fields": ["income.total"], "severity": "error"},
        {"description": "items", "pages": [12], "fields": ["general_budget.items"], "severity": "rounding"},
        {"description": "share", "pages": [18], "fields": ["general_budget.share_pct"], "severity": "error"},
        {"description": "by page", "pages": [5], "fields": [], "severity": "error"},
        {"description": "label", "pages": [3], "fields": ["department"], "severity": "note"},
    ]
    r = _score(tmp_path, pred, gold)
    assert _counts(r) == (N, 0, 0)  # the share outside the contract is neither credited nor penalized
    assert r.statuses == {"reconciled": 0, "source_inconsistent": 1, "unresolved": 0}
    assert (r.grounding.hits, r.grounding.total, r.grounding.method) == (6, 8, "validator")
    assert (r.detection.found.hits, r.detection.found.total, r.detection.notes) == (3, 4, 1)
    assert [e.detected for e in r.documents[0].detection.entries] == [True, True, False, True, None]
    assert r.violations == {"extraction": 0, "source": 1, "rounding": 1}
    assert (r.cost.calls, r.cost.prompt_tokens, r.cost.completion_tokens) == (3, 100, 20)
    assert r.cost.stage_seconds == {"ocr": 2.5, "extract": 1.0}
    assert r.cost.parts["summary"].calls == 2


def test_bare_record_with_yuan_figures(tmp_path):
    data = _record().model_dump(mode="json")
    data["summary"]["total"]["value"] = 3078200
    data["summary"]["total"]["unit"] = "元"
    r = _score(tmp_path, data)
    assert _counts(r) == (N, 0, 0)
    assert r.grounding.method == "quotes"
    assert r.statuses["unknown"] == 1


def test_error_rounding_violation_does_not_detect_an_error_entry(tmp_path):
    gold = copy.deepcopy(GOLD)
    gold["source_inconsistencies"] = [{"description": "x", "fields": ["income.total"], "severity": "error"}]
    report = {
        "grounded_document": False,
        "violations": [
            {
                "rule": "R",
                "title_zh": "",
                "title_en": "",
                "subject": "s",
                "severity": "info",
                "cls": "rounding",
                "fields": [{"path": "income.total", "value": 307.82, "grounded": True}],
            },
            {
                "rule": "E",
                "title_zh": "",
                "title_en": "",
                "subject": "s",
                "severity": "error",
                "cls": "extraction",
                "fields": [{"path": "income.total", "value": 307.82, "grounded": False}],
            },
        ],
    }
    pred = {"record": _record().model_dump(mode="json"), "validation": report}
    r = _score(tmp_path, pred, gold)
    assert (r.detection.found.hits, r.detection.found.total) == (0, 1)
    assert r.statuses["unresolved"] == 1  # derived from the report: an extraction error remains


def test_missing_prediction_scores_empty_or_is_skipped(tmp_path):
    g = tmp_path / "gold"
    g.mkdir()
    (g / "a.json").write_text(json.dumps(GOLD | {"document": "a.pdf"}, ensure_ascii=False), encoding="utf-8")
    (g / "b.json").write_text(json.dumps(GOLD | {"document": "b.pdf"}, ensure_ascii=False), encoding="utf-8")
    p = tmp_path / "pred"
    p.mkdir()
    (p / "a.json").write_text(json.dumps(GOLD | {"document": "a.pdf"}, ensure_ascii=False), encoding="utf-8")
    r = score_documents(g, p)
    assert _counts(r) == (N, 0, N)
    assert r.unmatched_gold == ["b"]
    assert r.statuses["missing"] == 1
    assert r.macro_f1 == pytest.approx(0.5)
    assert _counts(score_documents(g, p, missing="skip")) == (N, 0, 0)


def test_no_matching_document_is_an_input_error(tmp_path):
    g, p = tmp_path / "gold", tmp_path / "pred"
    g.mkdir()
    p.mkdir()
    (g / "a.json").write_text(json.dumps(GOLD | {"document": "a.pdf"}), encoding="utf-8")
    (p / "z.json").write_text(json.dumps(GOLD | {"document": "z.pdf"}), encoding="utf-8")
    with pytest.raises(EvalInputError, match="no prediction matches"):
        score_documents(g, p)
    with pytest.raises(EvalInputError, match="not a folder"):
        score_documents(tmp_path / "nope", p)


def test_in_process_records_score_like_files(tmp_path):
    g = tmp_path / "gold"
    g.mkdir()
    (g / "test-2024-final.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    r = score_documents(g, {"test-2024-final": _record()})
    assert _counts(r) == (N, 0, 0)


def test_value_rules():
    assert to_number("7,704,300.00 元") == to_number("770.43")
    assert to_number("86.05%") == to_number(86.05)
    assert to_number("无") is None and to_number(True) is None
    assert norm_text(" 一般公共服务（类） ") == norm_text("一般公共服务(类)")
    assert equal(Val(to_number("1.000")), Val(to_number("1.005")))
    assert not equal(Val(to_number("1.000")), Val(to_number("1.0051")))
    assert equal(Val("行政运行", variants=("行政运行（项）",)), Val("行政运行(项)"))


def test_unreadable_prediction_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"summary": {"nope": 1}}), encoding="utf-8")
    with pytest.raises(EvalInputError, match="not a prediction"):
        load_prediction(bad)
