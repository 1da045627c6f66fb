"""``juesuan extract`` over folders of reports: parallel, resumable, with tables and review pages.

discover (which files) → resume (what is done) → runner/pool (inline or worker processes sharing one LLM
endpoint) → job (one document) → outputs (jsonl/csv/xlsx) and pipeline.review (the HTML page per report);
progress shows and logs it all. Exports are lazy so that the small modules (resume, discover) import
without the LLM client behind the runner.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "BatchOptions": "pipeline.batch.runner",
    "BatchResult": "pipeline.batch.runner",
    "run_batch": "pipeline.batch.runner",
    "print_summary": "pipeline.batch.progress",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.batch' has no attribute {name!r}")
