"""Pointer extraction of one chunk: which tagged number is which field, decided by label features and the model.

For every field the label tests (kind, unit word, the field's own words before the number, no rival label
nearer, no exclude word) keep the candidate ids, best labelled first. In a template section a field whose
best-labelled candidates all state the same number is pre-filled, as are 类/项 rows printed with their
（类）/（项） marks; the model is asked only about the rest, with a schema whose every field is an enum of its
own candidates (or null), so llama.cpp's grammar lets it emit nothing but a real, plausible id. Its answer
is a few ids instead of copied quotes and digits; the figure itself (value, unit, quote, page, box) comes from
the tagged number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from pipeline.extract.answers import Answer, NarrativeRow, RejectedFigure
from pipeline.extract.entries import class_named, item_at, plausible_name
from pipeline.extract.features import (
    choose,
    excluded,
    named,
    printed_rows,
    quote_start,
    scalar_spans,
    specificity,
)
from pipeline.extract.fields import FieldSpec, PartSpec, RowField
from pipeline.extract.labels import (
    Check,
    Located,
    Rejected,
    budget_basis,
    check_label,
    make_source,
    row_check,
    row_name,
    signed,
    to_record_value,
    units_ok,
)
from pipeline.extract.tagging import Tag, Tagged, tag
from pipeline.record.figure import Figure
from pipeline.textindex import Span, TextIndex

NAME_MAX = 40


@dataclass
class Ask:
    """One field of a chunk: its candidate ids (best labelled first) and the id the text names alone."""

    spec: FieldSpec
    candidates: list[str]
    prefill: str | None = None


@dataclass
class Plan:
    """What a chunk needs: pre-filled fields and rows, and the fields (and rows) the model must decide."""

    part: PartSpec
    tagged: Tagged
    asks: list[Ask] = field(default_factory=list)
    rows: list[NarrativeRow] = field(default_factory=list)  # printed with their marks: read, not asked
    ask_rows: bool = False

    @property
    def questions(self) -> list[Ask]:
        return [a for a in self.asks if a.prefill is None and a.candidates]

    @property
    def needs_model(self) -> bool:
        return bool(self.questions) or self.ask_rows


_KINDS = {"pct": "百分比", "money": "金额", "count": "个数", "score": "得分"}


def _kind_ok(spec_kind: str, tag: Tag, index: TextIndex) -> bool:
    if tag.zero:  # '没有…收入和支出' states money; a count of none is printed ('0辆')
        return spec_kind == "money"
    p = tag.located.printed
    after = index.text[tag.located.number_at + len(p.text) : tag.located.number_at + len(p.text) + 4].lstrip(" ")
    return units_ok(spec_kind, p, after)  # type: ignore[arg-type]


@cache
def _check(spec: FieldSpec, part: PartSpec) -> Check:
    return Check.of(spec, part)


def refusal(index: TextIndex, part: PartSpec, spec: FieldSpec, tag: Tag) -> str | None:
    """Why a tagged number is no candidate for the field, in words a repair prompt can show; None: it is one."""
    if not _kind_ok(spec.kind, tag, index):
        return f"{tag.shown()} 不是{_KINDS[spec.kind]}"
    try:
        check_label(index, tag.located, _check(spec, part))
    except Rejected as e:
        return str(e)
    if tag.zero and not _zero_named(index, tag, spec):
        return f"“{index.quote(tag.located.span)}”后面没有“{spec.words[-1]}”"
    if not tag.zero and excluded(index, tag.located, spec):
        return f"{tag.shown()} 说的是另一项（{'、'.join(spec.exclude)}）"
    return None


def _zero_named(index: TextIndex, tag: Tag, spec: FieldSpec) -> bool:
    """'没有政府性基金预算财政拨款收入和支出': the field's own words follow the zero word in its clause."""
    pos = tag.located.span[1]
    clause = re.split(r"[，,。；;\d]", index.text[pos : pos + 40], maxsplit=1)[0].replace(" ", "")
    return any(w in clause for w in spec.words if len(w) >= 2)


