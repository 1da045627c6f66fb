"""Which of the nine standard 部门决算 tables a title names, and the unit stated with a table.

Titles nest (T4 财政拨款收入支出决算总表 contains T1 收入支出决算总表; T3 支出决算表 sits inside five
others), so every title that matches is considered and the longest one wins. OCR may drop or garble a
character, so matching is approximate: edit distance against the best-matching stretch of the line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STANDARD_TITLES: dict[str, tuple[str, ...]] = {
    "T1": ("收入支出决算总表",),
    "T2": ("收入决算表",),
    "T3": ("支出决算表",),
    "T4": ("财政拨款收入支出决算总表",),
    "T5": ("一般公共预算财政拨款支出决算表",),
    "T6": ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表"),
    "T7": ("一般公共预算财政拨款三公经费支出决算表", "财政拨款三公经费支出决算表", "三公经费支出决算表"),
    "T8": ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
    "T9": ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"),
}

# A qualifier right before a title makes it another table: 项目支出决算表 is not 支出决算表 (T3), and
# 财政拨款收入支出决算总表 is T4, not T1.
_QUALIFIER = re.compile(r"拨款|预算|基金|资本|三公|经费|基本|项目|明细|财政")
# What tells a table from the titles it contains: dropping it (明细表 of 一般公共预算 for T6) is no near miss.
_REQUIRED = {"T4": "拨款", "T5": "一般公共", "T6": "基本", "T7": "三公", "T8": "基金", "T9": "资本"}
_DROP = re.compile(r"[\s\"'“”‘’「」『』〝〞＂]")
# a bracketed note after a title: （单位：万元）, （按功能分类）, (表8)
_TAIL_NOTE = re.compile(r"(?:[(（][^()（）]{0,12}[)）])+$")
_UNIT = re.compile(r"(?:金额)?单\s*位\s*[:：]?\s*(万\s*元|千\s*元|元)")


def normalize_title(text: str) -> str:
    """NFKC without blanks and quotes: the three quote styles of “三公” all compare equal."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def allowed_errors(title: str) -> int:
    """One garbled character per title, two in the long ones: tight enough that 项目支出 never reads as
    基本支出 (two characters apart in an 18-character title would pass only at 18+)."""
    return 2 if len(title) >= 18 else 1 if len(title) >= 5 else 0


def substring_distance(pattern: str, text: str) -> tuple[int, int, int]:
    """Fewest edits turning ``pattern`` into some stretch ``text[start:end]``: (edits, start, end)."""
    prev = [(0, j) for j in range(len(text) + 1)]  # (cost, start of the stretch)
    for i, pc in enumerate(pattern, 1):
        cur = [(i, 0)] + [(0, 0)] * len(text)
        for j, tc in enumerate(text, 1):
            cur[j] = min(
                (prev[j - 1][0] + (pc != tc), prev[j - 1][1]), (prev[j][0] + 1, prev[j][1]),
                (cur[j - 1][0] + 1, cur[j - 1][1]),
            )
        prev = cur
    end = min(range(len(prev)), key=lambda j: (prev[j][0], -j))
    return prev[end][0], prev[end][1], end


@dataclass(frozen=True)
class TitleMatch:
    standard_id: str
    title: str  # the canonical title matched
    errors: int
    tail: int  # characters of the line after the match (a title ends its line, give or take 表头 notes)


def match_title(text: str, max_tail: int = 6) -> TitleMatch | None:
    """The most specific standard title in ``text`` (a line above a table, or a heading), or None."""
    norm = _TAIL_NOTE.sub("", normalize_title(text))
    if not norm:
        return None
    best: TitleMatch | None = None
    for sid, titles in STANDARD_TITLES.items():
        for title in titles:
            if len(norm) < len(title) - allowed_errors(title):
                continue
            errors, start, end = substring_distance(title, norm)
            if errors > allowed_errors(title) or len(norm) - end > max_tail:
                continue
            if _QUALIFIER.search(norm[max(0, start - 4):start]):
                continue
            if sid in _REQUIRED and _REQUIRED[sid] not in norm[start:end]:
                continue
            if norm[end - 1] != "表" and end < len(norm):  # a garbled last character must end the line
                continue
            m = TitleMatch(sid, title, errors, len(norm) - end)
            if best is None or _rank(m) > _rank(best):
                best = m
    return best


def _rank(m: TitleMatch) -> tuple[int, int]:
    """Most specific first: the longest title, counting a garbled character against it."""
    return len(m.title) - m.errors, -m.errors


def find_unit(text: str) -> str | None:
    """'万元', '千元' or '元' from a 单位：万元 note."""
    m = _UNIT.search(unicodedata.normalize("NFKC", text))
    return m.group(1).replace(" ", "") if m else None
