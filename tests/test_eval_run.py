"""``juesuan eval run``: configurations (parsing, typing, errors), extraction + scoring side by side, the floor's
exit codes, and one run through the real embedded model.

Most tests extract a small text report through a loopback OpenAI-compatible stub that answers by the
request's model and schema, so configurations ("good" or another model name, a size
limit that refuses the report) give different, known scores without a real model. The last test runs the
packaged model on a slice of a seed report.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED
from rich.console import Console
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluation.configs import ConfigSpecError, load_file, parse_spec, resolve

runner = CliRunner()

# ---- configurations ----------------------------------------------------------------------------------


def test_spec_values_are_typed_by_settings():
    c = parse_spec("rapid-0.5b:ocr_engine=rapidocr,render_dpi=150,use_cache=false,llm_max_tokens=256")
    assert c.name == "rapid-0.5b"
    assert c.overrides == {
        "ocr_engine": "rapidocr",
        "render_dpi": "150",
        "use_cache": "false",
        "llm_max_tokens": "256",
    }
    s = c.settings
    assert s.render_dpi == 150 and s.use_cache is False and s.llm_max_tokens == 256
    assert c.describe() == "ocr_engine=rapidocr, render_dpi=150, use_cache=false, llm_max_tokens=256"


def test_spec_name_only_and_key_spellings(monkeypatch):
    monkeypatch.setenv("JUESUAN_RENDER_DPI", "300")
    base = parse_spec("base")
    assert base.overrides == {} and base.describe() == "defaults"
    assert base.settings.render_dpi == 300  # the environment still counts
    c = parse_spec("p:JUESUAN_OCR_ENGINE=paddleocr, render-dpi = 100")
    assert c.overrides == {"ocr_engine": "paddleocr", "render_dpi": "100"}
    assert c.settings.ocr_engine == "paddleocr" and c.settings.render_dpi == 100
    big = parse_spec("big:llm_model=/models/x:y.gguf")  # only the first colon ends the name
    assert big.settings.llm_model == "/models/x:y.gguf"


def test_unknown_key_names_it_and_lists_the_valid_ones():
    with pytest.raises(ConfigSpecError) as e:
        parse_spec("x:ocr=paddleocr")
    msg = str(e.value)
    assert "'ocr'" in msg and "ocr_engine" in msg and "llm_model" in msg and "render_dpi" in msg


@pytest.mark.parametrize(
    "spec, words",
    [
        ("x:render_dpi=abc", ["render_dpi", "integer"]),
        ("x:render_dpi=20", ["render_dpi", "72"]),
        ("x:ocr_engine=tesseract", ["ocr_engine", "rapidocr"]),
        ("x:ocr_engine", ["not key=value"]),
        ("a/b:render_dpi=100", ["configuration name"]),
        (":render_dpi=100", ["configuration name"]),
    ],
)
def test_bad_specs(spec, words):
    with pytest.raises(ConfigSpecError) as e:
        parse_spec(spec)
    for w in words:
        assert w in str(e.value)


def test_resolve_default_duplicates_and_toml(tmp_path):
    (only,) = resolve(None)
    assert only.name == "default" and only.overrides == {}
    with pytest.raises(ConfigSpecError, match="twice"):
        resolve(["a", "A:render_dpi=100"])
    toml = tmp_path / "configs.toml"
    toml.write_text('[base]\n\n[paddle]\nocr_engine = "paddleocr"\nrender_dpi = 150\n', encoding="utf-8")
    configs = load_file(toml)
    assert [c.name for c in configs] == ["base", "paddle"]
    assert configs[1].settings.render_dpi == 150 and configs[1].settings.ocr_engine == "paddleocr"
    assert [c.name for c in resolve(["first"], [toml])] == ["first", "base", "paddle"]
    toml.write_text("[bad]\nrender_dpi = 1\n", encoding="utf-8")
    with pytest.raises(ConfigSpecError, match="render_dpi"):
        load_file(toml)


def test_secrets_are_masked():
    c = parse_spec("api:llm_provider=openai,llm_api_key=sk-secret")
    assert "sk-secret" not in c.describe() and c.public()["llm_api_key"] == "***"
    assert c.settings.llm_api_key.get_secret_value() == "sk-secret"


# ---- CLI wiring ---------------------------------------------------------------------------------------


def test_help():
    res = runner.invoke(app, ["eval", "run", "--help"])
    assert res.exit_code == 0
    out = " ".join(res.output.split())
    for opt in ("--docs", "--gold", "--config", "--config-file", "--out", "--floor", "--html", "--jobs"):
        assert opt in out
    res = runner.invoke(app, ["eval", "--help"])
    assert res.exit_code == 0 and "run" in res.output and "--pred" in res.output


def test_bad_config_exits_2_before_any_work(tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["eval", "run", "--docs", str(tmp_path), "--out", str(out), "--config", "x:ocr=paddleocr"]
    )
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "unknown setting 'ocr'" in text and "ocr_engine" in text
    assert not out.exists()


# ---- extraction through a stub endpoint ----------------------------------------------------------------

REPORT = """中共测试区委政法委员会
2024年度部门决算
第二部分 2024年度部门决算情况说明
2024年度收入、支出总计均为770.43万元。与2023年度相比，收入、支出总计各增加127.19万元，增长16.5%。
2024年度本年收入合计544.24万元，其中：一般公共预算财政拨款收入483.8万元，占88.89%；政府性基金预算财政拨款收入60.43万元，占11.1%。
"""  # no 说明 headings: nothing is pre-filled, the model points at every figure
GOLD = {
    "document": "t.txt",
    "fields": {
        "department": "中共测试区委政法委员会",
        "fiscal_year": 2024,
        "report_type": "final_accounts",
        "unit": "万元",
        "summary.total": {"value": 770.43, "line": 4, "quote": "收入、支出总计均为770.43万元"},
        "summary.total_change": {"value": 127.19, "line": 4, "quote": "收入、支出总计各增加127.19万元"},
        "summary.total_change_pct": {"value": 16.5, "line": 4, "quote": "增长16.5%"},
        "income.total": {"value": 544.24, "line": 5, "quote": "本年收入合计544.24万元"},
        "income.general_budget": {"value": 483.8, "line": 5, "quote": "一般公共预算财政拨款收入483.8万元"},
        "income.government_fund": {"value": 60.43, "line": 5, "quote": "政府性基金预算财政拨款收入60.43万元"},
    },
    "source_inconsistencies": [],
}
GOOD = {  # model "good" points at these ids, by the request's schema (each part's text numbers from n1)
    "SummaryPick": {"收支总计": "n1", "收支总计增减额": "n2", "收支总计增减率": "n3"},
    "IncomePick": {"本年收入合计": "n1", "一般公共预算财政拨款收入": "n2", "政府性基金预算财政拨款收入": "n4"},
}


class SchemaStub:
    """An OpenAI-compatible chat endpoint answering every field the request's schema asks (by model), in any order."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                req = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                stub.requests.append(req)
                asked = (req.get("response_format") or {}).get("json_schema") or {}
                picks = GOOD.get(asked.get("name", ""), {}) if req.get("model") == "good" else {}
                content = {k: picks.get(k) for k in (asked.get("schema") or {}).get("properties", {})}
                payload = {
                    "id": f"stub-{len(stub.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": req.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {
                                "role": "assistant",
                                "content": json.dumps(content, ensure_ascii=False),
                            },
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> SchemaStub:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def stub(monkeypatch, tmp_path):
    with SchemaStub() as s:
        for k, v in {
            "JUESUAN_CACHE_DIR": str(tmp_path / "cache"),
            "JUESUAN_LLM_PROVIDER": "openai",
            "JUESUAN_LLM_BASE_URL": s.url,
            "JUESUAN_LLM_API_KEY": "sk-test",
            "JUESUAN_LLM_MODEL": "bad",
            "JUESUAN_USE_CACHE": "false",
            "JUESUAN_EXTRACT_REPAIR_ROUNDS": "0",
            "JUESUAN_LLM_ATTEMPTS": "1",
        }.items():
            monkeypatch.setenv(k, v)
        yield s


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, Path]:
    """docs/: t.txt (gold), broken.pdf (gold, cannot be read), stray.txt (no gold); gold/: t.json, broken.json."""
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    (docs / "t.txt").write_text(REPORT, encoding="utf-8")
    (docs / "stray.txt").write_text(REPORT, encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (gold / "t.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    broken = json.loads(json.dumps(GOLD)) | {"document": "broken.pdf"}
    (gold / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    (gold / "absent.json").write_text(json.dumps(GOLD | {"document": "absent.pdf"}), encoding="utf-8")
    return docs, gold


def eval_run(docs: Path, gold: Path, out: Path, *args: str):
    return runner.invoke(
        app,
        [
            "eval",
            "run",
            "--docs",
            str(docs),
            "--gold",
            str(gold),
            "--out",
            str(out),
            "--no-review",
            "-q",
            *args,
        ],
    )


CONFIGS = ("-c", "good:llm_model=good", "-c", "blind:llm_model=blind", "-c", "tiny:max_file_mb=0.0001")


def test_configurations_side_by_side(stub, corpus, tmp_path):
    """good: the stub answers; blind: the model (any other name) points at nothing, so only the identity (read
    from the cover) is left; tiny: every report is refused as too large, so everything is missing."""
    docs, gold = corpus
    out, html = tmp_path / "out", tmp_path / "report.html"
    res = eval_run(docs, gold, out, *CONFIGS, "--json", "--html", str(html))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [c["name"] for c in data["configs"]] == ["good", "blind", "tiny"]
    assert sorted(Path(p).name for p in data["documents"]) == ["broken.pdf", "t.txt"]  # stray.txt has no gold
    good, blind, tiny = (c["result"] for c in data["configs"])
    assert data["configs"][0]["overrides"] == {"llm_model": "good"}
    assert (out / "good" / "t.json").exists() and (out / "blind" / "t.json").exists()
    assert not (out / "good" / "stray.json").exists() and not (out / "tiny" / "t.json").exists()
    # t: all 10 fields; broken.pdf failed: an empty prediction whose 10 gold fields are missing
    assert (good["overall"]["tp"], good["overall"]["fn"], good["overall"]["fp"]) == (10, 10, 0)
    assert good["overall"]["f1"] == pytest.approx(2 / 3)
    assert (blind["overall"]["tp"], blind["overall"]["fn"]) == (4, 16)  # identity only
    assert (tiny["overall"]["tp"], tiny["overall"]["fn"], tiny["overall"]["f1"]) == (0, 20, 0.0)
    assert (
        good["sections"]["income"]["f1"] == pytest.approx(2 / 3) and tiny["sections"]["income"]["f1"] == 0.0
    )
    assert [r["statuses"]["failed"] for r in (good, blind, tiny)] == [1, 1, 2]
    assert good["cost"]["calls"] > 0 and good["cost"]["prompt_tokens"] > 0 and tiny["cost"]["calls"] == 0
    assert "absent" not in {d["document"] for d in good["documents"]}  # gold with no document: not scored
    assert (data["configs"][0]["processed"], data["configs"][0]["failed"]) == (1, 1)
    assert "no gold, not run" in res.output and "stray.txt" in res.output
    page = html.read_text(encoding="utf-8")
    assert "Configurations side by side" in page
    assert all(f"<th>{name}</th>" in page for name in ("good", "blind", "tiny"))
    for label in (
        "F1 (micro)",
        "precision",
        "recall",
        "F1 income",
        "status failed",
        "LLM calls",
        "seconds extract",
    ):
        assert f"<td>{label}</td>" in page
    assert page.count("data:image/png;base64,") >= 4  # F1 by section (grouped), errors by kind per config

    # again: every record resumes (no model call); the tables this time, one column per configuration
    before = len(stub.requests)
    res = eval_run(docs, gold, out, *CONFIGS)
    assert res.exit_code == 0, res.output
    assert len(stub.requests) == before
    lines = res.stdout.splitlines()
    header = next(line for line in lines if "good" in line and "tiny" in line)
    assert header.index("good") < header.index("blind") < header.index("tiny")
    rows = {
        cells[1].strip(): [c.strip() for c in cells[2:-1]]
        for cells in (line.split("│") for line in lines)
        if len(cells) == 6
    }
    assert rows["F1 (micro)"] == ["66.7%", "33.3%", "0.0%"]
    assert rows["F1 income"] == ["66.7%", "0.0%", "0.0%"]
    assert rows["status failed"] == ["1", "1", "2"]
    assert rows["extracted / resumed / failed"] == ["0/1/1", "0/1/1", "0/0/2"]
    for label in ("precision", "recall", "LLM calls", "LLM tokens", "seconds extract", "page agreement"):
        assert label in rows


TEMPLATE_REPORT = REPORT.replace("2024年度收入、", "一、收入支出决算总体情况说明\n2024年度收入、").replace(
    "2024年度本年收入", "二、收入决算情况说明\n2024年度本年收入"
)  # with its 说明 headings: every figure is pre-filled, whatever the model


def test_floor_exit_codes(stub, corpus, tmp_path):
    docs, gold = corpus
    (docs / "t.txt").write_text(TEMPLATE_REPORT, encoding="utf-8")
    (docs / "broken.pdf").unlink()
    (gold / "broken.json").unlink()
    out, floor = tmp_path / "out", tmp_path / "floor.json"
    floor.write_text(json.dumps({"f1": 0.9}), encoding="utf-8")
    # the floor is the first configuration's: "tiny" (F1 0) fails it even though "good" (1.0) passes
    tiny, good = "tiny:max_file_mb=0.0001", "good:llm_model=good"
    res = eval_run(docs, gold, out, "-c", tiny, "-c", good, "--floor", str(floor))
    assert res.exit_code == 1, res.output
    assert re.search(r"below the floor \(tiny\).*0\.0000.*0\.9000", " ".join(res.output.split()))
    res = eval_run(docs, gold, out, "-c", good, "-c", tiny, "--floor", str(floor))
    assert res.exit_code == 0, res.output
    floor.write_text(json.dumps({"f1": 0.5, "sections": {"three_public": 0.5}}), encoding="utf-8")
    res = eval_run(docs, gold, out, "--floor", str(floor))  # no --config: one named "default"
    assert res.exit_code == 1 and "three_public F1 0.0000" in " ".join(res.output.split())
    assert (out / "default" / "t.json").exists()
    floor.write_text(json.dumps({"f1": 1.0}), encoding="utf-8")
    res = eval_run(docs, gold, out, "--floor", str(floor))
    assert res.exit_code == 0, res.output
    assert "Overall" in res.stdout and "Configurations side by side" in res.stdout  # one config: full tables


def test_usage_errors(stub, corpus, tmp_path):
    docs, gold = corpus
    other = tmp_path / "other"
    other.mkdir()
    (other / "z.txt").write_text(REPORT, encoding="utf-8")
    res = eval_run(other, gold, tmp_path / "out")
    assert res.exit_code == 2 and "no document has a gold file" in " ".join(res.output.split())
    res = eval_run(docs, tmp_path / "nope", tmp_path / "out")
    assert res.exit_code == 2 and "not a folder" in res.output
    res = eval_run(docs, gold, tmp_path / "out", "--floor", str(tmp_path / "nofloor.json"))
    assert res.exit_code == 2 and "not a floor file" in " ".join(res.output.split())
    # a configuration that cannot run (no such local model) is an error of that column: exit 2
    (docs / "broken.pdf").unlink()
    res = eval_run(
        docs,
        gold,
        tmp_path / "out",
        "-c",
        "good:llm_model=good",
        "-c",
        "nomodel:llm_provider=local,llm_model=/no/such.gguf",
    )
    assert res.exit_code == 2, res.output
    assert "nomodel" in res.output and "such.gguf" in " ".join(res.output.split())
    assert "good" in res.stdout  # the configuration that ran is still shown


def test_plain_eval_still_works_beside_run(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "t.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(gold), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["overall"]["f1"] == 1.0


def test_comparison_rows(tmp_path):
    import shutil

    from pipeline.evaluation import score_documents
    from pipeline.evaluation.loading import load_gold_dir
    from pipeline.evaluation.report_terminal import comparison_rows, print_comparison

    gold_dir = Path(__file__).resolve().parents[1] / "eval" / "gold"
    if not any(gold_dir.glob("*.json")):
        pytest.skip("no eval/gold")
    golds = load_gold_dir(gold_dir)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(golds[0].path, one)
    results = {"gold": score_documents(golds, gold_dir), "half": score_documents(golds, one)}
    rows = dict(comparison_rows(results, [("wall seconds (this run)", ["1.0", "2.0"])]))
    assert rows["F1 (micro)"][0] == "100.0%" and rows["documents"] == [str(len(golds))] * 2
    assert rows["status missing"] == ["0", str(len(golds) - 1)]
    assert rows["wall seconds (this run)"] == ["1.0", "2.0"]
    console = Console(width=160, record=True)
    print_comparison(results, console)
    assert "half" in console.export_text()


# ---- the real embedded model ---------------------------------------------------------------------------

XIQU = SHARED / "seeds" / "xiqu-panzhihua-2024-final.txt"
XIQU_GOLD = SHARED / "gold" / "xiqu-panzhihua-2024-final.json"
SLICE = 27  # cover .. 二、收入决算情况说明 (summary and income)


@pytest.mark.skipif(not (XIQU.exists() and XIQU_GOLD.exists()), reason="shared seeds/gold not mounted")
def test_real_model_two_configurations(tmp_path, monkeypatch):
    """A 27-line slice of the xiqu seed through the packaged model, twice: the second configuration changes
    only a setting that text input ignores, so its prompts are the first's and its answers come from the
    cache: real extraction, one model's time. Pre-fill is off: the two totals scored right are the model's."""
    from pipeline.config import Settings
    from pipeline.llm.models import resolve_local_model

    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    lines = XIQU.read_text(encoding="utf-8").splitlines()[:SLICE]
    (docs / "xiqu-slice.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    full = json.loads(XIQU_GOLD.read_text(encoding="utf-8"))
    kept = {
        k: v
        for k, v in full["fields"].items()
        if not isinstance(v, dict | list) or (isinstance(v, dict) and v.get("line", 10**6) <= SLICE)
    }
    assert "summary.total" in kept and "income.total" in kept
    (gold / "xiqu-slice.json").write_text(
        json.dumps(
            {"document": "xiqu-slice.txt", "fields": kept, "source_inconsistencies": []}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("JUESUAN_LLM_MODEL", str(resolve_local_model(Settings()).path))
    out = tmp_path / "out"
    configs = [
        *("-c", "base:extract_repair_rounds=0,extract_prefill=false"),
        *("-c", "dpi150:extract_repair_rounds=0,extract_prefill=false,render_dpi=150"),
    ]
    res = eval_run(docs, gold, out, *configs, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [c["name"] for c in data["configs"]] == ["base", "dpi150"]
    base, dpi = (c["result"] for c in data["configs"])
    assert base["overall"]["f1"] > 0 and base["overall"]["tp"] >= 3
    outcomes = {f["path"]: f["outcome"] for f in base["documents"][0]["fields"]}
    assert outcomes["summary.total"] == outcomes["income.total"] == "tp", outcomes
    assert base["cost"]["calls"] >= 1 and base["cost"]["prompt_tokens"] > 0
    assert dpi["cost"]["cache_hits"] >= 1
    assert dpi["overall"]["f1"] == pytest.approx(base["overall"]["f1"])
    # the tables from the records on disk (resumed: no model started)
    res = eval_run(docs, gold, out, *configs)
    assert res.exit_code == 0, res.output
    assert "base" in res.stdout and "dpi150" in res.stdout and "F1 (micro)" in res.stdout


def test_interrupted_batch_stops_the_run(stub, corpus, tmp_path, monkeypatch):
    """A batch stopped by a signal ends the evaluation with the batch's code; later configurations don't run."""
    import pipeline.batch.runner as batch_runner

    calls = []

    def stopped(args, settings, options, console):
        calls.append(options.out_dir.name)
        return batch_runner.BatchResult(143, interrupted=True, message="stopped by SIGTERM")

    monkeypatch.setattr(batch_runner, "run_batch", stopped)
    docs, gold = corpus
    res = eval_run(docs, gold, tmp_path / "out", "-c", "a", "-c", "b")
    assert res.exit_code == 143, res.output
    assert calls == ["a"] and "stopped by SIGTERM" in res.output
