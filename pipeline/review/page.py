"""A static HTML page per report, so a person checks a record in a minute without a server.

Each page is a JPEG beside the HTML (``<name>_pages/p001.jpg``) with every figure's source drawn over it as
an absolutely positioned box whose edges are percentages of the page's PDF-point size, so boxes stay on
their text at any zoom. Beside the pages: every violation with the figures and quotes that take part (links
jump to their boxes) and the record as a table. It is built from the record file's JSON alone (plus the
source file for the images), so a resumed batch can redraw it without extracting again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from pipeline.batch.resume import atomic_write_bytes, atomic_write_text

DPI = 100
JPEG_QUALITY = 72
# Box colours by what the validator says about the figure (the screenshot test looks for OK_COLOUR).
OK_COLOUR = "#0057ff"
EXTRACTION_COLOUR = "#e0001b"
SOURCE_COLOUR = "#ff8a00"


@dataclass
class Box:
    fid: str
    label: str
    left: float
    top: float
    width: float
    height: float
    colour: str
    title: str
    primary: bool = True


@dataclass
class PageView:
    number: int
    image: str | None
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _involvement(violations: list[dict[str, Any]]) -> dict[str, str]:
    """path → the worst class of violation it takes part in (extraction before source)."""
    worst: dict[str, str] = {}
    for v in violations:
        if v.get("severity") != "error" or v.get("cls") == "rounding":
            continue
        for f in v.get("fields") or []:
            for path in filter(None, (f.get("path"), f.get("alias_of"))):
                if worst.get(path) != "extraction":
                    worst[path] = v["cls"]
    return worst


def _figures(record: dict[str, Any]) -> list[tuple[str, Any]]:
    from pipeline.record.model import Record

    return list(Record.model_validate(record).figures())


def _render_pages(source: Path, folder: Path, rel: str) -> list[PageView]:
    """JPEGs of every page of a PDF (none for text input or a file that is no longer there)."""
    if source.suffix.lower() in (".txt", ".md") or not source.is_file():
        return []
    import pymupdf

    views = []
    with pymupdf.open(source) as doc:
        for page in doc:
            n = page.number + 1
            pix = page.get_pixmap(dpi=DPI)
            atomic_write_bytes(folder / f"p{n:03d}.jpg", pix.tobytes("jpeg", jpg_quality=JPEG_QUALITY))
            views.append(PageView(n, f"{quote(rel)}/p{n:03d}.jpg", page.rect.width, page.rect.height))
    return views


def _text_lines(source: Path) -> list[str]:
    if source.suffix.lower() not in (".txt", ".md") or not source.is_file():
        return []
    return source.read_text(encoding="utf-8", errors="replace").splitlines()


def build_context(name: str, source: Path, output: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Everything the template shows; writes the page images as a side effect."""
    record = output.get("record") or {}
    validation = output.get("validation") or {}
    violations = sorted(
        validation.get("violations") or [],
        key=lambda v: (
            ("extraction", "source", "rounding").index(v.get("cls", "rounding")),
            v.get("rule", ""),
        ),
    )
    involved = _involvement(violations)
    pages = _render_pages(source, out_dir / f"{name}_pages", f"{name}_pages")
    by_number = {p.number: p for p in pages}
    figures, ids = [], {}
    for i, (path, fig) in enumerate(_figures(record), start=1):
        fid = f"f{i}"
        ids[path] = fid
        cls = involved.get(path)
        colour = {"extraction": EXTRACTION_COLOUR, "source": SOURCE_COLOUR}.get(cls or "", OK_COLOUR)
        src = fig.source
        figures.append(
            {
                "id": fid,
                "path": path,
                "value": _value(fig.value),
                "unit": fig.unit,
                "page": src.page if src else None,
                "line": src.line if src else None,
                "quote": src.quote if src else "",
                "table": src.table if src else None,
                "cls": cls,
                "colour": colour,
                "boxed": False,
            }
        )
        for k, s in enumerate(fig.sources):
            view = by_number.get(s.page) if s.page else None
            if view is None or s.bbox is None or not view.width or not view.height:
                continue
            x0, y0, x1, y1 = s.bbox
            view.boxes.append(
                Box(
                    fid=fid,
                    label=f"{path} = {_value(fig.value)}",
                    left=100 * x0 / view.width,
                    top=100 * y0 / view.height,
                    width=max(0.2, 100 * (x1 - x0) / view.width),
                    height=max(0.2, 100 * (y1 - y0) / view.height),
                    colour=colour,
                    title=f"{path} = {_value(fig.value)} {fig.unit}\n“{s.quote}”",
                    primary=k == 0,
                )
            )
            figures[-1]["boxed"] = True
    for v in violations:
        for f in v.get("fields") or []:
            f["fid"] = ids.get(f.get("path") or "") or ids.get(f.get("alias_of") or "")
    lines = _text_lines(source)
    quoted_lines = {f["line"]: f["id"] for f in figures if f["line"]}
    return {
        "name": name,
        "source": str(source),
        "output": output,
        "record": record,
        "status": output.get("status"),
        "counts": validation.get("summary") or {},
        "violations": violations,
        "errors": output.get("errors") or [],
        "figures": figures,
        "pages": pages,
        "text_lines": [(i, t, quoted_lines.get(i)) for i, t in enumerate(lines, start=1)],
        "ledger": output.get("ledger") or {},
        "batch": output.get("batch") or {},
        "colours": {"ok": OK_COLOUR, "extraction": EXTRACTION_COLOUR, "source": SOURCE_COLOUR},
    }


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.review", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _value
    env.filters["esc"] = html.escape
    return env


def render_review(context: dict[str, Any]) -> str:
    return _env().get_template("review.html.j2").render(**context)


def write_review(out_dir: Path, name: str, source: Path, output: dict[str, Any]) -> Path:
    """``out_dir/<name>.html`` (and its page images) for one record file's JSON."""
    target = out_dir / f"{name}.html"
    atomic_write_text(target, render_review(build_context(name, Path(source), output, out_dir)))
    return target
