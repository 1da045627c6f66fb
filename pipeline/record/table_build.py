"""Type a ruled table from the Document (layout's ``Table``, a grid of cells) as one of the nine tables.

What each column holds comes from the table's own header (``table_columns``); panels side by side (T1/T4
收入 | 支出, T6's code–name–amount panels) become rows of their own. Row keys are classification codes,
completed from split 类 | 款 | 项 cells or the name cell, or canonical label keys. Every value keeps its
cell: page, box, its own text as quote and its row's text as row_text. Amounts printed in 元 or 千元 are converted to 万元 (the
source keeps ``printed_unit``). The typed table records its column mapping and how many amounts it printed,
so a reading that missed some can be told from a report that lacks them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from pipeline.document import Cell, Document, Table
from pipeline.record.codes import clean_label, economic_item_code, function_class_code, is_code
from pipeline.record.column_sums import by_sums
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.money import UNIT_SCALE, parse_amount
from pipeline.record.table_columns import CODE_PARTS, COLUMN_WORDS, ColumnPlan, is_code_text, plan_columns
from pipeline.record.tables import (
    EXPENDITURE_ROWS,
    INCOME_ROWS,
    ColumnMap,
    StandardTable,
    TableRow,
)

_KIND_WORDS = {"一般公共预算": "general_budget", "政府性基金": "government_fund", "国有资本": "state_capital"}
_NAME_CODE = re.compile(r"^(\d{2}(?:\d{1}(?:\d{2}){0,2})?)\s*(\D.*)$")  # 2013901 行政运行, 01 行政运行
_CODED = ("T2", "T3", "T5", "T6", "T8", "T9")

# T7 printed as rows of items (columns 预算数 | 决算数): the row label names the item, in the header's words
_T7_ROWS = COLUMN_WORDS["T7"]


def _row_key(tid: str, side: str | None, code: str | None, label: str, state: dict) -> tuple[str, str | None]:
    """(key, code) for a row label in a table."""
    name = clean_label(label)
    if tid in ("T1", "T4"):
        prefix = "in:" if side == "income" else "out:"
        if side == "expenditure":
            cls = code or function_class_code(name)
            if cls:
                return f"out:{cls}", cls
            for key, text in EXPENDITURE_ROWS.items():
                if clean_label(text) in name or (key == "carryover_end" and "年末" in name):
                    return prefix + key, None
            return prefix + name, None
        if "年初" in name:
            state["in_carryover"] = True
            return "in:carryover_begin", None
        for key, text in INCOME_ROWS.items():
            if name == clean_label(text) or (tid == "T4" and key == "total" and "本年收入合计" in name):
                return prefix + key, None
        if name == "总计":
            return "in:grand_total", None
        kind = next((v for w, v in _KIND_WORDS.items() if w in name), None)
        if kind:
            return (f"in:carryover_begin.{kind}" if state.get("in_carryover") else f"in:{kind}"), None
        return prefix + name, None
    if code:
        return code, code
    if tid == "T6":
        if "人员经费" in name:
            return "personnel_total", None
        if "公用经费" in name:
            return "public_total", None
    if name in ("合计", "总计", "本年收入合计", "本年支出合计") or (tid in _CODED and name.endswith("合计")):
        return "total", None
    return name, None


RowKey = Callable[[str, str | None, str | None, str, dict], tuple[str, str | None]]


@dataclass(frozen=True)
class TableFamily:
    """How one report kind's standard tables are read, where the kinds differ: the column words per table,
    which tables print 收入 | 支出 panels side by side, which are keyed by functional or economic codes,
    which are item tables (the 决算's T7: 预算数 | 决算数 rows by item), and the row keys. The reading itself
    (column plan, panels, codes, values in 万元 with their cells) is shared."""

    words: Mapping[str, list[tuple[str, str]]]
    two_sided: tuple[str, ...] = ()
    coded: tuple[str, ...] = ()
    economic: tuple[str, ...] = ()  # coded by economic class (3 + 2 digits); a lost code is found by its name
    items: tuple[str, ...] = ()
    row_key: RowKey | None = None  # (tid, side, code, label, state) → (key, code); None: the 决算's
    pad_parts: bool = False  # a 款/项 part printed as one digit ('2' for 02, a spreadsheet's lost zero)


class _Codes:
    """Codes as the rows print them, completed from the rows above: split 类 | 款 | 项 parts are joined,
    and a part printed without its parent's prefix ('06' under 201) takes the last parent's. A bare part
    after a 项 is another 项 of the same 款 until that 款's 项 rows add up to its total; then it opens the
    next 款 (the amounts say where a 款 ends when the codes do not)."""

    def __init__(self, longest: int = 7, pad: bool = False) -> None:
        self.longest = longest  # 7 for functional codes, 5 for economic (T6)
        self.pad = pad  # a one-digit 款/项 part is its two-digit code ('2' → '02')
        self.last: dict[int, str] = {}  # code length → last code of that length
        self.kuan_total: Decimal | None = None  # the open 款's own total, and what its 项 rows add to so far
        self.kuan_sum = Decimal(0)

    def complete(self, parts: list[tuple[str | None, str]], amount: Decimal | None = None) -> str | None:
        """The row's code from its code cells ``(part, text)`` in column order, or None."""
        if self.pad:
            parts = [(p, f"0{t}" if p in ("款", "项") and re.fullmatch(r"\d", t or "") else t) for p, t in parts]
        texts = [(p, t) for p, t in parts if t and t not in CODE_PARTS]
        if not texts or not all(is_code_text(t) for _, t in texts):
            return None
        if len(texts) == 1 and is_code(texts[0][1]):
            return self._seen(texts[0][1], amount)  # a whole code, in its own column or in the 类 column
        code = ""
        for part, text in texts:
            if not code:
                code = text if len(text) != 2 else (self._parent(part) or "") + text
            elif len(text) == 2:
                code += text
            elif text.startswith(code):
                code = text  # a part column printing the whole code
            else:
                return None
        return self._seen(code, amount) if is_code(code) and len(code) <= self.longest else None

    def _parent(self, part: str | None) -> str | None:
        if part == "款":
            return self.last.get(3)
        if part == "项":
            return self.last.get(5)
        if self.longest == 5 or 5 not in self.last:
            return self.last.get(3)
        if 7 not in self.last:
            return self.last[5]  # the first part under a 款 is its 项
        closed = self.kuan_total is not None and self.kuan_sum >= self.kuan_total
        return self.last.get(3) if closed else self.last[5]

    def _seen(self, code: str, amount: Decimal | None) -> str:
        self.last[len(code)] = code
        for n in [n for n in self.last if n > len(code)]:
            del self.last[n]
        if len(code) == 5:
            self.kuan_total, self.kuan_sum = amount, Decimal(0)
        elif len(code) == 7 and amount is not None:
            self.kuan_sum += amount
        return code


def _quote(cells: list[Cell]) -> str:
    return " ".join(re.sub(r"\s+", " ", c.text).strip() for c in cells if c.text.strip())


def standard_table(
    table: Table, document: Document | None = None, keys: dict[int, tuple[str, str]] | None = None,
    family: TableFamily | None = None,
) -> StandardTable | None:
    """The typed standard table a layout table is, or None when it is not one of the nine. ``keys``
    (column index → (key, basis)) overrides the header reading: keys the rows' sums fixed, or the model's
    mapping of the header row. ``family``: the report kind's tables (by default the 决算's)."""
    tid = table.standard_id  # named by layout's title matcher, the one place a title is recognised
    if tid is None:
        return None
    family = family or FINAL_ACCOUNTS
    plan = plan_columns(table, tid, words=family.words.get(tid, []))
    if keys:
        apply_keys(plan, keys)
    if plan.unmapped:
        apply_keys(plan, {k: (v, "sums") for k, v in by_sums(table, plan, plan.unmapped).items()})
    unit = table.unit if table.unit in UNIT_SCALE else "万元"
    out = StandardTable(
        id=tid, title=table.title, unit=unit, pages=list(table.pages),
        columns=[ColumnMap(**c) for c in plan.describe()],
        numbers_printed=_numbers_printed(table, plan),
    )
    reader = _Reader(table, plan, out, UNIT_SCALE[unit], family)
    if tid in family.items:
        reader.read_t7()
    else:
        reader.read_rows()
    if document is not None:
        out.empty_note = _empty_note(table, document)
    return out


def other_readings(table: Table, document: Document | None = None) -> list[StandardTable]:
    """The table read with one header row more and one less than layout counted: where a scan merged a
    sub-header into the first data row, or took a data row for the header, one of these reads it right."""
    out = []
    for n in (table.header_rows - 1, table.header_rows + 1):
        if 0 <= n < table.n_rows:
            typed = standard_table(table.model_copy(update={"header_rows": n}), document)
            if typed is not None:
                out.append(typed)
    return out


def apply_keys(plan: ColumnPlan, keys: dict[int, tuple[str, str]]) -> None:
    """Column keys from elsewhere (the rows' sums, the model's header mapping): they replace the header's."""
    for col in plan.columns:
        if col.index in keys:
            key, basis = keys[col.index]
            col.role, col.key, col.basis = "value", key or None, basis  # type: ignore[assignment]
            col.budget = key.startswith("budget") if key else False


def _numbers_printed(table: Table, plan: ColumnPlan) -> int:
    """Amount cells below the header outside code and name columns: what a full reading would map."""
    skip = {c.index for c in plan.columns if c.role in ("code", "label")}
    return sum(
        1 for c in table.cells
        if c.row >= plan.header_rows and c.col not in skip and parse_amount(c.text) is not None
    )


def _quote(cells: list[Cell]) -> str:
    return " ".join(re.sub(r"\s+", " ", c.text).strip() for c in cells if c.text.strip())


class _Reader:
    """Rows of one layout table into the typed table, panel by panel, following the column plan."""

    def __init__(self, table: Table, plan: ColumnPlan, out: StandardTable, scale: Decimal, family: TableFamily):
        self.table, self.plan, self.out, self.scale, self.family = table, plan, out, scale, family
        self.tid = out.id
        self.grid = table.grid()
        self.cells = {(c.row, c.col): c for c in table.cells}

    def body(self):
        for r in range(self.plan.header_rows, self.table.n_rows):
            row_cells = [self.cells[(r, k)] for k in range(self.table.n_cols) if (r, k) in self.cells]
            yield r, _quote(row_cells)

    def read_rows(self) -> None:
        family = self.family
        sides = ("income", "expenditure") if self.tid in family.two_sided else (None,)
        codes = [_Codes(5 if self.tid in family.economic else 7, family.pad_parts) for _ in self.plan.groups]
        row_key = family.row_key or _row_key
        last: dict[int, TableRow] = {}
        state: dict = {}
        seen: set[str] = set()
        for r, quote in self.body():
            waiting: TableRow | None = None  # a panel's label whose amount stands in a later panel
            for g, group in enumerate(self.plan.groups):
                side = sides[g] if g < len(sides) else sides[-1]
                code_cells = [(c.part, clean_label(self.grid[r][c.index])) for c in group if c.role == "code"]
                code_text = " ".join(t for _, t in code_cells if t and t not in CODE_PARTS)
                name = clean_label(next((self.grid[r][c.index] for c in group if c.role == "label"), ""))
                amount = self._amount(group, r)
                code = codes[g].complete(code_cells, amount)
                if code is None and not code_text and self.tid in family.coded and (m := _NAME_CODE.match(name)):
                    code, name = codes[g].complete([(None, m.group(1))], amount), m.group(2)  # "2013901 行政运行"
                if code is None and not code_text and self.tid in family.economic and name:
                    known = economic_item_code(name, codes[g].last.get(3))  # a code the scan lost, by its name
                    code = codes[g].complete([(None, known)], amount) if known else None
                values = self._values(group, r, quote, f"{code_text}{name}" if code_text else f"{code or ''}{name}")
                if not name and not code_text and not values:
                    continue
                if not name and not code_text and waiting is not None:
                    waiting.values.update(values)  # 公用经费合计 | … | 110.87: a footer across panels
                    waiting = None
                    continue
                prev = last.get(g)
                if self.tid in family.coded and code is None and not code_text and not values and prev and prev.code:
                    prev.name = (prev.name or "") + name  # a name wrapped onto the next line
                    prev.label += name
                    continue
                key, code = row_key(self.tid, side, code, name or code_text, state)
                if key in seen:
                    key = f"{key}#{r}"
                seen.add(key)
                row = TableRow(
                    key=key, label=f"{code_text}{name}" if code_text else name, code=code, name=name or None,
                    side=side, values=values,
                )
                self.out.rows.append(row)
                last[g] = row
                waiting = row if not values and code is None else None

    def _amount(self, group, r: int) -> Decimal | None:
        """The row's first amount in this panel (its total, as printed first): what closes a 款."""
        for col in group:
            cell = self.cells.get((r, col.index))
            if col.role == "value" and col.key is not None and not col.budget and cell is not None:
                amount = _amount_in(cell.text, self.scale)
                if amount is not None:
                    return amount
        return None

    def _values(self, group, r: int, quote: str, label: str) -> dict[str, Figure]:
        values: dict[str, Figure] = {}
        for col in group:
            cell = self.cells.get((r, col.index))
            if col.role != "value" or col.key is None or cell is None:
                continue
            amount = _amount_in(cell.text, self.scale)
            if amount is not None and col.key not in values:
                values[col.key] = _figure(cell, amount, self.scale, self.tid, label, col.key, quote)
        return values

    def read_t7(self) -> None:
        """T7 becomes two rows, ``budget`` and ``actual``, keyed by item. Printed either as one value row
        with a 预算数 | 决算数 pair per item under merged item headers, or as one row per item with 预算数 |
        决算数 columns."""
        labels = [c for c in self.plan.columns if c.role == "label"]
        values = [c for c in self.plan.columns if c.role == "value"]
        _pairs_by_position(values)
        item_rows = [
            r for r, _ in self.body()
            if labels and _t7_item(clean_label(self.grid[r][labels[0].index])) is not None
        ]
        by_row = len(item_rows) >= 2 and not any(c.key not in (None, "total") for c in values)
        for r, quote in self.body():
            item = _t7_item(clean_label(self.grid[r][labels[0].index])) if by_row else None
            if by_row and item is None:
                continue
            for col in values:
                key = item if by_row else col.key
                cell = self.cells.get((r, col.index))
                if key is None or cell is None:
                    continue
                which = "budget" if col.budget else "actual"
                row = self.out.row(which)
                if row is None:
                    row = TableRow(key=which, label="预算数" if which == "budget" else "决算数")
                    self.out.rows.append(row)
                amount = _amount_in(cell.text, self.scale)
                if amount is not None and key not in row.values:
                    row.values[key] = _figure(cell, amount, self.scale, "T7", row.label, key, quote)


def _t7_item(label: str) -> str | None:
    for word, key in _T7_ROWS:
        if word in label:
            return key
    return None


def _pairs_by_position(values: list) -> None:
    """Where the header says 预算数/决算数 for no column of a pair (a scan lost the sub-header), the
    first of two columns with the same item is the budget, as every template prints it."""
    if any(c.budget for c in values):
        return
    by_key: dict[str, list] = {}
    for c in values:
        if c.key:
            by_key.setdefault(c.key, []).append(c)
    for cols in by_key.values():
        if len(cols) == 2:
            cols[0].budget = True


def _amount_in(text: str, scale: Decimal) -> Decimal | None:
    """A cell's amount in its table's unit. An amount in 元 has at most two decimals (角, 分): '278,076.101'
    in a 元 table is OCR's comma read as a point, not 278.076101 元, so it is left unread (still counted as
    printed), and an identity it breaks is our reading's, never a finding against the report."""
    amount = parse_amount(text)
    if amount is not None and scale == UNIT_SCALE["元"] and -amount.as_tuple().exponent > 2:
        return None
    return amount


def _figure(
    cell: Cell, value: Decimal, scale: Decimal, tid: str, row: str, column: str, quote: str
) -> Figure:
    src = Source(
        page=cell.page,
        line=cell.line,
        quote=" ".join(cell.text.split()),  # the cell's own text; its row is kept beside it for context
        row_text=quote,
        bbox=cell.bbox,
        kind=SourceKind.TABLE,
        table=tid,
        row=row,
        column=column,
        printed=cell.text.strip(),
        printed_unit=next((u for u, s in UNIT_SCALE.items() if s == scale), "万元"),
    )
    return Figure(value=value / scale, unit="万元", sources=[src])


def _empty_note(table: Table, document: Document) -> Source | None:
    """The 说明 printed under a table without data, e.g. '说明：…本年度没有…，故本表无数据。'"""
    for number in table.pages:
        if not 1 <= number <= len(document.pages):
            continue
        for line in document.page(number).lines:
            text = line.text.strip()
            if text.startswith("说明") and ("无数据" in text or "没有" in text or "无" in text):
                return Source(page=number, quote=text, bbox=line.bbox, kind=SourceKind.NARRATIVE)
    return None


FINAL_ACCOUNTS = TableFamily(
    words=COLUMN_WORDS, two_sided=("T1", "T4"), coded=_CODED, economic=("T6",), items=("T7",), row_key=_row_key
)
"""The 决算's nine tables (the default of every reader here)."""


def tables_from_document(
    document: Document, keys: dict[str, dict[int, tuple[str, str]]] | None = None
) -> dict[str, StandardTable]:
    """Every standard table the document's layout found, typed, by id (continuations merged). ``keys``:
    column keys by table id that replace what the header gave (the model's header mapping)."""
    out: dict[str, StandardTable] = {}
    for t in document.tables:
        typed = standard_table(t, document, (keys or {}).get(t.standard_id or ""))
        if typed is None:
            continue
        if typed.id in out:
            prev = out[typed.id]
            prev.pages += [p for p in typed.pages if p not in prev.pages]
            prev.rows += [r for r in typed.rows if prev.row(r.key) is None]
        else:
            out[typed.id] = typed
    return out
