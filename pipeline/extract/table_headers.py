"""The model maps a table's header when the header words do not: column roles, never figures.

A standard table whose value columns print numbers under a header no rule recognises (a wording of another
province, a header garbled by the scan) would lose those columns, and the validator would then see a blank
where the report states a figure. The model is shown the header texts and two sample cells of each column and
picks, per column, one key from a closed list (a JSON-schema enum, so the answer cannot be anything else).
The figures are still read from the cells by ``table_build``; the mapping is recorded on each column
(``basis='llm'``) so a reader of the record knows which columns the model placed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, create_model

from pipeline.document import Document, Table
from pipeline.extract.prompts import render, system
from pipeline.llm.client import LLMClient
from pipeline.llm.errors import LLMError
from pipeline.record.codes import clean_label
from pipeline.record.column_sums import by_sums, consistent
from pipeline.record.money import parse_amount
from pipeline.record.table_build import apply_keys, tables_from_document
from pipeline.record.table_columns import ColumnPlan, filled_header, plan_columns
from pipeline.record.tables import COLUMNS, StandardTable

NONE = "none"
BUDGET = "budget"


class HeaderMapping(BaseModel):
    """Which tables the model mapped, and the keys it gave (column index → key)."""

    table: str
    columns: dict[int, str] = Field(default_factory=dict)
    refused: dict[int, str] = Field(default_factory=dict, description="a mapping the rows' sums contradict")
    error: str | None = None


def _plan(table: Table, tid: str) -> ColumnPlan:
    """The column plan with what the rows' sums fix applied (as ``table_build`` reads the table)."""
    plan = plan_columns(table, tid)
    if plan.unmapped:
        apply_keys(plan, {k: (v, "sums") for k, v in by_sums(table, plan, plan.unmapped).items()})
    return plan


def unmapped_columns(table: Table, tid: str) -> list[int]:
    """Value columns that print numbers but that neither the header's words nor the rows' sums name."""
    plan = _plan(table, tid)
    body = table.grid()[plan.header_rows:]
    return [
        k for k in plan.unmapped
        if any(parse_amount(row[k]) is not None for row in body if row[k].strip())
    ]


def amount_columns(table: Table, tid: str) -> list[int]:
    """Every value column that prints amounts (what a re-read of the whole header asks about)."""
    plan = plan_columns(table, tid)
    body = table.grid()[plan.header_rows:]
    return [
        c.index for c in plan.columns
        if c.role == "value" and any(parse_amount(row[c.index]) is not None for row in body if row[c.index].strip())
    ]


def _names(tid: str) -> dict[str, str]:
    """The Chinese column names the model picks from (a small model maps Chinese to Chinese far better than
    to English keys), each with the key it stands for."""
    names = {name: key for key, name in COLUMNS.get(tid, {}).items()}
    if tid != "T7":
        names["预算数"] = BUDGET
    names["其他"] = NONE
    return names


def _response_model(tid: str, columns: list[int]) -> type[BaseModel]:
    col_t = Literal[tuple(columns)]  # type: ignore[valid-type]
    key_t = Literal[tuple(_names(tid))]  # type: ignore[valid-type]
    item = create_model("ColumnKey", col=(col_t, ...), key=(key_t, ...))
    return create_model("HeaderMap", columns=(list[item], Field(default_factory=list)))  # type: ignore[valid-type]


def header_messages(table: Table, tid: str, columns: list[int]) -> list[dict]:
    plan = _plan(table, tid)
    header = filled_header(table, plan.header_rows)
    body = [row for row in table.grid()[plan.header_rows:] if any(c.strip() for c in row)]
    described = []
    for k in columns:
        texts = list(dict.fromkeys(clean_label(header[r][k]) for r in range(plan.header_rows) if header[r][k].strip()))
        samples = [clean_label(row[k]) for row in body if row[k].strip()][:2]
        described.append({"col": k, "header": " / ".join(texts) or "（无表头）", "samples": " ".join(samples)})
    user = render("table_header.j2", title=table.title or tid, columns=described, names=list(_names(tid)))
    return [system(), {"role": "user", "content": user}]


def map_headers(
    document: Document, tables: dict[str, StandardTable], client: LLMClient, force: set[str] | None = None
) -> list[HeaderMapping]:
    """Ask the model for the keys of each standard table's unmapped columns (of every value column holding
    amounts, for the tables in ``force``: a re-read of a table whose reading the validator doubts); the
    tables it mapped are typed again with those keys (in ``tables``, in place)."""
    done: list[HeaderMapping] = []
    for table in document.tables:
        tid = table.standard_id
        if tid is None or tid not in tables:
            continue
        columns = amount_columns(table, tid) if force and tid in force else unmapped_columns(table, tid)
        if not columns:
            continue
        mapping = HeaderMapping(table=tid)
        try:
            answer = client.complete(
                _response_model(tid, columns), header_messages(table, tid, columns), part=f"header:{tid}"
            )
        except LLMError as e:
            mapping.error = str(e)
            done.append(mapping)
            continue
        names = _names(tid)
        proposed = {c.col: names[c.key] for c in answer.columns if names[c.key] != NONE}
        if len(set(proposed.values())) == len(proposed) and consistent(table, _plan(table, tid), proposed):
            mapping.columns = proposed
        else:
            mapping.refused = proposed  # the rows do not add up under the model's reading: not used
        done.append(mapping)
    keys = {m.table: {k: (v, "llm") for k, v in m.columns.items()} for m in done if m.columns}
    if keys:
        tables.update({tid: t for tid, t in tables_from_document(document, keys).items() if tid in keys})
    return done
