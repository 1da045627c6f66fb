"""Projects of the 项目支出绩效自评表 forms, read from each form's header order, on the real seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.extract.projects import read_projects
from pipeline.parse import parse_path
from pipeline.textindex import TextIndex


@pytest.fixture(scope="module")
def luzhou():
    return read_projects(TextIndex(parse_path(SHARED / "seeds/luzhou-2024-final.txt", Settings())))


@pytest.fixture(scope="module")
def dingxi():
    return read_projects(TextIndex(parse_path(SHARED / "seeds/dingxi-2023-final.txt", Settings())))


def _values(row) -> dict:
    fields = ("budget", "adjusted_budget", "executed", "execution_rate_pct", "score")
    return {f: getattr(row, f).value for f in fields if getattr(row, f) is not None}


def test_one_row_per_form_under_its_header(luzhou):
    assert len(luzhou) == 13
    first = luzhou[0]
    assert first.name == "51050021Y000000024280-单项定额基本运转支出"
    assert _values(first) == {"budget": Decimal("23.28"), "adjusted_budget": Decimal("23.28"),
                              "executed": Decimal("21.14"), "execution_rate_pct": Decimal("90.81"),
                              "score": Decimal("100")}
    src = first.executed.source
    assert src.line == 238 and src.quote == "总额 23.28 23.28 21.14 90.81% 10" and src.printed == "21.14"
    assert luzhou[4].budget.value == Decimal("1237.72")  # printed '1,237.72'


def test_a_blank_score_stays_blank(luzhou):
    """The 合计 row prints only the weight (100) where the 得分 cell is empty: no score is made up."""
    row = luzhou[2]
    assert row.name.endswith("年初预算基本支出预留(人员支出)") and row.score is None
    assert row.budget.value == 0 and row.adjusted_budget.value == Decimal("28.48")


def test_summary_table_row_and_the_forms_other_values(dingxi):
    """The 汇总表 gives 全年预算数/执行数/执行率; a form stating them otherwise keeps its value as an alternate."""
    assert len(dingxi) == 9
    first = dingxi[0]
    assert first.name == "综治维稳暨市域社会治理试点经费"
    assert _values(first) == {"budget": Decimal("100"), "adjusted_budget": Decimal("90"), "executed": Decimal("89.97"),
                              "execution_rate_pct": Decimal("99.96"), "score": Decimal("81")}
    assert [a.value for a in first.adjusted_budget.alternates] == [Decimal("100")]
    assert first.adjusted_budget.source.line == 831 and first.score.source.quote == "总分 100 81"
    assert all(not r.name.endswith("-") for r in dingxi)  # the text table's rule is not part of a name


def test_scores_stated_in_sentences_where_there_are_no_forms():
    rows = read_projects(TextIndex(parse_path(SHARED / "seeds/xiqu-panzhihua-2024-final.txt", Settings())))
    assert [(r.name, r.score.value) for r in rows] == [("雪亮工程项目", Decimal("100")), ("平安建设项目", Decimal("100"))]
    assert rows[0].score.source.line == 102 and rows[0].score.source.quote == "雪亮工程项目绩效自评得分为100分"
    # the department's overall score ('部门整体（含部门预算项目）绩效自评得分为97分') is not a project
    assert all("整体" not in r.name for r in rows)
