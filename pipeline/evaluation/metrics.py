"""The numbers an evaluation reports, as JSON-ready models, and how they add up over documents.

Precision, recall and F1 are micro-averaged: counts are summed over fields (and documents) before dividing,
so a document with many list rows weighs more than one with few. The macro F1 over documents is given too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, computed_field

from pipeline.evaluation.matching import Pair


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


class Counts(BaseModel):
    """True/false positives and negatives; ``wrong`` is a pair that is both a false positive and negative."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    wrong: int = 0
    missing: int = 0
    extra: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        """1.0 when nothing was predicted and nothing was due, else 0.0 for an empty prediction."""
        return _ratio(self.tp, self.tp + self.fp, 1.0 if self.fn == 0 else 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, 1.0 if self.fp == 0 else 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def errors(self) -> int:
        return self.wrong + self.missing + self.extra

    def add(self, pair: Pair) -> None:
        self.tp += pair.tp
        self.fp += pair.fp
        self.fn += pair.fn
        if pair.outcome != "tp":
            setattr(self, pair.outcome, getattr(self, pair.outcome) + 1)

    def merge(self, other: Counts) -> None:
        for name in ("tp", "fp", "fn", "wrong", "missing", "extra"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Rate(BaseModel):
    """``hits`` of ``total`` (page agreement, grounding, detection), with the rate (None when nothing to rate)."""

    hits: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None

    def merge(self, other: Rate) -> None:
        self.hits += other.hits
        self.total += other.total


class Grounding(Rate):
    """Grounded figures: by the validator's report (quotes found in the document) where the prediction has
    one, else ``quotes`` (each contract figure's own quote prints its value)."""

    method: str = "none"


class Side(BaseModel):
    value: Any = None
    page: int | None = None
    line: int | None = None
    quote: str | None = None


class FieldScore(BaseModel):
    document: str
    path: str
    section: str
    shape: str
    outcome: str
    gold: Side | None = None
    pred: Side | None = None
    difference: float | None = None
    location_agrees: bool | None = None


class InconsistencyScore(BaseModel):
    description: str
    severity: str
    fields: list[str]
    detected: bool | None = Field(None, description="None for note entries (not counted)")
    rules: list[str] = Field(default_factory=list)


class Detection(BaseModel):
    """Recall of the gold's source inconsistencies (error and rounding entries) among ``source`` violations."""

    available: bool = False
    found: Rate = Field(default_factory=Rate)
    notes: int = 0
    source_findings: int = Field(0, description="source violations: what the run says is the report's fault")
    unexpected_source: int = Field(0, description="source violations no gold inconsistency explains")
    entries: list[InconsistencyScore] = Field(default_factory=list)

    def merge(self, other: Detection) -> None:
        self.available = self.available or other.available
        self.found.merge(other.found)
        self.notes += other.notes
        self.source_findings += other.source_findings
        self.unexpected_source += other.unexpected_source

    @property
    def source_precision(self) -> float | None:
        """Share of the source findings that a gold inconsistency explains (None when there are none)."""
        if not self.source_findings:
            return None
        return (self.source_findings - self.unexpected_source) / self.source_findings


class PartCost(BaseModel):
    calls: int = 0
    failed_calls: int = 0
    invalid_outputs: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0

    def merge(self, other: PartCost) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Cost(PartCost):
    """LLM spend from the ledgers: totals, per record part, and wall seconds per stage."""

    documents: int = 0
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    parts: dict[str, PartCost] = Field(default_factory=dict)

    def merge(self, other: Cost) -> None:  # type: ignore[override]
        for name in PartCost.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.documents += other.documents
        for stage, secs in other.stage_seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + secs
        for part, counts in other.parts.items():
            self.parts.setdefault(part, PartCost()).merge(counts)


class DocumentScore(BaseModel):
    document: str
    gold_file: str | None = None
    pred_file: str | None = None
    predicted: bool = True
    counts: Counts = Field(default_factory=Counts)
    sections: dict[str, Counts] = Field(default_factory=dict)
    location: Rate = Field(default_factory=Rate)
    grounding: Grounding = Field(default_factory=Grounding)
    status: str = "unknown"
    violations: dict[str, int] = Field(default_factory=dict, description="validator violations by class")
    detection: Detection = Field(default_factory=Detection)
    cost: Cost | None = None
    fields: list[FieldScore] = Field(default_factory=list)


class FieldStat(BaseModel):
    """One field shape (``general_budget.items[*].amount``) over all documents, with its errors."""

    shape: str
    section: str
    counts: Counts
    examples: list[FieldScore] = Field(default_factory=list)


class EvalResult(BaseModel):
    tolerance: float
    documents: list[DocumentScore]
    overall: Counts
    macro_f1: float
    sections: dict[str, Counts]
    location: Rate
    grounding: Grounding
    statuses: dict[str, int]
    violations: dict[str, int]
    detection: Detection
    cost: Cost
    worst_fields: list[FieldStat]
    unmatched_gold: list[str] = Field(default_factory=list)
    unmatched_predictions: list[str] = Field(default_factory=list)
    unknown_gold_paths: dict[str, list[str]] = Field(default_factory=dict)
