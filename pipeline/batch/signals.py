"""Ctrl-C, ``kill`` and a closed terminal stop a batch within a second or two, in order.

For the length of a batch the main thread's SIGINT, SIGTERM and SIGHUP handler does two things: it cancels
every wait on the model in this process (pipeline.llm.cancel, so the threads reading the running document's
parts end at once instead of after their HTTP timeouts) and, the first time, raises Interrupted. The batch
unwinds: the running document is abandoned before its record is written (the record is written last and
atomically, so there is never half of one), workers are stopped, then the LLM server, and the tables are
written for the records on disk. Later signals only count; the exit code is 128 + the first signal's number.

Worker processes get SIGTERM from the parent and unwind the same way (``worker_signals``).
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType
from typing import Any

from pipeline.llm import cancel

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A stop signal reached the batch; ``signum`` says which one."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def exit_code(signum: int | None) -> int:
    """The shell's convention: 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM)."""
    return 128 + (signum or signal.SIGINT)


def signal_name(signum: int | None) -> str:
    return signal.Signals(signum or signal.SIGINT).name


class StopSignals:
    """Context manager around a batch; between ``arm()`` and ``disarm()`` (planning and running) a signal
    raises, elsewhere it is noted.

    Off the main thread (no signals can be handled there) it only resets the cancel flag.
    """

    def __init__(self) -> None:
        self.signum: int | None = None  # the first stop signal seen
        self.armed = False
        self.active = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        cancel.reset()
        self.active = True
        if threading.current_thread() is threading.main_thread():
            from pipeline.llm.server import install_handlers

            install_handlers()  # the server's own handlers sit below ours, never above
            for signum in SIGNALS:
                self._previous[signum] = signal.getsignal(signum)
                signal.signal(signum, self._handle)
        return self

    def arm(self) -> None:
        """From here on a stop signal raises Interrupted (at once, if one came already)."""
        if self.signum is not None:
            raise Interrupted(self.signum)
        self.armed = True

    def disarm(self) -> None:
        """From here on a stop signal is only noted: the batch is finishing its tables anyway."""
        self.armed = False

    def __exit__(self, *exc: object) -> None:
        self.active = self.armed = False
        for signum, previous in self._previous.items():
            if signal.getsignal(signum) == self._handle:
                signal.signal(signum, previous)
            # else someone chained a handler onto ours: we stay in the chain, passing signals on
        cancel.reset()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.active:
            _pass_on(self._previous.get(signum), signum, frame)
            return
        first = self.signum is None
        if first:
            self.signum = signum
        cancel.cancel()
        if first and self.armed:
            self.armed = False
            raise Interrupted(signum)


def _pass_on(previous: Any, signum: int, frame: FrameType | None) -> None:
    """Do what the handler before ours would have done."""
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_DFL or previous is None:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def worker_signals() -> None:
    """In a worker process: Ctrl-C is the parent's business; SIGTERM (from the parent) unwinds like the batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    seen: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()
        if not seen:
            seen.append(signum)
            raise Interrupted(signum)

    signal.signal(signal.SIGTERM, handle)
