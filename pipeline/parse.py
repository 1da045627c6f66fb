"""parse: a file into a Document with its layout: ingestion (text layer / OCR), the report kind (its title's
words, or the one the settings name), then blocks, sections and tables by that kind's profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.extract.identity import heuristic
from pipeline.ingest import ingest
from pipeline.ingest.result import IngestResult
from pipeline.layout import build_layout
from pipeline.ocr.base import OcrEngine
from pipeline.reports import ReportProfile, pick


def parse_path(path: Path, settings: Settings, progress: Console | None = None,
               ocr: OcrEngine | None = None, profile: ReportProfile | None = None) -> Document:
    """Ingest ``path`` and lay it out. ``progress``: a console to show a per-page bar on (OCR is slow);
    ``ocr``: an engine to use instead of the one ``settings`` names (tests, benchmarks); ``profile``: the
    report kind to read it as, instead of the one ``settings`` or its title name."""
    path = Path(path)
    with _page_bar(progress, path.name) as tick:
        result = ingest(path, settings, ocr=ocr, progress=tick)
    return lay_out(result, path, settings, profile)


def profile_of(document: Document, settings: Settings) -> ReportProfile:
    """The kind to read an ingested document as: the settings' ``report_type`` where set, else its title's."""
    return pick(settings.report_type, heuristic(document).report_type)


def lay_out(result: IngestResult, path: Path | None, settings: Settings,
            profile: ReportProfile | None = None) -> Document:
    """An ingested file laid out by its kind's profile; the document keeps the kind it was read as."""
    profile = profile or profile_of(result.document, settings)
    document = build_layout(result.document, result.rasters, path, profile.tables)
    document.report_type = profile.kind
    return document


@contextmanager
def _page_bar(console: Console | None, name: str) -> Iterator:
    """A rich progress bar fed by ingestion's ``(stage, done, total)`` callback; a no-op without a console.
    Shown only for documents long enough to be worth one (transient: it clears when done)."""
    if console is None:
        yield None
        return
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("pages"), TimeElapsedColumn(), console=console, transient=True)
    task = None

    def tick(stage: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if total <= 1:
                return
            task = bar.add_task(f"{stage} {name}", total=total)
        bar.update(task, completed=done)

    with bar:
        yield tick
