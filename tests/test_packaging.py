"""A plain `pip install .` must carry every module and data file the pipeline loads at run time."""

from __future__ import annotations

import contextlib
import importlib.resources
from pathlib import Path

import pipeline

ROOT = Path(pipeline.__file__).parent


def test_every_code_folder_is_a_regular_package() -> None:
    """setup.py uses find_packages: a folder of modules without __init__.py would be left out of the wheel."""
    missing = [
        str(d.relative_to(ROOT.parent))
        for d in ROOT.rglob("*")
        if d.is_dir() and any(d.glob("*.py")) and not (d / "__init__.py").exists() and "migrations" not in d.parts
    ]
    assert not missing, f"folders without __init__.py: {missing}"


def test_prompts_and_schema_are_package_data() -> None:
    prompts = importlib.resources.files("pipeline.prompts")
    assert any(p.name.endswith(".j2") for p in prompts.iterdir())
    schema = importlib.resources.files("pipeline.schemas").joinpath("record.schema.json")
    assert schema.read_text(encoding="utf-8").lstrip().startswith("{")


# modules that need an extra, and the extra (their imports are checked against it instead)
_OPTIONAL = {"pipeline/service": "service", "pipeline/ocr/paddle": "paddleocr"}


def _imports(path: Path) -> set[str]:
    """Top-level modules a file imports, except those in a ``try: … except ImportError`` (either branch)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            stmts = [*node.body, *(st for h in node.handlers for st in h.body)]
            guarded |= {id(n) for stmt in stmts for n in ast.walk(stmt)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _closure(requirements: list[str]) -> set[str]:
    """Distributions installed by these requirements, transitively (normalized names)."""
    import re
    from importlib.metadata import PackageNotFoundError, requires

    def norm(n: str) -> str:
        return re.sub(r"[-_.]+", "-", n).lower()

    todo = list(requirements)
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        if ";" in req and "extra" in req.split(";", 1)[1]:
            continue
        name = norm(re.split(r"[\s\[<>=!~;(]", req.strip(), maxsplit=1)[0])
        if name in seen:
            continue
        seen.add(name)
        with contextlib.suppress(PackageNotFoundError):
            todo += requires(name) or []
    return seen


def test_plain_install_carries_every_import_of_the_main_job() -> None:
    """`pip install -e .` (the README's first command) must install what `juesuan extract` imports: a module
    only the test or service extras bring (httpx, say) would crash the main job on a new machine."""
    import re
    import sys
    from importlib.metadata import packages_distributions, requires

    base = [r for r in requires("juesuan") or [] if "extra ==" not in r]
    installed = _closure(base)
    dists = packages_distributions()
    missing = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        if any(rel.startswith(prefix) for prefix in _OPTIONAL):
            continue
        for name in _imports(path):
            if name in sys.stdlib_module_names or name in ("pipeline", "__future__"):
                continue
            owners = {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(name, [name])}
            if not owners & installed:
                missing.setdefault(name, []).append(rel)
    assert not missing, f"imported but not installed by `pip install .`: {missing}"
