"""Additive identities: Σ left = Σ right, and part ≤ whole, with the rounding envelope of printed figures.

Absent figures are unknowns ≥ 0, not zeros: if a gap could be made up by a part the report does not state,
the identity is *not checked* rather than failed; a gap the other way (stated parts exceed the total) fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Severity, Status, skip
from pipeline.validate.settings import ValidationSettings

Unstated = Literal["zero", "unknown"]


@dataclass
class Side:
    """The stated figures of one side of an identity, and what it lacks."""

    facts: list[Fact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # not stated anywhere: unknown, ≥ 0
    blanks: list[str] = field(default_factory=list)  # blank cells of a printed table: zeros

    @property
    def known(self) -> bool:
        return bool(self.facts) or bool(self.blanks)


def collect(view: FactView, paths: tuple[str, ...], key: str | None = None) -> Side:
    side = Side()
    for p in paths:
        p = p.replace("[*]", f"[{key}]") if key is not None and "[*]" in p else p
        found = view.match(p)
        if found:
            side.facts += found
        elif "[*]" in p:
            continue
        elif view.printed_blank(p):
            side.blanks.append(p)
        else:
            side.missing.append(p)
    return side


def balance_outcome(
    subject: str,
    left: list[Fact] | Side,
    right: list[Fact] | Side,
    missing_left: list[str] | None = None,
    missing_right: list[str] | None = None,
    settings: ValidationSettings | None = None,
    unstated: Unstated = "unknown",
    blanks: list[str] | tuple[str, ...] = (),
) -> Outcome:
    """Compare Σ left with Σ right; the envelope is one half-cent per nonzero figure involved.

    A part the report does not state is, with ``unstated='unknown'``, an unknown ≥ 0 (a gap it could fill is
    not checked); with ``'zero'``, a 0 (the gap is reported, as a warning, naming the unstated parts)."""
    settings = settings or ValidationSettings()
    lhs = left if isinstance(left, Side) else Side(list(left), list(missing_left or []))
    rhs = right if isinstance(right, Side) else Side(list(right), list(missing_right or []))
    if not lhs.known or not rhs.known:
        absent = lhs.missing + rhs.missing
        return skip(subject, "not stated: " + ", ".join(absent), absent)
    found = sum((f.value for f in lhs.facts), Decimal(0))
    expected = sum((f.value for f in rhs.facts), Decimal(0))
    gap = found - expected
    n = max(2, sum(1 for f in (*lhs.facts, *rhs.facts) if f.value != 0))
    envelope = settings.sum_envelope(n - 1)
    facts = tuple(lhs.facts + rhs.facts)
    out = Outcome(Status.PASS, subject, facts, expected, found, envelope, additive=True)
    out.blanks = (*lhs.blanks, *rhs.blanks, *blanks)
    out.blank_side = not lhs.facts or not rhs.facts
    if gap == 0:
        return out
    if abs(gap) <= envelope:
        out.status = Status.ROUNDING
        out.message = f"off by {gap} (within the rounding envelope ±{envelope} of {n} rounded figures)"
        return out
    absent = rhs.missing if gap > 0 else lhs.missing
    if absent and unstated == "unknown":
        return skip(subject, f"gap {gap} may be the unstated {', '.join(absent)}", absent)
    out.status = Status.FAIL
    out.message = f"{found} ≠ {expected} (off by {gap})"
    out.absent = tuple(absent)
    if absent:
        out.severity = "warning"
        out.message += f"; not stated, taken as 0: {', '.join(absent)}"
    return out


@dataclass(frozen=True)
class Balance:
    """Σ left = Σ right. A path with ``[*]`` sums all matching facts (a list or table column)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    subject: str | None = None
    when: Callable[[FactView], bool] | None = field(default=None, compare=False)
    unstated: Unstated = "zero"

    def reads(self) -> tuple[str, ...]:
        return self.left + self.right

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        subject = self.subject or self.left[0]
        if self.when is not None and not self.when(view):
            yield skip(subject, "condition not met")
            return
        left, right = collect(view, self.left), collect(view, self.right)
        facts = left.facts + right.facts
        if facts and all(f.alias_of for f in facts):
            yield skip(subject, "all figures come from a table: checked there")
            return
        yield balance_outcome(subject, left, right, settings=settings, unstated=self.unstated)


def Sum(  # noqa: N802
    total: str, *parts: str, when: Callable[[FactView], bool] | None = None, unstated: Unstated = "zero"
) -> Balance:
    """total = Σ parts."""
    return Balance((total,), tuple(parts), when=when, unstated=unstated)


def Equal(a: str, b: str, when: Callable[[FactView], bool] | None = None) -> Balance:  # noqa: N802
    return Balance((a,), (b,), when=when)


@dataclass(frozen=True)
class RowBalance:
    """Per row of a list: the same identity with ``[*]`` bound to each row's key (e.g. amount = basic + project)."""

    anchor: str  # pattern whose matches give the rows, e.g. 'general_budget.by_class[*].amount'
    left: tuple[str, ...]
    right: tuple[str, ...]

    def reads(self) -> tuple[str, ...]:
        return self.left + self.right

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in view.match(self.anchor):
            key = row_key(fact.path)
            left, right = collect(view, self.left, key), collect(view, self.right, key)
            if not right.facts:
                continue  # a row with no parts printed has nothing to check
            yield balance_outcome(fact.path, left, right, settings=settings, unstated="zero")


def row_key(path: str) -> str:
    return path[path.index("[") + 1 : path.index("]")]


@dataclass(frozen=True)
class AtMost:
    """Σ parts ≤ whole (each part on its own with ``each``): a part is never larger than its total."""

    parts: tuple[str, ...]
    whole: str
    each: bool = False
    severity: Severity | None = None

    def reads(self) -> tuple[str, ...]:
        return (*self.parts, self.whole)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        whole = view.get(self.whole)
        parts = collect(view, self.parts).facts
        if whole is None or not parts:
            lacking = ([self.whole] if whole is None else []) + ([] if parts else list(self.parts))
            yield skip(self.whole, "not stated: " + ", ".join(lacking), lacking)
            return
        groups = [[p] for p in parts] if self.each else [parts]
        for group in groups:
            total = sum((p.value for p in group), Decimal(0))
            subject = group[0].path if self.each else " + ".join(p.path for p in group)
            envelope = settings.sum_envelope(len(group))
            out = Outcome(Status.PASS, subject, (*group, whole), whole.value, total, envelope)
            over = total - whole.value
            if over > envelope:
                out.status = Status.FAIL
                out.message = f"{total} exceeds its total {whole.value} ({self.whole}) by {over}"
            elif over > 0:
                out.status = Status.ROUNDING
                out.message = f"exceeds its total by {over}, within rounding"
            yield out


def stated(*paths: str) -> Callable[[FactView], bool]:
    """Condition: every one of these is stated (the main part a sum is read from)."""

    def cond(view: FactView) -> bool:
        return all(view.get(p) is not None for p in paths)

    return cond


def values_equal(a: str, b: str) -> Callable[[FactView], bool]:
    """Condition: both stated and equal (e.g. all funds are appropriation funds when the totals match)."""

    def cond(view: FactView) -> bool:
        fa, fb = view.get(a), view.get(b)
        return fa is not None and fb is not None and fa.value == fb.value

    return cond
