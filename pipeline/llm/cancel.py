"""One process-wide stop for every wait on the model, so Ctrl-C or SIGTERM ends a batch within a second.

A request blocks in the HTTP client for as long as the model takes (minutes under load), and the threads that
read a document's parts at once are joined before the document can be left: a signal that only raised in the
main thread would wait for all of them. So every wait in pipeline.llm goes through here: the request itself
runs in a daemon thread while its caller waits in short steps, and the slot gate and the retry backoff wait
the same way. Once ``cancel()`` is called each of them raises Cancelled within ``POLL_S``; the abandoned
request's thread is a daemon, so it holds up neither its caller nor the exit of the process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from pipeline.llm.errors import Cancelled

POLL_S = 0.1

T = TypeVar("T")

_stopping = threading.Event()


class Gate(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float | None = ...) -> bool: ...

    def release(self) -> None: ...


def cancel() -> None:
    """Make every wait on the model, now and later, raise Cancelled (safe from a signal handler)."""
    _stopping.set()


def reset() -> None:
    """Allow requests again (a new batch in the same process)."""
    _stopping.clear()


def cancelled() -> bool:
    return _stopping.is_set()


def check() -> None:
    if _stopping.is_set():
        raise Cancelled()


def sleep(seconds: float) -> None:
    """time.sleep that ends early with Cancelled (tenacity's backoff)."""
    if _stopping.wait(max(0.0, seconds)):
        raise Cancelled()


@contextmanager
def holding(gate: Gate) -> Iterator[None]:
    """Hold a slot of the gate (a threading or multiprocessing semaphore), waiting for it in short steps."""
    while not gate.acquire(True, POLL_S):
        check()
    try:
        check()  # the slot came free because its holder was cancelled
        yield
    finally:
        gate.release()


def call(fn: Callable[[], T], deadline_s: float, on_deadline: Callable[[], BaseException]) -> T:
    """fn() in a daemon thread; its result or its exception, Cancelled on cancel(), or on_deadline() after
    deadline_s seconds (the request is then abandoned, not waited for)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller as is
            box["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, name="juesuan-llm-request", daemon=True).start()
    end = time.monotonic() + deadline_s
    while not done.wait(min(POLL_S, max(0.0, end - time.monotonic()))):
        check()
        if time.monotonic() >= end:
            raise on_deadline()
    if "error" in box:
        raise box["error"]
    return box["value"]
