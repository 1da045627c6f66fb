"""Resume: a record already on disk for the same file content and settings is not made again.

The record file is the only marker of "done": it is written last, atomically (temp file + rename), so an
interrupted batch leaves either a whole record or none, and the next run redoes exactly the missing ones.
The fingerprint covers every setting that can change a record; settings that only change speed or where
things are kept (threads, timeouts, cache folder, concurrency) are left out, so ``--jobs 4`` resumes a
``--jobs 1`` run.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.config import Settings

# Settings that do not change what a record says.
OPERATIONAL = frozenset(
    {
        "cache_dir",
        "use_cache",
        "ocr_threads",
        "max_pages",
        "max_file_mb",
        "llm_api_key",
        "llm_threads",
        "llm_attempts",
        "llm_backoff_s",
        "llm_backoff_max_s",
        "llm_timeout_s",
        "llm_min_tokens_per_s",
        "llm_max_concurrency",
        "llm_start_timeout_s",
    }
)


def _package_version() -> str:
    try:
        return version("juesuan")
    except PackageNotFoundError:
        return "0"


def settings_fingerprint(settings: Settings) -> str:
    """sha256 over the record-deciding settings and the package version (16 hex digits)."""
    data = settings.model_dump(mode="json", exclude=set(OPERATIONAL))
    if settings.llm_provider == "local":
        data.pop("llm_base_url", None)  # the embedded server's port changes every run
    if data.get("pages") is None:
        data.pop("pages", None)  # all pages: the fingerprint records made before --pages existed still match
    data["juesuan"] = _package_version()
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A temp file beside the target, fsynced and renamed over it on success, removed on failure.

    A reader (or the next run) sees the old file or the new one, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for analysts to read
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path) as f:
        f.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def write_record(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_record_file(path: Path) -> dict[str, Any] | None:
    """A record file as written by the batch, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def finished(path: Path, sha256: str, fingerprint: str) -> dict[str, Any] | None:
    """The stored record when it is for these bytes and these settings; None means: make it (again)."""
    data = read_record_file(path)
    if data is None or "record" not in data:
        return None
    if data.get("sha256") != sha256 or data.get("settings_fingerprint") != fingerprint:
        return None
    return data