def _unit_after(index: TextIndex, tag: Tag) -> str:
    p = tag.located.printed
    return index.text[tag.located.number_at + len(p.text) : tag.located.number_at + len(p.text) + 4].lstrip(" ")


def ask(index: TextIndex, tagged: Tagged, part: PartSpec, spec: FieldSpec, within: list[Span] | None = None) -> Ask:
    """The field's candidates (in ``within``, where given), best labelled first, and the one the text names
    alone: the value all best-labelled candidates agree on, a lone zero in words, or the lone count printed
    with the field's own unit word ('23人次')."""
    scored: list[tuple[tuple[int, int], int, str]] = []
    alone: list[tuple[tuple[int, int], Decimal, Located]] = []
    ids_at: dict[int, str] = {}
    for tid, t in tagged.tags.items():
        if within is not None and not any(s <= t.located.number_at < e for s, e in within):
            continue
        if refusal(index, part, spec, t) is not None:
            continue
        rank = (1, 0) if t.zero else specificity(index, t.located, spec.words)
        if not t.zero and named(index, t.located, spec):
            alone.append((rank, _value(spec, t, index), t.located))
        scored.append((rank, -t.located.number_at, tid))
        ids_at[t.located.number_at] = tid
    scored.sort(reverse=True)
    out = Ask(spec, [tid for _, _, tid in scored])
    chosen = choose(alone)
    units = [tid for tid in out.candidates if spec.after and not tagged.tags[tid].zero
             and _unit_after(index, tagged.tags[tid]).startswith(spec.after)]
    if chosen is not None:
        out.prefill = ids_at[chosen[1].number_at]
    elif len(scored) == 1 and tagged.tags[scored[0][2]].zero:
        out.prefill = scored[0][2]
    elif len(units) == 1:
        out.prefill = units[0]
    return out


@dataclass
class Decision:
    """A field's decision for the whole part: the position pre-filled, or the best candidate's (to ask there)."""

    prefill: int | None = None
    best: int | None = None


@dataclass
class PartText:
    """What every chunk of a part shares: where its own totals are, its printed rows, and each field's
    decision made over the whole part, so two chunks never state one field two ways."""

    region: list[Span]
    scalars: list[Span]  # before the part's list of rows (each 项 repeats 年初预算为)
    rows: list[NarrativeRow]  # 类/项 rows printed with their marks, read without the model
    template: bool
    decisions: dict[str, Decision]

    @classmethod
    def of(cls, index: TextIndex, part: PartSpec, region: list[Span], template: bool, section: str | None):
        rows = printed_rows(index, region, part.rows, section) if template and part.rows is not None else []
        scalars = scalar_spans(index, region, part)
        whole = tag(index, region)
        asks = [ask(index, whole, part, spec, scalars) for spec in part.fields]
        if not template:
            for a in asks:
                a.prefill = None
        else:
            _shares_after_amounts(index, whole, asks)
        at = {tid: t.located.number_at for tid, t in whole.tags.items()}
        decisions = {
            a.spec.label: Decision(at[a.prefill] if a.prefill else None, at[a.candidates[0]] if a.candidates else None)
            for a in asks
        }
        return cls(region, scalars, rows, template, decisions)


def plan(index: TextIndex, tagged: Tagged, part: PartSpec, text: PartText, first: bool, reask=frozenset()) -> Plan:
    """The chunk's plan: the fields the part's decisions put in this chunk (pre-filled, or asked with this
    chunk's candidates), every field a repair questions (``reask``: asked again even where pre-filled), and
    the printed rows with the ``first`` chunk; the model is asked for rows only where none are printed."""
    out = Plan(part, tagged)
    here = {t.located.number_at: tid for tid, t in tagged.tags.items()}
    for spec in part.fields:
        a = ask(index, tagged, part, spec, text.scalars)
        d = text.decisions.get(spec.label, Decision())
        if spec.label in reask:
            a.prefill = None
        elif d.prefill is not None:
            a.prefill = here.get(d.prefill)
            a.candidates = [a.prefill] if a.prefill else []
        else:
            a.prefill = None
            if d.best not in here:
                a.candidates = []
        out.asks.append(a)
    if part.rows is not None:
        out.rows = list(text.rows) if first else []
        out.ask_rows = not text.rows or bool(reask)
    return out


