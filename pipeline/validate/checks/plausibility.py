"""Plausibility: figures that could satisfy every sum and still be wrong (sign, range, scale)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Status, skip
from pipeline.validate.settings import ValidationSettings

_UNBOUNDED = ("assets.fixed_assets_total",)
_TOTALS = ("summary.total", "income.total", "expenditure.total", "appropriation.total")


_PASSED = Outcome(Status.PASS, "*")
"""One shared outcome for the many figures that pass: counted, never reported."""


def _is_money(fact: Fact) -> bool:
    return fact.figure.unit == "万元" and fact.alias_of is None


def _leaf(fact: Fact) -> str:
    return fact.path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class NonNegative:
    """Amounts, counts and percentages are ≥ 0; only changes are signed."""

    def reads(self) -> tuple[str, ...]:
        return ("*",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in view.facts.values():
            if fact.alias_of or _leaf(fact).endswith(("change", "change_pct")):
                continue
            if fact.value < 0:
                yield Outcome(Status.FAIL, fact.path, (fact,), found=fact.value, message="negative")
            else:
                yield _PASSED


@dataclass(frozen=True)
class ShareRange:
    """A share (占…%) lies in [0, 100]."""

    def reads(self) -> tuple[str, ...]:
        return ("*share_pct",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in view.facts.values():
            if fact.alias_of or not _leaf(fact).endswith("share_pct"):
                continue
            ok = 0 <= fact.value <= 100
            yield Outcome(
                Status.PASS if ok else Status.FAIL,
                fact.path,
                (fact,),
                found=fact.value,
                message="" if ok else "a share outside [0, 100]",
            )


@dataclass(frozen=True)
class Magnitude:
    """No amount exceeds ``magnitude_factor`` × the department's total (catches 元 read as 万元)."""

    def reads(self) -> tuple[str, ...]:
        return (*_TOTALS, "*")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        totals = [f.value for p in _TOTALS if (f := view.get(p)) is not None]
        if not totals:
            yield skip("*", "no department total stated", _TOTALS)
            return
        bound = max(totals) * settings.magnitude_factor
        for fact in view.facts.values():
            if not _is_money(fact) or fact.path in _UNBOUNDED:
                continue
            if abs(fact.value) > bound:
                yield Outcome(
                    Status.FAIL,
                    fact.path,
                    (fact,),
                    expected=bound,
                    found=fact.value,
                    message=f"{fact.value} 万元 is more than {settings.magnitude_factor}× the total {max(totals)}",
                )
            else:
                yield _PASSED


@dataclass(frozen=True)
class ScoreRange:
    """A self-evaluation score lies within its weight: a total within 100, the 预算执行 score within its
    (standard) weight of ``execution_score_max``."""

    def reads(self) -> tuple[str, ...]:
        return ("*score",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in view.facts.values():
            if fact.alias_of or fact.figure.unit != "分":
                continue
            top = settings.execution_score_max if _leaf(fact).endswith("execution_score") else Decimal(100)
            ok = 0 <= fact.value <= top
            yield Outcome(
                Status.PASS if ok else Status.FAIL,
                fact.path,
                (fact,),
                expected=top,
                found=fact.value,
                message="" if ok else f"a score of {fact.value} outside [0, {top}]",
            )
