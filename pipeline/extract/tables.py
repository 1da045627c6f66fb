"""The nine standard tables into record fields, deterministically, and messy tables as text for the model.

Where layout recognised a standard table, ``record.table_build`` types it (rows by code or label, columns by
key) and the field ↔ cell links the validator uses (``validate.links``) say which cell is which field: the
table value becomes the record's value, sourced to its cell (page, box, the cell's text as quote and its row as row_text). T5 gives the 类
and 项 lists. An empty T7/T8/T9 with its printed 说明 (…没有…，故本表无数据) states zeros. A table whose
key rows could not be found is handed to the model as rows of text (``table_parts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Document, Table
from pipeline.extract.fields import FieldSpec, PartSpec
from pipeline.record.figure import Alternate, Figure, Source, SourceKind
from pipeline.record.model import ClassRow, ItemRow
from pipeline.record.tables import StandardTable

_CELL = re.compile(r"^([A-Z]\d{1,2})\[([^\]]*)\]\.(\w+)$")  # T5[…] of a 决算, B5[…] of a 预算

# An empty table's printed 说明 states these as 0 (T7: the blanket 没有…“三公”经费 sets the total only)
EMPTY_ZEROS: dict[str, tuple[str, ...]] = {
    "T7": ("three_public.total",),
    "T8": ("government_fund.income", "government_fund.expenditure", "income.government_fund"),
    "T9": ("state_capital.income", "state_capital.expenditure", "income.state_capital"),
}

# Cells whose absence means layout could not read the table's structure (then the model maps its rows)
KEY_CELLS: dict[str, tuple[str, ...]] = {
    "T1": ("T1[in:total].amount", "T1[out:total].amount"),
    "T2": ("T2[total].total",),
    "T3": ("T3[total].total",),
    "T5": ("T5[total].total",),
    "T6": ("T6[personnel_total].amount",),
}


def cell(tables: dict[str, StandardTable], ref: str) -> Figure | None:
    """The figure of a cell path (``T2[total].appropriation``), or None."""
    m = _CELL.match(ref)
    if not m or m.group(1) not in tables:
        return None
    return tables[m.group(1)].cell(m.group(2), m.group(3))


def add_statement(target: Figure, other: Figure) -> None:
    """Another statement of the same item: an extra source when it agrees, an alternate when it does not."""
    if other.value == target.value:
        for src in other.sources:
            if not any(src.same_place(s) for s in target.sources):
                target.sources.append(src)
        return
    for alt in target.alternates:
        if alt.value == other.value:
            alt.sources += [s for s in other.sources if not any(s.same_place(o) for o in alt.sources)]
            if len(alt.sources) > len(target.sources):
                _swap(target, alt)
            return
    target.alternates.append(Alternate(value=other.value, sources=list(other.sources)))


def _swap(target: Figure, alt: Alternate) -> None:
    """The value more places state becomes the figure's (T1 misprinting what T2 and 说明二 agree on); the
    other stays an alternate, so the validator still reports the report's contradiction."""
    alt.value, target.value = target.value, alt.value
    alt.sources, target.sources = target.sources, alt.sources


Links = tuple[tuple[str, str], ...]


def table_fields(tables: dict[str, StandardTable], links: Links) -> dict[str, Figure]:
    """Record path → figure from the typed tables by the kind's ``links`` (first linked cell wins, the others
    add to it)."""
    out: dict[str, Figure] = {}
    for path, ref in links:
        fig = cell(tables, ref)
        if fig is None:
            continue
        if path in out:
            add_statement(out[path], fig)
        else:
            out[path] = fig.model_copy(deep=True)
    for tid, paths in EMPTY_ZEROS.items():
        table = tables.get(tid)
        if table is None or not table.is_empty or table.empty_note is None:
            continue
        for path in paths:
            if path not in out:
                out[path] = Figure(value=0, sources=[table.empty_note.model_copy()])
    return out


def _copy(fig: Figure | None) -> Figure | None:
    return fig.model_copy(deep=True) if fig is not None else None


