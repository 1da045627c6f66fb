"""Exact numbers for money, percentages and counts.

Figures are ``Decimal`` from the moment they are read so that sums of printed amounts carry no float drift;
in JSON they are plain numbers (never strings), so a record reads naturally and round-trips exactly for any
amount a report prints (up to 15 significant digits).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_GROUPING = re.compile(r"(?<=\d)[,，](?=\d{3})")


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a number or printed text ('1,237.72'); floats go through their shortest repr."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = _GROUPING.sub("", value.strip())
        try:
            return Decimal(text)
        except InvalidOperation as e:
            raise ValueError(f"not a number: {value!r}") from e
    raise ValueError(f"not a number: {value!r}")


def to_json_number(value: Decimal) -> int | float:
    """An int when integral, else the float whose shortest repr is the decimal's digits."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _checked_decimal(value: Any) -> Decimal:
    d = to_decimal(value)
    if not d.is_finite():
        raise ValueError("a figure must be finite")
    return d


Number = Annotated[
    Decimal,
    BeforeValidator(_checked_decimal),
    PlainSerializer(to_json_number, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
"""A figure's value: Decimal in Python, a JSON number on the wire."""

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WAN = Decimal(10000)


def decimals_of(printed: str) -> int:
    """Digits after the decimal point as printed ('98.69' → 2, '100' → 0)."""
    text = _GROUPING.sub("", printed)
    return len(text.split(".", 1)[1]) if "." in text else 0

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

UNIT_SCALE: dict[str, Decimal] = {"万元": Decimal(1), "千元": Decimal(10), "元": WAN}
"""How many printed units make one 万元, for the units tables are printed in."""


def parse_amount(text: str) -> Decimal | None:
    """A table cell's amount ('1,237.72', '-3.50'), or None when the cell is anything but one number."""
    text = re.sub(r"\s+", "", text)
    if not _AMOUNT.match(text):
        return None
    return to_decimal(text)
