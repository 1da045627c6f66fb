"""A text-only Document for grounding, when the full ingest (OCR, layout) is not wanted or not available.

PDF pages give their text layer as lines; a ``.txt``/``.md`` file gives one page of kind ``none`` whose lines
keep their 1-based ``source_line``. Nothing here looks at images: a scanned page without a text layer
comes out empty, and its figures cannot be grounded without the real ingest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.document import Document, Line, Page, PageKind


def text_document(path: str | Path) -> Document:
    path = Path(path)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".pdf":
        return _pdf(path, sha)
    text = data.decode("utf-8", errors="replace")
    lines = [
        Line(text=t, bbox=(0.0, 0.0, 0.0, 0.0), source="plain", source_line=i)
        for i, t in enumerate(text.splitlines(), start=1)
    ]
    page = Page(number=1, width=0, height=0, kind=PageKind.NONE, lines=lines)
    return Document(source=str(path), sha256=sha, pages=[page])


def _pdf(path: Path, sha: str) -> Document:
    import pymupdf

    pages = []
    with pymupdf.open(path) as pdf:
        for i, pg in enumerate(pdf, start=1):
            lines = []
            for block in pg.get_text("dict")["blocks"]:
                for ln in block.get("lines", []):
                    text = "".join(span["text"] for span in ln["spans"])
                    if text.strip():
                        lines.append(Line(text=text, bbox=tuple(ln["bbox"]), source="text"))
            kind = PageKind.TEXT if lines else PageKind.EMPTY
            pages.append(Page(number=i, width=pg.rect.width, height=pg.rect.height, kind=kind, lines=lines))
    return Document(source=str(path), sha256=sha, pages=pages)


def load_document(path: str | Path) -> Document:
    """The Document of a report as the pipeline reads it: ingest and layout (tables included) where the
    package provides them, else ingest alone, else the text-only reader above."""
    from pipeline.config import get_settings

    try:
        from pipeline.parse import parse_path
    except ImportError:
        parse_path = None
    if parse_path is not None:
        return parse_path(Path(path), get_settings())
    try:
        from pipeline.ingest import ingest
    except ImportError:
        return text_document(path)
    return ingest(Path(path), get_settings()).document
