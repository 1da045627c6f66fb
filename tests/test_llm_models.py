"""Model assembly from packaged pieces: join order, hash check, atomic write, reuse, clear errors."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.llm.errors import ModelIntegrityError
from pipeline.llm.models import MODELS, ModelSpec, assemble, locate_parts, resolve_local_model


def make_parts(root: Path, layout: dict[str, dict[str, bytes]]) -> None:
    """Fake part packages whose __init__ would explode if imported: locating must not run their code."""
    for pkg, files in layout.items():
        data = root / pkg / "data"
        data.mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("raise RuntimeError('package code must not run')\n")
        for name, blob in files.items():
            (data / name).write_bytes(blob)


@pytest.fixture
def fake_spec(tmp_path, monkeypatch) -> tuple[ModelSpec, bytes]:
    root = tmp_path / "site"
    make_parts(
        root,
        {
            "jsfake_part1": {"b.bin": b"GGUF-two-", "a.bin": b"one-"},  # sorted within a part: a, b
            "jsfake_part2": {"c.bin": b"three"},
        },
    )
    monkeypatch.syspath_prepend(str(root))
    joined = b"one-GGUF-two-three"
    spec = ModelSpec(
        name="fake",
        packages=("jsfake_part1", "jsfake_part2"),
        sha256=hashlib.sha256(joined).hexdigest(),
        install_hint="pip install jsfake-part1 jsfake-part2",
    )
    return spec, joined


def test_parts_are_found_in_order_without_importing(fake_spec):
    spec, _ = fake_spec
    assert [p.name for p in locate_parts(spec)] == ["a.bin", "b.bin", "c.bin"]


def test_joined_once_atomically_and_reused(fake_spec, tmp_path):
    spec, joined = fake_spec
    cache = tmp_path / "cache"
    path = assemble(locate_parts(spec), spec.sha256, cache)
    assert path == cache / "models" / f"{spec.sha256}.gguf"
    assert path.read_bytes() == joined
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left behind
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    assert assemble(locate_parts(spec), spec.sha256, cache) == path
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp  # reused, not rewritten


def test_truncated_cache_file_is_rebuilt(fake_spec, tmp_path):
    spec, joined = fake_spec
    cache = tmp_path / "cache"
    dest = cache / "models" / f"{spec.sha256}.gguf"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(joined[:5])
    assert assemble(locate_parts(spec), spec.sha256, cache).read_bytes() == joined


def test_wrong_hash_is_refused_and_nothing_kept(fake_spec, tmp_path):
    spec, _ = fake_spec
    cache = tmp_path / "cache"
    with pytest.raises(ModelIntegrityError, match="expected 0{64}"):
        assemble(locate_parts(spec), "0" * 64, cache)
    assert list((cache / "models").iterdir()) == []


def test_missing_package_names_the_pip_install(fake_spec):
    spec, _ = fake_spec
    broken = ModelSpec(spec.name, (*spec.packages, "jsfake_part3"), spec.sha256, spec.install_hint)
    with pytest.raises(ConfigError, match="jsfake-part3.*pip install jsfake-part1"):
        locate_parts(broken)


def test_missing_larger_model_says_which_extra(tmp_path, monkeypatch):
    """The same wherever the extra is installed: its pieces are looked for under a name no package has (the
    real ones would be joined into a 1.1 GB file)."""
    spec = MODELS["qwen2.5-coder-1.5b"]
    monkeypatch.setitem(MODELS, "qwen2.5-coder-1.5b", replace(spec, packages=("jsfake_absent_part1",)))
    with pytest.raises(ConfigError, match=r"jsfake-absent-part1.*juesuan\[model-1-5b\]"):
        resolve_local_model(Settings(cache_dir=tmp_path, llm_model="qwen2.5-coder-1.5b"))


def test_model_path_must_be_a_gguf(tmp_path):
    not_gguf = tmp_path / "x.gguf"
    not_gguf.write_bytes(b"PK\x03\x04")
    with pytest.raises(ConfigError, match="not a GGUF"):
        resolve_local_model(Settings(cache_dir=tmp_path, llm_model=str(not_gguf)))
    with pytest.raises(ConfigError, match="neither a known model"):
        resolve_local_model(Settings(cache_dir=tmp_path, llm_model="no-such-model"))


def test_model_path_is_identified_by_its_hash(tmp_path):
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 100)
    model = resolve_local_model(Settings(cache_dir=tmp_path, llm_model=str(gguf)))
    assert model.path == gguf and model.sha256 == hashlib.sha256(gguf.read_bytes()).hexdigest()


def test_default_model_pieces_are_installed():
    parts = locate_parts(MODELS["qwen2.5-coder-0.5b"])
    assert len(parts) == 6 and parts[0].read_bytes()[:4] == b"GGUF"
