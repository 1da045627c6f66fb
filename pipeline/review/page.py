"""A static HTML page per report, so a person checks a record in a minute without a server.

Each page image carries a box for every number read from it: the record's figures (and their other
sources), every cell of the standard tables, and so every figure a violation is about. Boxes are positioned
in percentages of the page's PDF-point size, so they stay on their text at any zoom; they are outlines with
no label drawn over the page (the label is the box's tooltip and a row of the side list), so no digit is
ever covered. Violations link to their boxes and the boxes back to their violations; next/previous buttons
walk the issues. Beside the pages: the violations, the numbers refused and why, the contract fields left
empty, the document's warnings and the record. Built from the record file's JSON alone (plus the source file
for the images), so the CLI, a resumed batch and the service all draw the same page.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import jinja2

from pipeline.batch.resume import atomic_write_bytes, atomic_write_text
from pipeline.export.labels import CLASS_NAMES, STATUSES, column_header, field_label, table_title, word
from pipeline.export.rows import cell_anchor, number, sorted_violations, violation_message
from pipeline.record.contract import Contract
from pipeline.record.figure import Figure
from pipeline.record.model import Record
from pipeline.record.tables import cell_path
from pipeline.reports import detect

DPI = 100
JPEG_QUALITY = 72
# Box colours (the screenshot test looks for them on the page image).
OK_COLOUR = "#0057ff"  # a figure of the record
CELL_COLOUR = "#00a39a"  # a table cell read, not (directly) a field of the record
EXTRACTION_COLOUR = "#e0001b"  # in a violation that is our reading's fault
SOURCE_COLOUR = "#ff8a00"  # in a violation that is the report's own inconsistency
COLOURS = {"ok": OK_COLOUR, "cell": CELL_COLOUR, "extraction": EXTRACTION_COLOUR, "source": SOURCE_COLOUR}

Images = Literal["files", "inline"]


@dataclass
class Box:
    anchor: str  # the element id: box-<owner>
    owner: str  # f12 (a record figure) or c-T5-201-total (a table cell)
    left: float
    top: float
    width: float
    height: float
    colour: str
    title: str
    href: str
    style: str = "figure"  # figure | alt | cell
    violations: list[str] = field(default_factory=list)


@dataclass
class PageView:
    number: int
    image: str | None
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Item:
    """A number the page lists: a record figure or a table cell, with its boxes and violations."""

    id: str
    path: str
    label: str
    value: str
    unit: str
    page: int | None
    line: int | None
    quote: str
    row_text: str | None
    cls: str | None = None
    violations: list[str] = field(default_factory=list)
    boxed: bool = False


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(number(v))


def _render_pages(source: Path, folder: Path, rel: str, images: Images) -> list[PageView]:
    """Page images of a PDF: JPEG files beside the page, or inline (none for text input or a missing file)."""
    if source.suffix.lower() in (".txt", ".md") or not source.is_file():
        return []
    import pymupdf

    views = []
    with pymupdf.open(source) as doc:
        for page in doc:
            n = page.number + 1
            jpeg = page.get_pixmap(dpi=DPI).tobytes("jpeg", jpg_quality=JPEG_QUALITY)
            if images == "inline":
                src = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
            else:
                atomic_write_bytes(folder / f"p{n:03d}.jpg", jpeg)
                src = f"{quote(rel)}/p{n:03d}.jpg"
            views.append(PageView(n, src, page.rect.width, page.rect.height))
    return views


def _text_lines(source: Path) -> list[str]:
    if source.suffix.lower() not in (".txt", ".md") or not source.is_file():
        return []
    return source.read_text(encoding="utf-8", errors="replace").splitlines()


class _Builder:
    """Collects the items, their boxes and the violations' links for one page."""

    def __init__(self, pages: list[PageView], violations: list[dict[str, Any]]):
        self.by_number = {p.number: p for p in pages}
        self.items: dict[str, Item] = {}
        self.anchor_of: dict[str, str] = {}  # record path or cell path → item id
        self.involved: dict[str, list[tuple[str, str]]] = {}  # path → [(violation anchor, class)]
        for i, v in enumerate(violations, start=1):
            for f in v.get("fields") or []:
                for path in filter(None, (f.get("path"), f.get("alias_of"))):
                    self.involved.setdefault(path, []).append((f"v{i}", v.get("cls") or ""))

    def _cls(self, paths: list[str]) -> str | None:
        classes = {c for p in paths for _, c in self.involved.get(p, [])}
        return "extraction" if "extraction" in classes else "source" if "source" in classes else None

    def add(self, item_id: str, path: str, label: str, fig: Figure, style: str = "figure") -> Item:
        """An item with a box for each of its sources on a drawn page; boxes link to its first violation."""
        paths = [path]
        src = fig.source
        vs = [v for v, _ in self.involved.get(path, [])]
        item = Item(
            id=item_id, path=path, label=label, value=_value(fig.value), unit=fig.unit,
            page=src.page if src else None, line=src.line if src else None,
            quote=src.quote if src else "", row_text=src.row_text if src else None,
            cls=self._cls(paths), violations=vs,
        )  # fmt: skip
        self.items[item_id] = item
        self.anchor_of.setdefault(path, item_id)
        colour = COLOURS.get(item.cls or "", OK_COLOUR if style == "figure" else CELL_COLOUR)
        places = [(s, None) for s in fig.sources] + [(s, a.value) for a in fig.alternates for s in a.sources]
        for k, (s, other) in enumerate(places):
            view = self.by_number.get(s.page) if s.page else None
            if view is None or s.bbox is None or not view.width or not view.height:
                continue
            x0, y0, x1, y1 = s.bbox
            where = f"{s.table} {table_title(s.table)}\n" if s.table else ""
            said = f"（报告此处写作 {_value(other)}）" if other is not None else ""
            tip = f"{label} = {item.value} {fig.unit}{said}\n{where}{path}\n“{s.quote}”"
            if vs:
                tip += "\n问题: " + ", ".join(vs)
            view.boxes.append(Box(
                anchor=f"box-{item_id}" if k == 0 else f"box-{item_id}-{k}", owner=item_id,
                left=100 * x0 / view.width, top=100 * y0 / view.height,
                width=max(0.2, 100 * (x1 - x0) / view.width), height=max(0.2, 100 * (y1 - y0) / view.height),
                colour=colour, title=tip, href=f"#{vs[0]}" if vs else f"#row-{item_id}",
                style=style if k == 0 else "alt", violations=vs,
            ))  # fmt: skip
            item.boxed = True
        return item


