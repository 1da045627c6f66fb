"""What each column of a standard table holds, read from the table's own header.

Real reports lay the same table out many ways: the subject code in one column, split over 类 | 款 | 项 (or
类 | 款 for economic codes) columns, or inside the name cell; 预算数/决算数 pairs under merged group headers;
panels side by side. Column positions learned on one report are therefore worthless: a column is a code part,
the name, or a value whose key comes from its header words, deepest header first. Where the header does not
say (a headerless continuation, a garbled scan), the column's data decides, and that is recorded as the
column's ``basis`` so the record can say how sure the mapping is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pipeline.document import Table
from pipeline.record.codes import clean_label, is_code
from pipeline.record.money import parse_amount

Role = Literal["code", "label", "value", "none"]
CodePart = Literal["类", "款", "项"]
Basis = Literal["header", "data", "sums", "llm"]

CODE_PARTS: tuple[str, ...] = ("类", "款", "项")
_CODE_HEADER = re.compile(r"编码|代码|编号")
_SUMMARY = {"合计", "总计", "小计"}  # a summary row's label may stand in the code column
_LABEL_EXACT = {"项目", "科目", "项目名称", "科目名称", "名称", "功能分类科目名称", "经济分类科目名称"}

# The 三公 columns' words, most specific first: every kind that prints a 三公 table heads its columns so.
THREE_PUBLIC_WORDS: list[tuple[str, str]] = [
        ("小计", "vehicles"),
        ("购置及运行", "vehicles"),
        ("购置费", "vehicle_purchase"),
        ("运行维护费", "vehicle_operation"),
        ("运行费", "vehicle_operation"),
        ("出国", "overseas"),
        ("接待", "reception"),
        ("合计", "total"),
]

# column keyword → key, most specific first, per table
COLUMN_WORDS: dict[str, list[tuple[str, str]]] = {
    "T1": [("决算", "amount"), ("金额", "amount"), ("合计", "amount")],
    "T2": [
        ("本年收入合计", "total"),
        ("年初结转", "carryover_begin"),
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
        ("小计", "total"),
        ("决算数", "amount"),
        ("金额", "amount"),
    ],
    "T5": [
        ("人员和公用", "basic"),
        ("专项", "project"),
        ("人员经费", "personnel"),
        ("公用经费", "public"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("合计", "total"),
        ("小计", "total"),
        ("决算数", "total"),
    ],
    "T6": [("决算", "amount"), ("金额", "amount"), ("合计", "amount")],
    "T8": [
        ("年初", "carryover_begin"),
        ("年末", "carryover_end"),
        ("本年收入", "income"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("本年支出", "expenditure"),
    ],
    "T7": THREE_PUBLIC_WORDS,
}
COLUMN_WORDS["T9"] = COLUMN_WORDS["T8"]

_BUDGET = re.compile(r"预算数|年初预算|全年预算|调整后?预算")
_ACTUAL = re.compile(r"决算|实际|执行数")
# Tables whose values are 决算 amounts: a column headed only 预算数 there is another quantity, not the total.
_ACTUAL_TABLES = ("T1", "T2", "T3", "T4", "T5", "T6", "T8", "T9")


@dataclass
class Column:
    index: int
    header: list[str]  # header texts top-down, merged cells filled, cleaned, without repeats
    role: Role
    part: CodePart | None = None  # for a code column split over 类/款/项
    key: str | None = None
    basis: Basis = "header"
    budget: bool = False  # a 预算数 column (T7's pairs; elsewhere not the table's 决算 value)


@dataclass
class ColumnPlan:
    """The columns of one table and how they group into panels (code…, name, values…) side by side."""

    table_id: str
    header_rows: int
    columns: list[Column]
    groups: list[list[Column]] = field(default_factory=list)

    @property
    def unmapped(self) -> list[int]:
        """Value columns that print numbers but whose header names no known column."""
        return [c.index for c in self.columns if c.role == "value" and c.key is None and c.basis not in ("llm", "sums")]

    def describe(self) -> list[dict]:
        """The plan as data (for the record: how each column was mapped and why)."""
        return [
            {"col": c.index, "header": " / ".join(c.header), "role": c.role, "part": c.part, "key": c.key,
             "budget": c.budget, "basis": c.basis}
            for c in self.columns
        ]


def filled_header(table: Table, n_header: int) -> list[list[str]]:
    """Header rows with each merged cell's text copied into every slot it covers."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(n_header)]
    for c in table.cells:
        if c.row >= n_header:
            continue
        for r in range(c.row, min(n_header, c.row + c.rowspan)):
            for k in range(c.col, min(table.n_cols, c.col + c.colspan)):
                grid[r][k] = c.text
    return grid


def is_code_text(text: str) -> bool:
    """A printed code or code part: 201, 20106, 2010601, or a split part such as 06."""
    return is_code(text) or bool(re.fullmatch(r"\d{2}", text))


def header_rows(grid: list[list[str]]) -> int:
    """Rows above the first that prints a number or a code (or a first-column summary label)."""
    for i, row in enumerate(grid):
        cells = [clean_label(t) for t in row if t.strip()]
        if any(parse_amount(t) is not None for t in cells if not re.fullmatch(r"\d{2}", t)):
            return i
        if any(is_code(t) for t in cells):
            return i
        if cells and i > 0 and any(k in cells[0] for k in ("收入", "支出", "拨款", "经费合计", "结转")):
            return i
    return len(grid)


