"""One document of a batch: extract, draw its review page, then write its record (last, atomically).

The same function runs inline (``--jobs 1``) and in worker processes, so both paths write the same files.
Any error of one document is caught and returned as its outcome: a bad file never stops the batch. Only a
configuration error is marked fatal, because every other document would fail the same way.
"""

from __future__ import annotations

import copy
import os
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from pipeline.batch.resume import write_record
from pipeline.config import Settings
from pipeline.errors import ConfigError, JuesuanError
from pipeline.export.rows import page_sizes_of
from pipeline.llm.client import LLMClient
from pipeline.llm.ledger import Ledger

Emit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    name: str
    sha256: str


@dataclass(frozen=True)
class JobOptions:
    out_dir: Path
    fingerprint: str
    run_id: str
    review: bool = True
    parent_pid: int | None = None  # a worker writes nothing once the batch that started it is gone


class StageLedger(Ledger):
    """A ledger that also says when a stage starts, so the progress display can show it."""

    _on_stage: Callable[[str], None] | None = PrivateAttr(default=None)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._on_stage is not None:
            self._on_stage(name)
        with super().stage(name):
            yield


class StagedClient(LLMClient):
    """The shared client whose per-document ledgers report their stages (extract_path makes the ledger)."""

    on_stage: Callable[[str], None] | None = None

    def for_document(self, ledger: Ledger | None = None) -> LLMClient:
        if ledger is None:
            staged = StageLedger(token_budget=self.settings.llm_token_budget, endpoint=self.endpoint.label)
            staged._on_stage = self.on_stage
            ledger = staged
        return super().for_document(ledger)


def page_count(path: Path) -> int | None:
    """Pages of a PDF (None for text input or an unreadable file)."""
    if path.suffix.lower() in (".txt", ".md"):
        return None
    try:
        import pymupdf

        with pymupdf.open(path) as doc:
            return doc.page_count
    except Exception:  # noqa: BLE001 - a count for the summary, never a reason to fail
        return None


def _describe(e: BaseException) -> str:
    if isinstance(e, JuesuanError):
        return str(e)
    frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
    where = f" (at {Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(e).__name__}: {e}{where}"


def run_task(
    task: Task, settings: Settings, client: StagedClient, opts: JobOptions, emit: Emit
) -> dict[str, Any]:
    """Extract one file into ``<name>.json`` (+ ``<name>.html``); the outcome is a small dict for the parent."""
    from pipeline.extract.run import extract_path

    start = time.perf_counter()
    base = {"event": "done", "index": task.index, "doc": task.name, "file": str(task.path)}
    emit(
        {"event": "start", "index": task.index, "doc": task.name, "file": str(task.path), "pid": os.getpid()}
    )

    def on_stage(stage: str) -> None:
        emit({"event": "stage", "index": task.index, "doc": task.name, "stage": stage})

    staged = copy.copy(client)
    staged.on_stage = on_stage
    try:
        result = extract_path(task.path, settings, staged)
    except ConfigError as e:
        return base | {
            "event": "failed",
            "error": str(e),
            "fatal": True,
            "seconds": time.perf_counter() - start,
        }
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        return base | {"event": "failed", "error": _describe(e), "seconds": time.perf_counter() - start}

    pages = page_count(task.path)
    output = result.output()
    try:
        output = _corrected(output, opts.out_dir / f"{task.name}.json", task.path, settings)
    except JuesuanError as e:
        return base | {"event": "failed", "error": str(e), "seconds": time.perf_counter() - start}
    output["settings_fingerprint"] = opts.fingerprint
    output["page_sizes"] = page_sizes_of(task.path)  # boxes in the tables are in points of these pages
    output["batch"] = {
        "file": str(task.path),
        "name": task.name,
        "pages": pages,
        "seconds": round(time.perf_counter() - start, 3),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": opts.run_id,
        "pid": os.getpid(),
    }
    outcome = base | {"status": result.status, "pages": pages}
    if opts.review:
        on_stage("review")
        try:
            from pipeline.review.page import write_review

            write_review(opts.out_dir, task.name, task.path, output)
        except Exception as e:  # noqa: BLE001 - the record stands without its page
            outcome["review_error"] = _describe(e)
    if opts.parent_pid is not None and os.getppid() != opts.parent_pid:
        raise SystemExit(1)  # the batch died: its next run redoes this document, so write nothing now
    write_record(opts.out_dir / f"{task.name}.json", output)
    outcome["seconds"] = time.perf_counter() - start
    return outcome


def _corrected(output: dict[str, Any], record_file: Path, source: Path, settings: Settings) -> dict[str, Any]:
    """The reviewer's ``<stem>.corrections.json``, applied again after every extraction (``--force`` too)."""
    from pipeline.review.corrections import corrected_output, corrections_path, load_corrections

    fixes_file = corrections_path(record_file)
    fixes = load_corrections(fixes_file)
    if fixes is None:
        return output
    from pipeline.parse import parse_path

    document = parse_path(source, settings)  # the OCR cache makes this a re-read, not a second OCR
    return corrected_output(output, fixes, document, fixes_file)
