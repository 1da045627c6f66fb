"""Worker processes share one bound on LLM requests: two documents at once, never two requests at once.

The endpoint is the scripted stub (it counts requests in flight), the documents short text reports, so the
test is about the processes and the shared semaphore, not the model.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from pipeline.batch import BatchOptions, run_batch
from pipeline.config import Settings

try:
    from tests.llm_stub import Step, StubServer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import Step, StubServer

XIQU = Path("/work/shared/seeds/xiqu-panzhihua-2024-final.txt")
if not XIQU.exists():  # ../shared beside the repository, as conftest finds it
    from conftest import SEEDS

    XIQU = SEEDS / "xiqu-panzhihua-2024-final.txt"


def test_workers_share_the_request_bound(tmp_path):
    lines = XIQU.read_text(encoding="utf-8").splitlines()
    docs = []
    for i in range(2):
        doc = tmp_path / "in" / f"t{i}.txt"
        doc.parent.mkdir(exist_ok=True)
        doc.write_text("\n".join(lines[20:31] + [f"（第{i}份）"]), encoding="utf-8")
        docs.append(doc)
    out = tmp_path / "out"
    with StubServer([Step(content='{"figures": []}', delay=0.4)]) as stub:
        settings = Settings(
            cache_dir=tmp_path / "cache",
            use_cache=False,
            llm_provider="openai",
            llm_base_url=stub.url,
            llm_api_key="sk-test",
            llm_model="stub",
            llm_max_concurrency=1,
            extract_repair_rounds=0,
        )
        options = BatchOptions(out_dir=out, jobs=2, review=False, quiet=True)
        result = run_batch([tmp_path / "in"], settings, options, Console(file=io.StringIO()))
    assert result.processed == 2 and result.exit_code in (0, 1)
    log = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    start = {e["doc"]: e for e in log if e["event"] == "start"}
    done = {e["doc"]: e for e in log if e["event"] == "done"}
    assert start["t0"]["pid"] != start["t1"]["pid"]
    assert max(s["ts"] for s in start.values()) < min(d["ts"] for d in done.values())  # both ran at once
    assert len(stub.requests) >= 4
    assert stub.max_in_flight == 1  # … yet one request at a time, across both processes
    for name in ("t0", "t1"):
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["ledger"]["calls"] >= 2
