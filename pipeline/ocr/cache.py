"""OCR results on disk, keyed by page image + engine + engine settings: a re-run of a report does no OCR."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

import numpy as np

from pipeline.config import Settings
from pipeline.files import atomic_write_text
from pipeline.ocr.base import OcrEngine, OcrLine, engine_fingerprint

FORMAT = 1  # bump when OcrLine's JSON shape changes, so old entries are ignored


def image_sha256(image: np.ndarray) -> str:
    """Hash of the pixels and their shape (not of any file), so the same page image hits wherever it came from."""
    h = hashlib.sha256(f"{image.shape}|{image.dtype}".encode())
    h.update(np.ascontiguousarray(image).data)
    return h.hexdigest()


class OcrCache:
    """One JSON file per (image, engine) under ``root``; writes are atomic so a killed run leaves no half file."""

    def __init__(self, root: Path):
        self.root = root

    def key(self, image_sha: str, engine: OcrEngine) -> str:
        raw = f"{FORMAT}|{image_sha}|{engine.name}|{engine_fingerprint(engine)}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[OcrLine] | None:
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            return [OcrLine.from_json(d) for d in data["lines"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable or stale entry: OCR again and overwrite it

    def put(self, key: str, lines: list[OcrLine]) -> None:
        payload = json.dumps({"lines": [ln.to_json() for ln in lines]}, ensure_ascii=False)
        atomic_write_text(self.path(key), payload)


def recognize_cached(
    engine: OcrEngine, image: np.ndarray, settings: Settings, image_sha: str | None = None
) -> list[OcrLine]:
    """``engine.recognize(image)``, answered from the cache when ``settings.use_cache`` and it was seen before."""
    if not settings.use_cache:
        return engine.recognize(image)
    cache = OcrCache(settings.cache_dir / "ocr")
    key = cache.key(image_sha or image_sha256(image), engine)
    lines = cache.get(key)
    if lines is None:
        lines = engine.recognize(image)
        with contextlib.suppress(OSError):  # a read-only or full cache must not fail the run
            cache.put(key, lines)
    return lines
