"""Recomputed percentages: shares, completion rates and year-on-year growth against their printed value.

A printed percentage passes within half a unit of its last printed digit. Beyond that, up to
``pct_rounding_units`` units plus the rounding propagated from the printed amounts it is computed from, the
gap is a rounding gap (printed shares forced to total 100, rates taken from unrounded amounts). A rate on a
zero base is undefined and is flagged whatever is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pipeline.record.money import HUNDRED
from pipeline.validate.checks.arith import row_key
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Severity, Status, skip
from pipeline.validate.settings import ValidationSettings

_Q = Decimal("0.0001")


def _bind(path: str, key: str | None) -> str:
    return path.replace("[*]", f"[{key}]") if key is not None else path


def compare_pct(
    subject: str,
    pct: Fact,
    computed: Decimal,
    propagated: Decimal,
    facts: tuple[Fact, ...],
    settings: ValidationSettings,
) -> Outcome:
    unit = Decimal(1).scaleb(-pct.decimals)
    diff = pct.value - computed
    shown = computed.quantize(_Q, rounding=ROUND_HALF_UP)
    out = Outcome(Status.PASS, subject, facts, shown, pct.value, unit / 2)
    if abs(diff) <= unit / 2:
        return out
    envelope = unit * settings.pct_rounding_units + propagated
    out.tolerance = envelope.quantize(_Q, rounding=ROUND_HALF_UP)
    if abs(diff) <= envelope:
        out.status = Status.ROUNDING
        out.message = f"printed {pct.value}%, recomputed {shown}% (within rounding ±{out.tolerance})"
    else:
        out.status = Status.FAIL
        out.message = f"printed {pct.value}%, recomputed {shown}%"
    return out


def _row_facts(view: FactView, pct: Fact, pattern: str, paths: tuple[str, ...]) -> tuple[list[Fact | None], list[str]]:
    """The facts of ``paths`` for one pct fact (``[*]`` bound to its row where ``pattern`` has one), and the
    paths not stated."""
    key = row_key(pct.path) if "[*]" in pattern else None
    bound = [_bind(x, key) for x in paths]
    facts = [view.get(b) for b in bound]
    return facts, [b for b, f in zip(bound, facts, strict=True) if f is None]


def _no_base(pct: Fact, facts: tuple[Fact, ...], prior: Decimal, detail: str) -> Outcome:
    """A growth rate from a prior year of 0 (a warning: the rate is undefined) or below (an error)."""
    what = "a zero base" if prior == 0 else f"a negative base ({prior})"
    return Outcome(Status.FAIL, pct.path, facts, None, pct.value, message=f"growth of {pct.value}% from {what}{detail}",
                   severity="warning" if prior == 0 else None)


@dataclass(frozen=True)
class Ratio:
    """pct = num / den × 100 (a share or a completion rate). ``[*]`` binds to each pct fact's row."""

    pct: str
    num: str
    den: str
    zero_severity: Severity = "error"

    def reads(self) -> tuple[str, ...]:
        return (self.pct, self.num, self.den)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for pct in view.match(self.pct):
            (num, den), lacking = _row_facts(view, pct, self.pct, (self.num, self.den))
            if num is None or den is None:
                yield skip(pct.path, "not stated: " + ", ".join(lacking), lacking)
                continue
            facts = (pct, num, den)
            if den.value == 0:
                yield Outcome(
                    Status.FAIL,
                    pct.path,
                    facts,
                    None,
                    pct.value,
                    message=f"{pct.value}% of a base of 0 ({den.path}) is undefined",
                    severity=self.zero_severity,
                )
                continue
            h = settings.half_cent
            computed = num.value / den.value * HUNDRED
            propagated = HUNDRED * (h / abs(den.value) + abs(num.value) * h / den.value**2)
            yield compare_pct(pct.path, pct, computed, propagated, facts, settings)


