"""Worker processes share one bound on LLM requests: two documents at once, never two requests at once.

The endpoint is a tiny OpenAI-compatible server that answers every request slowly with an empty answer and
counts requests in flight (from arrival until it starts to answer, so a client that got its answer and sends
the next request is never counted twice); the documents are short text reports. The test is about the
processes and the shared semaphore, not the model.
"""

from __future__ import annotations

import io
import json
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import XIQU_TOTALS
from rich.console import Console

from pipeline.batch import BatchOptions, run_batch
from pipeline.config import Settings

DELAY_S = 1.0



class SlowEndpoint:
    """/v1/chat/completions answering '{"figures": []}' after DELAY_S, with requests and peak in flight."""

    def __init__(self) -> None:
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.clients: set[int] = set()  # client ports of the requests in flight
        lock = threading.Lock()
        me = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with lock:
                    me.requests += 1
                    me.in_flight += 1
                    me.max_in_flight = max(me.max_in_flight, me.in_flight)
                    me.clients.add(self.client_address[1])
                time.sleep(DELAY_S)
                with lock:
                    me.in_flight -= 1
                    me.clients.discard(self.client_address[1])
                body = {
                    "id": "x", "object": "chat.completion", "created": 0, "model": "slow",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": '{"figures": []}'},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }  # fmt: skip
                data = json.dumps(body).encode()
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client was killed mid-request

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> SlowEndpoint:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def text_reports(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"t{i}.txt").write_text(f"{XIQU_TOTALS}\n（第{i}份）", encoding="utf-8")


def stub_settings(tmp_path: Path, url: str) -> Settings:
    return Settings(
        cache_dir=tmp_path / "cache",
        use_cache=False,
        llm_provider="openai",
        llm_base_url=url,
        llm_api_key="sk-test",
        llm_model="stub",
        llm_max_concurrency=1,
        extract_repair_rounds=0,
    )


def socket_owner(port: int) -> int | None:
    """The pid holding the loopback TCP socket whose local port is ``port`` (from /proc)."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if int(cols[1].split(":")[1], 16) == port:
            inode = cols[9]
    if inode is None:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) == f"socket:[{inode}]" for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def read_events(out: Path) -> list[dict]:
    path = out / "events.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def test_workers_share_the_request_bound(tmp_path):
    text_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    with SlowEndpoint() as stub:
        options = BatchOptions(out_dir=out, jobs=2, review=False, quiet=True)
        result = run_batch(
            [tmp_path / "in"], stub_settings(tmp_path, stub.url), options, Console(file=io.StringIO())
        )
    assert result.processed == 2 and result.exit_code in (0, 1)
    log = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    start = {e["doc"]: e for e in log if e["event"] == "start"}
    asking = {e["doc"]: e["ts"] for e in log if e["event"] == "stage" and e["stage"] == "extract"}
    asked = {e["doc"]: e["ts"] for e in log if e["event"] == "stage" and e["stage"] == "validate"}
    assert start["t0"]["pid"] != start["t1"]["pid"]
    assert max(asking.values()) < min(asked.values())  # both processes were asking the model at once
    assert stub.requests >= 4
    assert stub.max_in_flight == 1  # … yet one request at a time, across both processes
    for name in ("t0", "t1"):
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["ledger"]["calls"] >= 2


def test_a_worker_killed_mid_request_fails_only_its_document(tmp_path):
    """Kill the worker reading t0 while its request holds the only permit, twice: t0 is failed after one retry,
    the permit comes back (else nothing else could ask the model) and the other reports are done."""
    text_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    killed: list[int] = []

    def killer(stub: SlowEndpoint) -> None:
        while len(killed) < 2:
            starts = [e for e in read_events(out) if e.get("doc") == "t0" and e["event"] == "start"]
            pid = starts[-1]["pid"] if starts else None
            if pid is not None and pid not in killed:
                owners = {socket_owner(port) for port in list(stub.clients)}
                if pid in owners:  # its request is in flight: it holds the only permit
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.02)

    with SlowEndpoint() as stub:
        watcher = threading.Thread(target=killer, args=(stub,), daemon=True)
        watcher.start()
        options = BatchOptions(out_dir=out, jobs=2, review=False, quiet=True)
        settings = stub_settings(tmp_path, stub.url)
        results: list = []
        batch = threading.Thread(
            target=lambda: results.append(
                run_batch([tmp_path / "in"], settings, options, Console(file=io.StringIO()))
            ),
            daemon=True,
        )
        batch.start()
        batch.join(timeout=300)
    assert results, "the batch hung: a dead worker's permit was not given back"
    result = results[0]
    assert len(killed) == 2
    status = {e.name: e for e in result.entries}
    assert status["t0"].status == "failed" and "worker process died" in (status["t0"].error or "")
    assert status["t1"].record_path and status["t2"].record_path
    assert result.exit_code == 1  # (the killed requests linger on the server, so no in-flight count here)
