"""``juesuan eval run``: extract the documents once per configuration, score each against the gold, compare.

Extraction is the batch runner of ``juesuan extract`` (``pipeline.batch.run_batch``), one output folder per
configuration (``OUT/<name>/``), so an interrupted evaluation resumes, caches are shared and progress shows
as usual. Only documents with a gold are extracted. A document whose extraction failed is scored as an
empty prediction (status ``failed``): it costs recall instead of vanishing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from pipeline.evaluation.configs import EvalConfig
from pipeline.evaluation.loading import (
    EvalInputError,
    Fields,
    GoldDoc,
    Prediction,
    load_gold_dir,
    load_prediction,
)
from pipeline.evaluation.metrics import EvalResult
from pipeline.evaluation.scoring import score_documents

EXIT_OK, EXIT_FLOOR, EXIT_USAGE = 0, 1, 2  # interrupted: the batch's own code (128 + signal)


@dataclass
class ConfigRun:
    """One configuration's extraction and its score (``result`` is None when it could not run)."""

    config: EvalConfig
    out_dir: Path
    seconds: float = 0.0
    exit_code: int = 0
    processed: int = 0
    resumed: int = 0
    failed: int = 0
    interrupted: bool = False
    result: EvalResult | None = None
    error: str | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.config.name,
            "overrides": self.config.public(),
            "out_dir": str(self.out_dir),
            "seconds": round(self.seconds, 3),
            "batch_exit_code": self.exit_code,
            "processed": self.processed,
            "resumed": self.resumed,
            "failed": self.failed,
            "error": self.error,
            "result": self.result.model_dump(mode="json") if self.result is not None else None,
        }


@dataclass
class Selection:
    """The documents to extract (those with a gold) and what was left out on either side."""

    golds: list[GoldDoc]
    paths: list[Path]
    no_gold: list[str] = field(default_factory=list)
    no_document: list[str] = field(default_factory=list)


def select(gold_dir: Path, docs: list[str | Path], exclude: Path | None = None) -> Selection:
    """Pair the reports in ``docs`` (files, folders, globs) with the gold files by stem."""
    from pipeline.batch.discover import discover

    golds = load_gold_dir(gold_dir)
    found = discover(docs, exclude=exclude)
    if not found.inputs:
        raise EvalInputError(f"{', '.join(map(str, docs))}: no documents (.pdf, .txt, .md)")
    by_key = {k: g for g in golds for k in g.match_keys()}
    paths, used, no_gold = [], set(), []
    for item in found.inputs:
        g = by_key.get(item.path.stem) or by_key.get(item.name)
        if g is None:
            no_gold.append(str(item.path))
        else:
            paths.append(item.path)
            used.add(id(g))
    if not paths:
        raise EvalInputError(
            "no document has a gold file (paired by stem); gold: " + ", ".join(sorted(g.stem for g in golds))
        )
    kept = [g for g in golds if id(g) in used]
    return Selection(kept, paths, no_gold, sorted(g.stem for g in golds if id(g) not in used))


def predictions(entries: list[Any]) -> list[Prediction]:
    """The batch's records as predictions; a report without one (failed) as an empty prediction."""
    out = []
    for e in entries:
        if e.record_path is not None and e.record_path.exists():
            out.append(load_prediction(e.record_path))
        else:
            name = Path(e.file).name
            out.append(Prediction(Path(name).stem, None, name, Fields(), e.status))
    return out


def run_config(
    config: EvalConfig,
    selection: Selection,
    out_root: Path,
    console: Console,
    *,
    jobs: int = 1,
    force: bool = False,
    review: bool = True,
    quiet: bool = False,
) -> ConfigRun:
    """Extract the selected documents with this configuration into ``out_root/<name>``, then score them."""
    from pipeline.batch import BatchOptions, print_summary, run_batch

    assert config.settings is not None
    out = out_root / config.name
    run = ConfigRun(config, out)
    options = BatchOptions(out_dir=out, jobs=jobs, force=force, review=review, quiet=quiet)
    start = time.perf_counter()
    batch = run_batch(list(selection.paths), config.settings, options, console)
    run.seconds = time.perf_counter() - start
    run.exit_code = batch.exit_code
    run.processed, run.resumed, run.failed = batch.processed, batch.resumed, batch.failed
    if batch.entries:
        print_summary(batch, out, console, brief=True)
    run.interrupted = batch.interrupted
    if batch.interrupted or batch.exit_code == EXIT_USAGE:
        run.error = batch.message or ("interrupted" if batch.interrupted else "failed")
        return run
    run.result = score_documents(selection.golds, predictions(batch.entries), missing="empty")
    return run


def extra_rows(runs: list[ConfigRun]) -> list[tuple[str, list[str]]]:
    """Rows of this run for the side-by-side table: extracted and resumed documents, wall seconds."""
    return [
        ("extracted / resumed / failed", [f"{r.processed}/{r.resumed}/{r.failed}" for r in runs]),
        ("wall seconds (this run)", [f"{r.seconds:.1f}" for r in runs]),
    ]
