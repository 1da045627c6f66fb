"""Repairs of OCR'd table cells, where the table says what a cell must look like.

OCR reads 0 as O/G/C and 1 as i/l in a noisy cell, and loses the point of 0.00. In a column of amounts
printed with two decimals such slips are unambiguous, and the validator downstream would otherwise report
our misreading as the report's own error. Dust on a scan comes back as a lone "★" or "+" line, and the
、 of a row label as ":". Only OCR'd cells are touched; text-layer cells are exact.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.document import Table
from pipeline.layout.chars import Char

_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "G": "0", "C": "0", "U": "0",
                             "i": "1", "l": "1", "I": "1", "|": "1", "!": "1", "j": "1",
                             "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "，": ",", "。": ".",
                             "·": ".", "．": "."})
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_TWO_DECIMALS = re.compile(r"^-?[\d,]*\d\.\d{2}$")
_DIGITS_ONLY = re.compile(r"^\d{3,}$")


_ORDINAL = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[:：,，.·;；]\s*")
_TRAILING = re.compile(r"[。，,]+$")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or "\u4e00" <= ch <= "\u9fff"


def drop_specks(chars: list[Char]) -> list[Char]:
    """A cell's characters without OCR lines that are one lone symbol beside real text (dust, a dot)."""
    lines: dict[int, list[Char]] = defaultdict(list)
    for c in chars:
        lines[c.line].append(c)
    if len(lines) < 2:
        return chars
    specks = {i for i, cs in lines.items() if len(cs) == 1 and not _is_word_char(cs[0].text)}
    if len(specks) == len(lines):
        return chars
    return [c for c in chars if c.line not in specks]


def repair_labels(table: Table) -> int:
    """Row labels below the header: 十二:农林水支出 → 十二、农林水支出, and no full stop at the end
    (a cell is a label or a figure, never a sentence)."""
    changed = 0
    for c in table.cells:
        if c.row < table.header_rows or not c.text:
            continue
        fixed = _TRAILING.sub("", _ORDINAL.sub(r"\1、", c.text))
        if fixed != c.text and fixed:
            c.text, changed = fixed, changed + 1
    return changed


def _mostly_digits(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return len(text) >= 2 and digits >= max(1, (len(text) * 3) // 5)


def repair_figures(table: Table) -> int:
    """Fix confusable characters and lost decimal points in number cells below the header; returns how
    many cells changed."""
    columns: dict[int, list] = defaultdict(list)
    for c in table.cells:
        if c.row >= table.header_rows and c.colspan == 1:
            columns[c.col].append(c)
    changed = 0
    for cells in columns.values():
        for c in cells:
            t = c.text.replace(" ", "")
            if t and not _NUMBER.match(t) and _mostly_digits(t):
                fixed = t.translate(_CONFUSABLE)
                if _NUMBER.match(fixed):
                    c.text, changed = fixed, changed + 1
        amounts = [c.text for c in cells if _NUMBER.match(c.text)]
        decimals = [t for t in amounts if "." in t]
        two = sum(bool(_TWO_DECIMALS.match(t)) for t in decimals)
        bare = len(amounts) - len(decimals)
        # A column of two-decimal amounts with a few bare digit runs: those lost their point.
        if len(decimals) >= 3 and two >= 0.8 * len(decimals) and bare <= 0.25 * len(amounts):
            for c in cells:
                if _DIGITS_ONLY.match(c.text):
                    c.text, changed = f"{c.text[:-2]}.{c.text[-2:]}", changed + 1
    return changed
