"""A 部门预算's nine tables, typed: B1…B9 with their row and column keys, values in 万元 with their cells.

The reading is the shared one (``pipeline.record.table_build``: column plan from the header, panels, codes
completed from split 类 | 款 | 项 cells, every value a figure sourced to its cell); what is the budget's is
here, as data: the column words of each table, which tables are two-sided and coded, the row keys.

- B1/B4 print 收入 | 支出 panels side by side: rows ``in:<key>`` (``in:appropriation``, ``in:general_budget``
  …, ``in:grand_total`` for 收入总计) and ``out:<类 code>`` (``out:201``; a name no code is known for keeps its
  name), ``out:grand_total`` for 支出总计. B1's columns are ``amount``; B4's income side ``amount``, its
  expenditure side ``total | general_budget | government_fund | state_capital``.
- B2/B3/B5/B6/B7 are keyed by functional code (201, 20105, 2010501) and ``total`` for 合计; B8 by economic
  code (301, 30101). B9 is one row, ``total``.
- Amounts printed in 元 (单位：元 above most tables) become 万元; a table whose unit line layout did not find
  takes the unit the report's other tables state (B9, the 三公 table, is printed in 万元 by the template).
- A continuation printed without a title on the next page (a scan's page laid out anew, so layout could not
  stitch it) is read as more rows of the table before it, with that table's column keys where its own header
  is missing.
- An empty table whose note says so (注：本部门…无…预算，故本表为空表) states its 合计 as 0, sourced to the note.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal

from pipeline.document import Document, Table
from pipeline.record.codes import clean_label, function_class_code
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.table_build import TableFamily, standard_table
from pipeline.record.table_columns import THREE_PUBLIC_WORDS
from pipeline.record.tables import StandardTable, TableRow

# column keyword → key, most specific first (the deepest header text with a known word decides)
COLUMN_WORDS: dict[str, list[tuple[str, str]]] = {
    "B1": [("预算数", "amount"), ("金额", "amount"), ("合计", "amount"), ("预算", "amount")],
    "B2": [
        ("合计", "total"),
        ("财政拨款", "appropriation"),
        ("事业单位经营", "operating"),
        ("经营收入", "operating"),
        ("事业收入", "business"),
        ("其他收入", "other"),
        ("上年结转", "carryover_begin"),
        ("小计", "total"),
    ],
    "B3": [("基本支出", "basic"), ("项目支出", "project"), ("合计", "total"), ("小计", "total")],
    "B4": [
        ("一般公共预算", "general_budget"),
        ("政府性基金", "government_fund"),
        ("国有资本", "state_capital"),
        ("合计", "total"),
        ("小计", "total"),
        ("预算数", "amount"),
        ("金额", "amount"),
    ],
    "B8": [("人员经费", "personnel"), ("公用经费", "public"), ("合计", "total"), ("小计", "total")],
    "B9": [("机关运行", "operating_costs"), *THREE_PUBLIC_WORDS],
}
for _tid in ("B5", "B6", "B7"):
    COLUMN_WORDS[_tid] = COLUMN_WORDS["B3"]

COLUMNS: dict[str, dict[str, str]] = {
    "B1": {"amount": "预算数"},
    "B2": {"total": "合计", "appropriation": "财政拨款收入", "business": "事业收入",
           "operating": "事业单位经营收入", "other": "其他收入"},
    "B3": {"total": "合计", "basic": "基本支出", "project": "项目支出"},
    "B4": {"amount": "预算数 (收入)", "total": "合计", "general_budget": "一般公共预算",
           "government_fund": "政府性基金预算", "state_capital": "国有资本经营预算"},
    "B8": {"total": "合计", "personnel": "人员经费", "public": "公用经费"},
    "B9": {"total": "“三公”经费合计", "overseas": "因公出国（境）费", "reception": "公务接待费",
           "vehicles": "公务用车购置及运行费 小计", "vehicle_purchase": "公务用车购置费",
           "vehicle_operation": "公务用车运行费", "operating_costs": "机关运行经费"},
}
"""What each column key of a table means (its header words in the template)."""
for _tid in ("B5", "B6", "B7"):
    COLUMNS[_tid] = COLUMNS["B3"]

# income-side row words → key, most specific first (B1, B4)
INCOME_ROWS: tuple[tuple[str, str], ...] = (
    ("本年收入合计", "total"),
    ("收入合计", "total"),
    ("收入总计", "grand_total"),
    ("上年结转", "carryover_begin"),
    ("年初结转", "carryover_begin"),
    ("财政拨款收入", "appropriation"),
    ("一般公共预算", "general_budget"),
    ("政府性基金", "government_fund"),
    ("国有资本", "state_capital"),
    ("事业单位经营", "operating"),
    ("经营收入", "operating"),
    ("事业收入", "business"),
    ("其他收入", "other"),
)
EXPENDITURE_ROWS: tuple[tuple[str, str], ...] = (
    ("本年支出合计", "total"),
    ("支出合计", "total"),
    ("支出总计", "grand_total"),
    ("年末结转", "carryover_end"),
    ("结转下年", "carryover_end"),
)
_KINDS = ("general_budget", "government_fund", "state_capital")
_LEAD = re.compile(r"^[、.,，:：;；·\d]+")  # an ordinal's remains: '1一般公共预算' (its dot lost), '、财政拨款收入'
_EMPTY = re.compile(r"^\s*(注|说明)\s*[:：]?.*(无|没有).*(空表|无数据)")

CODED = ("B2", "B3", "B5", "B6", "B7", "B8")
TWO_SIDED = ("B1", "B4")


def row_key(tid: str, side: str | None, code: str | None, label: str, state: dict) -> tuple[str, str | None]:
    """(key, code) of a row label in a budget table."""
    name = _LEAD.sub("", clean_label(label))
    if tid in TWO_SIDED:
        if side == "expenditure":
            cls = code or function_class_code(name)
            if cls:
                return f"out:{cls}", cls
            if name == "总计":
                return "out:grand_total", None
            key = next((k for w, k in EXPENDITURE_ROWS if w in name), name)
            return f"out:{key}", None
        if name == "总计":
            return "in:grand_total", None
        key = next((k for w, k in INCOME_ROWS if w in name), None)
        if key == "carryover_begin":
            state["carryover"] = True
        elif key in _KINDS and state.get("carryover"):
            key = f"carryover_begin.{key}"  # the 上年结转 block lists the kinds again
        return f"in:{key or name}", None
    if tid == "B9":
        return "total", None  # one row of amounts under the item headers
    if code:
        return code, code
    if name in ("合计", "总计") or name.endswith("合计"):
        return "total", None
    return name, None


FAMILY = TableFamily(
    words=COLUMN_WORDS, two_sided=TWO_SIDED, coded=CODED, economic=("B8",), row_key=row_key, pad_parts=True
)


def _continues(head: Table, t: Table) -> bool:
    """An untitled table on the page after ``head``'s last, first on its page, with as many columns."""
    return (
        t.standard_id is None and not t.title and t.pages[0] == head.pages[-1] + 1 and t.n_cols == head.n_cols
    )


