"""What a batch tells people and logs: a live display, or JSON lines, and always ``events.jsonl``.

Every event (start, stage, done, failed, skip, batch start/end) is appended to ``OUT/events.jsonl`` with a
timestamp and the run id, flushed at once: it is the batch's history across interrupted runs (which run did
which document). On a terminal, rich shows an overall bar with ETA and the current stage of each running
document; ``--quiet`` prints only failures and the final tally; ``--log-json`` writes the events to stdout.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

STYLE = {
    "reconciled": "green",
    "source_inconsistent": "yellow",
    "unresolved": "red",
    "failed": "red",
    "pending": "dim",
}


class Reporter:
    """Callable sink for batch events; use as a context manager around the batch."""

    def __init__(
        self,
        total: int,
        log_path: Path,
        run_id: str,
        console: Console,
        *,
        quiet: bool = False,
        log_json: IO[str] | None = None,
    ):
        self.total = total
        self.run_id = run_id
        self.console = console
        self.quiet = quiet or log_json is not None
        self.log_json = log_json
        self.log_path = log_path
        self._log: IO[str] | None = None
        self._progress: Progress | None = None
        self._overall: TaskID | None = None
        self._rows: dict[Any, TaskID] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> Reporter:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("a", encoding="utf-8")
        if not self.quiet:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._overall = self._progress.add_task("documents", total=self.total)
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
        if self._log is not None:
            self._log.close()

    def __call__(self, event: dict[str, Any]) -> None:
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "run": self.run_id} | event
        line = json.dumps(record, ensure_ascii=False, default=str)
        if self._log is not None:
            self._log.write(line + "\n")
            self._log.flush()
        if self.log_json is not None:
            self.log_json.write(line + "\n")
            self.log_json.flush()
        kind = event.get("event")
        if kind in ("done", "failed", "skip"):
            key = "failed" if kind == "failed" else event.get("status", "?")
            self.counts[key] = self.counts.get(key, 0) + 1
        self._show(event)

    def _show(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "failed" and (self.quiet or self._progress is None):
            if self.log_json is None:
                self.console.print(f"[red]failed[/red] {event.get('file')}: {event.get('error')}")
            return
        if self._progress is None or self._overall is None:
            return
        slot = event.get("slot", 0)
        label = f"  {event.get('doc')}"
        if kind == "start":
            self._drop(slot)
            self._rows[slot] = self._progress.add_task(f"{label} · start", total=None)
        elif kind == "stage" and slot in self._rows:
            self._progress.update(self._rows[slot], description=f"{label} · {event.get('stage')}")
        elif kind in ("done", "failed", "skip"):
            if kind != "skip":
                self._drop(slot)
            self._progress.advance(self._overall)
            self.console.print(self._line(event))

    def _drop(self, slot: Any) -> None:
        task = self._rows.pop(slot, None)
        if task is not None and self._progress is not None:
            self._progress.remove_task(task)

    @staticmethod
    def _line(event: dict[str, Any]) -> str:
        kind = event.get("event")
        if kind == "failed":
            return f"[red]✗ failed[/red] {event.get('doc')}: {event.get('error')}"
        status = event.get("status", "?")
        style = STYLE.get(status, "white")
        seconds = event.get("seconds")
        took = f" ({seconds:.0f}s)" if isinstance(seconds, int | float) else ""
        how = "resumed" if kind == "skip" else "done"
        return f"[{style}]{how:>7} {status}[/] {event.get('doc')}{took}"


_SUMMARY_WORDS = {
    "zh": {"reports": "份报告", "done": "本次处理 {p}，续用 {r}", "look": "需要人工查看", "look_at": "请查看",
           "cols": ("报告", "状态", "识别错误", "报告不一致", "原因 / 复核页面")},
    "en": {"reports": "reports", "done": "{p} processed, {r} resumed this run", "look": "needs a human look",
           "look_at": "look at", "cols": ("report", "status", "extraction", "source", "why / review page")},
}


def print_summary(result: Any, out_dir: Path, console: Console, *, brief: bool = False, lang: str = "zh") -> None:
    """The tally by status, the outputs, and the reports that need a person (with their review pages)."""
    from rich.table import Table

    from pipeline.export.labels import STATUSES, word

    language = "en" if lang == "en" else "zh"
    words = _SUMMARY_WORDS[language]

    def say(status: str) -> str:
        return word(STATUSES, status, language) or status
    tally: dict[str, int] = {}
    for e in result.entries:
        status = e.status
        tally[status] = tally.get(status, 0) + 1
    line = ", ".join(f"[{STYLE.get(k, 'white')}]{v} {say(k)}[/]" for k, v in sorted(tally.items()))
    done = words["done"].format(p=result.processed, r=result.resumed)
    console.print(f"{len(result.entries)} {words['reports']}: {line} ({done}) → {out_dir}")
    look = result.needs_review()
    if not look:
        return
    if brief:
        for e in look:
            console.print(f"  {words['look_at']} {e.name}: {e.error or say(e.status)}")
        return
    table = Table(title=words["look"], show_header=True, header_style="bold", box=None)
    for col in words["cols"]:
        table.add_column(col)
    for e in look:
        if e.record_path is None:
            table.add_row(e.name, f"[red]{say(e.status)}[/red]", "", "", e.error or "")
            continue
        counts, status = e.counts, e.status
        page = out_dir / f"{e.name}.html"
        table.add_row(
            e.name,
            f"[{STYLE.get(status, 'white')}]{say(status)}[/]",
            str(counts.get("extraction", 0)),
            str(counts.get("source", 0)),
            str(page) if page.exists() else "",
        )
    console.print(table)
