"""Who and what a report is (department, fiscal year, report type, unit), from its cover and title block.

The title block decides: the first pages' largest lines, lines that read like a title ('某某局2024年度部门决算')
and the 目录's part headings. Rules a journalist would apply:

- A department is a name that looks like one: it ends in 局/委/办/院/中心/街道办事处/委员会 …, or it is the
  subject of the title. A sentence never qualifies (punctuation, digits, 此次/报告/将 …).
- Where no title names it, the body does: a full name introduced with '（以下简称…）', else the department-like
  name that most often opens a clause, in its longest form.
- The report type comes from the title's own words (决算 / 绩效自评, 绩效评价 / 预算); body text only breaks
  a tie where no title says.
- The model (asked only when the title block names no department) must give a printed, department-like name.

A missing identity field is an ``extraction`` violation: the record is not accepted without it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.document import Document, Line
from pipeline.extract.parts import Identity
from pipeline.validate.report import Violation

_TYPE_WORD = re.compile(r"(决算|绩效自评|绩效评价|整体支出绩效|预算)")
_TITLE = re.compile(r"(\d{4})\s*年度?\s*[^\d，。；;,]{0,16}?(决算|绩效自评|绩效评价|整体支出绩效|预算)")
_TITLE_SUBJECT = re.compile(r"^(.{4,40}?)\s*\d{4}\s*年度?")
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_PREFIXES = ("纳入", "关于", "公开", "编制", "本部门", "本单位")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_MARKUP = re.compile(r"[*#_`>\[\]]+|\s+")
_SUFFIXES = (
    "委员会", "街道办事处", "办事处", "办公室", "管理委员会", "人民政府", "政府", "人民法院", "人民检察院",
    "检察院", "法院", "局", "委", "办", "院", "中心", "部", "厅", "署", "会", "所", "站", "队", "馆", "处",
    "室", "学校", "医院", "公司", "社", "团", "集团", "大学", "学院", "街道", "镇", "乡", "园", "台", "校",
)
_SENTENCE_WORDS = (
    "此次", "报告", "将", "我们", "我委", "我局", "本部门", "本单位", "情况", "说明", "决算", "预算", "绩效",
    "根据", "按照", "为了", "通过", "主要", "其中", "以下", "包括", "负责", "职责",
)
_NOT_NAME = re.compile(r"[，。；;,.:：、！!？?“”\"'\d（）()]")
_CLAUSE_START = re.compile(r"(?:^|[\n，,。；;：:\s])((?:中共|中国共产党)?[\u4e00-\u9fff]{2,30})")
_LABELLED = re.compile(r"(?:预算主管部门|主管部门|部门名称|单位名称|编制单位|填报单位)[:：](.+)$")
_PLACE = re.compile(r"中共|中国共产党|省|市|区|县|州|盟|旗|镇|乡|街道|国家")
_SHORT_FOR = re.compile(r"(?:^|[\n，,。；;：:\s])([\u4e00-\u9fff]{4,40})[（(]以下简称")
TYPES = {"决算": "final_accounts", "预算": "budget", "绩效自评": "performance_report",
         "绩效评价": "performance_report", "整体支出绩效": "performance_report"}


def _clean(text: str) -> str:
    return _MARKUP.sub("", unicodedata.normalize("NFKC", text)).replace("(", "（").replace(")", "）")


def looks_like_department(name: str | None) -> bool:
    """A department's name, not a sentence: 4–40 characters of a name, ending like an organisation does."""
    if not name:
        return False
    name = _clean(name)
    if not 4 <= len(name) <= 40 or _NOT_NAME.search(name):
        return False
    if any(w in name for w in _SENTENCE_WORDS):
        return False
    return name.endswith(_SUFFIXES)


@dataclass
class TitleBlock:
    """The lines that can name the report: the first pages' largest lines and title-like lines."""

    lines: list[str]

    @classmethod
    def of(cls, document: Document) -> TitleBlock:
        out: list[str] = []
        for page in document.pages[:3]:
            lines = [ln for ln in page.lines if ln.text.strip()]
            big = _largest(lines) if page.number == document.pages[0].number else []
            for i, ln in enumerate(lines):
                text = _clean(ln.text)
                cover = page.number == document.pages[0].number and (ln in big or i < 6)
                if (cover or _is_title(text)) and len(text) <= 60 and text not in out:
                    out.append(text)
        return cls(out)


def _largest(lines: list[Line]) -> list[Line]:
    """The page's tallest lines (a cover's title and department), when the page has line boxes."""
    heights = [ln.bbox[3] - ln.bbox[1] for ln in lines]
    if not heights or max(heights) <= 0:
        return []
    top = max(heights)
    return [ln for ln, h in zip(lines, heights, strict=True) if h >= 0.8 * top]


def _is_title(text: str) -> bool:
    """'某某局2024年度部门决算', '第二部分 2024年度部门决算情况说明': a year and a report word near the end of
    the line, no sentence ('纳入…2024年度部门决算编制范围的…单位包括：' is not a title)."""
    m = _TITLE.search(text)
    if not m or re.search(r"[，。；;,：:]", text) or len(text) > 60:
        return False
    tail = text[m.end() :]
    return len(tail) <= 8 and "的" not in tail


