"""Exact numbers for money, percentages and counts.

Figures are ``Decimal`` from the moment they are read so that sums of printed amounts carry no float drift;
in JSON they are plain numbers (never strings), so a record reads naturally and round-trips exactly for any
amount a report prints (up to 15 significant digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_GROUPING = re.compile(r"(?<=\d)[,，](?=\d{3})")
_SPACES = re.compile(r"\s+")
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_WIDE_SIGNS = str.maketrans({"，": ",", "－": "-", "＋": "+"})


def parse_number(
    value: Any,
    *,
    spaces: Literal["strip", "drop"] = "strip",
    forms: Literal["as_printed", "signs", "nfkc"] = "as_printed",
    units: Mapping[str, Decimal] | None = None,
    unit: str | None = None,
    zero_words: Collection[str] = (),
    amount_only: bool = False,
    finite: bool = True,
) -> Decimal | None:
    """The one reader of numbers: a Decimal from a number or printed text, or None when it is not one.

    Numbers pass as they are (a float through its shortest repr); None and booleans are never numbers. Text
    loses its thousands separators (``,`` or ``，`` before three digits) and is read by ``Decimal``, so a
    leading sign, an exponent and Unicode digits (１２３) are accepted unless an option narrows it:

    - ``spaces``: ``"strip"`` ignores whitespace around the number only; ``"drop"`` removes it everywhere
      (a table cell's ``1 237.72``).
    - ``forms``: ``"as_printed"`` reads the characters as they are; ``"signs"`` reads the full-width ``，－＋``
      as ASCII and drops any leading ``+`` (a model's ``＋3.2``); ``"nfkc"`` normalizes every compatibility
      form first (``１．５``, ``％``, an ideographic space).
    - ``units``: unit words the text may end with (after spaces or not), each with how many of it make one
      of the result (``元``: 10000 for 万元); the word is dropped and the number divided by its factor.
    - ``unit``: the unit the value is known to be in, for a number or text without a unit word; it takes
      the place of a printed unit word for the factor (the word is still dropped). Needs ``units``.
    - ``zero_words``: whole texts (after the unit word is dropped) that mean 0: 无, 没有.
    - ``amount_only``: only a plain amount: an optional minus, digits with optional ``,`` grouping and
      decimals (``1,237.72``, ``-3.50``); no plus sign, exponent, unit word or ``，``.
    - ``finite``: NaN and infinities are None (``False`` keeps them, for a caller that refuses them itself).

    A blank text, a bare ``-`` or ``—`` and any other text that is not a number are None.
    """
    if value is None or isinstance(value, bool):
        return None
    suffix: str | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value
        if forms == "nfkc":
            text = unicodedata.normalize("NFKC", text)
        elif forms == "signs":
            text = text.translate(_WIDE_SIGNS)
        text = _SPACES.sub("", text) if spaces == "drop" else text.strip()
        if units:
            m = _unit_words(tuple(units)).search(text)
            if m:
                suffix, text = m.group(1), text[: m.start()]
        if forms == "signs":
            text = text.lstrip("+")
        if text in zero_words:
            return Decimal(0)
        if amount_only and not _AMOUNT.match(text):
            return None
        try:
            number = Decimal(_GROUPING.sub("", text))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    if finite and not number.is_finite():
        return None
    factor = units.get(unit or suffix or "") if units else None
    return number / factor if factor is not None and factor != 1 else number


@lru_cache(maxsize=16)
def _unit_words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*(" + "|".join(re.escape(w) for w in words) + r")$")


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a number or printed text ('1,237.72'), else ValueError: ``parse_number`` as a record's
    figures are read (NaN and infinities kept, for the record's own check to name)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    number = parse_number(value, finite=False)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    return number


def parse_amount(text: str) -> Decimal | None:
    """A table cell's amount ('1,237.72', '-3.50', spaces anywhere), or None when the cell is anything but
    one plain number: ``parse_number`` as a printed cell is read."""
    return parse_number(text, spaces="drop", amount_only=True)


def to_json_number(value: Decimal) -> int | float:
    """An int when integral, else the float whose shortest repr is the decimal's digits."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# No report prints a figure of 10^15 万元 or one below 10^-9; values beyond either only break arithmetic
# (1E+999999 overflows the validator's ratios), so they are refused where a record is built.
MAX_MAGNITUDE = Decimal("1e15")
MIN_MAGNITUDE = Decimal("1e-9")


def _checked_decimal(value: Any) -> Decimal:
    d = to_decimal(value)
    if not d.is_finite():
        raise ValueError("a figure must be finite")
    if d and not MIN_MAGNITUDE <= abs(d) < MAX_MAGNITUDE:
        raise ValueError(f"a figure must lie between 1E-9 and 1E+15 in magnitude, not {d:.3E}")
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


UNIT_SCALE: dict[str, Decimal] = {"万元": Decimal(1), "千元": Decimal(10), "元": WAN}
"""How many printed units make one 万元, for the units tables are printed in."""

