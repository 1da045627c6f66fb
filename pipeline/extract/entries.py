"""The rows of a part's lists as printed: numbered 项 entries ('3、…（项）…') and 类 clauses, with their names.

A number belongs to the row whose entry it is printed in; both the printed rows and the checks of the model's
rows use this, so a budget quoted from the 6th entry is never given to the 7th entry's 项.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.extract.labels import label_window
from pipeline.sentences import sentences
from pipeline.textindex import Span, TextIndex

LIST_ITEM = re.compile(r"(?<!\d)(?<!\d[.])(\d{1,2})\s*[、.．](?!\s*\d)\s*")  # '.10、': a speck, not a decimal
_ITEM_NAME = re.compile(r"^(.*?[(（]\s*项\s*[)）])")
_CLASS_NAME = re.compile(r"([^:：,，；;。]*?)[(（]\s*类\s*[)）]")
# a 类 printed without its mark: '主要用于以下方面：一般公共服务支出1834.59万元，占81%' (a 类 name ends in 支出)
_CLASS_PLAIN = re.compile(r"(?:^|(?<=[:：,，;；。]))\s*([\u4e00-\u9fff]{2,18}支出)\s*(?=\d)")
_SPECKS = re.compile(r"[.·,，、]+(?=[(（])|(?<=[)）])[.·,，、]+")  # OCR specks beside 类/款/项 marks


# '3社会保障和就业支出（类）…': an entry whose 、 a scan's OCR lost, told by the 类 mark after it
_UNSEPARATED = re.compile(r"(?<![\d.])(\d{1,2})(?=[\u4e00-\u9fff][^。；;]{0,40}?[(（]\s*类\s*[)）])")


def _with_unseparated(marks: list[re.Match[str]], text: str, s: int, e: int) -> list[re.Match[str]]:
    """The list's marks with those printed without 、, each only where it is the number due next."""
    extra = [m for m in _UNSEPARATED.finditer(text, s, e) if not any(k.start() == m.start() for k in marks)]
    if not extra or not marks:
        return marks
    out: list[re.Match[str]] = []
    for m in sorted([*marks, *extra], key=lambda m: m.start()):
        if m in extra and not (out and int(m.group(1)) == int(out[-1].group(1)) + 1):
            continue
        out.append(m)
    return out


def list_entries(index: TextIndex, region: list[Span]) -> list[tuple[int, Span]]:
    """The numbered entries of a list ('3、…（项）…'): list number and stream span of each."""
    out = []
    for s, e in region:
        marks = _with_unseparated(list(LIST_ITEM.finditer(index.text, s, e)), index.text, s, e)
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else e
            out.append((int(m.group(1)), (m.end(), end)))
    return out


_SHARE_ONLY = re.compile(r"\s*占[^\d]{0,12}\d+(?:\.\d+)?\s*%\s*$")


def class_entries(index: TextIndex, region: list[Span]) -> list[tuple[None, Span]]:
    """The clauses of a 类 breakdown ('…：教育支出（类）30万元，占30%；…'), one per 类."""
    out = []
    for s, e in region:
        for start, end in sentences(index.text, s, e, keep_marks=False):
            if _CLASS_NAME.search(index.text, start, end) or _plain_class(index.text[start:end]):
                out.append((None, (start, end)))
            elif out and out[-1][1][1] == start - 1 and _SHARE_ONLY.match(index.text, start, end):
                out[-1] = (None, (out[-1][1][0], end))  # '206.18万元；占0.94%': a scan's ，read as ；
    return out


def _plain_class(text: str) -> re.Match[str] | None:
    """The first 类 named without its mark whose name is a 类's, not a total ('…财政拨款支出2254.91万元')."""
    for m in _CLASS_PLAIN.finditer(text):
        if plausible_name(m.group(1), "general_budget.by_class"):
            return m
    return None


def row_name_in(text: str, by_class: bool) -> tuple[str, int] | None:
    """The row's printed name and where it ends in ``text``."""
    m = (_CLASS_NAME.search if by_class else _ITEM_NAME.match)(text)
    if m is None and by_class:
        m = _plain_class(text)
    if m is None or len(m.group(1)) > 80:
        return None
    name = _SPECKS.sub("", "".join(unicodedata.normalize("NFKC", m.group(1)).split()))
    name = name.rstrip(".·,，、")  # the speck before the name's mark ('住房保障支出·（类）')
    return (name if not by_class else name.lstrip(".:："), m.end())


def item_at(index: TextIndex, region: list[Span], pos: int) -> tuple[int, str, Span] | None:
    """(list number, printed 类/款/项 name, span) of the numbered 项 entry that stream position ``pos`` is in."""
    for number, (s, e) in list_entries(index, region):
        if s <= pos < e:
            named = row_name_in(index.text[s:e], by_class=False)
            return (number, named[0], (s, e)) if named else None
    return None


_NOT_A_NAME = ("情况", "图", "合计", "总计", "决算数", "财政拨款支出", "主要用于")
_CODE = re.compile(r"^\d{3,7}\s*")


def plausible_name(name: str | None, list_path: str) -> bool:
    """A 类 or 项 name, not a sentence the model took for one ('…变动情况)(柱状图)(2)…', '…决算数为2254.91')."""
    if not name:
        return False
    n = _CODE.sub("", "".join(unicodedata.normalize("NFKC", name).split()))
    limit = 20 if list_path.endswith("by_class") else 80
    return 1 < len(n) <= limit and not re.search(r"\d", n) and not any(w in n for w in _NOT_A_NAME)


def class_named(index: TextIndex, located, name: str) -> bool:
    """The 类 is named in the words about the number ('公共安全支出10.56万元，占1.49%'): the total before
    '主要用于以下方面' is not the first 类's amount."""
    key = re.sub(r"[(（]\s*类\s*[)）]", "", "".join(unicodedata.normalize("NFKC", name).split()))
    key = key.removesuffix("支出") or key
    return bool(key) and key in label_window(index, located)
