"""Response cache: a re-run with the same model, prompt, schema and temperature makes no LLM call.

Keyed by sha256 of everything that decides the answer; one JSON file per answer, written atomically so a
crash or a concurrent run never leaves half a file. Only validated answers are stored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.files import atomic_write_text


def cache_key(*, model_id: str, messages: list[dict], schema: dict, temperature: float, mode: str) -> str:
    """sha256 over a canonical JSON of the inputs that decide the model's answer."""
    payload = {
        "model": model_id,
        "messages": messages,
        "schema": schema,
        "temperature": temperature,
        "mode": mode,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """JSON files under root/<key[:2]>/<key>.json; a disabled cache reads and writes nothing."""

    def __init__(self, root: Path, *, enabled: bool = True):
        self.root = Path(root)
        self.enabled = enabled

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or unreadable: a miss, never an error

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if not self.enabled:
            return
        atomic_write_text(self._path(key), json.dumps(entry, ensure_ascii=False, default=str))
