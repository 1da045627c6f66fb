"""The F1 floor kept in the repo (``eval/floor.json``): CI fails when a change makes the pipeline worse.

Format: ``{"f1": 0.82, "sections": {"summary": 0.9, ...}}``; ``sections`` is optional, other keys are
comments. Raise the numbers when results improve; never lower them to make a run pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.evaluation.loading import EvalInputError
from pipeline.evaluation.metrics import EvalResult


class Floor(BaseModel):
    model_config = ConfigDict(extra="allow")

    f1: float = Field(ge=0, le=1, description="overall micro F1 must be at least this")
    sections: dict[str, float] = Field(default_factory=dict, description="per-section F1 floors")


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
    return out
