"""What ingestion hands on: the Document, plus the page images OCR read (layout needs them for table rulings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import InputError
from pipeline.ingest.raster import PageRaster

Progress = Callable[[str, int, int], None]


@dataclass
class IngestResult:
    document: Document
    rasters: dict[int, PageRaster] = field(default_factory=dict)  # page number → deskewed grey image OCR read


def check_file_size(path: Path, max_mb: float) -> None:
    """Refuse a file over the size limit before reading it."""
    size_mb = path.stat().st_size / 1e6
    if size_mb > max_mb:
        raise InputError(path, f"file is {size_mb:.1f} MB, over max_file_mb={max_mb:g} (JUESUAN_MAX_FILE_MB)")
