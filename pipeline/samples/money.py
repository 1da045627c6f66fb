"""Money and percentages the way the reports compute them: Decimal 万元, rounded half up to 0.01."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def q2(x: Decimal | int | str) -> Decimal:
    """Round to 0.01 half up, as a 决算 figure is printed."""
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """A share or rate in percent, computed from the printed (rounded) figures and rounded to 0.01."""
    if whole == 0:
        return ZERO
    return q2(part / whole * HUNDRED)


def money(x: Decimal) -> str:
    """Table form: always two decimals."""
    return f"{q2(x):.2f}"


def say(x: Decimal) -> str:
    """Narrative form: two decimals, but a plain 0 for nothing (…采购金额0万元), as the reports write it."""
    return "0" if x == 0 else f"{q2(x):.2f}"


def cell(x: Decimal) -> str:
    """Table cell of T1–T5, T8, T9: blank when zero (a blank cell is 'not stated')."""
    return "" if x == 0 else money(x)


def rand_money(rng: random.Random, lo: float, hi: float) -> Decimal:
    """A uniformly drawn amount in whole cents, so it needs no further rounding."""
    return Decimal(rng.randint(round(lo * 100), round(hi * 100))) / 100


def split(total: Decimal, weights: Sequence[float]) -> list[Decimal]:
    """Cut ``total`` into rounded parts proportional to ``weights`` that add up to it exactly.

    Reports print parts that sum to their total; the rounding remainder goes to the largest part.
    """
    if not weights:
        return []
    w = [Decimal(str(x)) for x in weights]
    s = sum(w)
    if s == 0:
        parts = [ZERO] * len(w)
        parts[0] = q2(total)
        return parts
    parts = [q2(total * x / s) for x in w]
    gap = q2(total) - sum(parts)
    parts[max(range(len(w)), key=lambda i: w[i])] += gap
    return parts
