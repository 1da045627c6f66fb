"""Worker processes for ``--jobs N``: OCR is CPU-bound, so documents run in separate processes.

The parent hands one task at a time to each worker through the worker's own inbox, so it always knows which
document a worker holds: a worker that dies (a native crash, the OOM killer) fails that document only, and
a replacement takes its place. Workers never start an LLM server: they talk to the parent's endpoint, and
one semaphore shared by all of them bounds the requests in flight. They ignore Ctrl-C (the parent decides)
and die with the parent (PR_SET_PDEATHSIG), so a killed batch leaves no worker that could still write.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from pipeline.batch.job import JobOptions, StagedClient, Task, run_task
from pipeline.config import Settings

POLL_S = 0.5
CRASH_RETRIES = 1  # a document whose worker died is tried once more before it is failed


@dataclass(frozen=True)
class EndpointSpec:
    """What a worker needs to reach the parent's endpoint; model_id keeps the response cache shared."""

    base_url: str
    model: str
    api_key: str
    model_id: str
    label: str


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def worker_main(
    slot: int, settings: Settings, spec: EndpointSpec, gate: Any, inbox: Any, events: Any, opts: JobOptions
) -> None:
    """Take tasks from the inbox until None; every event and outcome goes to the parent's queue."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != opts.parent_pid:
        return  # the parent died before PR_SET_PDEATHSIG was armed
    from pipeline.llm.client import Endpoint

    endpoint = Endpoint(
        base_url=spec.base_url,
        model=spec.model,
        api_key=spec.api_key,
        model_id=spec.model_id,
        label=spec.label,
        semaphore=gate,  # a process-shared semaphore: the bound holds across all workers
    )
    client = StagedClient(endpoint, settings)

    def emit(event: dict[str, Any]) -> None:
        events.put(event | {"slot": slot})

    while (task := inbox.get()) is not None:
        emit(run_task(task, settings, client, opts, emit))


class WorkerPool:
    """N spawned workers; ``run(tasks)`` yields every event (start, stage, done, failed) as it comes."""

    def __init__(self, jobs: int, settings: Settings, spec: EndpointSpec, opts: JobOptions):
        self.ctx = mp.get_context("spawn")  # no fork of a threaded parent; workers import afresh
        self.jobs = jobs
        self.settings = settings
        self.spec = spec
        self.opts = opts
        self.gate = self.ctx.BoundedSemaphore(settings.llm_max_concurrency)
        self.events = self.ctx.Queue()
        self.procs: dict[int, Any] = {}
        self.inboxes: dict[int, Any] = {}
        self.holding: dict[int, Task | None] = {}

    def _start(self, slot: int) -> None:
        inbox = self.ctx.Queue()
        proc = self.ctx.Process(
            target=worker_main,
            args=(slot, self.settings, self.spec, self.gate, inbox, self.events, self.opts),
            name=f"juesuan-worker-{slot}",
            daemon=True,
        )
        proc.start()
        self.procs[slot], self.inboxes[slot], self.holding[slot] = proc, inbox, None

    def run(self, tasks: list[Task]) -> Iterator[dict[str, Any]]:
        todo = list(reversed(tasks))
        crashes: dict[int, int] = {}
        left = len(tasks)
        for slot in range(min(self.jobs, len(tasks))):
            self._start(slot)

        def assign(slot: int) -> None:
            if todo:
                task = todo.pop()
                self.holding[slot] = task
                self.inboxes[slot].put(task)
            else:
                self.holding[slot] = None

        for slot in list(self.procs):
            assign(slot)
        last_reap = time.monotonic()
        while left:
            try:
                event = self.events.get(timeout=POLL_S)
            except queue.Empty:
                event = None
            if event is not None:
                if event["event"] in ("done", "failed"):
                    left -= 1
                    assign(event["slot"])
                yield event
            if event is None or time.monotonic() - last_reap > POLL_S:
                last_reap = time.monotonic()
                for lost in self._reap(crashes, todo):
                    left -= 1
                    yield lost
                for slot, task in self.holding.items():
                    if task is None and todo and self.procs[slot].is_alive():
                        assign(slot)

    def _reap(self, crashes: dict[int, int], todo: list[Task]) -> Iterator[dict[str, Any]]:
        """Replace dead workers; the document a dead worker held is retried once, then failed."""
        for slot, proc in list(self.procs.items()):
            if proc.is_alive():
                continue
            task = self.holding.get(slot)
            code = proc.exitcode
            self._start(slot)
            if task is None:
                continue
            crashes[task.index] = crashes.get(task.index, 0) + 1
            if crashes[task.index] <= CRASH_RETRIES:
                todo.append(task)
                continue
            yield {
                "event": "failed",
                "index": task.index,
                "doc": task.name,
                "file": str(task.path),
                "slot": slot,
                "error": f"worker process died (exit code {code}) while reading this file",
            }

    def kill(self) -> None:
        """SIGKILL every worker at once (from a signal handler: no joins, no locks)."""
        for proc in list(self.procs.values()):
            with suppress(OSError, ValueError, AttributeError):
                if proc.pid:
                    os.kill(proc.pid, signal.SIGKILL)

    @contextmanager
    def killed_on_signals(self) -> Iterator[None]:
        """On SIGTERM/SIGHUP kill the workers first, then run the handler that was there (which stops the
        LLM server and ends this process): no worker outlives the server and writes a record without it."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}

        def handler(signum: int, frame: Any) -> None:
            self.kill()
            prev = previous[signum]
            if callable(prev):
                prev(signum, frame)
            elif prev != signal.SIG_IGN:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        for s in previous:
            signal.signal(s, handler)
        try:
            yield
        finally:
            for s, prev in previous.items():
                signal.signal(s, prev)

    def close(self, terminate: bool = False) -> None:
        """Stop every worker: politely (None in the inbox) or at once (SIGTERM, then SIGKILL)."""
        for slot, proc in self.procs.items():
            if not terminate and proc.is_alive():
                self.inboxes[slot].put(None)
        for proc in self.procs.values():
            if terminate and proc.is_alive():
                proc.terminate()
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
        for q in (*self.inboxes.values(), self.events):
            q.cancel_join_thread()
            q.close()
