"""The links of a record's list rows to the table that prints them (a 类 or 项 and its row by code).

A kind's fixed links (record field ↔ the table cell stating the same quantity) are its profile's data; the
validator uses both twice: a field the record leaves empty is read from its table cell (so record-level
identities still run on table-only records), and where both are given they must agree.
"""

from __future__ import annotations

from pipeline.record.model import Record


def row_links(record: Record, table: str | None) -> list[tuple[str, str]]:
    """Links of the list rows that print a code: a 类 or 项 and its row of ``table`` (the kind's table of
    一般公共预算 by function: a 决算's T5)."""
    if table is None:
        return []
    out = []
    for kind, rows in (("by_class", record.general_budget.by_class), ("items", record.general_budget.items)):
        for row in rows:
            if row.code:
                base = f"general_budget.{kind}[{row.code}]"
                out += [
                    (f"{base}.amount", f"{table}[{row.code}].total"),
                    (f"{base}.basic", f"{table}[{row.code}].basic"),
                    (f"{base}.project", f"{table}[{row.code}].project"),
                ]
    return out
