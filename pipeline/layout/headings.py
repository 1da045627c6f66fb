"""Is a line a heading of the report, and at which level?

Reports number their headings 第X部分 (1), 一、 (2), （一） (3), 1. / 1、 (4). The same numbering also opens
list items and definitions inside paragraphs ("1.深入贯彻党的路线…", "一、财政拨款收入：指…"), so a
numbered line is a heading only when what follows the number is short and reads as a title: no sentence
punctuation inside it, and not a long run of text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.layout.standard import Titles

_CN = "一二三四五六七八九十百零〇两"
_PART = re.compile(rf"^第([{_CN}\d]+)部分\s*(.*)$")
_L2 = re.compile(rf"^([{_CN}]+)\s*[、.]\s*(.+)$")
_L3 = re.compile(rf"^\(\s*([{_CN}]+)\s*\)\s*(.+)$")
_L3_DIGIT = re.compile(r"^\(\s*(\d{1,2})\s*\)\s*(.+)$")
_L4 = re.compile(r"^(\d{1,2})\s*[.、](?!\d)\s*(.+)$")
_LEADER = re.compile(r"\s*[.…·_-]{2,}\s*\d*\s*$")  # a contents entry's dot leader and page number
_MARKUP = re.compile(r"\*\*|^#+\s*|^[-*•]\s+|^[·•*+★☆∴∵.。,，'`]+\s*")  # markdown; dust before a heading
_INNER_PUNCT = re.compile(r"[。;:,，；：！？!?]")
_STANDALONE = {"目录": 1, "名词解释": 1, "附件": 1, "附表": 1, "专业名词解释": 1}
_ATTACHMENT = re.compile(r"^附(件|表)\s*\d+[:：]?\s*(.*)$")

MAX_TITLE = {2: 40, 3: 40, 4: 20}


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    number: str | None = None
    kind: str = "numbered"  # numbered | part | standalone | table (a standard table's title)
    digit_parens: bool = False  # （1） style, placed under an open level-4 heading when there is one


def clean(text: str) -> str:
    """NFKC, markdown emphasis and bullets gone, blanks collapsed: the form headings are judged in."""
    t = unicodedata.normalize("NFKC", text)
    t = _MARKUP.sub("", t.strip())
    return re.sub(r"\s+", " ", t).strip()


_DUST = ".·,，、"  # a scan's specks around a title ('三、.支出决算情况说明,')


def _titleish(rest: str, limit: int) -> bool:
    body = rest.strip(_DUST).rstrip("。.:：")
    return 0 < len(body) <= limit and not _INNER_PUNCT.search(body)


def _title(rest: str) -> str:
    return rest.strip().strip(_DUST).rstrip("。:：")


def classify(text: str, titles: Titles) -> Heading | None:
    """The heading a line is, or None for body text (a table title or a part's own title line by the kind's
    ``titles``)."""
    t = _LEADER.sub("", clean(text))
    if not t:
        return None
    compact = t.replace(" ", "")
    if compact in _STANDALONE:
        return Heading(_STANDALONE[compact], compact, kind="standalone")
    if m := _PART.match(t):
        rest = m.group(2).strip()
        if not rest or _titleish(rest, 60):
            return Heading(1, rest.rstrip("。"), f"第{m.group(1)}部分", kind="part")
        return None
    if m := _ATTACHMENT.match(t):
        if not m.group(2) or _titleish(m.group(2), 40):
            return Heading(2, t, kind="standalone")
        return None
    for level, rx in ((2, _L2), (3, _L3), (4, _L4)):
        if (m := rx.match(t)) and _titleish(m.group(2).strip(), MAX_TITLE[level]):
            number = f"({m.group(1)})" if level == 3 else m.group(1)  # as printed, in NFKC like the lines
            return Heading(level, _title(m.group(2)), number)
    if (m := _L3_DIGIT.match(t)) and _titleish(m.group(2).strip(), MAX_TITLE[3]):
        return Heading(3, _title(m.group(2)), f"({m.group(1)})", digit_parens=True)
    if len(compact) <= 40 and not _INNER_PUNCT.search(compact):
        if titles.match(compact, max_tail=4) is not None:
            return Heading(2, t, kind="table")
        if titles.part_title and titles.part_title.search(compact) and len(compact) >= 6:
            return Heading(1, t, kind="part")
    return None


def lost_separator(text: str, number: str) -> Heading | None:
    """The level-2 heading ``number`` printed as "三支出决算情况说明": a scan's OCR dropped the 、 after the
    number. Only asked for the number the outline expects next (the caller checks the one after it follows),
    since "三公经费…" or "一般公共预算…" read this way would be words, not a number."""
    t = clean(text).replace(" ", "")
    rest = t[len(number):]
    if not t.startswith(number) or not rest or rest[0] in _CN or not _titleish(rest, MAX_TITLE[2]):
        return None
    return Heading(2, _title(rest), number)


def part_continuation(text: str, titles: Titles, limit: int = 20) -> bool:
    """Could this line finish a part title that wrapped ("…部门决算情况" / "说明")?"""
    t = clean(text)
    return 0 < len(t) <= limit and not _INNER_PUNCT.search(t) and classify(t, titles) is None
