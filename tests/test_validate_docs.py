"""Documents for the validator's tests: the gold reports' text, and (for the PDF) its ruled tables.

Until the real ingest and layout provide them, the PDF's tables come from pymupdf's table finder, with each
cell's text taken from the words inside it, titles matched to T1…T9 and continuation pages merged — the
shape layout hands over. The tests below check that this stand-in is faithful enough to ground on.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipeline.document import Cell, Document, Table
from pipeline.record.gold import record_from_gold
from pipeline.record.model import Record
from pipeline.record.table_build import standard_id, tables_from_document
from pipeline.validate.textdoc import load_document

SHARED = Path("/work/shared")
GOLD = sorted((SHARED / "gold").glob("*.json"))
PUTUO = SHARED / "corpus" / "putuo-shehuigongzuobu-2024-final.pdf"

needs_shared = pytest.mark.skipif(not GOLD, reason="the shared gold annotations are not available")


def source_of(gold: Path) -> Path:
    name = gold.stem
    pdf = SHARED / "corpus" / f"{name}.pdf"
    return pdf if pdf.exists() else SHARED / "seeds" / f"{name}.txt"


def _cell_text(words: list, bbox: tuple) -> str:
    x0, y0, x1, y1 = bbox
    inside = [
        w for w in words if x0 - 1 <= (w[0] + w[2]) / 2 <= x1 + 1 and y0 - 1 <= (w[1] + w[3]) / 2 <= y1 + 1
    ]
    inside.sort(key=lambda w: (round(w[1]), w[0]))
    return "".join(w[4] for w in inside)


def pdf_tables(path: Path) -> list[Table]:
    """Ruled tables of a born-digital PDF as layout's ``Table``s (continuations merged into the first page's)."""
    import pymupdf

    out: list[Table] = []
    with pymupdf.open(path) as pdf:
        for number, page in enumerate(pdf, start=1):
            if not page.get_drawings():
                continue  # no rules drawn: no ruled table (and the table finder is slow)
            words = page.get_text("words")
            for found in page.find_tables().tables:
                above = " ".join(
                    b[4]
                    for b in page.get_text("blocks")
                    if b[3] <= found.bbox[1] + 1 and b[1] >= found.bbox[1] - 120
                )
                title_line = next((t for t in above.split("\n") if standard_id(t)), None)
                unit = "元" if "单位：元" in above.replace(" ", "") else "万元"
                xs = sorted({round(b[0], 1) for row in found.rows for b in row.cells if b})
                ys = sorted({round(b[1], 1) for row in found.rows for b in row.cells if b})
                cells = []
                for r, row in enumerate(found.rows):
                    for c, bbox in enumerate(row.cells):
                        if bbox is None:
                            continue
                        colspan = max(1, sum(1 for x in xs if bbox[0] - 0.5 <= x < bbox[2] - 0.5))
                        rowspan = max(1, sum(1 for y in ys if bbox[1] - 0.5 <= y < bbox[3] - 0.5))
                        text = _cell_text(words, bbox)
                        cells.append(
                            Cell(
                                row=r,
                                col=c,
                                colspan=colspan,
                                rowspan=rowspan,
                                text=text,
                                bbox=tuple(bbox),
                                page=number,
                            )
                        )
                prev = out[-1] if out else None
                if title_line is None and prev and prev.standard_id and prev.pages[-1] == number - 1:
                    _continue(prev, cells, found.row_count, number)
                    continue
                out.append(
                    Table(
                        id=f"p{number}t{len(out)}",
                        title=title_line.strip() if title_line else None,
                        standard_id=standard_id(title_line) if title_line else None,
                        pages=[number],
                        bbox=tuple(found.bbox),
                        n_rows=found.row_count,
                        n_cols=found.col_count,
                        cells=cells,
                        unit=unit,
                    )
                )
    return out


def _continue(table: Table, cells: list[Cell], n_rows: int, page: int) -> None:
    """Append a table's continuation on the next page, placing each cell in the column under which it sits."""
    spans = {c.col: (c.bbox[0], c.bbox[2]) for c in table.cells if c.colspan == 1}
    for cell in cells:
        x = (cell.bbox[0] + cell.bbox[2]) / 2
        col = next((k for k, (x0, x1) in sorted(spans.items()) if x0 - 1 <= x <= x1 + 1), cell.col)
        table.cells.append(cell.model_copy(update={"row": cell.row + table.n_rows, "col": col, "colspan": 1}))
    table.n_rows += n_rows
    table.pages.append(page)


@cache
def gold_document(gold: Path) -> Document:
    """The document a gold file annotates, with its tables when it is the PDF."""
    src = source_of(gold)
    doc = load_document(src)
    if src.suffix == ".pdf":
        doc.tables = pdf_tables(src)
    return doc


def gold_record(gold: Path, with_tables: bool = True) -> Record:
    """The gold record, with the nine tables typed from the document where it has them."""
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
    assert str(tables["T6"].cell("302", "amount").value) == "10.23"
    assert str(tables["T6"].cell("personnel_total", "amount").value) == "95.36"
    assert str(tables["T4"].cell("out:total", "general_budget").value) == "307.82"
    assert tables["T7"].is_empty and tables["T7"].empty_note is not None
    assert tables["T8"].is_empty and tables["T9"].is_empty
