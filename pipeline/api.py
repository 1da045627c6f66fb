"""The Python API behind ``import juesuan``: extract or parse a report with settings as keyword arguments.

``extract(path, **settings)`` starts the embedded model (or reaches the configured endpoint), extracts one
report and stops the model again. To read many files with one model server, use ``Extractor`` as a context
manager. Keyword arguments are the fields of ``pipeline.config.Settings`` (``llm_provider``, ``ocr_engine``,
``pages`` …) or the CLI's short names (``base_url``, ``api_key``, ``model``, ``mode``, ``ocr``); an unknown
name is a TypeError, never silently ignored.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from pipeline.config import Settings, get_settings
from pipeline.document import Document
from pipeline.errors import ConfigError
from pipeline.extract.run import ExtractionResult

Result = ExtractionResult

ALIASES = {
    "llm": "llm_provider",
    "provider": "llm_provider",
    "base_url": "llm_base_url",
    "api_key": "llm_api_key",
    "model": "llm_model",
    "mode": "llm_mode",
    "llm_mode": "llm_mode",
    "ocr": "ocr_engine",
    "dpi": "render_dpi",
    "repair_rounds": "extract_repair_rounds",
}


def make_settings(settings: Settings | None = None, check: bool = True, **overrides: Any) -> Settings:
    """Settings from the environment (or ``settings``) with keyword overrides; ``check``: refuse an LLM
    configuration that would fail every report, as the CLI does."""
    names = {ALIASES.get(k, k): v for k, v in overrides.items()}
    unknown = sorted(k for k in names if k not in Settings.model_fields)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(unknown)} (see pipeline.config.Settings)")
    if settings is not None:
        made = Settings.model_validate(settings.model_dump() | {k: v for k, v in names.items() if v is not None})
    else:
        made = get_settings(**names)
    if check:
        preflight(made)
    return made


def preflight(settings: Settings) -> None:
    """Refuse, before any work, settings that would fail every report (raises ConfigError)."""
    if settings.llm_provider != "openai":
        return
    base = settings.llm_base_url or os.environ.get("OPENAI_BASE_URL")
    key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY")
    if not base:
        raise ConfigError("--llm openai needs --base-url (or JUESUAN_LLM_BASE_URL), e.g. https://api.deepseek.com")
    if not key and not _private(base):
        raise ConfigError(f"--llm openai at {base} needs --api-key (or JUESUAN_LLM_API_KEY / OPENAI_API_KEY)")


def _private(url: str) -> bool:
    """A loopback or private-network endpoint (vLLM, Ollama on your own machine), which often takes no key."""
    import ipaddress
    from urllib.parse import urlparse

    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


class Extractor:
    """One model endpoint for many reports: ``with Extractor(ocr='rapidocr') as ex: ex.extract(path)``.

    Entering starts the embedded llama.cpp server (or checks the remote endpoint's settings); leaving stops it.
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any):
        self.settings = make_settings(settings, **overrides)
        self._stack: ExitStack | None = None
        self._client = None

    def __enter__(self) -> Extractor:
        from pipeline.llm.client import LLMClient, connect

        self._stack = ExitStack()
        try:
            endpoint = self._stack.enter_context(connect(self.settings))
        except BaseException:
            self._stack.close()
            raise
        self._client = LLMClient(endpoint, self.settings)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._client = None

    def extract(self, path: str | Path) -> Result:
        """A validated record of one report (``.record``, ``.status``, ``.validation``, ``.output()``)."""
        from pipeline.extract.run import extract_path

        if self._client is None:
            raise RuntimeError("use Extractor as a context manager: with Extractor() as ex: ex.extract(path)")
        return extract_path(Path(path), self.settings, self._client)


def extract(path: str | Path, **settings: Any) -> Result:
    """Extract one report; the embedded model is started for this call and stopped after it."""
    with Extractor(**settings) as extractor:
        return extractor.extract(path)


def parse(path: str | Path, **settings: Any) -> Document:
    """Read a report into pages, sections and tables (no model): the Document with every box."""
    from pipeline.parse import parse_path

    return parse_path(Path(path), make_settings(check=False, **settings))


__all__ = ["Extractor", "Result", "extract", "make_settings", "parse", "preflight"]
