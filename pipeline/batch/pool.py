"""Worker processes for ``--jobs N``: OCR is CPU-bound, so documents run in separate processes.

The parent hands one task at a time to each worker through the worker's own inbox, so it always knows which
document a worker holds: a worker that dies (a native crash, the OOM killer) fails that document only, and
a replacement takes its place. Workers never start an LLM server: they talk to the parent's endpoint, and
one semaphore shared by all of them bounds the requests in flight. They ignore Ctrl-C (the parent decides),
abandon their document on the parent's SIGTERM (workers stop before the LLM server does) and die with the
parent (PR_SET_PDEATHSIG), so a killed batch leaves no worker that could still write.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from pipeline.batch.job import JobOptions, StagedClient, Task, run_task
from pipeline.batch.signals import Interrupted, worker_signals
from pipeline.config import Settings

POLL_S = 0.5
TERMINATE_GRACE_S = 3.0  # a SIGTERMed worker unwinds within about a second; past this it is killed
CRASH_RETRIES = 1  # a document whose worker died is tried once more before it is failed


@dataclass(frozen=True)
class EndpointSpec:
    """What a worker needs to reach the parent's endpoint; model_id keeps the response cache shared."""

    base_url: str
    model: str
    api_key: str
    model_id: str
    label: str


class SharedGate:
    """The request bound shared by all workers, counting the permits each slot holds.

    A worker killed while a request is in flight would take its permit with it and shrink the bound for good
    (with one permit: stop the batch); the parent gives a dead slot's permits back from these counts.
    """

    def __init__(self, semaphore: Any, held: Any, slot: int):
        self.semaphore, self.held, self.slot = semaphore, held, slot
        self._lock = threading.Lock()  # the slot's count is the worker's own; its threads take turns

    def __getstate__(self) -> tuple[Any, Any, int]:
        return self.semaphore, self.held, self.slot

    def __setstate__(self, state: tuple[Any, Any, int]) -> None:
        self.__init__(*state)

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if not self.semaphore.acquire(blocking, timeout):
            return False
        with self._lock:
            self.held[self.slot] += 1
        return True

    def release(self) -> None:
        with self._lock:
            self.held[self.slot] -= 1
        self.semaphore.release()

    def __enter__(self) -> SharedGate:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def worker_main(
    slot: int,
    settings: Settings,
    spec: EndpointSpec,
    gate: SharedGate,
    inbox: Any,
    outbox: Any,
    opts: JobOptions,
) -> None:
    """Take tasks from the inbox until None; every event and outcome goes back through the outbox.

    SIGTERM (the parent stopping the batch) abandons the document in hand, its record unwritten."""
    worker_signals()
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
        semaphore=gate,
    )
    client = StagedClient(endpoint, settings)
    lock = threading.Lock()

    def emit(event: dict[str, Any]) -> None:
        with lock:
            outbox.send(event | {"slot": slot})

    try:
        while (task := inbox.recv()) is not None:
            emit(run_task(task, settings, client, opts, emit))
    except Interrupted:
        return


@dataclass
class _Worker:
    proc: Any
    inbox: Any  # parent's sending end
    outbox: Any  # parent's receiving end
    task: Task | None = None
    open: bool = True


class WorkerPool:
    """N spawned workers; ``run(tasks)`` yields every event (start, stage, done, failed) as it comes.

    Each worker has its own pipes both ways, so a worker that dies mid-message can only break its own.
    """

    def __init__(self, jobs: int, settings: Settings, spec: EndpointSpec, opts: JobOptions):
        self.ctx = mp.get_context("spawn")  # no fork of a threaded parent; workers import afresh
        self.jobs = jobs
        self.settings = settings
        self.spec = spec
        self.opts = opts
        self.semaphore = self.ctx.BoundedSemaphore(settings.llm_max_concurrency)
        self.held = self.ctx.RawArray("i", jobs)
        self.workers: dict[int, _Worker] = {}

    def _give_back(self, slot: int) -> None:
        """Release the permits a dead worker took with it."""
        for _ in range(self.held[slot]):
            self.semaphore.release()
        self.held[slot] = 0

    def _start(self, slot: int) -> None:
        task_recv, task_send = self.ctx.Pipe(duplex=False)
        event_recv, event_send = self.ctx.Pipe(duplex=False)
        gate = SharedGate(self.semaphore, self.held, slot)
        proc = self.ctx.Process(
            target=worker_main,
            args=(slot, self.settings, self.spec, gate, task_recv, event_send, self.opts),
            name=f"juesuan-worker-{slot}",
            daemon=True,
        )
        proc.start()
        task_recv.close()  # the child's ends: the parent keeps only its own, so EOF means "worker gone"
        event_send.close()
        self.workers[slot] = _Worker(proc, task_send, event_recv)

    def _assign(self, slot: int, todo: list[Task]) -> None:
        worker = self.workers[slot]
        worker.task = todo.pop() if todo else None
        if worker.task is not None:
            with suppress(OSError):  # a dead worker: the reaper hands its task on
                worker.inbox.send(worker.task)

    def run(self, tasks: list[Task]) -> Iterator[dict[str, Any]]:
        todo = list(reversed(tasks))
        crashes: dict[int, int] = {}
        left = len(tasks)
        for slot in range(min(self.jobs, len(tasks))):
            self._start(slot)
            self._assign(slot, todo)
        while left:
            ready = wait([w.outbox for w in self.workers.values() if w.open], timeout=POLL_S)
            for slot, worker in list(self.workers.items()):
                if worker.outbox not in ready:
                    continue
                try:
                    event = worker.outbox.recv()
                except (EOFError, OSError):
                    worker.open = False  # gone: the reaper below sees the process end
                    continue
                if event["event"] in ("done", "failed"):
                    left -= 1
                    self._assign(slot, todo)
                yield event
            for lost in self._reap(crashes, todo):
                left -= 1
                yield lost

    def _reap(self, crashes: dict[int, int], todo: list[Task]) -> Iterator[dict[str, Any]]:
        """Replace dead workers; the document a dead worker held is retried once, then failed."""
        for slot, worker in list(self.workers.items()):
            if worker.proc.is_alive():
                continue
            if worker.open and worker.outbox.poll():
                continue  # read what it said before it went
            task, code = worker.task, worker.proc.exitcode
            for end in (worker.inbox, worker.outbox):
                end.close()
            self._give_back(slot)
            if task is not None:
                crashes[task.index] = crashes.get(task.index, 0) + 1
                if crashes[task.index] > CRASH_RETRIES:
                    yield {
                        "event": "failed",
                        "index": task.index,
                        "doc": task.name,
                        "file": str(task.path),
                        "slot": slot,
                        "error": f"worker process died (exit code {code}) while reading this file",
                    }
                else:
                    todo.append(task)
            if todo:
                self._start(slot)
                self._assign(slot, todo)
            else:
                del self.workers[slot]

    def close(self, terminate: bool = False) -> None:
        """Stop every worker: politely (None in the inbox) or at once (SIGTERM: each abandons its document
        within a second; SIGKILL after TERMINATE_GRACE_S)."""
        for worker in self.workers.values():
            if terminate:
                if worker.proc.is_alive():
                    worker.proc.terminate()
            else:
                with suppress(OSError):
                    worker.inbox.send(None)
        deadline = time.monotonic() + (TERMINATE_GRACE_S if terminate else 10)
        for worker in self.workers.values():
            worker.proc.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.proc.is_alive():
                worker.proc.kill()
                worker.proc.join(timeout=5)
            for end in (worker.inbox, worker.outbox):
                with suppress(OSError):
                    end.close()
        self.workers.clear()