def _role(texts: list[str], data: list[str]) -> tuple[Role, CodePart | None, Basis]:
    deepest = texts[-1] if texts else ""
    values = [d for d in data if d not in CODE_PARTS and d not in _SUMMARY]
    if deepest in CODE_PARTS:
        return "code", deepest, "header"  # type: ignore[return-value]
    codes = [d for d in values if is_code_text(d)]
    numbers = [d for d in values if parse_amount(d) is not None]
    named_code = any(_CODE_HEADER.search(h) for h in texts) and "名称" not in deepest
    if named_code and (not values or len(codes) >= 0.6 * len(values) or len(codes) >= len(numbers) - len(codes)):
        return "code", None, "header"
    if values and len(codes) == len(values) and not any("." in d for d in values) and (
        not texts or not any(_ACTUAL.search(h) or _BUDGET.search(h) for h in texts)
    ):
        return "code", None, "data"
    if deepest in _LABEL_EXACT or deepest.endswith("名称"):
        return "label", None, "header"
    if values and len(values) - len(numbers) > len(values) / 2:
        return "label", None, "header" if texts else "data"
    if not values and not texts:
        return "none", None, "data"
    return "value", None, "header" if texts else "data"


def column_key(tid: str, header: list[str], words: list[tuple[str, str]] | None = None) -> str | None:
    """The key a value column's header names: the deepest header text with a known word (``words``: the
    table's keyword → key list, by default the 决算's ``COLUMN_WORDS[tid]``)."""
    words = COLUMN_WORDS.get(tid, []) if words is None else words
    for text in reversed(header):
        plain = _BUDGET.sub("", _ACTUAL.sub("", text)) if tid == "T7" else text
        for word, key in words:
            if word in plain:
                return key
    if tid in ("T1", "T6") and header:
        return "amount"
    return None


def _is_budget(header: list[str]) -> bool:
    """A 预算数 column: its deepest header that speaks of 预算/决算 says 预算."""
    for text in reversed(header):
        actual, budget = bool(_ACTUAL.search(text)), bool(_BUDGET.search(text))
        if actual or budget:
            return budget and not actual
    return False


def plan_columns(
    table: Table, tid: str, n_header: int | None = None, words: list[tuple[str, str]] | None = None
) -> ColumnPlan:
    """Roles, code parts and keys of every column, and the panels they form (``words``: the table's column
    words where they are not the 决算's)."""
    grid = table.grid()
    n_header = n_header if n_header is not None else (table.header_rows or header_rows(grid))
    header = filled_header(table, n_header)
    body = grid[n_header:]
    cols: list[Column] = []
    for k in range(table.n_cols):
        texts = list(dict.fromkeys(clean_label(header[r][k]) for r in range(n_header) if header[r][k].strip()))
        data = [clean_label(row[k]) for row in body if row[k].strip()]
        role, part, basis = _role(texts, data)
        if role == "code" and part is None:
            part = _part_from_body(body, k)
        col = Column(k, texts, role, part, basis=basis)
        if role == "value":
            col.budget = _is_budget(texts)
            col.key = column_key(tid, texts, words)
            if col.budget and tid in _ACTUAL_TABLES and tid != "T7":
                col.key = f"budget:{col.key}" if col.key else "budget"
        cols.append(col)
    _neighbour_parts(cols)
    if tid == "T7":
        _pair_items(cols)
    plan = ColumnPlan(tid, n_header, cols)
    plan.groups = groups(cols)
    return plan


def _pair_items(cols: list[Column]) -> None:
    """T7 prints each item as a 预算数 | 决算数 pair under one item header. Where that header was not
    spread over both (an unruled table, plain text), one of the pair takes the other's item."""
    values = [c for c in cols if c.role == "value"]
    for left, right in zip(values, values[1:], strict=False):
        if left.budget and not right.budget:
            if right.key is None and left.key is not None:
                right.key = left.key
            elif left.key is None and right.key is not None:
                left.key = right.key


def _part_from_body(body: list[list[str]], k: int) -> CodePart | None:
    """A code column whose sub-header shares the first data row (类 | 款 | 项 | 合计 …) names its part there."""
    for row in body[:2]:
        text = clean_label(row[k])
        if text in CODE_PARTS:
            return text  # type: ignore[return-value]
    return None


def _neighbour_parts(cols: list[Column]) -> None:
    """Adjacent code columns are the parts of one code, in 类 | 款 | 项 order, even where a scan lost a
    sub-header."""
    run: list[Column] = []
    for col in [*cols, None]:
        if col is not None and col.role == "code":
            run.append(col)
            continue
        if len(run) > 1:
            for c, part in zip(run, CODE_PARTS, strict=False):
                c.part = c.part or part  # type: ignore[assignment]
        run = []


def groups(cols: list[Column]) -> list[list[Column]]:
    """Panels side by side: each starts at a code column (not right after another code column), or at a
    name column not preceded by a code column."""
    out: list[list[Column]] = []
    for col in cols:
        prev = out[-1][-1] if out else None
        starts = (col.role == "code" and (prev is None or prev.role != "code")) or (
            col.role == "label" and (prev is None or prev.role != "code")
        )
        if starts or not out:
            out.append([col])
        else:
            out[-1].append(col)
    return out
