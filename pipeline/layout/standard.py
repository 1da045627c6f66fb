"""Which of a report kind's standard tables a title names, and the unit stated with a table.

The titles are the kind's (``Titles``, handed down from its profile). Titles nest (a 决算's T4
财政拨款收入支出决算总表 contains T1 收入支出决算总表; T3 支出决算表 sits inside five others), so every title
that matches is considered and the longest one wins. OCR may drop or garble a
character, so matching is approximate: edit distance against the best-matching stretch of the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

_DROP = re.compile(r"[\s\"'“”‘’「」『』〝〞＂]")
# a bracketed note after a title: （单位：万元）, （按功能分类）, (表8)
_TAIL_NOTE = re.compile(r"(?:[(（][^()（）]{0,12}[)）])+$")
_UNIT = re.compile(r"(?:金额)?单\s*位\s*[:：]?\s*(万\s*元|千\s*元|元)")


@dataclass(frozen=True)
class Titles:
    """The titles a report kind prints: its standard tables' (official title first, then the variants met in
    real reports) and its parts' own title lines. Data of a kind's profile; layout only matches against it."""

    tables: Mapping[str, tuple[str, ...]]  # table id → titles
    names: Mapping[str, str]  # table id → the official title, as the record and its reports name the table
    qualifier: re.Pattern[str]  # a word right before a title that makes it another table (项目支出决算表 ≠ 支出决算表)
    required: Mapping[str, str] = field(default_factory=dict)  # id → words without which a near match is another table
    part_title: re.Pattern[str] | None = None  # a part's own title line without 第X部分 ('…部门决算表')

    def match(self, text: str, max_tail: int = 6) -> TitleMatch | None:
        return match_title(text, self, max_tail)


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


def match_title(text: str, titles: Titles, max_tail: int = 6) -> TitleMatch | None:
    """The most specific of the kind's table titles in ``text`` (a line above a table, or a heading), or None."""
    norm = _TAIL_NOTE.sub("", normalize_title(text))
    if not norm:
        return None
    best: TitleMatch | None = None
    for sid, variants in titles.tables.items():
        for title in variants:
            if len(norm) < len(title) - allowed_errors(title):
                continue
            errors, start, end = substring_distance(title, norm)
            if errors > allowed_errors(title) or len(norm) - end > max_tail:
                continue
            if titles.qualifier.search(norm[max(0, start - 4):start]):
                continue
            if sid in titles.required and titles.required[sid] not in norm[start:end]:
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
