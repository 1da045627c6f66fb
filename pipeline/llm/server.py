"""Lifecycle of the embedded llama.cpp server: one child process per model, shared by every document.

The server runs in a child process (its own session) rather than in-process so that a native crash cannot
take the pipeline down and its memory is returned at once. It must never outlive the pipeline: stop() on
context exit, atexit and SIGTERM/SIGHUP handlers in the parent, and in the child a parent-death signal, a
stdin pipe whose EOF means "parent gone", and a ppid watch (see _serve.py).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pipeline.config import Settings
from pipeline.llm.errors import LLMError
from pipeline.llm.models import LocalModel


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 8192))
            return "\n".join(f.read().decode(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class LocalServer:
    """One llama.cpp server child on 127.0.0.1; start() returns once /health answers ok."""

    def __init__(self, model: LocalModel, settings: Settings):
        self.model = model
        self.n_ctx = settings.llm_n_ctx
        self.n_parallel = settings.llm_max_concurrency
        self.n_predict = settings.llm_max_tokens
        self.threads = settings.llm_threads
        self.start_timeout = settings.llm_start_timeout_s
        self.log_path = Path(settings.cache_dir) / "llm" / "server.log"
        self.api_key = secrets.token_urlsafe(24)  # other local users cannot use our server
        self.address: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.owner_pid = os.getpid()
        self.startup_seconds: float | None = None
        self.schema_checked = False  # set by the client once the schema canary has passed (pipeline.llm.canary)

    @property
    def base_url(self) -> str:
        if self.address is None:
            raise LLMError("local", "server is not running")
        return f"{self.address}/v1"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> LocalServer:
        t0 = time.monotonic()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        args = {
            "model": str(self.model.path),
            "n_ctx": self.n_ctx,
            "n_parallel": self.n_parallel,
            "n_predict": self.n_predict,
            "threads": self.threads,
            "parent_pid": os.getpid(),
            # PR_SET_PDEATHSIG fires when the forking *thread* ends: only safe from the main thread
            "pdeathsig": threading.current_thread() is threading.main_thread(),
        }
        root = str(Path(__file__).resolve().parents[2])  # so the child imports this very package
        pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        env = dict(os.environ, JUESUAN_LLM_SERVER_KEY=self.api_key, PYTHONPATH=pythonpath)
        with self.log_path.open("wb") as log:  # a fresh log per start: its tail explains a failure
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.llm._serve", json.dumps(args)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                start_new_session=True,  # Ctrl-C reaches us, not the child; we stop it in order
            )
        _register(self)
        try:
            self.address = self._read_address(t0 + self.start_timeout)
            self._wait_healthy(t0 + self.start_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _fail(self, cause: str) -> LLMError:
        tail = _log_tail(self.log_path)
        return LLMError(
            f"local {self.model.alias}", f"{cause}" + (f"\n--- {self.log_path} ---\n{tail}" if tail else "")
        )

    def _read_address(self, deadline: float) -> str:
        assert self.proc and self.proc.stdout
        buf = b""
        while b"\n" not in buf:
            if self.proc.poll() is not None:
                raise self._fail(f"server exited with code {self.proc.returncode} while loading the model")
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._fail(f"model not loaded within {self.start_timeout:.0f}s")
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    self.proc.wait(timeout=5)
                    raise self._fail(
                        f"server exited with code {self.proc.returncode} while loading the model"
                    )
                buf += chunk
        return json.loads(buf.split(b"\n", 1)[0])["address"]

    def _wait_healthy(self, deadline: float) -> None:
        url = f"{self.address}/health"
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise self._fail("server exited before it became healthy")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
                    last = f"HTTP {resp.status}"
            except urllib.error.HTTPError as e:  # 503 while loading
                last = f"HTTP {e.code}"
            except OSError as e:
                last = str(e)
            time.sleep(0.2)
        raise self._fail(f"{url} not healthy within {self.start_timeout:.0f}s ({last})")

    def stop(self, timeout: float = 5.0) -> None:
        """Close the pipe, SIGTERM the child's process group, SIGKILL it if it lingers; idempotent."""
        proc, self.proc, self.address = self.proc, None, None
        _unregister(self)
        if proc is None or os.getpid() != self.owner_pid:
            return  # a forked child must not stop its parent's server
        for stream in (proc.stdin, proc.stdout):
            if stream:
                with suppress(OSError):
                    stream.close()
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=timeout)


# --- every live server, for atexit and signal handlers -------------------------------------------------

_live: set[LocalServer] = set()
_live_lock = threading.Lock()
_handlers_installed = False


def _register(server: LocalServer) -> None:
    with _live_lock:
        _live.add(server)
    install_handlers()


def _unregister(server: LocalServer) -> None:
    with _live_lock:
        _live.discard(server)


def stop_all() -> None:
    """Stop every server this process started (atexit, SIGTERM, SIGHUP)."""
    with _live_lock:
        servers = list(_live)
    for server in servers:
        server.stop(timeout=2.0)


def install_handlers() -> None:
    """atexit always; SIGTERM/SIGHUP only from the main thread, chaining to whatever was there before.

    Done once per process, by the first server start, or earlier by a caller that wants handlers of its own
    on top of these (the batch: its handler unwinds in order, workers first, then the server).
    """
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(stop_all)
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.getsignal(signum)

        def handler(sig: int, frame: object, previous: object = previous) -> None:
            stop_all()
            if callable(previous):
                previous(sig, frame)
            elif previous != signal.SIG_IGN:
                signal.signal(sig, signal.SIG_DFL)
                os.kill(os.getpid(), sig)

        signal.signal(signum, handler)


# --- one shared server per model and settings, reference-counted ----------------------------------------

_shared: dict[tuple, tuple[LocalServer, int]] = {}
_shared_lock = threading.Lock()


@contextmanager
def shared_server(model: LocalModel, settings: Settings) -> Iterator[LocalServer]:
    """The process-wide server for this model: started by the first user, stopped when the last one leaves."""
    key = (str(model.path), settings.llm_n_ctx, settings.llm_max_concurrency, settings.llm_threads)
    with _shared_lock:
        entry = _shared.get(key)
        if entry is None or entry[0].proc is None or entry[0].proc.poll() is not None:
            # first user, or the old server died: start one (holders of a dead one see LLMError)
            entry = (LocalServer(model, settings).start(), entry[1] if entry else 0)
        _shared[key] = (entry[0], entry[1] + 1)
        server = entry[0]
    try:
        yield server
    finally:
        with _shared_lock:
            srv, count = _shared[key]
            if count <= 1:
                del _shared[key]
                srv.stop()
            else:
                _shared[key] = (srv, count - 1)
