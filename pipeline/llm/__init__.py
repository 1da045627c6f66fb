"""LLM provider layer: the embedded llama.cpp server or any OpenAI-compatible API, behind one client.

Imports are lazy so that the server child (`python -m pipeline.llm._serve`) does not load openai/instructor.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "LLMClient": "pipeline.llm.client",
    "Endpoint": "pipeline.llm.client",
    "connect": "pipeline.llm.client",
    "Ledger": "pipeline.llm.ledger",
    "PartCounts": "pipeline.llm.ledger",
    "ResponseCache": "pipeline.llm.cache",
    "LLMError": "pipeline.llm.errors",
    "BudgetExceeded": "pipeline.llm.errors",
    "ModelIntegrityError": "pipeline.llm.errors",
    "MODELS": "pipeline.llm.models",
    "resolve_local_model": "pipeline.llm.models",
    "LocalServer": "pipeline.llm.server",
    "shared_server": "pipeline.llm.server",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.llm' has no attribute {name!r}")
