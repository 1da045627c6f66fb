"""The F1 floors kept in the repo (``eval/floor*.json``): CI fails when a change makes the pipeline worse.

Format: ``{"f1": 0.82, "sections": {"summary": 0.9}, "documents": {"<stem>": 0.6}, "source_precision": 0.9,
"measured": {...}}``.
``sections`` and ``documents`` are optional (a document is named by its gold file's or source file's stem; one
with a floor that was not scored fails, so a report that silently drops out of the run cannot pass). ``measured`` keeps the values
the floors were set from, so a test can check that a floor was never lowered below what was measured; other
keys are comments. Raise the numbers when results improve; never lower them to make a run pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.evaluation.loading import EvalInputError
from pipeline.evaluation.metrics import EvalResult


class Measured(BaseModel):
    """The last measured values behind a floor: the run, when and how, and its F1s."""

    model_config = ConfigDict(extra="allow")

    f1: float | None = Field(None, ge=0, le=1)
    sections: dict[str, float] = Field(default_factory=dict)
    documents: dict[str, float] = Field(default_factory=dict)


class Floor(BaseModel):
    model_config = ConfigDict(extra="allow")

    f1: float = Field(0.0, ge=0, le=1, description="overall micro F1 must be at least this (0: no such floor)")
    sections: dict[str, float] = Field(default_factory=dict, description="per-section F1 floors")
    documents: dict[str, float] = Field(default_factory=dict, description="per-document F1 floors, by stem")
    source_precision: float = Field(
        0.0, ge=0, le=1,
        description="share of source findings a gold inconsistency explains must be at least this (0: no floor); "
        "a source finding is a public accusation, so one our misreading made counts against it",
    )
    measured: Measured | None = Field(default=None, description="the values the floors were set from")


def load_floor(path: str | Path) -> Floor:
    try:
        return Floor.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as e:
        raise EvalInputError(f"{path}: not a floor file ({e})") from e


def below_floor(result: EvalResult, floor: Floor) -> list[str]:
    """One line per number under its floor (both numbers given); empty when the run passes."""
    out = []
    if result.overall.f1 < floor.f1:
        out.append(f"overall F1 {result.overall.f1:.4f} is under the floor {floor.f1:.4f}")
    for section, minimum in floor.sections.items():
        counts = result.sections.get(section)
        f1 = counts.f1 if counts else 0.0
        if f1 < minimum:
            out.append(f"{section} F1 {f1:.4f} is under the floor {minimum:.4f}")
    precision = result.detection.source_precision
    if floor.source_precision and precision is not None and precision < floor.source_precision:
        out.append(
            f"source findings precision {precision:.4f} is under the floor {floor.source_precision:.4f}"
            f" ({result.detection.unexpected_source} of {result.detection.source_findings} not in the gold)"
        )
    scored = {Path(name).stem: d for d in result.documents for name in (d.gold_file, d.document) if name}
    for stem, minimum in floor.documents.items():
        doc = scored.get(stem)
        if doc is None:
            out.append(f"{stem} has a floor of {minimum:.4f} but was not scored")
        elif doc.counts.f1 < minimum:
            out.append(f"{stem} F1 {doc.counts.f1:.4f} is under the floor {minimum:.4f}")
    return out
