"""On a real report (the shared putuo 部门决算, born-digital): the tables the pipeline reads from it account for
every printed amount, and the misreadings seen on real scans — T5's 项 rows not read, a column of T4 not
mapped, T5's 合计 row lost, no table recognised at all — come out as our reading (``extraction``, with the
table to re-read), never as the report's error; the report's own inconsistencies stay ``source``.
"""

from __future__ import annotations

import os
from functools import cache

import pytest
from conftest import FINAL, SHARED

from pipeline.document import Document
from pipeline.extract.run import verdict
from pipeline.record.model import Record
from pipeline.record.table_build import tables_from_document
from pipeline.validate import ValidationSettings, validate
from pipeline.validate.textdoc import load_document

GOLD = SHARED / "gold" / f"{FINAL.stem}.json"
pytestmark = pytest.mark.skipif(
    not FINAL.exists() and not os.environ.get("CI"), reason="the shared putuo report is not available"
)
CORE = ("T1", "T2", "T3", "T4", "T5")


@cache
def document() -> Document:
    return load_document(FINAL)


def tables_record() -> Record:
    """What the pipeline reads from the report's tables (no model involved)."""
    return Record(document=FINAL.name, tables=tables_from_document(document()))


def check(record: Record):
    return validate(record, document(), ValidationSettings(disabled=["DC.three_public"]))


def findings(report, cls: str) -> list:
    return [v for v in report.violations if v.cls == cls]


def test_every_printed_amount_is_read():
    report = check(tables_record())
    for tid in CORE + ("T6",):
        count = report.tables[tid]
        assert count.printed > 0 and count.mapped == count.printed == count.figures, (tid, count)
    assert report.suspect_tables() == {}
    assert findings(report, "extraction") == [] and findings(report, "source") == []
    assert report.rules["DC.core_tables"].passed == 5


def test_t5_items_not_read_is_ours():
    """The 项 rows of T5 lost (the split 类|款|项 code columns did this on a real scan): Σ项 ≠ 类 is ours."""
    record = tables_record()
    t5 = record.tables["T5"]
    t5.rows = [r for r in t5.rows if not (r.code and len(r.code) == 7)]
    report = check(record)
    assert findings(report, "source") == []
    assert report.rules["T5.tree"].passed  # the 类 and 款 rows left still add up: no identity notices
    v = next(v for v in report.violations if v.rule == "DC.tables_complete")  # the printed table does
    assert (v.subject, v.cls, v.severity) == ("T5", "extraction", "error")
    assert [e.pattern for e in v.evidence] == ["rows_not_read"] and len(v.evidence[0].cells) == 6
    suspects = report.suspect_tables()
    assert list(suspects) == ["T5"] and "printed amounts not read" in suspects["T5"][0]
    assert "行政运行" in suspects["T5"][0]
    status, reasons = verdict(report, [])
    assert status == "unresolved" and any(r.startswith("T5") for r in reasons)


def test_t4_column_not_mapped_is_ours():
    """T4's 一般公共预算 column left blank (columns by fund kind not mapped): never the report's."""
    record = tables_record()
    for row in record.tables["T4"].rows:
        row.values.pop("general_budget", None)
    report = check(record)
    assert findings(report, "source") == []
    bad = findings(report, "extraction")
    assert {"T4.expenditure_kinds", "X.T4_T5"} <= {v.rule for v in bad}
    assert any(e.pattern == "column_missing" for v in bad for e in v.evidence)
    assert "T4" in report.suspect_tables()


def test_t5_total_row_lost_is_ours():
    """“X.T4_T5 2940.05 ≠ 0” on a real scan: T5's total was not read. Here its 合计 row is dropped."""
    record = tables_record()
    record.tables["T5"].rows = [r for r in record.tables["T5"].rows if r.key != "total"]
    report = check(record)
    assert findings(report, "source") == []
    assert report.tables["T5"].mapped == report.tables["T5"].printed - 3
    assert verdict(report, [])[0] == "unresolved"


def test_tables_not_recognised_is_unresolved():
    """A report whose tables were not recognised at all is not ``reconciled`` with a dozen figures."""
    record = tables_record()
    record.tables = {}
    report = check(record)
    hits = [v for v in report.violations if v.rule == "DC.core_tables"]
    assert {v.subject for v in hits} == set(CORE) and all(v.cls == "extraction" for v in hits)
    status, reasons = verdict(report, [])
    assert status == "unresolved" and sum("tables not read" in r for r in reasons) == 5
    assert report.coverage.not_run["T5.tree"] == ["T5"]


@pytest.mark.skipif(not GOLD.exists() and not os.environ.get("CI"), reason="the shared gold is not available")
def test_the_reports_own_inconsistencies_stay_source():
    from pipeline.record.gold import record_from_gold

    record = record_from_gold(GOLD)
    record.tables = tables_from_document(document())
    report = check(record)
    assert findings(report, "extraction") == []
    rules = {v.rule for v in findings(report, "source")}
    assert {"CMP.general_budget", "PROC.sme_parts", "YOY.summary"} <= rules  # checked by hand in the gold
    assert all(v.evidence == [] for v in findings(report, "source"))
    assert verdict(report, [])[0] == "source_inconsistent"
