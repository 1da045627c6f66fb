"""A scripted OpenAI-compatible chat endpoint on loopback, for the faults a real server rarely shows.

Each request to /v1/chat/completions takes the next step of the script (the last step repeats): an answer,
an HTTP error, a stall past the client's timeout, or a dropped connection. It records what it received, when
each request arrived and how many requests were in flight at once. The happy path is tested against the real llama.cpp server.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted reply: content (200), status (error), delay before replying, or reset (drop socket)."""

    content: str | None = None
    status: int = 200
    delay: float = 0.0
    reset: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    usage: tuple[int, int] = (10, 5)


def answer(obj: Any, **kw: Any) -> Step:
    return Step(content=json.dumps(obj, ensure_ascii=False), **kw)


class StubServer:
    def __init__(self, script: list[Step]):
        self.script = list(script)
        self.requests: list[dict] = []
        self.arrivals: list[float] = []  # time.monotonic() at which each request arrived, in request order
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with stub._lock:
                    stub.requests.append(json.loads(body or b"{}"))
                    stub.arrivals.append(time.monotonic())
                    step = stub.script[min(len(stub.requests), len(stub.script)) - 1]
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                try:
                    time.sleep(step.delay)
                    if step.reset:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if step.status != 200:
                        payload = {"error": {"message": f"scripted {step.status}", "type": "stub"}}
                    else:
                        payload = {
                            "id": f"stub-{len(stub.requests)}",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": "stub",
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": step.content},
                                    "finish_reason": step.finish_reason,
                                }
                            ],
                            "usage": {
                                "prompt_tokens": step.usage[0],
                                "completion_tokens": step.usage[1],
                                "total_tokens": sum(step.usage),
                            },
                        }
                    data = json.dumps(payload).encode()
                    try:
                        self.send_response(step.status)
                        self.send_header("content-type", "application/json")
                        self.send_header("content-length", str(len(data)))
                        for k, v in step.headers.items():
                            self.send_header(k, v)
                        self.end_headers()
                        self.wfile.write(data)
                    except OSError:
                        pass  # the client gave up (timeout) before we answered
                finally:
                    with stub._lock:
                        stub.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