def t5_lists(tables: dict[str, StandardTable], table: str = "T5") -> tuple[list[ClassRow], list[ItemRow]]:
    """The 类 (3-digit) and 项 (7-digit) rows of T5 (or the kind's ``table`` of 一般公共预算 by function),
    each value sourced to its cell."""
    t5 = tables.get(table)
    if t5 is None:
        return [], []
    classes, items = [], []
    for row in t5.rows:
        if not row.code or not row.values:
            continue
        values = {k: _copy(row.values.get(c)) for k, c in (("amount", "total"), ("basic", "basic"), ("project", "project"))}
        name = row.name or row.label
        if row.level == 1:
            classes.append(ClassRow(code=row.code, name=name, **values))
        elif row.level == 3:
            items.append(ItemRow(code=row.code, name=name, **values))
    return classes, items


# ---- tables layout could not read: rows of text for the model ----


@dataclass
class TableText:
    """A table for the model: its id, title, rows as text and the fields its rows may state."""

    table: Table
    tid: str
    title: str
    text: str
    rows: list[list[str]]
    fields: tuple[FieldSpec, ...]


def _fields_for(tid: str, links: Links, parts: tuple[PartSpec, ...]) -> tuple[FieldSpec, ...]:
    paths = {path for path, ref in links if ref.startswith(f"{tid}[")}
    specs = {f.path: f for p in parts for f in p.fields}
    return tuple(specs[p] for p in sorted(paths) if p in specs)


def messy_tables(document: Document, tables: dict[str, StandardTable], links: Links, parts: tuple[PartSpec, ...],
                 names: dict[str, str]) -> list[TableText]:
    """Standard tables whose key cells layout could not type, as rows of text (one per table id)."""
    out: list[TableText] = []
    seen: set[str] = set()
    for table in document.tables:
        tid = table.standard_id
        if tid is None or tid in seen or tid not in KEY_CELLS:
            continue
        if all(cell(tables, ref) is not None for ref in KEY_CELLS[tid]):
            continue
        fields = _fields_for(tid, links, parts)
        rows = [[re.sub(r"\s+", " ", c).strip() for c in r] for r in table.grid()]
        rows = [r for r in rows if any(r)]
        if not fields or not rows:
            continue
        seen.add(tid)
        text = "\n".join(" | ".join(c for c in r if c) for r in rows[:40])
        out.append(TableText(table, tid, table.title or names[tid], text, rows, fields))
    return out


def table_source(tt: TableText, quote: str, value_text: str) -> tuple[Source, str] | None:
    """The cell of a messy table that a model's row quote and value point at: (source, the words that name
    it: row label, column header and title, for the label check)."""
    squeezed = "".join(quote.split())
    cells = {(c.row, c.col): c for c in tt.table.cells}
    for r in range(tt.table.n_rows):
        row_cells = [cells[(r, k)] for k in range(tt.table.n_cols) if (r, k) in cells]
        row_text = " ".join(" ".join(c.text.split()) for c in row_cells if c.text.strip())
        flat = "".join(row_text.split())
        if not flat or (flat not in squeezed and squeezed not in flat):
            continue
        for c in row_cells:
            if "".join(c.text.split()).replace(",", "") != value_text:
                continue
            label = next((x.text.strip() for x in row_cells if x.text.strip() and not _is_number(x.text)), "")
            header = " ".join(
                cells[(h, c.col)].text
                for h in range(r)
                if (h, c.col) in cells and cells[(h, c.col)].text.strip() and not _is_number(cells[(h, c.col)].text)
            )
            src = Source(
                page=c.page,
                quote=" ".join(c.text.split()),
                row_text=row_text,
                bbox=c.bbox,
                kind=SourceKind.TABLE,
                table=tt.tid,  # type: ignore[arg-type]
                row=label or None,
                printed=c.text.strip(),
                printed_unit="元" if tt.table.unit == "元" else "万元",
            )
            return src, f"{label} {header} {tt.title}"
    return None


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", "".join(text.split())))
