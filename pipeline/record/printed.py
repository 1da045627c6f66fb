"""Numbers as a report prints them: find them in a quote, tell money from years, list numbers and codes.

A figure is grounded when its quote contains its value as printed; ``7,704,300.00 元`` grounds 770.43 万元.
A year (2024年), a list number (``3.``) or a classification code (2013901) is never read as an amount.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pipeline.record.money import WAN, decimals_of, to_decimal

Role = Literal["number", "year", "list", "code"]

_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ZERO_WORDS = re.compile(r"无|没有|未发生|未安排|未开支|零|不存在")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Printed:
    """One number in a text: as printed, its value, where, the unit after it and what it is."""

    text: str
    value: Decimal
    start: int
    end: int
    unit: Literal["万元", "元", "%"] | None
    role: Role

    @property
    def decimals(self) -> int:
        return decimals_of(self.text)


def _unit_after(text: str, end: int) -> Literal["万元", "元", "%"] | None:
    rest = text[end : end + 4].lstrip()
    if rest.startswith("万元") or rest.startswith("万"):
        return "万元"
    if rest.startswith("元"):
        return "元"
    if rest.startswith("%"):
        return "%"
    return None


def _role(text: str, m: re.Match[str]) -> Role:
    token, start, end = m.group(0), m.start(), m.end()
    after = text[end : end + 3].lstrip()
    if "." not in token and "," not in token:
        n = int(token)
        if 1990 <= n <= 2100 and after.startswith("年"):
            return "year"
        before = text[:start].rstrip(" ")
        at_start = before == "" or before.endswith(("\n", "：", ":", "；", ";", "。"))
        if at_start and (after[:1] in ("、", "．") or (after[:1] == "." and not after[1:2].isdigit())):
            return "list"
        if (
            at_start
            and len(token) in (3, 5, 7)
            and text[end : end + 1] == " "
            and _CJK.match(after[:1] or " ")
        ):
            return "code"
    return "number"


@lru_cache(maxsize=16384)
def find_numbers(text: str) -> tuple[Printed, ...]:
    """Every number in ``text`` (NFKC-normalized first, so full-width digits count). Cached: a table row's
    quote is shared by all its cells."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for m in _NUMBER.finditer(text):
        out.append(
            Printed(
                text=m.group(0),
                value=to_decimal(m.group(0)),
                start=m.start(),
                end=m.end(),
                unit=_unit_after(text, m.end()),
                role=_role(text, m),
            )
        )
    return tuple(out)


def states_zero(text: str) -> bool:
    """The text says 'none' in words (无, 没有, 未发生 …), which grounds a value of 0."""
    return bool(_ZERO_WORDS.search(unicodedata.normalize("NFKC", text)))


def match_printed(
    value: Decimal, text: str, *, money: bool = True, scale: Decimal | None = None
) -> Printed | None:
    """The number in ``text`` that states ``value`` (sign aside), or None.

    ``money``: a number printed in 元 also matches value × 10000. ``scale``: the unit factor of a table
    cell printed without a unit (10000 for a table in 元, 10 in 千元). Years, list numbers and codes never
    match.
    """
    target = abs(value)
    for p in find_numbers(text):
        if p.role != "number":
            continue
        if p.value == target:
            if money and p.unit == "元" and target != 0:
                continue
            return p
        if money and target != 0 and p.unit == "元" and p.value / WAN == target:
            return p
        if money and target != 0 and p.unit is None and scale and scale != 1 and p.value / scale == target:
            return p  # a table cell printed in 元 or 千元
    return None


def misread_as(value: Decimal, text: str) -> Role | None:
    """Whether ``value`` appears in ``text`` only as a year, list number or code (a misreading)."""
    target = abs(value)
    roles = {p.role for p in find_numbers(text) if p.value == target}
    if not roles or "number" in roles:
        return None
    return sorted(roles)[0]  # type: ignore[return-value]


DIRECTION_WORDS: dict[int, tuple[str, ...]] = {
    1: ("增加", "增长", "上升", "提高", "上涨", "增"),
    -1: ("减少", "下降", "降低", "下滑", "减", "降"),
    0: ("持平", "无变化", "没有变化"),
}
"""The words that sign a change printed as an unsigned number (the one list): +1 up, −1 down, 0 no change."""


def direction_before(text: str, at: int, window: int = 16) -> int | None:
    """+1/−1/0 from the 增加/减少/持平 word nearest before ``at`` (a change printed as an unsigned number), or
    None when no such word is near: the extraction signs a change with it, the validator checks the sign."""
    before = text[max(0, at - window) : at]
    best: tuple[int, int] | None = None
    for sign, words in DIRECTION_WORDS.items():
        for w in words:
            i = before.rfind(w)
            if i >= 0 and (best is None or i + len(w) > best[0]):
                best = (i + len(w), sign)
    return best[1] if best else None
