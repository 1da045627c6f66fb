"""The signs that a broken identity is our misreading, not the report's error.

A ``source`` finding tells a user that a government report is wrong. It is made only when every figure
involved was read from the cell of the right row and column (or grounded in its sentence) and nothing about
the reading explains the gap. Each function here looks for one pattern of a failed reading and returns the
evidence; any evidence makes the finding ``extraction`` (ours, to re-read), and the evidence names the table
to re-read. The patterns come from misreadings seen on real reports: a column not mapped (blank cells where
the other side is stated), the 项 rows of T5 not read (Σ项 ≠ 类), a sum off by exactly one row's amount, a
column read twice (a figure equal to its neighbour), printed amounts no figure was read from, cells OCR could
not read, and codes split from their names so no row was keyed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.record.figure import Figure
from pipeline.record.printed import match_printed
from pipeline.record.tables import cell_path
from pipeline.sentences import CLAUSE_MARKS, SENTENCE_MARKS
from pipeline.validate.facts import Fact, FactView, shape
from pipeline.validate.grounding import DocumentIndex, ground
from pipeline.validate.outcome import Outcome
from pipeline.validate.reading import TableReading
from pipeline.validate.report import Evidence, Violation
from pipeline.validate.settings import ValidationSettings

_CELL = re.compile(r"^([A-Z]\d{1,2})\[([^\]]*)\]\.(\w+)$")
_LIST = re.compile(r"^general_budget\.(by_class|items)\[")
_HUNDRED = Decimal(100)
_LIST_TOTALS = ("general_budget.total", "general_budget.basic", "general_budget.project")


@dataclass
class Context:
    """What the judgement needs besides the outcome: the facts, each table's reading, the printed tables."""

    view: FactView
    readings: dict[str, TableReading]
    settings: ValidationSettings
    printed: dict[str, int] = field(default_factory=dict)  # standard tables the document prints → page

    @property
    def index(self) -> DocumentIndex | None:
        return self.view.index


def cell_of(fact: Fact) -> tuple[str, str | None, str | None] | None:
    """(table, row key, column) of the cell a fact was read from; key/column None when only the table is known."""
    m = _CELL.match(fact.alias_of or fact.path)
    if m:
        return m.group(1), m.group(2), m.group(3)
    src = fact.figure.source
    if src is not None and src.table:
        return src.table, None, src.column
    return None


def _split(path: str) -> tuple[str, str, str] | None:
    m = _CELL.match(path)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def ungrounded(outcome: Outcome, ctx: Context) -> list[Evidence]:
    out = []
    for f in outcome.facts:
        where = cell_of(f)
        table = where[0] if where else None
        if not f.grounded:
            out.append(Evidence(pattern="ungrounded", detail=f"{f.path} is not printed where it was read",
                                table=table, cells=[f.path]))
        elif f.misreadings():
            out.append(Evidence(pattern="two_readings", detail=f"{f.path}: one printed number read two ways",
                                table=table, cells=[f.path]))
    return out


_COUNT_UNITS = ("辆", "人", "次", "个", "批", "台", "套", "项", "家")


