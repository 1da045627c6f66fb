"""Checks of a figure against its own text: grounding, conflicting readings, and direction words.

These need no arithmetic: a quote that is not on its page, a quote that does not print the value, a value
read from a year or a list number, or a change whose sign contradicts 增加/减少 in its own quote is our
reading error (class ``extraction``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pipeline.record.figure import Figure
from pipeline.record.printed import direction_before, match_printed
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.outcome import Outcome, Status, skip
from pipeline.validate.settings import ValidationSettings

_PASSED = Outcome(Status.PASS, "*")
"""One shared outcome for the many sources that ground: only counted, never reported."""


def _own_facts(view: FactView) -> Iterator[Fact]:
    """Each figure once: table cells standing in for record fields are not checked twice."""
    return (f for f in view.facts.values() if f.alias_of is None)


@dataclass(frozen=True)
class Grounded:
    """Every source of every figure: ``located`` (quote on its page/line), ``printed`` (quote prints the
    value) or ``misread`` (the value is only a year, list number or code in the quote)."""

    aspect: Literal["located", "printed", "misread"]

    def reads(self) -> tuple[str, ...]:
        return ("*",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        if self.aspect == "located" and view.index is None:
            yield skip("*", "no document to ground against")
            return
        for fact in _own_facts(view):
            if not fact.figure.sources:
                if self.aspect == "printed":
                    yield _fail(fact, "the figure has no source")
                continue
            for check in fact.grounding.checks:
                if self.aspect == "located":
                    ok = check.located is not False
                elif self.aspect == "printed":
                    ok = check.states_value or check.misread is not None
                else:
                    ok = check.misread is None
                yield _PASSED if ok else _fail(fact, self._message(fact, check))

    def _message(self, fact: Fact, check) -> str:
        quote, where = check.source.quote, _where(check.source)
        if self.aspect == "located":
            return f"quote not found {where}: “{quote}”"
        if self.aspect == "printed":
            return f"the quote {where} does not print {fact.value}: “{quote}”"
        return f"{fact.value} is a {check.misread} in its quote, not an amount: “{quote}”"


def _where(source) -> str:
    if source.line is not None:
        return f"at line {source.line}"
    if source.page is not None:
        return f"on page {source.page}"
    return "in the document"


def _fail(fact: Fact, message: str) -> Outcome:
    return Outcome(Status.FAIL, fact.path, (fact,), message=message, cls="extraction")


@dataclass(frozen=True)
class Ambiguous:
    """A figure with other stated values: said, never silently resolved. Two readings of the same printed
    text are our ambiguity (extraction); two places that disagree are the report's (source)."""

    def reads(self) -> tuple[str, ...]:
        return ("*",)

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in _own_facts(view):
            others = [a for a in fact.figure.alternates if a.value != fact.value and not _restated(fact.figure, a.value)]
            if not fact.figure.alternates:
                continue
            if not others:
                yield Outcome(Status.PASS, fact.path, (fact,))
                continue
            same_place = bool(fact.misreadings())
            values = ", ".join(str(a.value) for a in others)
            where = "; ".join(f"{a.value}: “{a.sources[0].quote}”" for a in others if a.sources)
            yield Outcome(
                Status.FAIL,
                fact.path,
                (fact,),
                expected=others[0].value,
                found=fact.value,
                message=f"{fact.value} is also stated as {values} ({where})",
                cls="extraction" if same_place else None,  # else the classifier: both statements grounded?
            )


def _restated(fig: Figure, value: Decimal) -> bool:
    """A table amount printed in 元 (or 千元) that the text restates in 万元 at two places or fewer
    (156,211,123 元 as 15621.11万元): the same amount as printed there, not another value."""
    src = fig.source
    exp = value.as_tuple().exponent
    if src is None or src.printed_unit not in ("元", "千元") or not isinstance(exp, int) or exp > -2:
        return False
    return fig.value.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP) == value


def _direction(quote: str, fact: Fact) -> int | None:
    """+1/−1/0 from the direction word nearest before the printed value in the quote, or None."""
    text = unicodedata.normalize("NFKC", quote)
    printed = match_printed(fact.value, text, money=fact.figure.unit == "万元")
    if printed is None:
        return None
    return direction_before(text, printed.start)


@dataclass(frozen=True)
class Direction:
    """A change's sign matches the 增加/减少/持平 word printed with it."""

    def reads(self) -> tuple[str, ...]:
        return ("*change", "*change_pct")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in _own_facts(view):
            leaf = fact.path.rsplit(".", 1)[-1]
            if not (leaf.endswith("change") or leaf.endswith("change_pct")):
                continue
            for src in fact.figure.sources:
                sign = _direction(src.quote, fact)
                if sign is None:
                    continue
                actual = (fact.value > 0) - (fact.value < 0)
                if actual == sign:
                    yield Outcome(Status.PASS, fact.path, (fact,))
                else:
                    word = {1: "an increase", -1: "a decrease", 0: "no change"}[sign]
                    yield _fail(fact, f"the quote states {word} but the value is {fact.value}: “{src.quote}”")


_MORE = re.compile(r"大于|高于|超过|超出")
_LESS = re.compile(r"小于|低于|未完成|少于")
_SAME = re.compile(r"持平|等于|相等")


@dataclass(frozen=True)
class Comparison:
    """A completion rate agrees with 大于/小于/持平 (决算数 against 预算数) printed in its quote."""

    def reads(self) -> tuple[str, ...]:
        return ("*completion_pct", "*execution_rate_pct")

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]:
        for fact in _own_facts(view):
            if not fact.path.endswith(("completion_pct", "execution_rate_pct")):
                continue
            for src in fact.figure.sources:
                text = unicodedata.normalize("NFKC", src.quote)
                says = (
                    1
                    if _MORE.search(text)
                    else -1
                    if _LESS.search(text)
                    else 0
                    if _SAME.search(text)
                    else None
                )
                if says is None:
                    continue
                actual = (fact.value > 100) - (fact.value < 100)
                if actual == says:
                    yield Outcome(Status.PASS, fact.path, (fact,))
                else:
                    yield Outcome(
                        Status.FAIL,
                        fact.path,
                        (fact,),
                        message=f"the text compares actual and budget one way, {fact.value}% the other",
                    )
