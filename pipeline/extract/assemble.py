"""Put a record together: table values first, the narrative's statements of them as further sources.

A figure both a table and the 说明 state keeps the table's value; the narrative adds a source when it agrees
and an alternate when it does not (the validator reports that as the report's own inconsistency). The
narrative's 类 and 项 rows are matched to T5's by name (类/款/项 wording) and give the shares, budgets and
completion rates the table lacks. List numbers (3.…) are not copied: a list the model read only in part
would look like a report that skips numbers. ``owners`` says which part stated each value, for repairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.answers import Answer, NarrativeRow
from pipeline.extract.tables import add_statement
from pipeline.record.figure import Figure
from pipeline.record.model import SECTIONS, ClassRow, ItemRow, ProjectRow, Record
from pipeline.record.tables import StandardTable

_MARK = re.compile(r"[（(](类|款|项)[）)]")


@dataclass
class Assembled:
    record: Record
    owners: dict[str, tuple[str, int]] = field(default_factory=dict)  # path → (part, chunk) for LLM values


def _set(record: Record, path: str, fig: Figure) -> bool:
    head, _, leaf = path.partition(".")
    if head not in SECTIONS:
        return False
    section = record.section(head)
    if leaf not in type(section).model_fields:
        return False
    current = getattr(section, leaf)
    if isinstance(current, Figure):
        add_statement(current, fig)
        return False
    setattr(section, leaf, fig.model_copy(deep=True))
    return True


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def class_key(name: str) -> str:
    n = _MARK.sub("", _norm(name))
    return n.removesuffix("支出")


def _item_parts(name: str) -> tuple[str | None, str]:
    """(款, 项) names from a narrative '…（类）…（款）…（项）' string; the whole name as 项 otherwise."""
    n = _norm(name)
    m = re.search(r"（类）(.*?)（款）(.*?)（项）", n)
    if m:
        return m.group(1), m.group(2)
    m = re.search(r"（款）(.*?)（项）", n)
    if m:
        return None, m.group(1)
    return None, _MARK.sub("", n)


def match_item(row: NarrativeRow, items: list[ItemRow], t5: StandardTable | None) -> ItemRow | None:
    kuan, xiang = _item_parts(row.name)
    hits = [i for i in items if _norm(i.name) == xiang] or [
        i for i in items if xiang.endswith(_norm(i.name)) and len(_norm(i.name)) >= 2
    ]
    if len(hits) > 1 and kuan and t5 is not None:
        parent = [i for i in hits if (p := t5.row(i.code[:5] if i.code else "")) and _norm(p.name or "") == kuan]
        hits = parent or hits
    return hits[0] if hits else None


def _add_row_value(target, name: str, fig: Figure) -> None:
    current = getattr(target, name)
    if isinstance(current, Figure):
        add_statement(current, fig)
    else:
        setattr(target, name, fig)


def assemble(
    base: Record,
    table_figures: dict[str, Figure],
    classes: list[ClassRow],
    items: list[ItemRow],
    answers: list[Answer],
    projects: Sequence[ProjectRow] = (),
) -> Assembled:
    """A fresh record from the identity in ``base``, the tables' values, the 自评表 projects and every
    grounded answer."""
    record = base.model_copy(deep=True)
    out = Assembled(record)
    record.performance.projects = [p.model_copy(deep=True) for p in projects]
    for path, fig in table_figures.items():
        _set(record, path, fig)
    record.general_budget.by_class = [c.model_copy(deep=True) for c in classes]
    record.general_budget.items = [i.model_copy(deep=True) for i in items]
    from_table = bool(classes), bool(items)
    t5 = _list_table(record, items)
    for answer in answers:
        for path, fig in answer.figures:
            if _set(record, path, fig):
                out.owners[path] = (answer.part, answer.chunk)
        for row in answer.rows:
            path = _add_row(record, row, from_table, t5)
            if path:
                out.owners.setdefault(path, (answer.part, answer.chunk))
    return out


def _list_table(record: Record, items: list[ItemRow]) -> StandardTable | None:
    """The table the 项 rows were read from (T5 of a 决算, the kind's own where its items name another), whose
    款 rows tell same-named 项 apart."""
    tid = next((i.amount.source.table for i in items if i.amount and i.amount.source and i.amount.source.table), "T5")
    return record.tables.get(tid) or record.tables.get("T5")


def _add_row(record: Record, row: NarrativeRow, from_table: tuple[bool, bool], t5) -> str | None:
    gb = record.general_budget
    if row.list_path == "general_budget.by_class":
        target = next((c for c in gb.by_class if class_key(c.name) == class_key(row.name)), None)
        if target is None:
            if from_table[0]:
                return None  # T5 lists every 类: a name it lacks is a misreading, not a new row
            target = ClassRow(name=row.name)
            gb.by_class.append(target)
        for name, fig in row.values.items():
            _add_row_value(target, name, fig)
        return f"general_budget.by_class[{target.key}]"
    if row.list_path == "general_budget.items":
        target = match_item(row, gb.items, t5) if from_table[1] else None
        if target is None:
            if from_table[1]:
                return None
            target = next((i for i in gb.items if _norm(i.name) == _norm(row.name)), None)
            if target is None:
                same_class = next((c for c in gb.by_class if class_key(c.name) == class_key(row.name)), None)
                if same_class is not None and not _MARK.search(row.name):
                    # '卫生健康支出年初预算为20.74万元…' in the 具体情况: the 类's budget, not a 项
                    return _add_row(record, NarrativeRow("general_budget.by_class", row.name, row.values), from_table, t5)
                target = ItemRow(name=row.name)
                gb.items.append(target)
        elif _norm(target.name) != _norm(row.name):
            target.narrative_name = row.name
        for name, fig in row.values.items():
            _add_row_value(target, name, fig)
        if row.budget_basis and target.budget_basis is None and "budget" in row.values:
            target.budget_basis = row.budget_basis
        return f"general_budget.items[{target.key}]"
    return None