_SHARE_GAP = re.compile(r"^[,，、]?(?:占|占比|占比为|占[^,，。；;\d]{0,12}的)$")


def _shares_after_amounts(index: TextIndex, tagged: Tagged, asks: list[Ask]) -> None:
    """'基本支出【n2】1626.35万元，占【n3】72%': the % right after a pre-filled amount, joined by 占, is its share."""
    by_path = {a.spec.path: a for a in asks}
    ids = list(tagged.tags)
    for a in asks:
        base = by_path.get(a.spec.path.removesuffix("_share_pct"))
        if not a.spec.path.endswith("_share_pct") or a.prefill or base is None or base.prefill is None:
            continue
        k = ids.index(base.prefill) + 1
        if k >= len(ids):
            continue
        gap = index.text[tagged.tags[base.prefill].located.span[1] : tagged.tags[ids[k]].located.number_at]
        if ids[k] in a.candidates and _SHARE_GAP.match(gap.replace(" ", "")):
            a.prefill = ids[k]


# ---- the response model ----


def _row_ids(plan: Plan, number: RowField, index: TextIndex) -> tuple[str, ...]:
    return tuple(tid for tid, t in plan.tagged.tags.items() if not t.zero and _kind_ok(number.kind, t, index))


def response_model(plan: Plan, index: TextIndex) -> type[BaseModel]:
    """One property per asked field (its label; an enum of its candidates or null), then the rows."""
    fields: dict[str, Any] = {}
    for k, a in enumerate(plan.questions):
        ids = tuple(a.candidates)
        fields[f"f{k}"] = (Literal[ids] | None, Field(alias=a.spec.label))  # type: ignore[valid-type]
    if plan.ask_rows and plan.part.rows is not None:
        row = _row_model(plan.part.name, tuple((n.name, n.label, _row_ids(plan, n, index)) for n in plan.part.rows.numbers))
        fields["rows"] = (list[row], Field(default_factory=list, max_length=plan.part.rows.max_rows))  # type: ignore[valid-type]
    name = "".join(w.capitalize() for w in re.split(r"[._]", plan.part.name)) + "Pick"
    return create_model(name, __config__=ConfigDict(extra="ignore", populate_by_name=True), **fields)


@cache
def _row_model(part: str, numbers: tuple[tuple[str, str, tuple[str, ...]], ...]) -> type[BaseModel]:
    props: dict[str, Any] = {"name": (str, Field(max_length=NAME_MAX, description="名称，照抄原文"))}
    for name, label, ids in numbers:
        kind = Literal[ids] if ids else Literal["none"]  # type: ignore[valid-type]
        props[name] = (kind | None, Field(alias=label))
    return create_model("Row", __config__=ConfigDict(extra="ignore", populate_by_name=True), **props)


# ---- from ids to figures ----


def _value(spec: FieldSpec, tag: Tag, index: TextIndex) -> Decimal:
    if tag.zero:
        return Decimal(0)
    value, _ = to_record_value(tag.located.printed.value, tag.located, spec.kind)
    return signed(value, index, tag.located) if spec.signed else value


def _zero_quote(index: TextIndex, tag: Tag) -> Located:
    """The zero word and the clause it negates ('没有政府性基金预算财政拨款收入和支出')."""
    s = tag.located.span[0]
    e = s
    while e < len(index.text) and index.text[e] not in "，,。；;" and e - s < 40:
        e += 1
    return Located((s, e), None, s)


def _clause(index: TextIndex, located: Located, words: tuple[str, ...]) -> Located:
    """The number with the clause that names it ('本年收入合计544.24万元'), the figure's quote."""
    return Located((quote_start(index, located.number_at, words), located.span[1]), located.printed, located.number_at)


