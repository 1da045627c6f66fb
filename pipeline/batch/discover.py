"""Which files a batch reads: files, folders (recursive) and globs, each once, each with its own output name.

A folder may hold anything, so only reports (.pdf, .txt, .md) are taken from it; a file named on purpose is
always taken, so that a wrong file shows up as a failure in the summary instead of vanishing. Two inputs
with the same stem get distinct, stable output names (the stem plus a short hash of the path), so they never
overwrite each other's record and a re-run finds the same name again.
"""

from __future__ import annotations

import glob
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPORT_SUFFIXES = frozenset({".pdf", ".txt", ".md"})
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    """One file of the batch and the name its outputs take in the output folder."""

    path: Path
    name: str


@dataclass
class Discovered:
    inputs: list[Input]
    unmatched: list[str]  # globs that matched no report


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(folder: Path, exclude: Path | None) -> list[Path]:
    found = []
    for p in folder.rglob("*"):
        if exclude is not None and _resolved(p).is_relative_to(exclude):
            continue
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not _is_hidden(p, folder):
            found.append(p)
    return sorted(found)


def _expand(arg: str, exclude: Path | None) -> list[Path] | None:
    """The files one argument names, or None for a glob that matches nothing."""
    path = Path(arg).expanduser()
    if path.is_dir():
        return _walk(path, exclude)
    if path.exists():
        return [path]
    if _GLOB_CHARS & set(arg):
        out: list[Path] = []
        for hit in sorted(glob.glob(str(path), recursive=True)):
            p = Path(hit)
            if p.is_dir():
                out += _walk(p, exclude)
            elif p.is_file() and p.suffix.lower() in REPORT_SUFFIXES:
                out.append(p)
        return out or None
    return [path]  # a missing file: its extraction fails with "file not found", listed in the summary


def _resolved(path: Path) -> Path:
    """The real path, or the absolute one where there is none (a symbolic link loop): its reading fails
    later with the cause named, like any other bad file."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def output_names(paths: list[Path]) -> list[str]:
    """The stem, or stem~hash8 of the resolved path where two inputs share a stem."""
    stems = Counter(p.stem for p in paths)
    names = []
    for p in paths:
        if stems[p.stem] == 1:
            names.append(p.stem)
        else:
            digest = hashlib.sha1(str(_resolved(p)).encode("utf-8")).hexdigest()[:8]
            names.append(f"{p.stem}~{digest}")
    return names


def discover(args: list[str | Path], exclude: Path | None = None) -> Discovered:
    """Expand the arguments in order, once per file; ``exclude`` (the output folder) is never read."""
    root = exclude.resolve() if exclude is not None else None
    seen: set[Path] = set()
    paths: list[Path] = []
    unmatched: list[str] = []
    for arg in args:
        found = _expand(str(arg), root)
        if found is None:
            unmatched.append(str(arg))
            continue
        for p in found:
            key = _resolved(p)
            if key not in seen:
                seen.add(key)
                paths.append(p)
    return Discovered([Input(p, n) for p, n in zip(paths, output_names(paths), strict=True)], unmatched)
