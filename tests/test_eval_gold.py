"""The harness on real gold: every gold file scores 1.0 against itself, and a perturbation costs exactly
what the rules say."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import SHARED

from pipeline.evaluation import prediction_from_record, score_documents
from pipeline.evaluation.loading import load_gold, load_prediction
from pipeline.record.gold import record_from_gold
from pipeline.reports.final_accounts.contract import LISTS
from pipeline.validate import validate

SHARED_GOLD = sorted((SHARED / "gold").glob("*.json"))
REPO_GOLD = sorted(
    p
    for p in (Path(__file__).resolve().parents[1] / "eval" / "gold").glob("*.json")
    if ".truth." not in p.name
)
PUTUO = SHARED / "gold" / "putuo-shehuigongzuobu-2024-final.json"

needs_shared = pytest.mark.skipif(not SHARED_GOLD, reason="shared/gold is not beside the checkout")


@pytest.mark.parametrize("gold", SHARED_GOLD + REPO_GOLD, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_gold_against_itself_scores_one(gold, tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / gold.name).write_bytes(gold.read_bytes())
    result = score_documents(folder, folder)
    c = result.overall
    assert c.tp > 0 and (c.fp, c.fn) == (0, 0)
    assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert result.location.rate in (1.0, None)
    assert not result.unknown_gold_paths  # gold `fields` use only contract paths


@pytest.mark.parametrize("gold", SHARED_GOLD + REPO_GOLD, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_gold_as_a_record_scores_one(gold):
    """The Record path (figures with sources, list rows as models) loses nothing the contract scores."""
    record = record_from_gold(gold)
    pred = prediction_from_record(record, validation=validate(record))
    result = score_documents([load_gold(gold)], [pred])
    assert result.overall.f1 == 1.0
    assert result.grounding.method == "validator"
    assert result.detection.available
    due = [i for i in load_gold(gold).inconsistencies if i.severity in ("error", "rounding")]
    assert result.detection.found.total == len(due)


@needs_shared
def test_perturbed_gold_drops_exactly(tmp_path):
    """summary.total off by 1 (one wrong pair: FP+FN) and the 2013901 row dropped (its 5 fields: FN)."""
    data = json.loads(PUTUO.read_text(encoding="utf-8"))
    n = score_documents([load_gold(PUTUO)], [load_prediction(PUTUO)]).overall.tp
    assert n == 99
    pert = copy.deepcopy(data)
    pert["fields"]["summary.total"]["value"] = 308.82
    rows = pert["fields"]["general_budget.items"]
    dropped = next(r for r in rows if r["code"] == "2013901")
    rows.remove(dropped)
    assert [k for k in LISTS["general_budget.items"] if k in dropped] == [
        "code",
        "name",
        "amount",
        "budget",
        "completion_pct",
    ]
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / PUTUO.name).write_text(json.dumps(pert, ensure_ascii=False), encoding="utf-8")
    r = score_documents([load_gold(PUTUO)], pred)
    c = r.overall
    assert (c.tp, c.fp, c.fn, c.wrong, c.missing, c.extra) == (93, 1, 6, 1, 5, 0)
    assert c.precision == pytest.approx(93 / 94)
    assert c.recall == pytest.approx(93 / 99)
    assert c.f1 == pytest.approx(2 * 93 / (2 * 93 + 1 + 6))
    assert r.sections["summary"].wrong == 1 and r.sections["general_budget.items"].missing == 5
    assert {f.path for f in r.documents[0].fields if f.outcome != "tp"} == {
        "summary.total",
        *(
            f"general_budget.items[2013901].{k}"
            for k in ("code", "name", "amount", "budget", "completion_pct")
        ),
    }
