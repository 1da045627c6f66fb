"""CI's evaluation gates (.ci/run; eval/README.md, "CI's evaluation").

Each floor sits at its last measured value, CI runs every floor file, and a dead model (a loopback endpoint
that answers every request with no figures, as a broken model, prompt or client would) falls under the
gates that need the model: a green CI means the model did its share, not only the table mapping and the
pre-fill from labels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FINAL, SEEDS
from conftest import GOLD as SHARED_GOLD
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings
from pipeline.evaluation.floor import load_floor

try:
    from tests.llm_stub import StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import StubServer, answer

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "eval"
FLOORS = sorted(EVAL.glob("floor*.json"))
SLACK = 0.02  # how far under its measured value a floor may sit: the model's run-to-run variation

runner = CliRunner()


# ---- the floor files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FLOORS, ids=lambda p: p.name)
def test_floor_sits_at_its_last_measured_value(path):
    """Every number of a floor is at most its measured value and at most SLACK under it: a floor lowered to
    let a worse run pass, or left behind when results improved, fails here."""
    floor = load_floor(path)
    measured = floor.measured
    assert measured is not None, f"{path.name}: no 'measured' values to check the floor against"
    pairs = [("f1", floor.f1, measured.f1)] if floor.f1 else []
    pairs += [(f"sections.{k}", v, measured.sections.get(k)) for k, v in floor.sections.items()]
    pairs += [(f"documents.{k}", v, measured.documents.get(k)) for k, v in floor.documents.items()]
    assert pairs, f"{path.name}: no floor at all"
    for name, value, last in pairs:
        assert last is not None, f"{path.name}: {name} has a floor but no measured value"
        assert last - SLACK - 1e-9 <= value <= last, f"{path.name}: {name} floor {value} vs measured {last}"


def test_ci_runs_every_floor_and_the_model_configuration():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for path in FLOORS:
        assert f"--floor eval/{path.name}" in ci, path.name
    assert "--config-file eval/ci-model.toml" in ci


# ---- a dead model ---------------------------------------------------------------------------------------


@pytest.fixture
def dead_model(tmp_path, monkeypatch):
    """The evaluation's model is the stub answering {"figures": []} to everything. The OCR cache is the user's
    (in CI the README's extract command has just filled it with the samples' pages); the rest is this test's."""
    ocr = Settings().cache_dir / "ocr"
    ocr.mkdir(parents=True, exist_ok=True)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "ocr").symlink_to(ocr, target_is_directory=True)
    with StubServer([answer({"figures": []})]) as stub:
        env = {
            "CACHE_DIR": cache,
            "LLM_PROVIDER": "openai",
            "LLM_BASE_URL": stub.url,
            "LLM_MODEL": "dead-model",
            "LLM_API_KEY": "sk-test",
        }
        for key, value in env.items():
            monkeypatch.setenv(f"JUESUAN_{key}", str(value))
        yield stub


def gate(tmp_path: Path, floor: str, *args: str) -> tuple[dict, set[str], str]:
    """One CI gate through ``juesuan eval run``; it must fail on its floor alone (every report was read).
    Returns the run's metrics, the documents under their floor, and the output."""
    out = ["--out", str(tmp_path / "out"), "--json", "--quiet", "--no-review", "--floor", str(EVAL / floor)]
    res = runner.invoke(app, ["eval", "run", *args, *out])
    assert res.exit_code == 1, res.output
    (run,) = json.loads(res.stdout)["configs"]
    assert run["failed"] == 0 and run["error"] is None, run
    text = " ".join(res.output.split())
    under = {stem for stem in load_floor(EVAL / floor).documents if f"{stem} F1" in text}
    return run["result"], under, text


def test_dead_model_falls_under_the_model_floor(dead_model, tmp_path):
    samples = ("--gold", str(EVAL / "gold"), "--docs", str(REPO / "samples"))
    result, _, text = gate(tmp_path, "floor-model.json", *samples, "--config-file", str(EVAL / "ci-model.toml"))
    assert dead_model.requests, "the model was never asked"
    assert result["overall"]["f1"] < load_floor(EVAL / "floor-model.json").f1
    assert "below the floor (model): overall F1" in text


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="../shared is not beside the checkout (CI fails instead)")
def test_dead_model_falls_under_the_floors_of_the_seeds(dead_model, tmp_path):
    """Dingxi's free-form 说明 is the model's to read (7 calls): a dead model falls under its floor. The other
    seeds' tab-aligned tables and template 说明 are read without the model (xiqu asks it nothing), so their
    floors guard the table path and pre-fill; eval/floor-model.json is the gate where the model does the work."""
    _, under, _ = gate(tmp_path, "floor-shared.json", "--gold", str(SHARED_GOLD), "--docs", str(SEEDS), "--docs", str(FINAL))
    assert "dingxi-2023-final" in under
