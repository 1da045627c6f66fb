"""Ingestion: a submitted file → a Document (pages, lines, words, per-character boxes) and its page images.

PDFs are recognised by their bytes (``%PDF-``), not their name; ``.txt`` / ``.md`` are read as already-OCR'd
text; anything else is refused with an InputError naming the file and the cause.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ingest.pdf import ingest_pdf
from pipeline.ingest.result import IngestResult, Progress
from pipeline.ingest.text import ingest_text
from pipeline.ocr.base import OcrEngine

__all__ = ["IngestResult", "ingest", "ingest_pdf", "ingest_text"]

TEXT_SUFFIXES = {".txt", ".md"}
PDF_MAGIC = b"%PDF-"
HEADER_BYTES = 1024  # the PDF spec lets a header start anywhere in the first 1024 bytes


def ingest(
    path: Path, settings: Settings, ocr: OcrEngine | None = None, progress: Progress | None = None
) -> IngestResult:
    """Read one file; ``ocr`` overrides the engine settings pick; ``progress(stage, done, total)`` per page."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a regular file")
    try:
        with path.open("rb") as f:
            head = f.read(HEADER_BYTES)
    except OSError as e:
        raise InputError(path, f"cannot read the file ({e.strerror or e})") from e
    if PDF_MAGIC in head:
        return ingest_pdf(path, settings, ocr=ocr, progress=progress)
    if path.suffix.lower() in TEXT_SUFFIXES:
        result = ingest_text(path, settings)
        if progress is not None:
            progress("ingest", 1, 1)
        return result
    if not head:
        raise InputError(path, "file is empty")
    if path.suffix.lower() == ".pdf":
        raise InputError(path, f"named .pdf but is not a PDF (no %PDF- header; starts with {head[:16]!r})")
    raise InputError(
        path, f"unsupported file type {path.suffix or '(no extension)'!r}: expected a PDF, .txt or .md"
    )
