"""A second reading of the tables the validator doubts, before anything is said about the report.

The validator names the tables whose reading looks broken (a blank where the other side is stated, a row
or column not read, a sum off by one row). Each is read again: first with another header depth (a scan
can merge a sub-header into the first data row), kept only when more of its rows add up and no fewer
amounts are read; then, for the tables whose rows have sums, the model maps the whole header row, used only
when every checkable row adds up under it. What was re-read, and how, is recorded.
"""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.document import Document
from pipeline.extract.table_headers import HeaderMapping, map_headers
from pipeline.llm.client import LLMClient
from pipeline.record.column_sums import ROW_SUMS, typed_fit
from pipeline.record.table_build import other_readings
from pipeline.record.tables import StandardTable


class Reread(BaseModel):
    """One suspect table's second reading: why it was doubted and what changed."""

    table: str
    reasons: list[str]
    how: str  # "header depth" | "model header mapping" | "unchanged"


def _score(table: StandardTable) -> tuple[int, int]:
    held, checked = typed_fit(table)
    return held - 2 * (checked - held), table.numbers_read


def reread_tables(
    document: Document, tables: dict[str, StandardTable], suspects: dict[str, list[str]],
    client: LLMClient | None,
) -> tuple[list[Reread], list[HeaderMapping]]:
    """Read each suspect table again (in ``tables``, in place); returns what was done."""
    done: list[Reread] = []
    ask: set[str] = set()
    for tid, reasons in suspects.items():
        pieces = [t for t in document.tables if t.standard_id == tid]
        if tid not in tables or len(pieces) != 1:
            continue
        best, best_score = tables[tid], _score(tables[tid])
        for other in other_readings(pieces[0], document):
            if _score(other) > best_score and other.numbers_read >= tables[tid].numbers_read:
                best, best_score = other, _score(other)
        if best is not tables[tid]:
            tables[tid] = best
            done.append(Reread(table=tid, reasons=reasons, how="header depth"))
        elif tid in ROW_SUMS and client is not None:
            ask.add(tid)
        else:
            done.append(Reread(table=tid, reasons=reasons, how="unchanged"))
    maps = map_headers(document, tables, client, force=ask) if ask and client is not None else []
    for tid in sorted(ask):
        m = next((m for m in maps if m.table == tid), None)
        how = "model header mapping" if m is not None and m.columns else "unchanged"
        done.append(Reread(table=tid, reasons=suspects[tid], how=how))
    return done, maps
