"""A plain `pip install .` must carry every module and data file the pipeline loads at run time."""

from __future__ import annotations

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
