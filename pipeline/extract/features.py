"""Label features of a number: how specifically its label names a field, whether it names it alone, and the
rows a part prints with their （类）/（项） marks.

These decide what pointer extraction pre-fills and how it ranks the candidates it asks the model about: a
number is a candidate for a field when the label test (kind, unit word, the field's words before it, no
rival label nearer) passes; it is pre-filled when the candidates with the most specific label all say the
same value. Nothing is computed or guessed: an ambiguous field goes to the model or stays empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pipeline.extract.answers import NarrativeRow
from pipeline.extract.entries import LIST_ITEM, class_entries, list_entries, row_name_in
from pipeline.extract.fields import FieldSpec, PartSpec, RowSpec
from pipeline.extract.labels import (
    Located,
    Rejected,
    budget_basis,
    check_label,
    label_window,
    make_source,
    near_scope,
    number_at_pos,
    numbers_in,
    outside_parens,
    row_check,
    sentence_start,
    signed,
    to_record_value,
    unit_len,
)
from pipeline.record.figure import Figure
from pipeline.record.printed import find_numbers
from pipeline.sentences import CLAUSE_END, SENTENCE_END
from pipeline.textindex import Span, TextIndex

_QUOTE_BEFORE = 40  # at most this many characters of label before a swept number


def _numbers(index: TextIndex, spans: Iterable[Span], floor: int = 0) -> list[Located]:
    """Every amount in the spans; a span starts at ``floor`` until ``_requote`` gives the chosen one its quote."""
    out = []
    for span in spans:
        for pos, p in numbers_in(index, span):
            if p.role != "number":
                continue
            full = number_at_pos(index, pos) or p
            stop = pos + len(full.text) + unit_len(index, pos + len(full.text))
            out.append(Located((floor, stop), full, pos))
    return out


def quote_start(index: TextIndex, pos: int, words: tuple[str, ...]) -> int:
    """The clause the number closes (the one before too where it is only '占'); with no clause mark in
    reach, from its first label word (not from a heading or chart caption on the line before)."""
    sentence = sentence_start(index, pos)
    lo = max(sentence, pos - _QUOTE_BEFORE)
    marks = [m.end() for m in CLAUSE_END.finditer(index.text, lo, pos)]
    if not marks:
        found = [i for w in words if (i := index.text.find(w, lo, pos)) >= 0]
        return min(found) if found else lo
    start = marks[-1]
    if len(index.text[start:pos].strip()) < 4 and len(marks) > 1:
        start = marks[-2]
    return start


def _requote(index: TextIndex, located: Located, words: tuple[str, ...]) -> Located:
    start = max(located.span[0], quote_start(index, located.number_at, words))
    return Located((start, located.span[1]), located.printed, located.number_at)


def specificity(index: TextIndex, located: Located, words: tuple[str, ...]) -> tuple[int, int]:
    """How specifically its label names this number: distinct own words about it, then the longest."""
    window = label_window(index, located) + _after(index, located)
    found = [len(w) for w in set(words) if w in window]
    return len(found), max(found, default=0)


def _named_here(index: TextIndex, located: Located, words: tuple[str, ...]) -> bool:
    """A label word stands right before the number, since the previous one ('支出决算为12313.25' after
    '年初预算为12903.84万元' is not a 预算): stricter than grounding's test, since nobody chose this number."""
    if not words:
        return True
    before = index.text[sentence_start(index, located.number_at) : located.number_at]
    near = near_scope(before).replace(" ", "")
    return any(w in near for w in words)


def named(index: TextIndex, located: Located, spec: FieldSpec) -> bool:
    """Money printed with its unit and named right before it; a count or score (often named after its
    unit word: '对机关9个项目开展了绩效自评') with two of its label words around it where it has two."""
    if spec.kind == "money":
        return located.printed.unit in ("万元", "元") and _named_here(index, located, spec.words + spec.generic)
    if spec.kind == "pct":
        return _named_here(index, located, spec.words + spec.generic)
    before = index.text[sentence_start(index, located.number_at) : located.number_at]
    amounts = [p for p in find_numbers(before) if p.role == "number"]  # a year inside the label is not a break
    around = (before[amounts[-1].end :] if amounts else before).replace(" ", "") + _after(index, located)
    return sum(w in around for w in set(spec.words)) >= min(2, len(set(spec.keywords)))


def _after(index: TextIndex, located: Located, size: int = 10) -> str:
    """The words after a number and its unit word, to the end of the sentence."""
    text = index.text[located.span[1] : located.span[1] + size]
    end = SENTENCE_END.search(text)
    return (text[: end.start()] if end else text).replace(" ", "")


def excluded(index: TextIndex, located: Located, spec: FieldSpec) -> bool:
    """An exclude word about the number (公务用车 before '完成预算的83.08%') names another quantity."""
    window = outside_parens(label_window(index, located))
    return any(w in window for w in spec.exclude)


def choose(cands: list[tuple[tuple[int, int], Decimal, Located]]) -> tuple[Decimal, Located] | None:
    """The value all best-labelled candidates agree on; None when they disagree."""
    if not cands:
        return None
    best = max(c[0] for c in cands)
    top = [c for c in cands if c[0] == best]
    if len({c[1] for c in top}) != 1:
        return None
    return top[0][1], top[0][2]


def scalar_spans(index: TextIndex, region: list[Span], part: PartSpec) -> list[Span]:
    """Where a part's own totals are: before its list of rows (the 项 list repeats 年初预算为 per row)."""
    if part.rows is None:
        return region
    out = []
    for s, e in region:
        m = LIST_ITEM.search(index.text, s, e)
        out.append((s, m.start() if m else e))
    return out


def printed_rows(index: TextIndex, region: list[Span], rows: RowSpec, section: str | None) -> list[NarrativeRow]:
    """Each 类 clause or numbered 项 entry with the numbers its row labels name (a 项 entry without '（项）'
    is not a row: the list of a report outside the template is the model's to read)."""
    by_class = rows.path == "general_budget.by_class"
    out = []
    checks = {n.name: row_check(n, rows) for n in rows.numbers}
    entries = class_entries(index, region) if by_class else list_entries(index, region)
    for number, (s, e) in entries:
        named = row_name_in(index.text[s:e], by_class)
        if named is None:
            continue
        name, name_end = named
        located_all = [x for x in _numbers(index, [(s, e)], floor=s) if x.number_at >= s + name_end]
        values: dict[str, Figure] = {}
        basis = None
        for field in rows.numbers:
            cands = []
            for located in located_all:
                try:
                    check_label(index, located, checks[field.name])
                except Rejected:
                    continue
                if not _named_here(index, located, field.keywords):
                    continue
                value, _ = to_record_value(located.printed.value, located, field.kind)
                cands.append((specificity(index, located, field.keywords), abs(value), located))
            chosen = choose(cands)
            if chosen is None:
                continue
            value, located = chosen
            if field.signed:
                value = signed(value, index, located)
            located = _requote(index, located, field.keywords)
            unit = "%" if field.kind == "pct" else "万元"
            values[field.name] = Figure(value=value, unit=unit, sources=[make_source(index, located, section)])
            if field.name == "budget":
                basis = budget_basis(index, located)
        if values:
            out.append(NarrativeRow(rows.path, name, values, number, basis))
    return out
