"""The gold loader: contract paths in, the same paths and values out of ``Record.flatten()``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from test_validate_docs import GOLD, needs_shared

from pipeline.record.figure import SourceKind
from pipeline.record.gold import record_from_gold, source_kind, unit_for
from pipeline.record.io import read_record

LIST_KEYS = (
    "code",
    "name",
    "amount",
    "share_pct",
    "budget",
    "completion_pct",
    "adjusted_budget",
    "executed",
    "execution_rate_pct",
    "score",
)


@needs_shared
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_flatten_returns_every_gold_field(gold):
    data = json.loads(gold.read_text(encoding="utf-8"), parse_float=Decimal)
    flat = record_from_gold(gold).flatten(exact=True)
    for path, obj in data["fields"].items():
        if isinstance(obj, dict):
            assert flat[path] == obj["value"], path
        elif isinstance(obj, list):
            assert len(flat[path]) == len(obj), path
            for got, want in zip(flat[path], obj, strict=True):
                for key in LIST_KEYS:
                    if key in want:
                        assert got[key] == want[key], (path, key)
        else:
            assert flat[path] == obj, path
    for path, obj in data["extra_fields"].items():
        if isinstance(obj.get("value"), list):
            continue
        assert flat[path] == obj["value"], path


@needs_shared
def test_sources_also_and_alternates_are_kept():
    gold = next(g for g in GOLD if g.stem.startswith("putuo"))
    r = record_from_gold(gold)
    total = r.summary.total
    assert [s.page for s in total.sources] == [5, 17]
    assert total.sources[0].kind is SourceKind.TABLE and total.sources[1].kind is SourceKind.NARRATIVE
    item = r.general_budget.items[0]
    assert item.budget.sources[0].page == 18 and item.amount.sources[0].page == 12
    dingxi = record_from_gold(next(g for g in GOLD if g.stem.startswith("dingxi")))
    assert [a.value for a in dingxi.performance.self_score.alternates] == [Decimal("89.2"), Decimal("89.2")]
    project = dingxi.performance.projects[0]
    assert project.budget.sources[0].line == 969 and project.adjusted_budget.alternates[0].value == 100


@needs_shared
def test_read_record_accepts_gold_and_record_json(tmp_path):
    gold = GOLD[0]
    r = read_record(gold)
    out = tmp_path / "r.json"
    out.write_text(r.model_dump_json(), encoding="utf-8")
    assert read_record(out).flatten(exact=True) == r.flatten(exact=True)
    # the file `juesuan extract` writes wraps the record with its status, validation and ledger
    wrapped = tmp_path / "extracted.json"
    wrapped.write_text(f'{{"status": "reconciled", "record": {r.model_dump_json()}, "ledger": {{}}}}', encoding="utf-8")
    assert read_record(wrapped).flatten(exact=True) == r.flatten(exact=True)


def test_units_and_source_kinds():
    assert unit_for("general_budget.share_pct") == "%"
    assert unit_for("performance.projects.score") == "分"
    assert unit_for("assets.vehicles") == "辆" and unit_for("income.total") == "万元"
    assert source_kind("合计 307.82 105.58 202.24") is SourceKind.TABLE
    assert source_kind("本年支出合计307.82 万元，其中：基本支出105.58 万元") is SourceKind.NARRATIVE