def figure(index: TextIndex, spec: FieldSpec, tag: Tag, section: str | None) -> Figure:
    """The figure a tagged number gives a field: its own value, unit and clause as the quote."""
    located = _zero_quote(index, tag) if tag.zero else _clause(index, tag.located, spec.words + spec.generic)
    return Figure(value=_value(spec, tag, index), unit=spec.unit, sources=[make_source(index, located, section)])


def answer(
    index: TextIndex, plan: Plan, picked: BaseModel | None, chunk: int, region: list[Span], section: str | None
) -> Answer:
    """The chunk's figures and rows: pre-filled ones, then the model's picks (rows checked like any row)."""
    out = Answer(plan.part.name, chunk)
    for k, a in enumerate(plan.questions):
        a_id = getattr(picked, f"f{k}", None) if picked is not None else None
        if a_id is not None:
            out.figures.append((a.spec.path, figure(index, a.spec, plan.tagged.tags[a_id], section)))
    for a in plan.asks:
        if a.prefill is not None:
            out.figures.append((a.spec.path, figure(index, a.spec, plan.tagged.tags[a.prefill], section)))
    out.rows = list(plan.rows)
    for row in getattr(picked, "rows", None) or []:
        grounded = _row(index, plan, row, region, section, out)
        if grounded is not None:
            out.rows.append(grounded)
    return out


def _row(index: TextIndex, plan: Plan, row: BaseModel, region: list[Span], section, out: Answer) -> NarrativeRow | None:
    """A model row: its numbers must pass the row label test, sit in one 项 entry and follow the 类's name."""
    spec = plan.part.rows
    assert spec is not None
    values: dict[str, Figure] = {}
    first: Located | None = None
    basis = None
    entry = None
    for number in spec.numbers:
        tag = plan.tagged.at(getattr(row, number.name, None))
        if tag is None:
            continue
        path = f"{spec.path}[{row.name}].{number.name}"
        located = tag.located
        reason = None
        try:
            check_label(index, located, row_check(number, spec))
        except Rejected as e:
            reason = str(e)
        if reason is None and spec.path == "general_budget.by_class" and not class_named(index, located, row.name):
            reason = f"{tag.shown()} 前面没有“{row.name}”：不是这一类的数字"
        if reason is None and spec.path == "general_budget.items":
            here = item_at(index, region, located.number_at)
            if entry is None:
                entry = here
            elif here is not None and here[2] != entry[2]:
                reason = f"{tag.shown()} 印在“{here[1]}”的段落中，不是“{entry[1]}”"
        if reason is not None:
            out.rejected.append(_rejected(plan.part, path, number.label, tag, index, reason))
            continue
        value, _ = to_record_value(located.printed.value, located, number.kind)
        unit = "%" if number.kind == "pct" else "万元"
        requoted = _clause(index, located, number.keywords)
        value = signed(abs(value), index, located) if number.signed else abs(value)
        values[number.name] = Figure(value=value, unit=unit, sources=[make_source(index, requoted, section)])
        if number.name == "budget":
            basis = budget_basis(index, located)
        if first is None or number.name == "amount":
            first = located
    if not values or first is None:
        return None
    words = tuple(w for n in spec.numbers for w in n.keywords)
    name = entry[1] if entry is not None else row_name(index, region, row.name, first, words)
    if not plausible_name(name, spec.path):
        kind = "类" if spec.path.endswith("by_class") else "项"
        for k, f in values.items():
            out.rejected.append(
                RejectedFigure(part=plan.part.name, path=f"{spec.path}[{name}].{k}", label=k, value=str(f.value),
                               quote=f.source.quote, reason=f"“{name}”不是{kind}的名称")
            )
        return None
    return NarrativeRow(spec.path, name, values, entry[0] if entry is not None else None, basis)


def _rejected(part: PartSpec, path: str, label: str, tag: Tag, index: TextIndex, reason: str) -> RejectedFigure:
    p = tag.located.printed
    value = p.text if p is not None else "0"
    return RejectedFigure(part=part.name, path=path, label=label, value=value, quote=index.quote(tag.located.span),
                          reason=reason)
