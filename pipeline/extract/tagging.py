"""A part's text with every number tagged by a short id: the model points at 【n7】 instead of copying 544.24.

Each amount, % or count in a chunk (and each 没有/无/未发生 that states a zero) gets an id printed right
before it. The id maps back to the number's place in the TextIndex, so the value, unit, quote, page and box
of a figure are the document's own: a number cannot be invented or mis-copied, and grounding holds by
construction. Years, list numbers and subject codes are not tagged (they are never a figure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.labels import Located, number_at_pos, unit_len
from pipeline.record.printed import find_numbers
from pipeline.sentences import sentences
from pipeline.textindex import Span, TextIndex

# a zero in words; not 无论/无法/无需 … (words that only start with 无)
_ZERO = re.compile(r"没有|未发生|未安排|未开支|(?<![有并])无(?![论法需须误偿缝纸关效锡人线])")
_NOT_A_FIGURE_BEFORE = re.compile(r"(?:图|表|第|附件)\s*$")  # 图1, 表3, 第2 …
_NOT_A_FIGURE_AFTER = ("月", "日", "号", "季度")
_BARE = re.compile(r"[(（]\s*$")  # '(2)': a list mark


@dataclass(frozen=True)
class Tag:
    """One tagged number: its id and where it is printed (``printed`` None: a zero stated in words)."""

    id: str
    located: Located

    @property
    def zero(self) -> bool:
        return self.located.printed is None

    def shown(self) -> str:
        """The number as printed, for prompts and reasons ('544.24万元', '没有')."""
        p = self.located.printed
        return f"{p.text}{p.unit or ''}" if p is not None else "0（文字）"


@dataclass
class Tagged:
    """The text one call reads (ids inserted) and what each id points at."""

    text: str
    tags: dict[str, Tag] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)

    def at(self, tag_id: str | None) -> Tag | None:
        return self.tags.get(tag_id) if tag_id else None


def _marks(index: TextIndex, span: Span) -> list[tuple[int, Located]]:
    """Every number (with its unit) and zero word in the span, in text order."""
    s, e = span
    out: list[tuple[int, Located]] = []
    for p in find_numbers(index.text[s:e]):
        if p.role != "number":
            continue
        pos = s + p.start
        after = index.text[s + p.end : s + p.end + 2].lstrip(" ")
        before = index.text[max(0, pos - 4) : pos]
        bare = _BARE.search(before) and after.startswith((")", "）"))
        if bare or _NOT_A_FIGURE_BEFORE.search(before) or after.startswith(_NOT_A_FIGURE_AFTER):
            continue
        full = number_at_pos(index, pos) or p
        stop = pos + len(full.text) + unit_len(index, pos + len(full.text))
        out.append((pos, Located((pos, stop), full, pos)))
    for m in _ZERO.finditer(index.text, s, e):
        out.append((m.start(), Located((m.start(), m.end()), None, m.start())))
    out.sort(key=lambda t: t[0])
    return out


def tag(index: TextIndex, spans: list[Span]) -> Tagged:
    """The spans' text with 【nK】 before each number (ids from n1, in reading order)."""
    pieces: list[str] = []
    out = Tagged("", spans=list(spans))
    for s, e in spans:
        text, cursor = [], s
        for pos, located in _marks(index, (s, e)):
            tid = f"n{len(out.tags) + 1}"
            out.tags[tid] = Tag(tid, located)
            text += [index.text[cursor:pos], f"【{tid}】"]
            cursor = pos
        text.append(index.text[cursor:e])
        pieces.append("".join(text).strip())
    out.text = "\n".join(p for p in pieces if p)
    return out


def chunk(index: TextIndex, region: list[Span], limit: int, max_chunks: int) -> tuple[list[list[Span]], bool]:
    """The region cut at sentence ends into chunks of about ``limit`` characters; (chunks, truncated).

    A chunk without a number or zero word is dropped (nothing to point at)."""
    chunks: list[list[Span]] = []
    cur: list[Span] = []
    size = 0
    for s, e in region:
        for a, b in sentences(index.text, s, e):
            if size and size + b - a > limit:
                chunks.append(cur)
                cur, size = [], 0
            if cur and cur[-1][1] == a:
                cur[-1] = (cur[-1][0], b)
            else:
                cur.append((a, b))
            size += b - a
    if cur:
        chunks.append(cur)
    chunks = [c for c in chunks if any(_marks(index, sp) for sp in c)]
    return chunks[:max_chunks], len(chunks) > max_chunks
