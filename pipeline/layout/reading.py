"""Rows into blocks in reading order: headings, paragraphs, captions and the tables between them.

Each block comes with the heading it is (if any), for the section tree. Headings are told by their
numbering (headings.py), by their place (a 第X部分 title finished on the next line) and, for unnumbered
part titles, by a larger centred line.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable

from pipeline.document import BBox, Block, Line, Table
from pipeline.ingest.raster import PageRaster
from pipeline.layout.blocks import SENTENCE_END, Metrics, Row, join_rows, runs_on, union
from pipeline.layout.headings import Heading, classify, lost_separator, part_continuation
from pipeline.layout.sections import Entry
from pipeline.layout.standard import Titles, find_unit
from pipeline.layout.stitch import is_note

_NO_METRICS = Metrics(0, 0, 0)
_INNER = re.compile(r"[。;:,，；：！？!?]")
_EMPHASIS = re.compile(r"\*\*")


def straightener(raster: PageRaster | None) -> Callable[[Line], BBox] | None:
    """A line's box in the deskewed page image (in points), for judging rows and indents on a tilted scan.

    Built from the characters' centres: the line's own box on the page is the box around a turned line,
    taller than the line by its length times the tilt, and would merge it with its neighbours."""
    if raster is None or not raster.to_page.angle_deg:
        return None
    m = raster.to_page

    def straight(line: Line) -> BBox:
        boxes = [b for w in line.words for b in (w.chars or [w.bbox])] or [line.bbox]
        centres = [m.pixel((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes]
        h = statistics.median(b[3] - b[1] for b in boxes) / 2
        w = statistics.median(b[2] - b[0] for b in boxes) / 2
        xs, ys = [c[0] / m.scale for c in centres], [c[1] / m.scale for c in centres]
        return (min(xs) - w, min(ys) - h, max(xs) + w, max(ys) + h)

    return straight


def _table_text(t: Table) -> str:
    """A table block's text: its rows, cells joined by spaces (how quotes cite a table row)."""
    return "\n".join(" ".join(c for c in row if c) for row in t.grid() if any(row))


def _heading(row: Row, prev: Row | None, ms: dict[int, Metrics], titles: Titles) -> Heading | None:
    """The heading a row is; never a row that only continues the sentence above it."""
    h = classify(row.text, titles)
    if h is None or prev is None or row.plain or h.kind != "numbered":
        return h  # a table's or a part's title is never the tail of a sentence
    ended = prev.text.rstrip()[-1:] in SENTENCE_END
    return h if ended or not _runs_on(prev, row, ms) else None


def _runs_on(prev: Row, row: Row, ms: dict[int, Metrics]) -> bool:
    return runs_on(prev, row, ms.get(row.page, _NO_METRICS), ms.get(prev.page, _NO_METRICS))


def entries(rows: list[Row], m: dict[int, Metrics], tables: list[Table], titles: Titles) -> list[Entry]:
    """Blocks in reading order (headings, paragraphs, tables), each with the heading it is (a table's or a
    part's title by the kind's ``titles``)."""
    pending = sorted(tables, key=lambda t: (t.pages[0], t.bbox[1]))
    out: list[Entry] = []
    para: list[Row] = []
    n = 0

    def new_id() -> str:
        nonlocal n
        n += 1
        return f"b{n}"

    def flush() -> None:
        nonlocal para
        if para:
            out.append(Entry(_block(new_id(), para, "paragraph")))
            para = []

    def tables_before(row: Row | None) -> None:
        while pending and (row is None or (pending[0].pages[0], pending[0].bbox[1]) <= (row.page, row.bbox[1])):
            t = pending.pop(0)
            flush()
            out.append(Entry(Block(id=new_id(), page=t.pages[0], bbox=t.bbox, text=_table_text(t),
                                       kind="table", table_id=t.id)))

    body_h = statistics.median([r.h for r in rows if not r.plain] or [0.0])
    i = 0
    prev: Row | None = None
    while i < len(rows):
        row = rows[i]
        tables_before(row)
        h = _heading(row, prev, m, titles)
        if h is not None and _list_item(h, out, para):
            h = None
        if h is None and (prev is None or prev.text.rstrip()[-1:] in SENTENCE_END or not _runs_on(prev, row, m)):
            h = _unseparated(row, out, rows[i + 1 : i + 80], titles)
        if h is None and _centred_title(row, m.get(row.page, _NO_METRICS), body_h):
            h = Heading(1, row.text.strip(), kind="standalone")
        if h is not None:
            flush()
            group = [row]
            # A part title that wrapped, or sits under its 第X部分: the next short line finishes it.
            while (h.kind == "part" and i + 1 < len(rows) and rows[i + 1].page == row.page
                   and _continues_title(h, group[-1], rows[i + 1], m.get(row.page, _NO_METRICS), titles)):
                i += 1
                group.append(rows[i])
                extra = rows[i].text.strip()
                h = Heading(h.level, (h.title + extra) if h.title else extra, h.number, h.kind)
            out.append(Entry(_block(new_id(), group, "heading"), h))
            prev = group[-1]
            i += 1
            continue
        if para and (para[-1].page != row.page or not _runs_on(para[-1], row, m)):
            flush()
        para.append(row)
        prev = row
        i += 1
    flush()
    tables_before(None)
    return out


