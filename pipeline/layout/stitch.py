"""One table from its pieces when it runs on over a page break.

A piece continues the table before it when it is the first table on the next page, has no title of its
own, has the same columns, and nothing closes the earlier piece (a 注：note under it). Same columns means
the same relative widths, or, where the report laid the next page out anew (real reports do: other widths,
the 类 | 款 | 项 sub-columns of the header gone), the same kind of content column by column: codes under
codes, names under names, amounts under amounts. A repeated header on the continuation is dropped.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.document import Table

_WIDTH_TOL = 0.03  # column boundaries may differ by 3% of the table width (a rescanned page shifts)
_NOTE = re.compile(r"^\s*(注|说明)\s*[:：]")


def _columns(t: Table) -> list[float] | None:
    """Relative column boundaries from the one-column cells."""
    edges: dict[int, float] = {}
    for c in t.cells:
        if c.page != t.pages[-1]:
            continue
        edges.setdefault(c.col, c.bbox[0])
        edges.setdefault(c.col + c.colspan, c.bbox[2])
    if len(edges) != t.n_cols + 1:
        return None
    xs = [edges[i] for i in range(t.n_cols + 1)]
    width = xs[-1] - xs[0]
    return [(x - xs[0]) / width for x in xs] if width > 0 else None


def column_map(a: Table, b: Table) -> list[int] | None:
    """For each column boundary of ``b``, the boundary of ``a`` at the same place; None if ``b`` does not
    continue ``a``'s columns. ``b`` may have fewer: a last 合计 row merged across several columns draws
    fewer lines, but each line it draws is one of ``a``'s."""
    ca, cb = _columns(a), _columns(b)
    if ca is None or cb is None:
        return list(range(b.n_cols + 1)) if a.n_cols == b.n_cols else None  # merged everywhere: count
    out = []
    for x in cb:
        k = min(range(len(ca)), key=lambda i: abs(ca[i] - x))
        if abs(ca[k] - x) > _WIDTH_TOL or (out and k <= out[-1]):
            return None
        out.append(k)
    return out if out[0] == 0 and out[-1] == a.n_cols else None


def _kind(text: str) -> str | None:
    t = "".join(text.split()).replace(",", "")
    if not t:
        return None
    if re.fullmatch(r"\d{2,7}", t):
        return "code"
    if re.fullmatch(r"-?\d+(\.\d+)?", t):
        return "amount"
    return "text"


def _body_kinds(t: Table) -> list[dict[str, int]]:
    """Per column, how many body cells hold a code, an amount or text (类/款/项 sub-header words aside)."""
    out: list[dict[str, int]] = [{} for _ in range(t.n_cols)]
    for c in t.cells:
        if c.row < t.header_rows or c.colspan != 1 or c.text.strip() in ("类", "款", "项"):
            continue
        k = _kind(c.text)
        if k:
            out[c.col][k] = out[c.col].get(k, 0) + 1
    return out


def content_map(a: Table, b: Table) -> list[int] | None:
    """Column boundaries of ``b`` onto ``a``'s by content: same count of columns, or as many as ``a`` has
    columns with body content; None unless the kinds of content agree column by column."""
    ka, kb = _body_kinds(a), _body_kinds(b)
    if b.n_cols == a.n_cols:
        cols = list(range(a.n_cols))
    else:
        cols = [i for i, k in enumerate(ka) if k]
        if len(cols) != b.n_cols:
            return None
    agree = total = 0
    for j, i in enumerate(cols):
        for kind, n in kb[j].items():
            total += n
            if ka[i] and max(ka[i], key=ka[i].get) == kind:
                agree += n
    if total == 0 or agree < 0.8 * total:
        return None
    return [*cols, cols[-1] + 1]


def same_columns(a: Table, b: Table) -> bool:
    return column_map(a, b) is not None or content_map(a, b) is not None


def _norm(s: str) -> str:
    """Letters and digits only: a speck read as a dot must not make a repeated header look new."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if ch.isalnum())


def repeated_header_rows(a: Table, b: Table) -> int:
    """How many leading rows of ``b`` repeat ``a``'s header (0 when they don't): rows without a number
    whose every cell is one of the header's texts, whatever the columns of the continuation."""
    k = a.header_rows
    if k == 0 or b.n_rows <= 1:
        return 0
    header = {_norm(c.text) for c in a.cells if c.row < k and c.text.strip()}
    gb = b.grid()
    n = 0
    for row in gb[: k + 1]:
        texts = [_norm(t) for t in row if t.strip()]
        if not texts or any(t.replace(".", "").isdigit() for t in texts):
            break
        if sum(t in header for t in texts) < 0.8 * len(texts):
            break
        n += 1
    return n


def append(a: Table, b: Table) -> None:
    """Rows of ``b`` (minus a repeated header) go under ``a``; ``b``'s page joins ``a.pages``."""
    cols = column_map(a, b) or content_map(a, b) or list(range(b.n_cols + 1))
    drop = repeated_header_rows(a, b)
    for c in b.cells:
        if c.row < drop:
            continue
        col, end = cols[c.col], cols[c.col + c.colspan]
        a.cells.append(c.model_copy(update={"row": c.row - drop + a.n_rows, "col": col, "colspan": end - col}))
    a.n_rows += b.n_rows - drop
    a.pages.extend(p for p in b.pages if p not in a.pages)
    if a.unit is None:
        a.unit = b.unit


def stitch(tables: list[Table], closed: set[str], titled: set[str]) -> list[Table]:
    """Tables in document order with continuations merged in. ``closed``: ids of tables a note ends;
    ``titled``: ids of tables with a title line of their own."""
    out: list[Table] = []
    for t in tables:
        prev = out[-1] if out else None
        if (prev is not None and t.pages[0] == prev.pages[-1] + 1 and prev.id not in closed
                and t.id not in titled and t.standard_id is None and _first_on_page(t, tables)
                and same_columns(prev, t)):
            append(prev, t)
            if t.id in closed:
                closed.add(prev.id)
            continue
        out.append(t)
    return out


def _first_on_page(t: Table, tables: list[Table]) -> bool:
    return all(o.bbox[1] >= t.bbox[1] for o in tables if o.pages[0] == t.pages[0])


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text))