def weak_zeros(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A money figure read from words (无…, 没有…) or from a count (保有量为 0 辆) rather than a printed amount:
    the words may be about a neighbouring item of the same sentence, so the gap it leaves is not sure."""
    out = []
    for f in outcome.facts:
        if f.figure.unit != "万元" or not f.grounding.checks:
            continue
        weak = all(
            c.printed is None or c.source.quote[c.printed.end :].lstrip().startswith(_COUNT_UNITS)
            for c in f.grounding.checks
        )
        if weak:
            out.append(Evidence(pattern="weak_zero", cells=[f.path],
                                detail=f"{f.path} = {f.value} is read from words or a count, not a printed amount"))
    return out


def blanks(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A whole side of a failed identity blank while the other is stated: the cell, its row or its column was
    not read. Tables print blanks for zeros, so a blank beside stated parts is not evidence by itself; the
    printed table decides those (``tables``)."""
    if not outcome.blank_side:
        return []
    out = []
    for path in outcome.blanks:
        cell = _split(path) or _split(next(iter(ctx.view.cells_for(path)), ""))
        tid, key, column = cell if cell else (None, None, None)
        table = ctx.view.table(tid) if tid else None
        if tid and (table is None or table.row(key) is None):
            out.append(Evidence(pattern="row_missing", detail=f"{tid} row {key} was not read", table=tid,
                                cells=[path]))
        elif table is not None and not any(column in r.values for r in table.rows):
            out.append(Evidence(pattern="column_missing", table=tid, cells=[path],
                                detail=f"{tid} column {column} is blank in every row: the column was not read"))
        else:
            out.append(Evidence(pattern="blank", detail=f"{path} is blank while the other side is stated",
                                table=tid, cells=[path]))
    return out


def absent(outcome: Outcome, ctx: Context) -> list[Evidence]:
    return [
        Evidence(pattern="not_stated", detail=f"{p} was read nowhere and taken as 0", cells=[p])
        for p in outcome.absent
    ]


def tables(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """The figures' tables were not read completely: on the figures' own row for a row identity, anywhere
    in the table for one over several rows."""
    keys: dict[str, set[str | None]] = {}
    for f in outcome.facts:
        where = cell_of(f)
        if where:
            keys.setdefault(where[0], set()).add(where[1])
    for path in outcome.blanks:
        where = _split(path)
        if where:
            keys.setdefault(where[0], set()).add(where[1])
    out = []
    for tid, rows in sorted(keys.items()):
        reading = ctx.readings.get(tid)
        if reading is not None:
            out += reading_evidence(reading, rows)
    return out


def reading_evidence(reading: TableReading, rows: set[str | None] | None = None) -> list[Evidence]:
    """What is wrong with a table's reading: on one record row's printed row(s) when ``rows`` is one row
    key, else anywhere in the table."""
    tid = reading.tid
    rows = rows or {None}
    gaps = reading.row_gaps(next(iter(rows))) if len(rows) == 1 and None not in rows else None
    scope = "on this row" if gaps is not None else "in the table"
    if gaps is None:
        gaps = [*reading.unread, *reading.unreadable]
    unread = [c for c in gaps if c in reading.unread]
    bad = [c for c in gaps if c not in reading.unread]
    out = []
    if unread:
        out.append(Evidence(pattern="rows_not_read", table=tid, cells=[c.describe() for c in unread[:6]],
                            detail=f"{tid}: {len(unread)} printed amount(s) {scope} not read"))
    if bad:
        out.append(Evidence(pattern="unreadable_cell", table=tid, cells=[c.describe() for c in bad[:6]],
                            detail=f"{tid}: {len(bad)} cell(s) {scope} could not be read as a number"))
    if reading.uncounted and None in rows:
        out.append(Evidence(pattern="rows_not_read", table=tid,
                            detail=f"{tid}: {reading.uncounted} of {reading.printed} printed amounts not read"))
    if reading.split_rows:
        out.append(Evidence(pattern="split_rows", table=tid, cells=reading.split_rows[:8],
                            detail=f"{tid}: codes printed on rows without amounts (code and name on two rows)"))
    doubled = [(a, b) for a, b in reading.doubled if {_split(a)[1], _split(b)[1]} & rows or None in rows]
    if doubled:
        out.append(Evidence(pattern="same_cell", table=tid, cells=[f"{a} = {b}" for a, b in doubled[:4]],
                            detail=f"{tid}: two figures read from one printed cell"))
    return out


def one_row(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """The gap equals one amount of the same table column or list: a row missed, or read twice."""
    if not outcome.additive or outcome.expected is None or outcome.found is None:
        return []
    gap = abs(outcome.found - outcome.expected)
    tol = 2 * ctx.settings.half_cent
    own = outcome.found != 0 and outcome.expected != 0  # else the gap is trivially the stated side
    candidates: dict[str, Decimal] = {f.path: f.value for f in outcome.facts} if own else {}
    columns: set[tuple[str, str]] = set()
    for path in (*(f.alias_of or f.path for f in outcome.facts), *outcome.blanks):
        where = _split(path)
        if where:
            columns.add((where[0], where[2]))
    for tid, column in columns:
        table = ctx.view.table(tid)
        for row in table.rows if table else []:
            if column in row.values:
                candidates[cell_path(tid, row.key, column)] = row.values[column].value
    for f in outcome.facts:
        if _LIST.match(f.path):
            candidates.update({g.path: g.value for g in ctx.view.match(shape(f.path))})
    mine = {f.path for f in outcome.facts} | {f.alias_of for f in outcome.facts if f.alias_of}
    hits = sorted(p for p, v in candidates.items() if v != 0 and abs(abs(v) - gap) <= tol and (own or p not in mine))
    if not hits:
        return []
    where = _split(hits[0])
    return [Evidence(pattern="off_by_one_row", table=where[0] if where else None, cells=hits[:4],
                     detail=f"the gap {gap} is the amount of {hits[0]}: a row missed or read twice")]


def neighbour(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A figure equal to the amount printed beside it, on a row that prints other amounts: the column read
    twice or shifted (a row whose only amounts are a total and its one part is left alone)."""
    out = []
    for f in outcome.facts:
        path = f.alias_of or f.path
        where = _split(path)
        reading = ctx.readings.get(where[0]) if where else None
        if reading is None or f.value == 0:
            continue
        same = [c for c, v in reading.neighbours(path) if v == f.value]
        others = [v for v in reading.row_values(path) if v not in (0, f.value)]
        if same and others:
            out.append(Evidence(pattern="neighbour_value", table=where[0], cells=[path, same[0].describe()],
                                detail=f"{path} = {f.value} is also the amount beside it ({same[0].header})"))
    return out


def wrong_cell(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A record field read from a table column that does not state it (its links name another column)."""
    out = []
    for f in outcome.facts:
        src = f.figure.source
        if f.alias_of or _CELL.match(f.path) or src is None or not (src.table and src.column):
            continue
        expected = [c for c in ctx.view.cells_for(f.path) if c.startswith(f"{src.table}[")]
        if expected and not any(c.endswith(f".{src.column}") for c in expected):
            out.append(Evidence(pattern="wrong_cell", table=src.table, cells=[f.path, *expected[:2]],
                                detail=f"{f.path} was read from {src.table} column {src.column}, "
                                f"which does not state it ({expected[0]} does)"))
    return out


_PART_WORDS = ("其中", "中小企业", "小微企业", "预留", "授予", "面向", "增加", "减少", "增长", "下降", "上年", "结转")
"""Words that make a statement about a part or a change of an item, not the item itself."""
_CLAUSE = re.compile(f"[{SENTENCE_MARKS}{CLAUSE_MARKS}、]")  # a clause, or an item of a 、 list


def _label(fig: Figure, quote: str) -> str:
    """The words a number stands after in its quote, back to the clause boundary (its label)."""
    printed = match_printed(fig.value, quote, money=fig.unit == "万元")
    before = quote[: printed.start] if printed else quote
    return _CLAUSE.split(before)[-1].replace(" ", "")


def _part_words(fig: Figure) -> set[str]:
    return {w for s in fig.sources for w in _PART_WORDS if w in _label(fig, s.quote)}


def alternates(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """Two statements of one item disagree: both must be where they say, printing what they say, and name
    the same quantity (not one the item and the other a part of it, like its 中小企业 share)."""
    out = []
    for f in outcome.facts:
        for alt in f.figure.alternates:
            if alt.value == f.value:
                continue
            fig = Figure(value=alt.value, unit=f.figure.unit, sources=alt.sources)
            if not ground(fig, ctx.index).ok:
                out.append(Evidence(pattern="alternate_ungrounded", cells=[f.path],
                                    detail=f"the other statement of {f.path} ({alt.value}) is not printed "
                                    "where it was read"))
            elif (words := _part_words(fig) ^ _part_words(f.figure)):
                out.append(Evidence(pattern="other_quantity", cells=[f.path],
                                    detail=f"the other statement of {f.path} ({alt.value}) names another quantity "
                                    f"({'、'.join(sorted(words))})"))
    return out


def stated_twice(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A record field and its table cell disagree (``X.stated``): the field's sentence must name the same
    quantity as the cell, not a part or a change of it."""
    if " ~ " not in outcome.subject or len(outcome.facts) != 2:
        return []
    field, cell = outcome.facts
    words = _part_words(field.figure)
    if not words:
        return []
    return [Evidence(pattern="other_quantity", cells=[field.path, cell.path],
                     detail=f"{field.path} was read from a sentence about another quantity ({'、'.join(sorted(words))})")]


def lists(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """A sum over the 类 or 项 list holds only if the list was read whole: from a table read completely, from
    a narrative whose shares add up to 100%, or from a numbered list without gaps."""
    if not outcome.additive:
        return []
    keys: dict[str, set[str]] = {}
    for f in outcome.facts:
        m = _LIST.match(f.path)
        if m:
            keys.setdefault(m.group(1), set()).add(f.path[m.end() :].split("]")[0])
    totals = any(f.path in _LIST_TOTALS for f in outcome.facts)  # a total against its list, however short
    summed = ["items"] if len(keys) == 2 else [w for w, k in keys.items() if len(k) > 1 or totals]
    out = []
    for which in summed:
        reason = _list_gap(ctx, which)
        if reason:
            out.append(Evidence(pattern="list_incomplete", table="T5" if "T5" in reason else None,
                                detail=reason, cells=[f"general_budget.{which}"]))
    return out


def _list_gap(ctx: Context, which: str) -> str | None:
    gb = ctx.view.record.general_budget
    rows = gb.by_class if which == "by_class" else gb.items
    from_table = [r for r in rows if r.amount is not None and r.amount.source and r.amount.source.table == "T5"]
    t5 = ctx.view.table("T5")
    if from_table and len(from_table) == len(rows):
        return None  # from T5: its own reading decides (see ``tables``)
    if t5 is None and "T5" in ctx.printed:
        return f"T5 is printed (p.{ctx.printed['T5']}) but was not read: the {_word(which)} list comes from the text"
    if which == "items" and t5 is not None and not any(r.code and len(r.code) == 7 and r.values for r in t5.rows):
        return "T5's 项 rows were not read"
    if which == "by_class":
        shares = [r.share_pct.value for r in rows if r.share_pct is not None]
        if len(shares) == len(rows) and sum(shares, Decimal(0)) >= _HUNDRED - Decimal("0.05") * len(rows):
            return None  # the shares account for the whole (more than the whole is not a 类 missed)
        amounts = [r.amount.value for r in rows if r.amount is not None]
        total = gb.total.value if gb.total is not None else None
        envelope = ctx.settings.sum_envelope(len(amounts))
        if total is not None and len(amounts) == len(rows) and abs(sum(amounts, Decimal(0)) - total) <= envelope:
            return None  # the amounts add up to the total: no 类 is missing (a share may be misprinted)
        return "the 类 read from the text account neither for 100% nor for the total: a 类 may be missing"
    numbers = sorted(r.printed_no for r in rows if r.printed_no is not None)
    if len(numbers) == len(rows) and numbers == list(range(1, len(rows) + 1)):
        return None
    return "the 项 list read from the text cannot be shown to be complete (no unbroken printed numbering)"


def _word(which: str) -> str:
    return "类" if which == "by_class" else "项"


PATTERNS = (
    ungrounded, weak_zeros, blanks, absent, tables, one_row, neighbour, wrong_cell, alternates, stated_twice, lists
)


def evidence(outcome: Outcome, ctx: Context) -> list[Evidence]:
    """Every sign that a failed identity is our reading; empty when the report itself is at fault."""
    out: list[Evidence] = []
    for pattern in PATTERNS:
        for e in pattern(outcome, ctx):
            if e not in out:
                out.append(e)
    return out


# Evidence that names the very cell a misreading put in the wrong place (its first cell is a record path)
_POINTS_AT_CELL = ("off_by_one_row", "neighbour_value", "wrong_cell")


def doubted(violations: list[Violation]) -> None:
    """A figure one identity shows misread cannot carry an accusation in another: the scan's 0.00 read 9.00
    breaks a row's parts by exactly 9.00 (extraction, the gap is that cell) and its column's sum too, which
    alone would look like the report's error. Such a ``source`` finding becomes ``extraction``."""
    suspect = {
        e.cells[0]: v.rule
        for v in violations
        if v.cls == "extraction"
        for e in v.evidence
        if e.pattern in _POINTS_AT_CELL and e.cells
    }
    for v in violations:
        if v.cls != "source":
            continue
        hit = next((p for f in v.fields for p in (f.path, f.alias_of) if p in suspect), None)
        if hit is not None:
            v.cls = "extraction"
            v.evidence = [Evidence(pattern="doubted_cell", cells=[hit],
                                   detail=f"{hit} is in doubt: the gap of {suspect[hit]} is exactly this cell")]
