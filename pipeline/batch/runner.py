"""``juesuan extract`` over many files: resume, one shared LLM endpoint, inline or in worker processes.

The parent starts (or reaches) the LLM endpoint once; with ``--jobs 1`` documents run in this process, with
more they run in spawned workers that use the parent's endpoint (never a server of their own). Whatever
happens (a bad file, Ctrl-C, SIGTERM) the tables are rebuilt from the records on disk before returning, and
the exit code says: 0 all reconciled or source-inconsistent, 1 something unresolved or failed, 2 usage or
configuration, 128 + the signal's number when stopped by one (130 Ctrl-C, 143 SIGTERM; see signals.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from pipeline.batch.discover import Input, discover
from pipeline.batch.job import JobOptions, StagedClient, Task, run_task
from pipeline.batch.outputs import FORMATS, Entry, write_outputs
from pipeline.batch.pool import EndpointSpec, WorkerPool
from pipeline.batch.progress import Reporter
from pipeline.batch.resume import file_sha256, finished, settings_fingerprint
from pipeline.batch.signals import Interrupted, StopSignals, exit_code, signal_name
from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.llm.errors import LLMError

OK_STATUSES = ("reconciled", "source_inconsistent")
EXIT_OK, EXIT_ISSUES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130  # by SIGTERM: 143 (exit_code())


@dataclass
class BatchOptions:
    out_dir: Path
    jobs: int = 1
    force: bool = False
    review: bool = True
    quiet: bool = False
    log_json: IO[str] | None = None
    lang: str | None = None  # zh | en for the tables' headers; None: Chinese for Chinese reports
    formats: list[str] | None = None  # of outputs.FORMATS; None: all


@dataclass
class BatchResult:
    exit_code: int
    entries: list[Entry] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    processed: int = 0
    resumed: int = 0
    failed: int = 0
    interrupted: bool = False
    signal: int | None = None  # the stop signal, when interrupted by one
    message: str | None = None

    def needs_review(self) -> list[Entry]:
        """Reports a person should look at: failed, unresolved, or the report's own figures disagree."""
        return [e for e in self.entries if e.status != "reconciled"]


class _Fatal(Exception):
    """A configuration error met while running: every document would fail the same way."""


