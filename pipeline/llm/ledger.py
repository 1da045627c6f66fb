"""Per-document accounting: LLM calls, tokens, cache hits and seconds per stage, against a token budget.

Failed attempts and validation re-asks are counted too: they cost time and (often) tokens, and the
repair loop needs the true spend to know when to stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from pipeline.llm.errors import BudgetExceeded


class PartCounts(BaseModel):
    """What one record part (section) cost."""

    calls: int = 0
    failed_calls: int = 0
    invalid_outputs: int = 0  # responses that failed schema validation (each one re-asked while retries last)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0  # of prompt_tokens, those the server reused from its prompt cache


class Ledger(PartCounts):
    """Totals for one document, plus per-part counts and per-stage seconds. Thread-safe."""

    token_budget: int | None = None
    endpoint: str = ""
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    parts: dict[str, PartCounts] = Field(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def remaining(self) -> int | None:
        """Tokens left in the budget (never below 0), or None when there is no budget."""
        if self.token_budget is None:
            return None
        return max(0, self.token_budget - self.total_tokens)

    def check_budget(self, part: str | None = None) -> None:
        """Raise BudgetExceeded when the budget is spent; called before every request."""
        if self.remaining() == 0:
            raise BudgetExceeded(
                self.endpoint or "llm",
                f"token budget of {self.token_budget} spent ({self.total_tokens} tokens in {self.calls} calls)",
                part=part,
            )

    def _bump(self, part: str, **deltas: int) -> None:
        with self._lock:
            counts = self.parts.setdefault(part, PartCounts())
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)
                setattr(counts, name, getattr(counts, name) + delta)

    def record_call(
        self, part: str, usage: Any | None = None, *, failed: bool = False, timings: Any | None = None
    ) -> None:
        """One HTTP request sent; usage is the response's usage object (None when the request failed).

        Cached prompt tokens come from ``usage.prompt_tokens_details.cached_tokens`` (OpenAI's field, which
        llama.cpp's server also fills), else from llama.cpp's ``timings.cache_n``."""
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0)
        details = getattr(usage, "prompt_tokens_details", None)
        cached = getattr(details, "cached_tokens", None) if details is not None else None
        if cached is None and isinstance(timings, dict):
            cached = timings.get("cache_n")
        self._bump(
            part,
            calls=1,
            failed_calls=int(failed),
            prompt_tokens=prompt,
            completion_tokens=completion,
            cached_prompt_tokens=min(prompt, int(cached or 0)),
        )

    def record_invalid_output(self, part: str) -> None:
        self._bump(part, invalid_outputs=1)

    def record_cache_hit(self, part: str) -> None:
        self._bump(part, cache_hits=1)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the wall seconds of the block to stage_seconds[name] (ocr, layout, extract, validate …)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            with self._lock:
                self.stage_seconds[name] = self.stage_seconds.get(name, 0.0) + elapsed
