"""Scores of a parsed Document against a sample's ground truth (eval/gold/*.truth.json).

- character error rate: per page, the truth's lines against the page as parsed (text blocks and table
  rows in reading order), both NFKC with all whitespace removed; edit distance / truth length.
- numbers: every figure in the truth lines must appear in the parsed page (as a multiset); the ones
  missing are the numbers wrong.
- table cells: each standard table of the truth against the parsed table with the same T-id, cell by
  cell (NFKC, no whitespace); a missing table or one of another shape counts all its cells wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pipeline.document import Document, Table

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy pass per character of ``a``."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    codes = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(b) + 1)
    prev = idx.copy()
    for i, ch in enumerate(a, 1):
        sub = prev[:-1] + (codes != ord(ch))
        base = np.empty_like(prev)
        base[0] = i
        base[1:] = np.minimum(sub, prev[1:] + 1)
        # insertions: cur[j] = min_k<=j base[k] + (j - k)
        prev = np.minimum.accumulate(base - idx) + idx
    return int(prev[-1])


Straight = Callable[[float, float], tuple[float, float]]


def page_texts(doc: Document, pieces: dict[int, list[Table]] | None = None,
               straight: dict[int, Straight] | None = None) -> dict[int, str]:
    """Each page's text as parsed: non-table blocks and the rows of the tables printed on that page, in
    reading order (a table row's cells left to right).

    ``pieces``: the tables as found on each page before stitching, so a continuation's repeated header,
    which the stitched table drops, still counts as read on its page. ``straight``: per scanned page,
    page points -> the deskewed frame, so that text side by side on a tilted page reads left to right."""
    items: dict[int, list[tuple[float, float, str]]] = {}

    def add(page: int, box: tuple, text: str) -> None:
        f = (straight or {}).get(page)
        x, y = f(box[0], box[1]) if f else (box[0], box[1])
        items.setdefault(page, []).append((y, x, text))

    def add_rows(t: Table, only: int | None = None) -> None:
        rows: dict[tuple[int, int], list] = {}
        for c in t.cells:
            if only is None or c.page == only:
                rows.setdefault((c.page, c.row), []).append(c)
        for (page, _), cells in rows.items():
            cells.sort(key=lambda c: c.col)
            top = min(c.bbox[1] for c in cells)
            add(page, (cells[0].bbox[0], top, cells[0].bbox[2], top), "".join(c.text for c in cells))

    tables = {t.id: t for t in doc.tables}
    for b in doc.blocks:
        if b.kind != "table":
            add(b.page, b.bbox, b.text)
        elif pieces is None:
            add_rows(tables[b.table_id])
    for page, page_pieces in (pieces or {}).items():
        for t in page_pieces:
            add_rows(t, only=page)  # the first piece grew into the stitched table: keep its own page
    out = {}
    for page, its in items.items():
        its.sort()
        rows: list[list[tuple[float, float, str]]] = []
        for it in its:  # one visual row: centres within 6 points, then left to right
            if rows and it[0] - rows[-1][0][0] < 6:
                rows[-1].append(it)
            else:
                rows.append([it])
        out[page] = "".join(t for row in rows for _, _, t in sorted(row, key=lambda i: i[1]))
    return out


@dataclass
class TextScore:
    chars: int = 0
    errors: int = 0
    numbers: int = 0
    numbers_wrong: list[str] = field(default_factory=list)

    @property
    def cer(self) -> float:
        return self.errors / self.chars if self.chars else 0.0


def score_text(doc: Document, truth: dict, pieces: dict[int, list[Table]] | None = None,
               straight: dict[int, Straight] | None = None) -> TextScore:
    parsed = page_texts(doc, pieces, straight)
    out = TextScore()
    for page in truth["pages"]:
        want = norm("".join(page["lines"]))
        got = norm(parsed.get(page["number"], ""))
        out.chars += len(want)
        out.errors += edit_distance(want, got)
        need = Counter(_NUMBER.findall(want))
        have = Counter(_NUMBER.findall(got))
        out.numbers += sum(need.values())
        for n, k in (need - have).items():
            out.numbers_wrong.extend([f"p{page['number']}:{n}"] * k)
    return out


@dataclass
class CellScore:
    cells: int = 0
    exact: int = 0
    tables: int = 0
    found: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.exact / self.cells if self.cells else 0.0


def score_cells(doc: Document, truth: dict) -> CellScore:
    out = CellScore()
    for tt in truth["tables"]:
        sid = tt.get("standard_id")
        if not sid:
            continue
        want = tt["grid"]
        n = sum(len(r) for r in want)
        out.tables += 1
        out.cells += n
        t = doc.standard_table(sid)
        if t is None:
            out.wrong.append(f"{sid}: not found")
            continue
        got = t.grid()
        if (len(got), len(got[0]) if got else 0) != (len(want), len(want[0])):
            out.wrong.append(f"{sid}: {len(got)}x{len(got[0]) if got else 0}, truth {len(want)}x{len(want[0])}")
            continue
        out.found += 1
        for r, (rw, rg) in enumerate(zip(want, got, strict=True)):
            for c, (w, g) in enumerate(zip(rw, rg, strict=True)):
                if norm(w) == norm(g):
                    out.exact += 1
                else:
                    out.wrong.append(f"{sid}[{r},{c}]: {g!r} for {w!r}")
    return out


def table_truth_from(doc: Document) -> dict:
    """A truth dict of the standard tables of a Document (the born-digital reading stands in as truth
    when a rasterized copy of a real report is benchmarked)."""
    return {"pages": [], "tables": [{"standard_id": t.standard_id, "grid": t.grid()}
                                    for t in doc.tables if t.standard_id]}
