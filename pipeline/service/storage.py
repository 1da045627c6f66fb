"""Uploaded files under the data directory, named by their sha256 only.

A client's filename never becomes a path: the bytes are streamed to a temporary file while they are hashed,
counted against the size limit and checked for the PDF magic, then renamed to ``files/ab/<sha256>.pdf``.
The rename is atomic and the file is fsynced before it, so a stored name always means complete bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.files import staged_file

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF spec lets the header start anywhere in the first 1024 bytes
CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class UploadRejected(ValueError):
    """The upload is not acceptable; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str):
        self.status = status
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path


class FileStore:
    """Content-addressed files under ``root``; writing the same bytes twice stores them once."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.files = self.root / "files"
        self.tmp = self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        """Where the file with this hash lives; refuses anything that is not a hex sha256."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.files / sha256[:2] / f"{sha256}.pdf"

    def save(self, stream: BinaryIO, max_bytes: int, check: Callable[[Path], None] | None = None) -> StoredFile:
        """Copy ``stream`` in, checking size and PDF magic on the way, then ``check`` on the whole file before
        it is stored (it raises UploadRejected to refuse it); raises UploadRejected."""
        digest = hashlib.sha256()
        size = 0
        head = b""
        with staged_file(self.tmp) as staged:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(413, f"file larger than the limit of {max_bytes} bytes")
                if len(head) < MAGIC_WINDOW:
                    head += chunk[: MAGIC_WINDOW - len(head)]
                digest.update(chunk)
                staged.file.write(chunk)
            if size == 0:
                raise UploadRejected(400, "empty file")
            if PDF_MAGIC not in head:
                raise UploadRejected(415, "not a PDF (no %PDF- header in the first 1024 bytes)")
            staged.file.flush()
            if check is not None:
                check(staged.path)
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if not (target.exists() and target.stat().st_size == size):  # else: stored before, the temp goes
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.commit(target)
            return StoredFile(sha256=sha, size=size, path=target)


def display_name(filename: str | None) -> str:
    """The client's filename as metadata only: its last path part, printable, at most 200 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "upload.pdf"
