"""Files written so that no reader ever sees half of one, and files named by their content.

The one implementation the whole project uses (records, outputs, caches, models, uploads): the bytes go to a
temp file with a unique name in the target's folder (two writers never share one), are fsynced, and the file
is renamed over the target; the folder is fsynced too, so the rename itself survives a power cut. A writer
that fails or is interrupted leaves the old file (or none) and no temp file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20

_UMASK = os.umask(0)
os.umask(_UMASK)


def fsync_dir(folder: Path) -> None:
    """Make renames into ``folder`` durable (the directory entry, not only the bytes)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems (and Windows) cannot fsync a directory: the rename still happened
        pass
    finally:
        os.close(fd)


class Staged:
    """A temp file being written; :meth:`commit` fsyncs it and renames it to its final name."""

    def __init__(self, folder: Path, prefix: str):
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        self.path = Path(name)
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for people to read
        self.file: BinaryIO = os.fdopen(fd, "wb")
        self.committed = False

    def commit(self, target: Path) -> None:
        """Flush, fsync and rename onto ``target`` (same filesystem as the temp folder)."""
        if not self.file.closed:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
        else:  # written by name (doc.save, a hard link): fsync through a fresh handle
            with self.path.open("rb") as f:
                os.fsync(f.fileno())
        os.replace(self.path, target)
        fsync_dir(target.parent)
        self.committed = True

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
        if not self.committed:
            self.path.unlink(missing_ok=True)


@contextmanager
def staged_file(folder: Path, prefix: str = ".") -> Iterator[Staged]:
    """A temp file in ``folder`` for content whose final name is known only at the end (e.g. its hash);
    removed on leaving unless committed."""
    staged = Staged(Path(folder), prefix)
    try:
        yield staged
    finally:
        staged.discard()


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends normally; on an exception ``path`` is left as
    it was."""
    path = Path(path)
    with staged_file(path.parent, prefix=f".{path.name}.") as staged:
        yield staged.file
        staged.commit(path)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A fresh temp path beside ``path`` for writers that want a file name (``doc.save``, ``os.link``); it
    replaces ``path`` when the block ends normally. The temp file exists (empty) on entry."""
    path = Path(path)
    with staged_file(path.parent, prefix=f".{path.name}.") as staged:
        staged.file.close()
        yield staged.path
        staged.commit(path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path) as f:
        f.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks (reports and models can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
