"""Type a ruled table from the Document (layout's ``Table``, a grid of cells) as one of the nine tables.

The grid's header rows name the columns; column groups side by side (T1/T4 收入 | 支出, T6's two or three
code–name–amount groups) become rows of their own. Row keys are classification codes or canonical label
keys, column keys come from ``tables.COLUMNS``. Every value keeps its cell: page, box, and the row's text
as quote. Amounts printed in 元 are converted to 万元 (the source keeps ``printed_unit='元'``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.document import Cell, Document, Table
from pipeline.record.codes import clean_label, function_class_code, is_code
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.money import WAN, to_decimal
from pipeline.record.tables import (
    EXPENDITURE_ROWS,
    INCOME_ROWS,
    TABLE_TITLES,
    StandardTable,
    TableRow,
)

_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_KIND_WORDS = {"一般公共预算": "general_budget", "政府性基金": "government_fund", "国有资本": "state_capital"}

# column keyword → key, most specific first, per table
_COLUMN_WORDS: dict[str, list[tuple[str, str]]] = {
    "T2": [
        ("本年收入合计", "total"),
        ("财政拨款", "appropriation"),
        ("上级补助", "superior_subsidy"),
        ("事业收入", "business"),
        ("经营收入", "operating"),
        ("附属单位", "affiliated"),
        ("其他收入", "other"),
        ("合计", "total"),
    ],
    "T3": [
        ("本年支出合计", "total"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("上缴上级", "remit_superior"),
        ("经营支出", "operating"),
        ("附属单位", "affiliated_subsidy"),
        ("合计", "total"),
    ],
    "T4": [
        ("一般公共预算", "general_budget"),
        ("政府性基金", "government_fund"),
        ("国有资本", "state_capital"),
        ("合计", "total"),
        ("决算数", "amount"),
        ("金额", "amount"),
    ],
    "T5": [
        ("人员经费", "personnel"),
        ("公用经费", "public"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("合计", "total"),
    ],
    "T8": [
        ("年初", "carryover_begin"),
        ("年末", "carryover_end"),
        ("本年收入", "income"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("本年支出", "expenditure"),
    ],
    "T7": [
        ("小计", "vehicles"),
        ("购置费", "vehicle_purchase"),
        ("运行维护费", "vehicle_operation"),
        ("运行费", "vehicle_operation"),
        ("出国", "overseas"),
        ("接待", "reception"),
        ("合计", "total"),
    ],
}
_COLUMN_WORDS["T9"] = _COLUMN_WORDS["T8"]


def standard_id(title: str) -> str | None:
    """T1…T9 from a table title, or None."""
    text = clean_label(title)
    for tid, fragments in TABLE_TITLES.items():
        if any(clean_label(f) in text for f in fragments):
            return tid
    return None


def parse_amount(text: str) -> Decimal | None:
    text = re.sub(r"\s+", "", text)
    if not _NUMBER.match(text):
        return None
    return to_decimal(text)


@dataclass
class _Column:
    index: int
    header: list[str]  # header texts top-down
    role: str  # 'code' | 'label' | 'value'
    key: str | None = None


def _filled_header(table: Table, n_header: int) -> list[list[str]]:
    """Header rows with each merged cell's text copied into every slot it covers."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(n_header)]
    for c in table.cells:
        if c.row >= n_header:
            continue
        for r in range(c.row, min(n_header, c.row + c.rowspan)):
            for k in range(c.col, min(table.n_cols, c.col + c.colspan)):
                grid[r][k] = c.text
    return grid


def _header_rows(grid: list[list[str]]) -> int:
    for i, row in enumerate(grid):
        cells = [clean_label(t) for t in row if t.strip()]
        if any(parse_amount(t) is not None for t in cells) or any(is_code(t) for t in cells):
            return i
        if cells and i > 0 and any(k in cells[0] for k in ("收入", "支出", "拨款", "经费合计", "结转")):
            return i
    return len(grid)


def _columns(table: Table, grid: list[list[str]], n_header: int, tid: str) -> list[_Column]:
    header = _filled_header(table, n_header)
    cols = []
    for k in range(table.n_cols):
        texts = [clean_label(header[r][k]) for r in range(n_header) if header[r][k].strip()]
        texts = list(dict.fromkeys(texts))
        data = [clean_label(row[k]) for row in grid[n_header:] if row[k].strip()]
        joined = " ".join(texts)
        if "编码" in joined or (data and all(is_code(d) or d in ("合计", "总计") for d in data) and data):
            role = "code"
        elif any(h in ("项目", "科目") or h.endswith("名称") for h in texts) or (
            data and sum(parse_amount(d) is None for d in data) > len(data) / 2
        ):
            role = "label"
        else:
            role = "value"
        cols.append(_Column(k, texts, role))
    for col in cols:
        if col.role == "value":
            col.key = _column_key(tid, col.header)
    return cols


