"""Which text each part of the record is read from.

A 部门决算 follows a template: 说明一 总体情况 → summary, 说明二 收入 → income … The section tree from layout
names them, so each part gets its own section (by heading, never by its number: reports number them
differently). A report that does not follow the template (a free-form 绩效自评 report, a section layout
could not find) falls back to a keyword search over all paragraphs. (pipeline.extract.tagging cuts a part's
text into chunks that fit one short call.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pipeline.document import Block, Document, Section
from pipeline.extract.fields import PartSpec
from pipeline.record.printed import states_zero

_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_WHOLE_REPORT = re.compile(r"^第[一二三四五六七八九十\d]+部分|\d{4}年度?(?:部门|单位)?决算|部门决算|单位决算")
_NUMBER = re.compile(r"^(?:（[一二三四五六七八九十\d]+）|[一二三四五六七八九十\d]+[、.．])")


def _clean(title: str) -> str:
    return _SPACE.sub("", title).replace("(", "（").replace(")", "）")


@dataclass
class Route:
    part: str
    how: Literal["section", "keyword", "none"]
    blocks: list[Block] = field(default_factory=list)
    section: str | None = None  # the section's printed number and title, for the source's ``section``

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def _is_table_section(title: str) -> bool:
    t = _clean(title)
    return t.endswith("表") or t.endswith("决算表）") or "目录" in t


def _matches(part: PartSpec, title: str) -> int | None:
    """Priority of a title for the part (lower is better), None when it is not the part's section."""
    t = _NUMBER.sub("", _clean(title))
    if _is_table_section(t):
        return None
    for i, h in enumerate(part.headings):
        if t.startswith(_clean(h)):
            return i
    if _WHOLE_REPORT.search(t):
        return None  # '某国有资产监督管理委员会2024年度部门决算情况说明' names the department, not the part
    for i, w in enumerate(part.contains):
        if w in t:
            return len(part.headings) + i
    return None


def _section_blocks(document: Document, section: Section) -> list[Block]:
    ids = {bid for s in section.walk() for bid in s.block_ids}
    return [b for b in document.blocks if b.id in ids and b.kind not in ("table", "toc")]


def _ancestors(sections: list[Section], target: Section) -> list[Section] | None:
    for s in sections:
        if s is target:
            return [s]
        below = _ancestors(s.children, target)
        if below is not None:
            return [s, *below]
    return None


def section_label(document: Document, section: Section) -> str:
    """The 说明 number of a section as the contract writes it ('五(二)'), else its title."""
    chain = _ancestors(document.sections, section) or [section]
    numbers = [s.number for s in chain if s.number and "部分" not in s.number]
    if not numbers:
        return section.title
    out = numbers[0]
    for n in numbers[1:]:
        n = n.strip("()（）")
        out += f"({n})"
    return out


def find_section(document: Document, part: PartSpec) -> Section | None:
    """The part's section: the best-matching heading whose text has numbers (a ToC entry has none)."""
    best: tuple[int, int, Section] | None = None
    for order, section in enumerate(document.walk_sections()):
        rank = _matches(part, section.title)
        if rank is None or (rank >= len(part.headings) and "部分" in (section.number or "")):
            continue  # '第一部分 某国有资产监督管理委员会概况' names the department, not the part
        blocks = _section_blocks(document, section)
        if not any(_DIGIT.search(b.text) or states_zero(b.text) for b in blocks if b.kind != "heading"):
            continue  # a ToC entry: no number (a section that says 没有… in words is not one)
        if best is None or (rank, order) < best[:2]:
            best = (rank, order, section)
    return best[2] if best else None


def _keyword_blocks(document: Document, part: PartSpec, limit: int) -> list[Block]:
    """Paragraphs that name the part's quantities, in reading order, up to ``limit`` characters."""
    out: list[Block] = []
    size = 0
    for b in document.blocks:
        if b.kind in ("table", "toc", "heading") or not _DIGIT.search(b.text):
            continue
        if any(k in _clean(b.text) for k in part.search):
            out.append(b)
            size += len(b.text)
            if size >= limit:
                break
    return out


def route(document: Document, part: PartSpec) -> Route:
    """The part's source text: its section where the template is followed, else a keyword search."""
    section = find_section(document, part)
    if section is not None:
        blocks = _section_blocks(document, section)
        how: Literal["section", "keyword", "none"] = "section"
        label: str | None = section_label(document, section)
        if part.also_search:
            seen = {b.id for b in blocks}
            extra = _keyword_blocks(document, part, part.chunk_chars)
            blocks += [b for b in extra if b.id not in seen]
    else:
        blocks = _keyword_blocks(document, part, part.chunk_chars * part.max_chunks)
        how = "keyword" if blocks else "none"
        label = None
    return Route(part.name, how, blocks, label)
