"""Ctrl-C and ``kill`` stop ``juesuan extract`` within seconds, even while a request to the model hangs.

The real CLI runs as a subprocess against a loopback OpenAI-compatible endpoint that answers at once until the
first record is written, then holds every request (far longer than the test). The signal comes while a request
hangs: the batch must exit within STOP_S with 128 + the signal's number, keep the records it wrote, write no
other record nor half a file, say in one line how far it got, and a second run must resume from there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import XIQU_TOTALS

ROOT = Path(__file__).resolve().parents[1]
IDENTITY = {
    "department": "中共攀枝花市西区区委政法委员会",
    "fiscal_year": 2024,
    "report_type": "final_accounts",
    "unit": "万元",
}
STOP_S = 5.0  # from the signal to the exit
HOLD_S = 600.0  # how long a held request waits: far longer than the test

class Endpoint:
    """/v1/chat/completions: an identity for the identity prompt, no figures for the rest. Once ``hold`` is set
    every request for figures waits (until the test ends) and ``held`` counts those waiting: a document is
    then stuck reading its parts, which it asks for from several threads at once."""

    def __init__(self) -> None:
        self.hold = threading.Event()
        self.release = threading.Event()
        self.held = 0
        self.requests = 0
        lock = threading.Lock()
        me = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                with lock:
                    me.requests += 1
                schema = json.dumps(body.get("response_format", {}), ensure_ascii=False)
                identity = '"department"' in schema
                if me.hold.is_set() and not identity:
                    with lock:
                        me.held += 1
                    me.release.wait(HOLD_S)
                    return
                content = IDENTITY if identity else {"figures": []}
                data = json.dumps(
                    {
                        "id": "x",
                        "object": "chat.completion",
                        "created": 0,
                        "model": "stub",
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
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> Endpoint:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def reports(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"t{i}.txt").write_text(f"{XIQU_TOTALS}\n（第{i}份）", encoding="utf-8")
    return [f"t{i}" for i in range(count)]


def extract(src: Path, out: Path, jobs: int, url: str, tmp_path: Path, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        JUESUAN_LLM_BASE_URL=url,
        JUESUAN_LLM_API_KEY="sk-test",
        JUESUAN_CACHE_DIR=str(tmp_path / "cache"),
        JUESUAN_USE_CACHE="false",
        JUESUAN_EXTRACT_REPAIR_ROUNDS="0",
    )
    cmd = [
        sys.executable,
        "-c",
        "from pipeline.cli import app; app()",
        "extract",
        str(src),
        "--out",
        str(out),
    ]
    cmd += ["--jobs", str(jobs), "--llm", "openai", "--model", "stub", "--quiet", "--no-review"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def records(out: Path) -> dict[str, int]:
    return {p.stem: p.stat().st_mtime_ns for p in out.glob("*.json")}


def wait_for(condition, proc: subprocess.Popen, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the batch ended ({proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} within {timeout}s"
        time.sleep(0.02)


def settled(out: Path, quiet_s: float = 1.0) -> dict[str, int]:
    """The records once none has come or changed for quiet_s."""
    now = records(out)
    while True:
        time.sleep(quiet_s)
        now, before = records(out), now
        if now == before:
            return now


def events(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("jobs", [1, 2], ids=["inline", "workers"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_a_signal_stops_a_batch_stuck_on_the_model(sig, jobs, tmp_path):
    names = reports(tmp_path / "in", 4)
    out = tmp_path / "out"
    with Endpoint() as stub:
        first = extract(tmp_path / "in", out, jobs, stub.url, tmp_path, tmp_path / "run1.log")
        try:
            wait_for(lambda: records(out), first, "a first record")
            stub.hold.set()  # from now on every request hangs
            wait_for(lambda: stub.held >= 1, first, "a held request")
            before = settled(out)  # a report whose answers all came before the hold may still be writing
            t0 = time.monotonic()
            first.send_signal(sig)
            code = first.wait(timeout=60)
            took = time.monotonic() - t0
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        log = (tmp_path / "run1.log").read_text(encoding="utf-8")
        assert code == 128 + sig, log
        assert took < STOP_S, f"took {took:.1f}s to stop\n{log}"
        assert records(out) == before, "a record was written or rewritten after the signal"
        assert 1 <= len(before) < len(names)
        assert not list(out.glob(".*.tmp")), "a half-written file was left behind"
        for name in before:
            assert "record" in json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        line = f"interrupted ({signal.Signals(sig).name}): {len(before)} of {len(names)} done"
        assert line in log and "run the same command again to resume" in log, log
        assert (out / "summary.csv").exists()
        end = events(out)[-1]
        assert (
            end["event"] == "batch_end" and end["interrupted"] and end["signal"] == signal.Signals(sig).name
        )

        stub.hold.clear()  # the held requests of the first run stay held; new ones are answered
        second = extract(tmp_path / "in", out, jobs, stub.url, tmp_path, tmp_path / "run2.log")
        assert second.wait(timeout=300) in (0, 1), (tmp_path / "run2.log").read_text(encoding="utf-8")
    after = records(out)
    assert set(after) == set(names)
    assert {n: after[n] for n in before} == before  # done before the signal: not redone
    run2 = [e for e in events(out) if e["run"] == events(out)[-1]["run"]]
    assert {e["doc"] for e in run2 if e["event"] == "skip"} == set(before)
    assert {e["doc"] for e in run2 if e["event"] == "start"} == set(names) - set(before)
