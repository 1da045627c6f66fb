"""What ingestion hands on: the Document, plus the page images OCR read (layout needs them for table rulings)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import Document
from pipeline.ingest.raster import PageRaster

Progress = Callable[[str, int, int], None]


@dataclass
class IngestResult:
    document: Document
    rasters: dict[int, PageRaster] = field(default_factory=dict)  # page number → deskewed grey image OCR read


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