# 预算 inside these names a kind of money or a column, not the report ('2024年一般公共预算财政拨款支出决算表')
_NOT_A_TYPE = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算数|年初预算|全年预算|调整预算")


def _type_of(text: str) -> str | None:
    """The report type a title's words say: 决算 first (a 决算 may carry a 绩效自评), then 绩效, then 预算."""
    words = set(_TYPE_WORD.findall(_NOT_A_TYPE.sub("", text)))
    for word in ("决算", "绩效自评", "绩效评价", "整体支出绩效", "预算"):
        if word in words:
            return TYPES[word]
    return None


def _subject(text: str) -> str | None:
    """The name a title line starts with ('中共定西市委政法委员会2023年度部门决算' → the committee)."""
    m = _TITLE_SUBJECT.match(text)
    if not m:
        return None
    name = m.group(1)
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    name = _PART.sub("", name)
    return name if looks_like_department(name) else None


def _body_name(document: Document) -> str | None:
    """The department the body names: '…（以下简称…）' first, else the longest common clause-opening name."""
    text = "\n".join(_clean_keep_lines(p.text) for p in document.pages)
    for m in _SHORT_FOR.finditer(text):
        if looks_like_department(m.group(1)):
            return m.group(1)
    counts: Counter[str] = Counter()
    for m in _CLAUSE_START.finditer(text):
        run = m.group(1)
        for end in range(5, len(run) + 1):
            if looks_like_department(run[:end]) and _PLACE.search(run[:end]):  # a place: not '其他城乡社'
                counts[run[:end]] += 1
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n], len(n)))
    # the longest name that extends it and is printed at least half as often (not cut at 区委 of 区委政法委员会)
    longer = [n for n in counts if n.startswith(best) and counts[n] * 2 >= counts[best] and counts[n] >= 2]
    return max(longer, key=len) if longer else best


def _clean_keep_lines(text: str) -> str:
    return "\n".join(_clean(line) for line in text.splitlines())


def heuristic(document: Document) -> Identity:
    """The identity from the title block (the body only where the title block says nothing)."""
    block = TitleBlock.of(document)
    titles = [t for t in block.lines if _is_title(t)]
    report_type = next((t for t in map(_type_of, titles) if t), None)
    if report_type is None:  # no title: the body's 'YYYY年度部门决算' phrases break the tie
        body = Counter(_type_of(m.group(0)) for p in document.pages for m in _TITLE.finditer(_clean(p.text)))
        body.pop(None, None)
        report_type = body.most_common(1)[0][0] if body else None
    years = [int(m.group(1)) for t in titles if (m := _TITLE.search(t))]
    year = years[0] if years else None
    department = next((n for n in map(_subject, titles) if n), None)
    if department is None:  # a title over two lines: the name, then 'YYYY年度部门决算'
        department = next(
            (a for a, b in zip(block.lines, block.lines[1:], strict=False) if _is_title(b) and looks_like_department(a)), None
        )
    if department is None:  # '预算主管部门：上海市普陀区人民政府万里街道办事处', or a cover line that is a name
        labelled = [m.group(1) for n in block.lines if (m := _LABELLED.search(n))]
        department = next((n for n in labelled + block.lines if looks_like_department(n)), None)
    if department is None:
        department = _body_name(document)
    units = Counter(_UNIT.findall("\n".join(p.text for p in document.pages)))
    unit = units.most_common(1)[0][0] if units else "万元"
    return Identity(department=department, fiscal_year=year, report_type=report_type, unit=unit)


def cover_text(document: Document, limit: int = 300) -> str:
    """The title block as text for the model (asked only when it names no department)."""
    out, size = [], 0
    for line in TitleBlock.of(document).lines:
        out.append(line)
        size += len(line)
        if size >= limit:
            break
    return "\n".join(out)


def reconcile(answer: Identity | None, document: Document, title: Identity) -> Identity:
    """The title block's identity, with the model's department where the block has none and the model's
    name is printed and looks like a department (never a sentence)."""
    department = title.department
    if department is None and answer is not None and answer.department:
        name = re.sub(r"\d{4}年度?.*$", "", _clean(answer.department))
        text = _clean("".join(p.text for p in document.pages))
        if looks_like_department(name) and name in text:
            department = name
    year = title.fiscal_year
    if year is None and answer is not None and answer.fiscal_year:
        text = _clean("".join(p.text for p in document.pages))
        year = answer.fiscal_year if f"{answer.fiscal_year}年" in text else None
    return Identity(
        department=department,
        fiscal_year=year,
        report_type=title.report_type or (answer.report_type if answer else None),
        unit=title.unit or (answer.unit if answer else None),
    )


_NAMES = {"department": "部门名称", "fiscal_year": "年度", "report_type": "报告类型"}


def violations(identity: Identity) -> list[Violation]:
    """A missing department, year or report type is our reading's failure: an ``extraction`` error."""
    out = []
    for path, zh in _NAMES.items():
        if getattr(identity, path) is None:
            out.append(
                Violation(
                    rule="ID.identity",
                    title_zh=f"未读出{zh}",
                    title_en=f"{path} not read from the cover or title",
                    subject=path,
                    severity="error",
                    cls="extraction",
                    message=f"no {path} in the title block or body that passes the identity rules",
                )
            )
    return out
