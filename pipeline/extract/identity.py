"""Who and what a report is (department, fiscal year, report type, unit), from its cover and title lines.

The model reads the department's name off the title lines; every answer is checked against the text (the
name must be printed, the year must be printed as a year) and the title's own words decide where the model
is silent or wrong, so a failed call still leaves the year, type and unit.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.document import Document
from pipeline.extract.parts import Identity

_TITLE = re.compile(r"(\d{4})\s*年度?\s*(?:部门|单位)?\s*(决算|预算|整体支出绩效|绩效自评)")
_NAME_BEFORE = re.compile(r"([\u4e00-\u9fff（）()“”]{4,40}?)\s*\d{4}\s*年度?\s*(?:部门|单位)?\s*(?:决算|预算)")
_PREFIXES = ("纳入", "关于", "公开", "编制", "本部门", "本单位")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")


def cover_text(document: Document, limit: int = 300) -> str:
    """The first lines of the first pages, and every line that names the year and 决算/预算 (title lines)."""
    out: list[str] = []
    size = 0
    for page in document.pages[:3]:
        for i, line in enumerate(page.lines):
            text = line.text.strip()
            if not text:
                continue
            first = page.number == document.pages[0].number and i < 12 and len(text) <= 40
            if (first or _TITLE.search(text)) and text not in out:
                out.append(text)
                size += len(text)
            if size >= limit:
                return "\n".join(out)
    return "\n".join(out)


def _squeezed(document: Document) -> str:
    return "".join("".join(p.text.split()) for p in document.pages)


def heuristic(document: Document) -> Identity:
    """The identity from the title lines alone: the most common 'YYYY年度…决算' and the name before it."""
    head = "\n".join(p.text for p in document.pages[:4])
    titles = _TITLE.findall(head) or _TITLE.findall("\n".join(p.text for p in document.pages))
    year = Counter(int(y) for y, _ in titles).most_common(1)[0][0] if titles else None
    kinds = Counter(k for _, k in titles)
    kind = kinds.most_common(1)[0][0] if kinds else None
    report_type = {"决算": "final_accounts", "预算": "budget"}.get(kind or "")
    if kind in ("整体支出绩效", "绩效自评"):
        report_type = "performance_report"
    units = Counter(u for u in _UNIT.findall("\n".join(p.text for p in document.pages)))
    unit = units.most_common(1)[0][0] if units else None
    names = Counter()
    for m in _NAME_BEFORE.finditer("\n".join(p.text for p in document.pages[:6])):
        name = m.group(1)
        for prefix in _PREFIXES:
            name = name.removeprefix(prefix)
        name = _PART.sub("", name)
        if len(name) >= 4:
            names[name] += 1
    department = names.most_common(1)[0][0] if names else None
    return Identity(department=department, fiscal_year=year, report_type=report_type, unit=unit or "万元")


def reconcile(answer: Identity | None, document: Document, fallback: Identity) -> Identity:
    """The model's answer where the text bears it out, the title's words elsewhere."""
    if answer is None:
        return fallback
    text = _squeezed(document)
    department = answer.department
    if department:
        department = "".join(department.split())
        department = re.sub(r"\d{4}年度?.*$", "", department)
        if len(department) < 4 or department not in text:
            department = None
        elif fallback.department and department in fallback.department:
            department = fallback.department  # the model stopped at a line break of the cover
    year = answer.fiscal_year if answer.fiscal_year and f"{answer.fiscal_year}年" in text else None
    return Identity(
        department=department or fallback.department,
        fiscal_year=fallback.fiscal_year or year,
        report_type=fallback.report_type or answer.report_type,
        unit=fallback.unit or answer.unit,
    )
