"""Where a report's sentences and clauses end: the one definition every reader of the text uses.

A sentence ends at 。, ； or ; (the text the extraction reads is NFKC, where ； is ;). A clause ends there
too and at a comma or a colon (，, ：:), so the words before a number can be cut at the clause that names
it. ``SENTENCE_OR_EXCLAMATION_END`` also ends a sentence at ! and ? (and their full-width forms), for the
start of a number's sentence.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

SENTENCE_MARKS = "。；;"
CLAUSE_MARKS = "，,：:"
"""Ending a clause besides the sentence marks."""
EXCLAMATION_MARKS = "!?！？"

SENTENCE_END = re.compile(f"[{SENTENCE_MARKS}]")
CLAUSE_END = re.compile(f"[{SENTENCE_MARKS}{CLAUSE_MARKS}]")
SENTENCE_OR_EXCLAMATION_END = re.compile(f"[{SENTENCE_MARKS}{EXCLAMATION_MARKS}]")


def sentences(
    text: str, start: int = 0, end: int | None = None, *, keep_marks: bool = True, marks: re.Pattern[str] = SENTENCE_END
) -> list[Span]:
    """The spans of ``text[start:end]`` cut at each sentence mark, in order and none of them empty.

    With ``keep_marks`` a sentence runs to just after its mark, so the spans cover the text; without, to just
    before it. The last sentence runs to ``end`` whether or not a mark closes it. ``marks``: what ends one
    (``CLAUSE_END`` cuts at clauses).
    """
    end = len(text) if end is None else end
    out: list[Span] = []
    at = start
    for m in marks.finditer(text, start, end):
        stop = m.end() if keep_marks else m.start()
        if stop > at:
            out.append((at, stop))
        at = m.end()
    if end > at:
        out.append((at, end))
    return out
