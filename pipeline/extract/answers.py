"""One call's answer, grounded: accepted figures and rows with their sources, and every rejected number.

Nothing the model says is kept without a quote found in the part's text that prints it; a rejected number
is kept aside with its reason (the repair prompt shows it, the output lists it), never silently dropped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel

from pipeline.extract.entries import class_named, item_at, plausible_name
from pipeline.extract.fields import PartSpec
from pipeline.extract.ground import (
    Check,
    Rejected,
    budget_basis,
    ground_figure,
    list_number,
    locate,
    make_source,
    pick,
    row_check,
    row_name,
    to_record_value,
)
from pipeline.extract.parts import parse_value
from pipeline.extract.textindex import Span, TextIndex
from pipeline.record.figure import Figure


class RejectedFigure(BaseModel):
    """A number the model returned that could not be grounded, and why."""

    part: str
    path: str
    label: str
    value: str
    quote: str
    reason: str
    from_example: bool = False  # the prompt's own example copied back: no repair is asked for it


@dataclass
class NarrativeRow:
    """A list row read from the narrative (a 类 with its share, a 项 with its budget and completion)."""

    list_path: str
    name: str
    values: dict[str, Figure]
    printed_no: int | None = None
    budget_basis: str | None = None


@dataclass
class Answer:
    """What one chunk of one part yielded after grounding."""

    part: str
    chunk: int
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    rows: list[NarrativeRow] = field(default_factory=list)
    rejected: list[RejectedFigure] = field(default_factory=list)

    def paths(self) -> set[str]:
        return {p for p, _ in self.figures} | {r.list_path for r in self.rows}


def ground_answer(
    index: TextIndex,
    region: list[Span],
    part: PartSpec,
    answer: BaseModel,
    chunk: int,
    section: str | None,
) -> Answer:
    out = Answer(part.name, chunk)
    seen: set[tuple[str, Decimal]] = set()
    for item in getattr(answer, "figures", []) or []:
        spec = part.field(item.field)
        if spec is None:
            continue
        value = parse_value(item.value)
        if value is None:
            out.rejected.append(_rejected(part, spec.path, item.field, item.value, item.quote, "不是数字"))
            continue
        try:
            fig = ground_figure(index, region, spec, part, value, item.quote, section)
        except Rejected as e:
            out.rejected.append(_rejected(part, spec.path, item.field, item.value, item.quote, str(e)))
            continue
        key = (spec.path, fig.value)
        if key not in seen:
            seen.add(key)
            out.figures.append((spec.path, fig))
    for row in getattr(answer, "rows", []) or []:
        grounded = _ground_row(index, region, part, row, section, out)
        if grounded is not None:
            out.rows.append(grounded)
    return out


def _ground_row(index, region, part: PartSpec, row, section, out: Answer) -> NarrativeRow | None:
    assert part.rows is not None
    spec = part.rows
    values: dict[str, Figure] = {}
    first = None
    basis = None
    entry = None  # the numbered 项 entry the row's first number is printed in
    for number in spec.numbers:
        raw = getattr(row, number.name, None)
        if raw is None or raw == "":
            continue
        path = f"{spec.path}[{row.name}].{number.name}"
        value = parse_value(raw)
        if value is None:
            out.rejected.append(_rejected(part, path, number.label, raw, row.quote, "不是数字"))
            continue
        try:
            located = pick(index, locate(index, region, row.quote, value, number.kind, row=True), row_check(number, spec))
        except Rejected as e:
            out.rejected.append(_rejected(part, path, number.label, raw, row.quote, str(e)))
            continue
        if spec.path == "general_budget.by_class" and not class_named(index, located, row.name):
            reason = f"{value} 前面没有“{row.name}”：不是这一类的数字"
            out.rejected.append(_rejected(part, path, number.label, raw, row.quote, reason))
            continue
        if spec.path == "general_budget.items":
            here = item_at(index, region, located.number_at)
            if entry is None:
                entry = here
            elif here is not None and here[2] != entry[2]:
                reason = f"{value} 印在“{here[1]}”的段落中，不是“{entry[1]}”"
                out.rejected.append(_rejected(part, path, number.label, raw, row.quote, reason))
                continue
        number_value, _ = to_record_value(value, located, number.kind)
        unit = "%" if number.kind == "pct" else "万元"
        values[number.name] = Figure(
            value=abs(number_value), unit=unit, sources=[make_source(index, located, section)]
        )
        if number.name == "budget":
            basis = budget_basis(index, located)
        if first is None or number.name == "amount":
            first = located
    if not values or first is None:
        return None
    words = tuple(w for n in spec.numbers for w in n.keywords)
    # the name printed at the head of the entry its numbers are in, whatever name the model gave
    name = entry[1] if entry is not None else row_name(index, region, row.name, first, words)
    if not plausible_name(name, spec.path):
        reason = f"“{name}”不是{'类' if spec.path.endswith('by_class') else '项'}的名称"
        out.rejected += [
            _rejected(part, f"{spec.path}[{name}].{k}", k, str(f.value), row.quote, reason) for k, f in values.items()
        ]
        return None
    printed_no = entry[0] if entry is not None else list_number(index, first)
    return NarrativeRow(spec.path, name, values, printed_no, basis)


def _rejected(part: PartSpec, path: str, label: str, value, quote: str, reason: str) -> RejectedFigure:
    copied = len(_squeeze(quote)) >= 4 and _squeeze(quote) in _squeeze(part.example)
    if copied:
        reason = f"抄自提示中的示例，原文没有：{reason}"
    return RejectedFigure(
        part=part.name, path=path, label=label, value=str(value), quote=quote, reason=reason, from_example=copied
    )


def _squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


__all__ = ["Answer", "Check", "NarrativeRow", "RejectedFigure", "ground_answer"]
