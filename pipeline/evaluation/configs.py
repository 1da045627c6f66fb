"""Configurations for ``juesuan eval run``: a name plus overrides of ``pipeline.config.Settings``.

A spec on the command line is ``NAME`` or ``NAME:key=value[,key=value...]``, e.g. ``base``,
``paddle:ocr_engine=paddleocr``, ``big:llm_model=qwen2.5-coder-1.5b,extract_repair_rounds=1``. Keys are the
Settings field names (``JUESUAN_`` prefix, case and ``-`` for ``_`` tolerated); values are typed and checked
by the Settings model itself, on top of the environment. A TOML file holds one table per configuration:

    [base]

    [paddle]
    ocr_engine = "paddleocr"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.config import Settings, get_settings

DEFAULT_NAME = "default"
SECRET_KEYS = frozenset({"llm_api_key"})
_NAME = re.compile(r"^[\w.+×@-]+$")  # a folder name of its own: no separators, no spaces


class ConfigSpecError(ValueError):
    """A configuration that cannot be used: the command says why and exits 2."""


@dataclass
class EvalConfig:
    name: str
    overrides: dict[str, Any] = field(default_factory=dict)
    settings: Settings | None = None

    def public(self) -> dict[str, Any]:
        """The overrides as shown and logged: secrets masked."""
        return {k: "***" if k in SECRET_KEYS else v for k, v in self.overrides.items()}

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.public().items()) or "defaults"


def valid_keys() -> list[str]:
    return sorted(Settings.model_fields)


def _key(raw: str, name: str) -> str:
    key = raw.strip().lower().replace("-", "_").removeprefix("juesuan_")
    if key not in Settings.model_fields:
        raise ConfigSpecError(
            f"configuration {name!r}: unknown setting {raw.strip()!r}; valid settings: {', '.join(valid_keys())}"
        )
    return key


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or name in (".", "..") or not _NAME.match(name):
        raise ConfigSpecError(
            f"configuration name {name!r}: use letters, digits and . _ - + × @ (it names the output folder)"
        )
    return name


def build(name: str, overrides: dict[str, Any], base: dict[str, Any] | None = None) -> EvalConfig:
    """The configuration with its Settings (environment, then ``base`` such as CLI flags, then overrides)."""
    name = _check_name(name)
    keys = {_key(str(k), name): v for k, v in overrides.items()}
    try:
        settings = get_settings(**((base or {}) | keys))
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc']) or '?'}: {err['msg']}" for err in e.errors()
        )
        raise ConfigSpecError(f"configuration {name!r}: {problems}") from e
    return EvalConfig(name, keys, settings)


def parse_spec(spec: str, base: dict[str, Any] | None = None) -> EvalConfig:
    """``NAME`` or ``NAME:key=value,key=value`` (values stay strings; Settings types them)."""
    name, _, rest = spec.partition(":")
    overrides: dict[str, str] = {}
    for item in filter(None, (s.strip() for s in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ConfigSpecError(f"configuration {spec!r}: {item!r} is not key=value")
        overrides[key.strip()] = value.strip()
    return build(name, overrides, base)


def load_file(path: str | Path, base: dict[str, Any] | None = None) -> list[EvalConfig]:
    """One configuration per top-level table of a TOML file, in file order."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigSpecError(f"{path}: cannot read the configurations ({e})") from e
    out = []
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigSpecError(f"{path}: {name!r} must be a table ([{name}]) of settings")
        out.append(build(name, table, base))
    if not out:
        raise ConfigSpecError(f"{path}: no configuration ([name] tables)")
    return out


def resolve(
    specs: list[str] | None, files: list[Path] | None = None, base: dict[str, Any] | None = None
) -> list[EvalConfig]:
    """The configurations to run, specs first then files; one named ``default`` when none is given."""
    configs = [parse_spec(s, base) for s in specs or []]
    for f in files or []:
        configs += load_file(f, base)
    if not configs:
        configs = [build(DEFAULT_NAME, {}, base)]
    seen: set[str] = set()
    for c in configs:
        if c.name.lower() in seen:  # folders of the same name would mix their outputs
            raise ConfigSpecError(f"configuration {c.name!r} is given twice")
        seen.add(c.name.lower())
    return configs
