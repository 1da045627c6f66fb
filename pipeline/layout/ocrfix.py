"""Repairs of OCR'd table cells, where the table says what a cell must look like.

OCR reads 0 as O/G/C and 1 as i/l in a noisy cell, and loses the point of 0.00. In a column of amounts
printed with two decimals such slips are unambiguous, and the validator downstream would otherwise report
our misreading as the report's own error. Dust on a scan comes back as a lone "★" or "+" line, and the
、 of a row label as ":". Only OCR'd cells are touched; text-layer cells are exact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from pipeline.document import Page, Table, Word
from pipeline.layout.chars import Char

_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "G": "0", "C": "0", "U": "0",
                             "i": "1", "l": "1", "I": "1", "|": "1", "!": "1", "j": "1",
                             "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "，": ",", "。": ".",
                             "·": ".", "．": "."})
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_JUNK = "*+★☆•·'`~^"
_TWO_DECIMALS = re.compile(r"^-?[\d,]*\d\.\d{2}$")
_DIGITS_ONLY = re.compile(r"^\d{3,}$")


_ORDINAL = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[:：,，.·;；]\s*")
_TRAILING = re.compile(r"[。，,]+$")
# Dust read as a symbol: any of these not standing between two digits (where "." is a decimal point).
_DUST = re.compile(r"(?<!\d)[.·•*+★☆→○●。,，'`~^]|[.·•*+★☆→○●。,，'`~^](?!\d)")


_PLACEHOLDERS = set("-—–/－")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or "\u4e00" <= ch <= "\u9fff"


def drop_specks(chars: list[Char], body_h: float = 0.0) -> list[Char]:
    """A cell's characters without the OCR lines that are dust: a lone symbol beside real text, or one or
    two characters far smaller than the page's text (``body_h``: its median character height)."""
    if not chars:
        return chars
    lines: dict[int, list[Char]] = defaultdict(list)
    for c in chars:
        lines[c.line].append(c)
    tiny = {i for i, cs in lines.items() if len(cs) <= 2 and max(c.h for c in cs) < 0.6 * body_h}
    specks = {i for i, cs in lines.items() if len(cs) == 1 and not _is_word_char(cs[0].text)}
    if len(specks) == len(lines) and (len(lines) > 1 or next(iter(lines.values()))[0].text in _PLACEHOLDERS):
        specks = set()  # nothing but symbols: a dash for zero is content
    drop = tiny | specks
    return [c for c in chars if c.line not in drop] if drop else chars


def repair_labels(table: Table) -> int:
    """Label cells: 十二:农林水支出 → 十二、农林水支出, and no dust: a dot or star in a label that is not
    a decimal point, no full stop at the end (a cell is a label or a figure, never a sentence)."""
    changed = 0
    for c in table.cells:
        if not c.text or _NUMBER.match(c.text) or not any("\u4e00" <= ch <= "\u9fff" for ch in c.text):
            continue
        fixed = _TRAILING.sub("", _DUST.sub("", _ORDINAL.sub(r"\1、", c.text)))
        if fixed != c.text and fixed:
            c.text, changed = fixed, changed + 1
    return changed


_SEPARATED = re.compile(r"^(-?[\d,.:;]*\d)[,.:;](\d{2})$")


def fix_separators(text: str) -> str | None:
    """An amount whose points OCR read as ',', ':' or ';' ('207:69', '0,00', '3;742.47', '1,543:22'): the
    separator before the last two digits is the decimal point, the others group thousands. None when the
    digits do not group that way."""
    text = re.sub(r"[,.:;]{2,}", lambda r: r.group(0)[-1], text).strip(",.:;")  # '471,.44', '.105;054'
    if re.fullmatch(r"\d{1,3}(,\d{3})*,\d{5}", text):
        return f"{text[:-2]}.{text[-2:]}"  # '219,464,20000': the point of 200.00 lost
    m = _SEPARATED.match(text)
    if not m:
        return None
    head = re.sub(r"[.:;]", ",", m.group(1))
    if not re.fullmatch(r"-?\d{1,3}(,\d{3})*|-?\d+", head):
        return None
    return f"{head}.{m.group(2)}"


def sync_lines(page: Page, table: Table) -> int:
    """Write each repaired cell's text back into the page line it was read from, so the page says what the
    table says: a figure's quote is then found on its page (a validator that finds "3,742.47" in the table
    but "3;742.47" on the page would call our own repair a misplaced quote). Only a line that lies wholly in
    one cell and differs by the repair (a few characters) is rewritten."""
    changed = 0
    for c in table.cells:
        if not c.text:
            continue
        x0, y0, x1, y1 = c.bbox
        inside = [ln for ln in page.lines
                  if x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1 and y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1]
        if len(inside) != 1 or inside[0].text == c.text or " " in c.text:
            continue
        line = inside[0]
        if abs(len(line.text) - len(c.text)) > 2 or SequenceMatcher(None, line.text, c.text).ratio() < 0.7:
            continue
        line.text = c.text
        line.words = [Word(text=c.text, bbox=line.bbox, conf=line.words[0].conf if line.words else None)]
        changed += 1
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
    pointed = [c.text for cs in columns.values() for c in cs if "." in c.text and _NUMBER.match(c.text.replace(" ", ""))]
    table_two_decimal = len(pointed) >= 6 and sum(bool(_TWO_DECIMALS.match(t)) for t in pointed) >= 0.8 * len(pointed)
    for cells in columns.values():
        for c in cells:
            t = c.text.replace(" ", "")
            if t and not _NUMBER.match(t) and _NUMBER.match(t.strip(_JUNK)):
                c.text, changed = t.strip(_JUNK), changed + 1
                continue
            if t and not _NUMBER.match(t) and (fixed := fix_separators(t)) is not None:
                c.text, changed = fixed, changed + 1
                continue
            if t and not _NUMBER.match(t) and _mostly_digits(t):
                fixed = t.translate(_CONFUSABLE)
                if not _NUMBER.match(fixed):
                    fixed = fixed.strip(".")  # a dot of dust before or after the figure
                if _NUMBER.match(fixed):
                    c.text, changed = fixed, changed + 1
        for c in cells:  # a speck read as one digit in a table of two-decimal amounts ('4' where none is printed)
            if table_two_decimal and len(c.text) == 1 and c.text.isdigit() and c.text != "0":
                c.text, changed = "", changed + 1
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