def _cell_label(tid: str, row_label: str, column: str) -> str:
    """Short: 'T5 201 一般公共服务支出 · 基本支出' (the table's title is in the tooltip)."""
    return f"{tid} {row_label} · {column_header(tid, column) or column}"


def _empty_fields(record: Record, contract: Contract) -> list[tuple[str, str]]:
    """The kind's contract paths with no figure (and contract lists with no row): (path, Chinese label)."""
    out = []
    for path in contract.figures:
        head, _, leaf = path.partition(".")
        if getattr(record.section(head), leaf, None) is None:
            out.append((path, field_label(path)))
    for path in contract.lists:
        head, _, leaf = path.partition(".")
        if not getattr(record.section(head), leaf):
            out.append((path, path))
    return out


def build_context(name: str, source: Path, output: dict[str, Any], out_dir: Path | None,
                  images: Images = "files") -> dict[str, Any]:
    """Everything the template shows; writes the page images (``images='files'``) as a side effect."""
    record = Record.model_validate(output.get("record") or {})
    validation = output.get("validation") or {}
    violations = [dict(v) for v in sorted_violations(output)]
    folder = (out_dir or Path(".")) / f"{name}_pages"
    pages = _render_pages(source, folder, f"{name}_pages", images)
    b = _Builder(pages, violations)
    for i, (path, fig) in enumerate(record.figures(), start=1):
        b.add(f"f{i}", path, field_label(path), fig)
    cells = []
    for tid in sorted(record.tables):
        for row in record.tables[tid].rows:
            for column, fig in row.values.items():
                cp = cell_path(tid, row.key, column)
                cells.append(b.add(cell_anchor(tid, row.key, column), cp, _cell_label(tid, row.label, column),
                                   fig, style="cell"))
    for n, v in enumerate(violations, start=1):
        v["anchor"] = f"v{n}"
        v["prev"] = f"v{n - 1}" if n > 1 else None
        v["next"] = f"v{n + 1}" if n < len(violations) else None
        v["class_zh"] = word(CLASS_NAMES, v.get("cls"), "zh")
        v["message_zh"] = violation_message(v, "zh")
        v["boxes"] = []
        for f in v.get("fields") or []:
            fid = b.anchor_of.get(f.get("path") or "") or b.anchor_of.get(f.get("alias_of") or "")
            f["fid"] = fid
            f["label"] = field_label(f.get("path") or "") if not (f.get("path") or "").startswith("T") else (
                b.items[fid].label if fid else f.get("path"))
            if fid and b.items[fid].boxed:
                v["boxes"].append(f"box-{fid}")
    figures = [it for it in b.items.values() if it.id.startswith("f")]
    lines = _text_lines(source)
    quoted_lines = {it.line: it.id for it in figures if it.line}
    raw = output.get("record") or {}
    warnings = [*(raw.get("warnings") or []), *(output.get("warnings") or [])]  # damaged pages, broken images
    return {
        "name": name,
        "source": str(source),
        "output": output,
        "record": record,
        "status": output.get("status"),
        "status_zh": word(STATUSES, output.get("status"), "zh"),
        "counts": validation.get("summary") or {},
        "violations": violations,
        "errors": output.get("errors") or [],
        "rejected": output.get("rejected") or [],
        "reasons": output.get("status_reasons") or [],  # why unresolved or source_inconsistent
        "empty": _empty_fields(record, detect(record.report_type).contract),
        "warnings": warnings,
        "figures": figures,
        "cells": cells,
        "pages": pages,
        "boxes": sum(len(p.boxes) for p in pages),
        "text_lines": [(i, t, quoted_lines.get(i)) for i, t in enumerate(lines, start=1)],
        "ledger": output.get("ledger") or {},
        "batch": output.get("batch") or {},
        "colours": COLOURS,
    }


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.review", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),  # report text is untrusted: never raw HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _value
    env.filters["esc"] = html.escape
    return env


def render_review(context: dict[str, Any]) -> str:
    return _env().get_template("review.html.j2").render(**context)


def review_html(name: str, source: Path, output: dict[str, Any]) -> str:
    """The review page as one self-contained HTML string (page images inline), e.g. for the service."""
    return render_review(build_context(name, Path(source), output, None, images="inline"))


def write_review(out_dir: Path, name: str, source: Path, output: dict[str, Any]) -> Path:
    """``out_dir/<name>.html`` (and its page images) for one record file's JSON."""
    target = out_dir / f"{name}.html"
    atomic_write_text(target, render_review(build_context(name, Path(source), output, out_dir)))
    return target