_CN_DIGITS = "一二三四五六七八九"


def _previous_number(number: str) -> str | None:
    """The ordinal before ``number`` as the report would print it (3 → 2, 十一 → 十, 二 → 一)."""
    if number.isdigit():
        return str(int(number) - 1) if int(number) > 1 else None
    values = {d: i + 1 for i, d in enumerate(_CN_DIGITS)}
    if number in values:
        return _CN_DIGITS[values[number] - 2] if values[number] > 1 else None
    if number == "十":
        return "九"
    if number.startswith("十") and number[1:] in values:
        return "十" if number[1:] == "一" else "十" + _CN_DIGITS[values[number[1:]] - 2]
    return None


def _next_number(number: str) -> str | None:
    if number.isdigit():
        return str(int(number) + 1)
    later = [*_CN_DIGITS, "十", *("十" + d for d in _CN_DIGITS)]
    return next((n for n in later if _previous_number(n) == number), None)


def _unseparated(row: Row, entries: list[Entry], following: list[Row], titles: Titles) -> Heading | None:
    """The outline's next level-2 heading printed without its 、 (OCR lost it), told by its place: the last
    level-2 heading was the one before it and the one after it follows."""
    last = next((e.heading for e in reversed(entries) if e.heading and e.heading.level <= 2), None)
    if row.plain or last is None or last.level != 2 or not last.number or last.number.isdigit():
        return None
    expected = _next_number(last.number)
    after = _next_number(expected) if expected else None
    h = lost_separator(row.text, expected) if expected and after else None
    if h is None:
        return None
    for r in following:
        later = classify(r.text, titles)
        if later is not None and later.level <= 2:
            return h if later.level == 2 and later.number == after else None
    return None


def _list_item(h: Heading, entries: list[Entry], para: list[Row]) -> bool:
    """A short item after a long one of the same list ("9.指导推动…" then "10.完成区委交办的其他任务")
    belongs to the list, not to the outline."""
    if h.kind != "numbered" or h.level not in (2, 4) or not h.number:
        return False
    before = _previous_number(h.number)
    if before is None:
        return False
    last = para[0].text if para else (entries[-1].block.text if entries and entries[-1].heading is None else "")
    return bool(re.match(rf"^\s*{before}\s*[.、]", last))


def _centred_title(row: Row, m: Metrics, body_h: float) -> bool:
    """An unnumbered title: a short line set larger than the body text and centred (not on the cover).
    Reports without 第X部分 title their parts this way (…主要职能, 2024年部门预算编制说明)."""
    if row.plain or row.page == 1 or m.right <= m.left or row.h < 1.15 * body_h:
        return False
    text = row.text.strip()
    centre = (row.geo[0] + row.geo[2]) / 2
    return (2 <= len(text) <= 30 and not _INNER.search(text)
            and abs(centre - (m.left + m.right) / 2) < 0.08 * (m.right - m.left))


def _continues_title(h: Heading, last: Row, nxt: Row, m: Metrics, titles: Titles) -> bool:
    """Does ``nxt`` finish the part heading ``h`` (ending at row ``last``)?"""
    if not h.title:  # 第四部分 on its own line: its title is the next line
        following = classify(nxt.text, titles)
        if following is not None:
            return (following.kind == "part" and following.number is None) or (
                following.kind == "standalone" and following.title != "目录")
        near = last.plain or nxt.geo[1] - last.geo[1] <= 2.5 * max(m.pitch, last.h)
        return near and part_continuation(nxt.text, titles, limit=40)
    if not part_continuation(nxt.text, titles):
        return False
    if last.plain or nxt.plain:
        return False
    if nxt.geo[1] - last.geo[1] > 2.5 * max(m.pitch, last.h):
        return False
    centred = m.right > m.left and abs((nxt.geo[0] + nxt.geo[2]) / 2 - (m.left + m.right) / 2) < 2 * nxt.h
    wrapped = last.geo[2] >= m.right - 1.5 * last.h
    return not h.title or wrapped or centred


def _block(block_id: str, rows: list[Row], kind: str) -> Block:
    first = rows[0]
    span = None
    if first.source_lines is not None:
        span = (first.source_lines[0], rows[-1].source_lines[1] if rows[-1].source_lines else first.source_lines[1])
    bbox = union([r.bbox for r in rows if r.page == first.page])
    text = join_rows(rows)
    if first.plain:
        text = _EMPHASIS.sub("", text)  # markdown **bold** of exported text is not the report's wording
    elif kind == "paragraph" and len(rows) == 1 and (is_note(text) or (find_unit(text) and len(text) <= 20)):
        kind = "caption"  # 单位：万元 over a table, 注：… under it
    return Block(id=block_id, page=first.page, bbox=bbox, text=text, kind=kind, line_span=span)