def _worker_settings(settings: Settings, jobs: int) -> Settings:
    """Split the cores between workers' OCR unless the user fixed the thread count."""
    if settings.ocr_threads:
        return settings
    return settings.model_copy(update={"ocr_threads": max(1, (os.cpu_count() or 1) // jobs)})


@contextmanager
def _endpoint(settings: Settings) -> Iterator[Any]:
    from pipeline.llm.client import connect

    with connect(settings) as endpoint:
        yield endpoint


def _run_inline(
    tasks: list[Task], settings: Settings, endpoint: Any, opts: JobOptions, emit: Any
) -> Iterator[dict]:
    client = StagedClient(endpoint, settings)
    opts = replace(opts, parent_pid=None)  # this process is the batch
    for task in tasks:
        yield run_task(task, settings, client, opts, emit)


def _run_pool(
    tasks: list[Task], settings: Settings, endpoint: Any, opts: JobOptions, jobs: int, emit: Any
) -> Iterator[dict]:
    spec = EndpointSpec(
        endpoint.base_url, endpoint.model, endpoint.api_key, endpoint.model_id, endpoint.label
    )
    pool = WorkerPool(jobs, _worker_settings(settings, jobs), spec, opts)
    clean = False
    try:
        for event in pool.run(tasks):
            if event["event"] in ("done", "failed"):
                yield event
            else:
                emit(event)
        clean = True
    finally:
        pool.close(terminate=not clean)  # interrupted: workers abandon their documents, then the server goes


def run_batch(
    args: list[str | Path], settings: Settings, options: BatchOptions, console: Console
) -> BatchResult:
    """Extract every report the arguments name into ``options.out_dir``; see the module doc for exit codes."""
    out_dir = options.out_dir
    found = discover(args, exclude=out_dir)
    for pattern in found.unmatched:
        console.print(f"[yellow]warning:[/yellow] {pattern} matches no .pdf, .txt or .md file")
    if not found.inputs:
        return BatchResult(EXIT_USAGE, message="no input files")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return BatchResult(EXIT_USAGE, message=f"cannot create {out_dir}: {e}")

    fingerprint = settings_fingerprint(settings)
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}"
    opts = JobOptions(out_dir, fingerprint, run_id, options.review, parent_pid=os.getpid())
    result = BatchResult(EXIT_OK)
    outcomes: dict[int, dict] = {}
    shas: dict[int, str] = {}
    reporter = Reporter(
        len(found.inputs),
        out_dir / "events.jsonl",
        run_id,
        console,
        quiet=options.quiet,
        log_json=options.log_json,
    )
    tasks: list[Task] = []
    running: set[int] = set()

    def track(event: dict) -> None:
        if event.get("event") == "start":
            running.add(event["index"])
        reporter(event)

    with StopSignals() as stop, reporter:
        try:
            stop.arm()
            reporter(
                {
                    "event": "batch_start",
                    "inputs": len(found.inputs),
                    "jobs": options.jobs,
                    "fingerprint": fingerprint,
                    "force": options.force,
                }
            )
            tasks = _plan(found.inputs, options, opts, shas, reporter, result)
            if tasks:
                _execute(tasks, settings, options, opts, track, outcomes, result)
        except KeyboardInterrupt as e:  # Ctrl-C, SIGTERM or SIGHUP (Interrupted), or a wait given up for one
            stop.disarm()
            result.interrupted = True
            result.signal = e.signum if isinstance(e, Interrupted) else stop.signum
        except _Fatal as e:
            result.exit_code, result.message = EXIT_USAGE, str(e)
        except ConfigError as e:
            result.exit_code, result.message = EXIT_USAGE, f"configuration error: {e}"
        except LLMError as e:
            result.message = f"LLM endpoint: {e}"
            for task in tasks:
                outcomes.setdefault(task.index, {"event": "failed", "error": result.message})
        finally:
            stop.disarm()
        if stop.signum is not None and not result.interrupted:  # came while the last outcome was handled
            result.interrupted, result.signal = True, stop.signum
        result.entries = _entries(
            found.inputs, out_dir, shas, fingerprint, outcomes, result.interrupted, running
        )
        result.outputs = write_outputs(
            out_dir, result.entries, review=options.review, lang=options.lang,  # type: ignore[arg-type]
            formats=options.formats or FORMATS,
        )
        result.failed = sum(1 for e in result.entries if e.status == "failed")
        if result.interrupted and result.exit_code != EXIT_USAGE:
            result.message = _interrupted_message(result)
        reporter(
            {
                "event": "batch_end",
                "processed": result.processed,
                "resumed": result.resumed,
                "failed": result.failed,
                "interrupted": result.interrupted,
                "signal": signal_name(result.signal) if result.interrupted else None,
                "counts": reporter.counts,
            }
        )
    if result.exit_code == EXIT_USAGE:
        return result
    if result.interrupted:
        result.exit_code = exit_code(result.signal)
    elif any(e.status not in OK_STATUSES for e in result.entries):
        result.exit_code = EXIT_ISSUES
    return result


def _interrupted_message(result: BatchResult) -> str:
    """One line: what stopped the batch, how far it got, and that running it again goes on from there."""
    done = sum(1 for e in result.entries if e.record_path is not None)
    return (
        f"interrupted ({signal_name(result.signal)}): {done} of {len(result.entries)} done; "
        "run the same command again to resume"
    )


def _plan(
    inputs: list[Input],
    options: BatchOptions,
    opts: JobOptions,
    shas: dict[int, str],
    emit: Reporter,
    result: BatchResult,
) -> list[Task]:
    """The tasks left to do; a finished record (same bytes, same settings) is reported as resumed."""
    tasks = []
    for index, item in enumerate(inputs):
        try:
            shas[index] = file_sha256(item.path)
        except OSError:
            shas[index] = ""  # unreadable: the extraction names the cause
        stored = (
            None
            if options.force
            else finished(options.out_dir / f"{item.name}.json", shas[index], opts.fingerprint)
        )
        if stored is None:
            tasks.append(Task(index, item.path, item.name, shas[index]))
            continue
        result.resumed += 1
        if options.review and not (options.out_dir / f"{item.name}.html").exists():
            _redraw_review(options.out_dir, item, stored)
        emit(
            {
                "event": "skip",
                "index": index,
                "doc": item.name,
                "file": str(item.path),
                "status": stored.get("status"),
            }
        )
    return tasks


def _redraw_review(out_dir: Path, item: Input, stored: dict) -> None:
    """A finished record whose review page went missing gets it back without extracting again."""
    from pipeline.review.page import write_review

    with suppress(Exception):  # the page is a convenience; the record is what counts
        write_review(out_dir, item.name, item.path, stored)


def _execute(
    tasks: list[Task],
    settings: Settings,
    options: BatchOptions,
    opts: JobOptions,
    emit: Callable[[dict], None],
    outcomes: dict[int, dict],
    result: BatchResult,
) -> None:
    jobs = max(1, min(options.jobs, len(tasks)))
    with _endpoint(settings) as endpoint:
        emit({"event": "llm_ready", "endpoint": endpoint.label, "jobs": jobs})
        runs = (
            _run_inline(tasks, settings, endpoint, opts, emit)
            if jobs == 1
            else _run_pool(tasks, settings, endpoint, opts, jobs, emit)
        )
        try:
            for outcome in runs:
                outcomes[outcome["index"]] = outcome
                emit(outcome)
                if outcome["event"] == "done":
                    result.processed += 1
                if outcome.get("fatal"):
                    raise _Fatal(f"configuration error: {outcome.get('error')}")
        finally:
            runs.close()  # workers go before the endpoint does, so none sees the server vanish mid-document


def _entries(
    inputs: list[Input],
    out_dir: Path,
    shas: dict[int, str],
    fingerprint: str,
    outcomes: dict[int, dict],
    interrupted: bool,
    running: set[int] | None = None,
) -> list[Entry]:
    """Every input with its record as it stands on disk now, or why it has none."""
    entries = []
    for index, item in enumerate(inputs):
        outcome = outcomes.get(index)
        path = out_dir / f"{item.name}.json"
        data = None
        if outcome is None or outcome.get("event") == "done":
            if index not in shas:  # interrupted while planning
                try:
                    shas[index] = file_sha256(item.path)
                except OSError:
                    shas[index] = ""
            data = finished(path, shas[index], fingerprint)
        if data is not None:
            entries.append(Entry.of_record(str(item.path), item.name, path, data))
        elif outcome is not None and outcome.get("event") == "failed":
            entries.append(Entry(str(item.path), item.name, error=outcome.get("error")))
        elif interrupted:
            started = running is not None and index in running
            why = "abandoned mid-way: interrupted" if started else "not reached: interrupted"
            entries.append(Entry(str(item.path), item.name, status="pending", error=why))
        else:
            entries.append(Entry(str(item.path), item.name, error="no record written"))
    return entries
