"""Scored values and how two of them are judged equal: numbers within 0.005, text after normalization.

Everything is brought to one scale before comparing (money in 万元, percentages in points), so a pipeline
that reads ``3,078,200.00 元`` and one that reads ``307.82 万元`` score the same.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipeline.record.money import WAN, parse_number

TOLERANCE = Decimal("0.005")

_UNITS = {"万元": Decimal(1), "元": WAN, "%": Decimal(1)}


@dataclass(frozen=True)
class Loc:
    """Where a value is stated: a 1-based page (PDF) or source line (text), and the quote."""

    page: int | None = None
    line: int | None = None
    quote: str | None = None


@dataclass
class Val:
    """One scored value: a Decimal (万元, points, counts) or a text, with where it was read.

    ``variants`` are other spellings the same side accepts (a department's aliases, a row's normalized or
    narrative name); ``grounded`` is the quote-level grounding of a predicted figure, where computed.
    """

    value: Decimal | str
    locs: tuple[Loc, ...] = ()
    variants: tuple[str, ...] = ()
    grounded: bool | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, Decimal)

    @property
    def loc(self) -> Loc | None:
        return self.locs[0] if self.locs else None

    def json_value(self) -> Any:
        if isinstance(self.value, Decimal):
            return int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return self.value


def to_number(value: Any, unit: str | None = None) -> Decimal | None:
    """A Decimal on the record's scale, or None when the value is not a number.

    ``unit`` (or a ``元``/``万元``/``%`` suffix of a printed string) says the scale: 元 is divided by 10000.
    """
    return parse_number(value, forms="nfkc", units=_UNITS, unit=unit)


def norm_text(text: Any) -> str:
    """NFKC, case-folded, with whitespace and punctuation removed: '（类）一般 公共服务' ~ '(类)一般公共服务'."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in s if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def text_forms(val: Val) -> set[str]:
    return {norm_text(v) for v in (val.value, *val.variants) if v is not None and str(v).strip()}


def equal(gold: Val, pred: Val) -> bool:
    """Numbers: |gold − pred| ≤ 0.005 on the same scale. Text: any normalized spelling in common."""
    if gold.is_number:
        p = pred.value if pred.is_number else to_number(pred.value)
        return p is not None and abs(p - gold.value) <= TOLERANCE  # type: ignore[operator]
    if pred.is_number:
        return text_forms(gold) & {norm_text(pred.json_value())} != set()
    return bool(text_forms(gold) & text_forms(pred))


def difference(gold: Val, pred: Val) -> Decimal | None:
    """pred − gold where both are numbers (for the report's worst fields), else None."""
    if not gold.is_number:
        return None
    p = pred.value if pred.is_number else to_number(pred.value)
    return None if p is None else p - gold.value  # type: ignore[operator]