def _unit(t: Table, fallback: str | None) -> str:
    if t.unit:
        return t.unit
    if t.standard_id == "B9":
        return "万元"
    return fallback or "万元"


def _column_keys(typed: StandardTable) -> dict[int, tuple[str, str]]:
    return {c.col: (c.key, "header") for c in typed.columns if c.role == "value" and c.key}


def _empty_note(document: Document, t: Table) -> Source | None:
    """'注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。' under (or over) the table."""
    for number in t.pages:
        if not 1 <= number <= len(document.pages):
            continue
        for line in document.page(number).lines:
            if _EMPTY.search(line.text):
                return Source(page=number, quote=line.text.strip(), bbox=line.bbox, kind=SourceKind.NARRATIVE)
    return None


def _zeros(typed: StandardTable, note: Source) -> None:
    """An empty table's 合计 is 0, as its note says."""
    src = note.model_copy(update={"table": typed.id, "row": "合计", "column": "total"})
    row = typed.row("total")
    if row is None:
        row = TableRow(key="total", label="合计")
        typed.rows.append(row)
    row.values.setdefault("total", Figure(value=Decimal(0), sources=[src]))


def read_tables(
    document: Document, keys: Mapping[str, dict[int, tuple[str, str]]] | None = None
) -> dict[str, StandardTable]:
    """Every budget table the document's layout found, typed, by id (continuations merged). ``keys``:
    column keys by table id that replace what the header gave."""
    stated = Counter(t.unit for t in document.tables if t.standard_id and t.standard_id != "B9" and t.unit)
    fallback = stated.most_common(1)[0][0] if stated else None
    out: dict[str, StandardTable] = {}
    head: Table | None = None
    for t in document.tables:
        piece_keys = (keys or {}).get(t.standard_id or "")
        if t.standard_id is None:
            if head is None or not _continues(head, t):
                head = None if t.title else head
                continue
            tid = head.standard_id
            piece_keys = piece_keys or _column_keys(out[tid])
            t = t.model_copy(update={"standard_id": tid, "unit": t.unit or head.unit})
            head = head.model_copy(update={"pages": [*head.pages, *t.pages]})
        else:
            t = t.model_copy(update={"unit": _unit(t, fallback)})
            head = t
        typed = standard_table(t, document, piece_keys, FAMILY)
        if typed is None:
            continue
        if typed.id in out:
            prev = out[typed.id]
            prev.pages += [p for p in typed.pages if p not in prev.pages]
            prev.rows += [r for r in typed.rows if prev.row(r.key) is None]
            prev.numbers_printed += typed.numbers_printed
        else:
            out[typed.id] = typed
    for tid, typed in out.items():
        if typed.is_empty and (note := _empty_note(document, document.standard_table(tid))):
            typed.empty_note = note
            _zeros(typed, note)
    return out
