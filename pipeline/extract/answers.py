"""What one call (one chunk of one part) yielded: figures and rows with their sources, and every refusal.

A number the model points at is kept only when it passes its field's (or row's) checks; a refused one is
kept aside with its reason (the repair prompt shows it, the output lists it), never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from pipeline.record.figure import Figure


class RejectedFigure(BaseModel):
    """A number the model pointed at that failed its checks, and why."""

    part: str
    path: str
    label: str
    value: str
    quote: str
    reason: str


@dataclass
class NarrativeRow:
    """A list row read from the narrative (a 类 with its share, a 项 with its budget and completion)."""

    list_path: str
    name: str
    values: dict[str, Figure]
    printed_no: int | None = None
    budget_basis: str | None = None


@dataclass
class Answer:
    """What one chunk of one part yielded: pre-filled and pointed figures, rows, refusals."""

    part: str
    chunk: int
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    rows: list[NarrativeRow] = field(default_factory=list)
    rejected: list[RejectedFigure] = field(default_factory=list)

    def paths(self) -> set[str]:
        return {p for p, _ in self.figures} | {r.list_path for r in self.rows}


__all__ = ["Answer", "NarrativeRow", "RejectedFigure"]
