"""The one atomic writer and file hash: a failed write leaves the old file and no temp file behind."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from pipeline.files import atomic_open, atomic_path, atomic_write_text, file_sha256, staged_file


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_open(target) as f:
        f.write(b"half of the new")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_concurrent_writers_never_share_a_temp_file(tmp_path):
    """Two writers of one target each get a unique temp name: the result is one whole payload."""
    target = tmp_path / "same.txt"
    payloads = [str(i) * 200_000 for i in range(8)]
    threads = [threading.Thread(target=atomic_write_text, args=(target, p)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["same.txt"]


def test_written_files_are_readable_by_others(tmp_path):
    target = tmp_path / "record.json"
    atomic_write_text(target, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_path_for_writers_that_want_a_name(tmp_path):
    target = tmp_path / "doc.bin"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.exists() and not target.exists()
        tmp.write_bytes(b"saved by name")
    assert target.read_bytes() == b"saved by name"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.bin"]


def test_staged_file_is_removed_unless_committed(tmp_path):
    with staged_file(tmp_path / "tmp") as staged:
        staged.file.write(b"abc")
    assert not list((tmp_path / "tmp").iterdir())
    with staged_file(tmp_path / "tmp") as staged:
        staged.file.write(b"abc")
        staged.commit(tmp_path / "final")
    assert (tmp_path / "final").read_bytes() == b"abc" and not list((tmp_path / "tmp").iterdir())


def test_file_sha256_reads_in_chunks(tmp_path):
    data = os.urandom(3 * (1 << 20) + 17)  # spans several chunks and a partial one
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
