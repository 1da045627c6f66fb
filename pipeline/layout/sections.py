"""The section tree from the heading blocks, in reading order.

A contents page (目录) lists the very headings the body repeats; its entries become ``toc`` blocks of the
目录 section, not sections, so ``find_section`` lands on the body. The contents end where the body starts
over: at the first part heading (第X部分) already listed, or at a plain paragraph of running text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Block, Section
from pipeline.layout.headings import Heading


@dataclass
class Entry:
    """A block in reading order, with the heading it is (if any)."""

    block: Block
    heading: Heading | None = None


def mark_contents(entries: list[Entry]) -> None:
    """Turn the entries of a 目录 into ``toc`` blocks (headings no more)."""
    i = 0
    while i < len(entries):
        h = entries[i].heading
        if h is None or h.kind != "standalone" or h.title != "目录":
            i += 1
            continue
        seen_parts: set[str] = set()
        j = i + 1
        while j < len(entries):
            e = entries[j]
            if e.heading is not None and e.heading.kind == "part" and e.heading.number in seen_parts:
                break
            if e.heading is None and e.block.kind == "paragraph" and _running_text(e.block.text):
                break
            if e.heading is not None and e.heading.kind == "part" and e.heading.number:
                seen_parts.add(e.heading.number)
            if e.block.kind == "table":
                break
            e.heading = None
            e.block.kind = "toc"
            j += 1
        i = j


def _running_text(text: str) -> bool:
    return len(text) >= 40 and any(p in text for p in "。，,；;")


def build_tree(entries: list[Entry]) -> list[Section]:
    """Sections nested by level; each holds its heading block and the blocks up to the next heading."""
    roots: list[Section] = []
    stack: list[Section] = []
    current: Section | None = None
    n = 0
    for e in entries:
        h = e.heading
        if h is None:
            if current is not None:
                current.block_ids.append(e.block.id)
            continue
        level = h.level
        if h.digit_parens and stack and stack[-1].level >= 4:
            level = stack[-1].level + 1
        n += 1
        sec = Section(id=f"s{n}", title=h.title or (h.number or ""), level=level, number=h.number,
                      page=e.block.page, block_ids=[e.block.id])
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(sec)
        stack.append(sec)
        current = sec
    return roots
