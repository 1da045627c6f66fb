"""The gold reports' documents for the validator's tests, read by the pipeline itself (ingest + layout).

Grounding runs against the same text the extraction loop sees: the PDF's pages (with its ruled tables found
by layout) and the seeds' lines. The gold records get their nine tables typed from that layout.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import SHARED

from pipeline.document import Document
from pipeline.record.gold import record_from_gold
from pipeline.record.model import Record
from pipeline.record.table_build import tables_from_document
from pipeline.validate.textdoc import load_document

GOLD = sorted((SHARED / "gold").glob("*.json"))
PUTUO = SHARED / "corpus" / "putuo-shehuigongzuobu-2024-final.pdf"

needs_shared = pytest.mark.skipif(not GOLD, reason="the shared gold annotations are not available")


def source_of(gold: Path) -> Path:
    name = gold.stem
    pdf = SHARED / "corpus" / f"{name}.pdf"
    return pdf if pdf.exists() else SHARED / "seeds" / f"{name}.txt"


@cache
def gold_document(gold: Path) -> Document:
    """The document a gold file annotates, as the pipeline reads it."""
    return load_document(source_of(gold))


def gold_record(gold: Path, with_tables: bool = True) -> Record:
    """The gold record, with the nine tables typed from the document's layout where it has them."""
    record = record_from_gold(gold)
    if with_tables:
        record.tables = tables_from_document(gold_document(gold))
    return record


@needs_shared
def test_putuo_tables_are_typed():
    tables = tables_from_document(gold_document(SHARED / "gold" / f"{PUTUO.stem}.json"))
    assert sorted(tables) == [f"T{i}" for i in range(1, 10)]
    assert (
        tables["T1"].cell("in:total", "amount").value == tables["T1"].cell("out:grand_total", "amount").value
    )
    assert str(tables["T5"].cell("2013901", "total").value) == "51.32"
    assert tables["T5"].cell("2013901", "project") is None
    assert str(tables["T5"].cell("total", "basic").value) == "105.58"
    assert str(tables["T6"].cell("302", "amount").value) == "10.23"
    assert str(tables["T6"].cell("personnel_total", "amount").value) == "95.36"
    assert str(tables["T4"].cell("out:total", "general_budget").value) == "307.82"
    assert str(tables["T2"].cell("2210203", "appropriation").value) == "11.72"  # on the continuation page
    assert tables["T7"].is_empty and tables["T7"].empty_note is not None
    assert tables["T8"].is_empty and tables["T9"].is_empty


@needs_shared
def test_seed_documents_keep_their_lines():
    doc = gold_document(SHARED / "gold" / "xiqu-panzhihua-2024-final.json")
    lines = {ln.source_line: ln.text for p in doc.pages for ln in p.lines if ln.source_line}
    assert "770.43" in lines[22]
