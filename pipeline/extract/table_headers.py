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
from pipeline.record.money import parse_amount
from pipeline.record.table_build import tables_from_document
from pipeline.record.table_columns import filled_header, plan_columns
from pipeline.record.tables import COLUMNS, TABLE_NAMES, StandardTable

NONE = "none"
BUDGET = "budget"


class HeaderMapping(BaseModel):
    """Which tables the model mapped, and the keys it gave (column index → key)."""

    table: str
    columns: dict[int, str] = Field(default_factory=dict)
    error: str | None = None


def unmapped_columns(table: Table, tid: str) -> list[int]:
    """Value columns that print numbers but whose header names no column of this table."""
    plan = plan_columns(table, tid)
    body = table.grid()[plan.header_rows:]
    return [
        k for k in plan.unmapped
        if any(parse_amount(row[k]) is not None for row in body if row[k].strip())
    ]


def _keys(tid: str) -> dict[str, str]:
    """Allowed keys with their Chinese meaning, as the prompt lists them."""
    keys = dict(COLUMNS.get(tid, {}))
    if tid != "T7":
        keys[BUDGET] = "预算数（不是决算数）"
    keys[NONE] = "其他（不属于以上任何一项）"
    return keys


def _response_model(tid: str, columns: list[int]) -> type[BaseModel]:
    col_t = Literal[tuple(columns)]  # type: ignore[valid-type]
    key_t = Literal[tuple(_keys(tid))]  # type: ignore[valid-type]
    item = create_model("ColumnKey", col=(col_t, ...), key=(key_t, ...))
    return create_model("HeaderMap", columns=(list[item], Field(default_factory=list)))  # type: ignore[valid-type]


def header_messages(table: Table, tid: str, columns: list[int]) -> list[dict]:
    plan = plan_columns(table, tid)
    header = filled_header(table, plan.header_rows)
    body = [row for row in table.grid()[plan.header_rows:] if any(c.strip() for c in row)]
    described = []
    for k in columns:
        texts = list(dict.fromkeys(clean_label(header[r][k]) for r in range(plan.header_rows) if header[r][k].strip()))
        samples = [clean_label(row[k]) for row in body if row[k].strip()][:2]
        described.append({"col": k, "header": " / ".join(texts) or "（无表头）", "samples": " ".join(samples)})
    user = render(
        "table_header.j2", title=table.title or TABLE_NAMES[tid], columns=described, keys=_keys(tid)
    )
    return [system(), {"role": "user", "content": user}]


def map_headers(document: Document, tables: dict[str, StandardTable], client: LLMClient) -> list[HeaderMapping]:
    """Ask the model for the keys of each standard table's unmapped columns; the tables it mapped are typed
    again with those keys (in ``tables``, in place)."""
    done: list[HeaderMapping] = []
    for table in document.tables:
        tid = table.standard_id
        if tid is None or tid not in tables:
            continue
        columns = unmapped_columns(table, tid)
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
        mapping.columns = {c.col: c.key for c in answer.columns if c.key != NONE}
        done.append(mapping)
    keys = {m.table: m.columns for m in done if m.columns}
    if keys:
        tables.update({tid: t for tid, t in tables_from_document(document, keys).items() if tid in keys})
    return done
