"""Ingestion: a submitted file → a Document (pages, lines, words, per-character boxes) and its page images.

PDFs are recognised by their bytes (``%PDF-``), not their name; ``.txt`` / ``.md`` are read as already-OCR'd
text; anything else is refused with an InputError naming the file and the cause.
"""

from __future__ import annotations

import errno
import os
import stat
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
    _check_regular_file(path)
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


def _check_regular_file(path: Path) -> None:
    """An InputError naming the real reason ``path`` is no file to read: missing, a dangling or looping
    symbolic link, a folder, a device, no permission."""
    try:
        st = path.stat()
    except FileNotFoundError as e:
        if path.is_symlink():
            raise InputError(path, f"broken symbolic link: its target {os.readlink(path)} does not exist") from e
        raise InputError(path, "file not found") from e
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError(path, "symbolic link loop: following the link leads back to itself") from e
        raise InputError(path, f"cannot read the file ({e.strerror or e})") from e
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a folder: name the files in it, or pass the folder to juesuan parse/extract")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "not a regular file (a device, pipe or socket)")