def _column_key(tid: str, header: list[str]) -> str | None:
    if tid in ("T1", "T6"):
        return "amount"
    words = _COLUMN_WORDS.get(tid, [])
    specific = [h for h in header if h not in ("预算数", "决算数")] if tid == "T7" else header
    for text in reversed(specific):  # the deepest header text names the column
        for word, key in words:
            if word in text:
                return key
    return None


def _groups(cols: list[_Column]) -> list[list[_Column]]:
    """Column groups side by side: each starts at a code column, or a label not preceded by a code."""
    groups: list[list[_Column]] = []
    for col in cols:
        starts = col.role == "code" or (
            col.role == "label" and not (groups and groups[-1][-1].role == "code")
        )
        if starts or not groups:
            groups.append([col])
        else:
            groups[-1].append(col)
    return groups


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
    if name in ("合计", "总计", "本年收入合计", "本年支出合计"):
        return "total", None
    return name, None


def _quote(cells: list[Cell]) -> str:
    return " ".join(re.sub(r"\s+", " ", c.text).strip() for c in cells if c.text.strip())


def standard_table(table: Table, document: Document | None = None) -> StandardTable | None:
    """The typed standard table a layout table is, or None when it is not one of the nine."""
    tid = table.standard_id or (standard_id(table.title) if table.title else None)
    if tid is None:
        return None
    grid = table.grid()
    cells = {(c.row, c.col): c for c in table.cells}
    n_header = table.header_rows or _header_rows(grid)
    cols = _columns(table, grid, n_header, tid)
    scale = WAN if table.unit == "元" else Decimal(1)
    out = StandardTable(id=tid, title=table.title, unit=table.unit or "万元", pages=list(table.pages))
    groups = _groups(cols)
    sides = ("income", "expenditure") if tid in ("T1", "T4") else (None,)
    state: dict = {}
    seen: set[str] = set()
    for r in range(n_header, table.n_rows):
        row_cells = [cells[(r, k)] for k in range(table.n_cols) if (r, k) in cells]
        quote = _quote(row_cells)
        for g, group in enumerate(groups):
            side = sides[g] if g < len(sides) else sides[-1]
            code_text = next((grid[r][c.index] for c in group if c.role == "code"), "")
            label_text = next((grid[r][c.index] for c in group if c.role == "label"), "")
            code = clean_label(code_text) if is_code(clean_label(code_text)) else None
            label = " ".join(t for t in (code_text, label_text) if t.strip())
            if tid == "T7":
                _t7_values(out, group, r, cells, quote, scale)
                continue
            values = _values(tid, group, r, cells, quote, scale, label)
            if not label.strip() and not values:
                continue
            key, code = _row_key(tid, side, code, label_text or code_text, state)
            if key in seen:
                key = f"{key}#{r}"
            seen.add(key)
            out.rows.append(
                TableRow(
                    key=key,
                    label=clean_label(label),
                    code=code,
                    name=clean_label(label_text) or None,
                    side=side,
                    values=values,
                )
            )
    if document is not None:
        out.empty_note = _empty_note(table, document)
    return out


def _figure(
    cell: Cell, value: Decimal, scale: Decimal, tid: str, row: str, column: str, quote: str
) -> Figure:
    src = Source(
        page=cell.page,
        quote=quote,
        bbox=cell.bbox,
        kind=SourceKind.TABLE,
        table=tid,
        row=row,
        column=column,
        printed=cell.text.strip(),
        printed_unit="元" if scale == WAN else "万元",
    )
    return Figure(value=value / scale, unit="万元", sources=[src])


def _values(tid, group, r, cells, quote, scale, label) -> dict[str, Figure]:
    values: dict[str, Figure] = {}
    for col in group:
        cell = cells.get((r, col.index))
        if col.role != "value" or col.key is None or cell is None:
            continue
        amount = parse_amount(cell.text)
        if amount is not None and col.key not in values:
            values[col.key] = _figure(cell, amount, scale, tid, clean_label(label), col.key, quote)
    return values


def _t7_values(out: StandardTable, group, r, cells, quote, scale) -> None:
    """T7 prints one data row with (预算数, 决算数) per item; it becomes two rows: budget and actual."""
    for col in group:
        cell = cells.get((r, col.index))
        if col.role != "value" or col.key is None:
            continue
        which = "budget" if any("预算" in h for h in col.header) else "actual"
        row = out.row(which) or TableRow(key=which, label="预算数" if which == "budget" else "决算数")
        if out.row(which) is None:
            out.rows.append(row)
        amount = parse_amount(cell.text) if cell else None
        if amount is not None:
            row.values[col.key] = _figure(cell, amount, scale, "T7", row.label, col.key, quote)


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


def tables_from_document(document: Document) -> dict[str, StandardTable]:
    """Every standard table the document's layout found, typed, by id (continuations merged)."""
    out: dict[str, StandardTable] = {}
    for t in document.tables:
        typed = standard_table(t, document)
        if typed is None:
            continue
        if typed.id in out:
            prev = out[typed.id]
            prev.pages += [p for p in typed.pages if p not in prev.pages]
            prev.rows += [r for r in typed.rows if prev.row(r.key) is None]
        else:
            out[typed.id] = typed
    return out