@dataclass(frozen=True)
class Growth:
    """pct = change / (current − change) × 100: the year-on-year rate from the stated change."""

    pct: str
    change: str
    current: str

    def reads(self) -> tuple[str, ...]:
        return (self.pct, self.change, self.current)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        pct, change, current = view.get(self.pct), view.get(self.change), view.get(self.current)
        if pct is None or change is None or current is None:
            lacking = [p for p, f in ((self.pct, pct), (self.change, change), (self.current, current)) if f is None]
            yield skip(self.pct, "not stated: " + ", ".join(lacking), lacking)
            return
        facts = (pct, change, current)
        prior = current.value - change.value
        if prior <= 0:
            yield _no_base(pct, facts, prior, f": the prior year is {current.value} − {change.value}")
            return
        h = settings.half_cent
        computed = change.value / prior * HUNDRED
        propagated = HUNDRED * (h / prior + abs(change.value) * 2 * h / prior**2)
        yield compare_pct(pct.path, pct, computed, propagated, facts, settings)


@dataclass(frozen=True)
class GrowthOverPrior:
    """pct = (current − prior) / prior × 100: a rate printed beside both years' figures (a 预算's 比上年执行数
    增减%). ``[*]`` binds to each pct fact's row. A rate is checked only where both figures were read, so a
    finding is a printed rate its own printed figures contradict (reports do print wrong rates)."""

    pct: str
    current: str
    prior: str

    def reads(self) -> tuple[str, ...]:
        return (self.pct, self.current, self.prior)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for pct in view.match(self.pct):
            (current, prior), lacking = _row_facts(view, pct, self.pct, (self.current, self.prior))
            if current is None or prior is None:
                yield skip(pct.path, "not stated: " + ", ".join(lacking), lacking)
                continue
            facts = (pct, current, prior)
            if prior.value <= 0:
                yield _no_base(pct, facts, prior.value, f" ({prior.path})")
                continue
            h = settings.half_cent
            computed = (current.value - prior.value) / prior.value * HUNDRED
            propagated = HUNDRED * (h / prior.value + abs(current.value) * h / prior.value**2)
            yield compare_pct(pct.path, pct, computed, propagated, facts, settings)


@dataclass(frozen=True)
class ShareSum:
    """Shares of the parts of one whole sum to ≈100 (less when the parts are not all stated)."""

    shares: tuple[str, ...]
    complete: bool = False

    def reads(self) -> tuple[str, ...]:
        return self.shares

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        facts = [f for p in self.shares for f in view.match(p)]
        subject = " + ".join(self.shares)
        if len(facts) < 2:
            yield skip(subject, "fewer than two shares stated", self.shares)
            return
        total = sum((f.value for f in facts), Decimal(0))
        half = sum((Decimal(1).scaleb(-f.decimals) / 2 for f in facts), Decimal(0))
        out = Outcome(Status.PASS, subject, tuple(facts), HUNDRED, total, half, additive=True)
        gap = total - HUNDRED
        if abs(gap) <= half:
            return_status = Status.PASS
        elif abs(gap) <= 2 * half * settings.pct_rounding_units:
            return_status = Status.ROUNDING
        elif gap < 0 and not self.complete:
            yield skip(subject, f"shares sum to {total}: other parts may be unstated")
            return
        else:
            return_status = Status.FAIL
        out.status = return_status
        if return_status is not Status.PASS:
            out.message = f"shares sum to {total}%"
            out.absent = self._unread(view, {f.path for f in facts})
        yield out

    def _unread(self, view: FactView, read: set[str]) -> tuple[str, ...]:
        """Rows of a listed whole (a 类 with its amount) whose share was not read: the sum lacks them, so
        the gap is ours until they are read."""
        out = []
        for p in self.shares:
            if "[*]" in p:
                base, field = p.rsplit(".", 1)
                rows = (f.path.rsplit(".", 1)[0] for f in view.match(f"{base}.amount"))
                out += [f"{r}.{field}" for r in rows if f"{r}.{field}" not in read]
        return tuple(out)
