"""Repairs of OCR'd figures in table cells, where the column says what a cell must look like.

OCR reads 0 as O/G/C and 1 as i/l in a noisy cell, and loses the point of 0.00. In a column of amounts
printed with two decimals such slips are unambiguous, and the validator downstream would otherwise report
our misreading as the report's own error. Only OCR'd cells are touched; text-layer cells are exact.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.document import Table

_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "G": "0", "C": "0", "U": "0",
                             "i": "1", "l": "1", "I": "1", "|": "1", "!": "1", "j": "1",
                             "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "，": ",", "。": ".",
                             "·": ".", "．": "."})
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_TWO_DECIMALS = re.compile(r"^-?[\d,]*\d\.\d{2}$")
_DIGITS_ONLY = re.compile(r"^\d{3,}$")


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
