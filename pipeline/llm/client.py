"""The one call path to a model: instructor over the openai client, for the embedded server and remote APIs.

`connect(settings)` yields an Endpoint (starting or sharing the local llama.cpp server when the provider is
"local"); `LLMClient(endpoint, settings, ledger).complete(Model, messages, part=...)` returns a validated
instance, answering from the response cache when it can, retrying transport faults with backoff and invalid
output through instructor's re-ask, and charging every request to the document's ledger. Every wait on the
model ends within a fraction of a second once the process is stopping (pipeline.llm.cancel).
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.llm import cancel
from pipeline.llm.cache import ResponseCache, cache_key
from pipeline.llm.canary import check_schema_enforced
from pipeline.llm.errors import BudgetExceeded, Cancelled, LLMError
from pipeline.llm.ledger import Ledger
from pipeline.llm.models import resolve_local_model
from pipeline.llm.retry import describe, transport_retrying
from pipeline.llm.server import LocalServer, shared_server

try:  # the HTTP library the installed openai client is built on (httpx2 from openai 3 on)
    import httpx2 as _http
except ImportError:  # pragma: no cover - older openai releases
    import httpx as _http

M = TypeVar("M", bound=BaseModel)

TEMPERATURE = 0.0
DEADLINE_GRACE_S = 2.0  # the HTTP client's own timeout comes first; this only catches a request it misses
_MODES = {"json_schema": instructor.Mode.JSON_SCHEMA, "json": instructor.Mode.JSON}


@dataclass
class Endpoint:
    """Where requests go, what identifies the model in the cache, and the gate that bounds concurrency."""

    base_url: str
    model: str
    api_key: str
    model_id: str
    label: str
    semaphore: cancel.Gate = field(repr=False)
    server: LocalServer | None = field(default=None, repr=False)


_gates: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


def _gate(base_url: str, limit: int) -> threading.BoundedSemaphore:
    """One semaphore per endpoint URL in this process, so parallel documents share the bound."""
    with _gates_lock:
        return _gates.setdefault((base_url, limit), threading.BoundedSemaphore(limit))


@contextmanager
def connect(settings: Settings) -> Iterator[Endpoint]:
    """The endpoint for a run: the shared local server (started on first use) or a remote API."""
    if settings.llm_provider == "local":
        model = resolve_local_model(settings)
        with shared_server(model, settings) as server:
            label = f"local {model.alias} at {server.address}"
            if not server.schema_checked:  # once per server: the grammar is what keeps ids real
                check_schema_enforced(server.base_url, server.api_key, model.alias, label, settings.llm_timeout_s)
                server.schema_checked = True
            yield Endpoint(
                base_url=server.base_url,
                model=model.alias,
                api_key=server.api_key,
                model_id=f"gguf:{model.sha256}",
                label=label,
                semaphore=_gate(server.base_url, settings.llm_max_concurrency),
                server=server,
            )
        return
    base_url = settings.llm_base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
    key = (
        settings.llm_api_key.get_secret_value() if settings.llm_api_key else os.environ.get("OPENAI_API_KEY")
    )
    if not key:
        if not (settings.llm_base_url or os.environ.get("OPENAI_BASE_URL")):
            raise ConfigError("llm_api_key: the openai provider needs JUESUAN_LLM_API_KEY or OPENAI_API_KEY")
        key = "not-needed"  # vLLM, Ollama and friends on a private URL often take no key
    base_url = base_url.rstrip("/")
    yield Endpoint(
        base_url=base_url,
        model=settings.llm_model,
        api_key=key,
        model_id=f"openai:{base_url}|{settings.llm_model}",
        label=f"{base_url} model {settings.llm_model}",
        semaphore=_gate(base_url, settings.llm_max_concurrency),
    )


class LLMClient:
    """Structured completions for one document: cache, budget, transport retries, validation re-asks."""

    def __init__(
        self,
        endpoint: Endpoint,
        settings: Settings,
        ledger: Ledger | None = None,
        cache: ResponseCache | None = None,
    ):
        self.endpoint = endpoint
        self.settings = settings
        self.ledger = ledger or Ledger(token_budget=settings.llm_token_budget, endpoint=endpoint.label)
        self.cache = cache or ResponseCache(Path(settings.cache_dir) / "llm", enabled=settings.use_cache)
        self.mode = _MODES[settings.llm_mode]
        self._openai = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=endpoint.api_key,
            timeout=request_timeout(settings, None),  # each request passes its own (see _send)
            max_retries=0,  # tenacity owns transport retries
        )

    def for_document(self, ledger: Ledger | None = None) -> LLMClient:
        """A client for the next document: same endpoint, cache and connection pool, a fresh ledger."""
        other = copy.copy(self)
        other.ledger = ledger or Ledger(
            token_budget=self.settings.llm_token_budget, endpoint=self.endpoint.label
        )
        return other

    def complete(self, response_model: type[M], messages: list[dict], *, part: str) -> M:
        """Fill response_model from messages; raises LLMError (or BudgetExceeded) when it cannot."""
        schema = response_model.model_json_schema()
        key = cache_key(
            model_id=self.endpoint.model_id,
            messages=messages,
            schema=schema,
            temperature=TEMPERATURE,
            mode=self.mode.value,
        )
        cached = self.cache.get(key)
        if cached is not None:
            try:
                result = response_model.model_validate(cached["response"])
            except (ValidationError, KeyError, TypeError):
                pass  # stale entry: ask again
            else:
                self.ledger.record_cache_hit(part)
                return result

        self.ledger.check_budget(part)
        hooks = Hooks()
        hooks.on("parse:error", lambda *_a, **_k: self.ledger.record_invalid_output(part))

        def send(**kwargs: Any) -> Any:
            return self._send(part, kwargs)

        create = instructor.patch(create=send, mode=self.mode)
        try:
            result = create(
                response_model=response_model,
                messages=messages,
                model=self.endpoint.model,
                temperature=TEMPERATURE,
                max_tokens=self.settings.llm_max_tokens,
                max_retries=self.settings.llm_max_retries,
                hooks=hooks,
            )
        except InstructorRetryException as e:
            if isinstance(e.__cause__, LLMError):
                raise e.__cause__ from e.__cause__.__cause__
            error = LLMError(
                self.endpoint.label,
                f"output failed validation after {e.n_attempts} attempt(s): {_first_line(e)}",
                part=part,
            )
            error.failed_attempts = e.failed_attempts  # type: ignore[attr-defined]
            raise error from e
        except IncompleteOutputException as e:
            raise LLMError(
                self.endpoint.label,
                f"output cut off at llm_max_tokens={self.settings.llm_max_tokens}; raise it or ask for less",
                part=part,
            ) from e

        # instructor returns an instance of a private subclass carrying the raw completion; rebuild the
        # caller's own class from the JSON we cache, so a fresh answer is exactly what a cache hit returns
        data = result.model_dump(mode="json")
        result = response_model.model_validate(data)
        self.cache.put(
            key,
            {
                "response": data,
                "model_id": self.endpoint.model_id,
                "part": part,
                "schema": response_model.__name__,
                "created": time.time(),
            },
        )
        return result

    def _send(self, part: str, kwargs: dict[str, Any]) -> Any:
        """One chat completion, retried on transport faults; every attempt, a timed-out one too, is charged to
        the ledger (a failed attempt as failed).

        The timeout grows with the request's max_tokens (``request_timeout``), so a long answer from a loaded
        server is waited for instead of being cut off and asked again from the start. The request runs in a
        daemon thread (pipeline.llm.cancel): its caller gives it up at once when the process is stopping, and
        after the timeout even if the HTTP client has not noticed it yet.
        """
        timeout = request_timeout(self.settings, kwargs.get("max_tokens"))
        limits = openai.Timeout(timeout, connect=min(timeout, self.settings.llm_timeout_s))
        attempts = 0
        try:
            for attempt in transport_retrying(self.settings):
                with attempt:
                    attempts += 1
                    cancel.check()
                    self.ledger.check_budget(part)
                    with cancel.holding(self.endpoint.semaphore):
                        try:
                            response = cancel.call(
                                lambda: self._openai.chat.completions.create(**kwargs, timeout=limits),
                                timeout + DEADLINE_GRACE_S,
                                self._timed_out,
                            )
                        except (openai.OpenAIError, Cancelled):
                            self.ledger.record_call(part, failed=True)
                            raise
                    extra = getattr(response, "model_extra", None) or {}
                    self.ledger.record_call(part, getattr(response, "usage", None), timings=extra.get("timings"))
                    return response
        except BudgetExceeded:
            raise
        except openai.OpenAIError as e:
            raise LLMError(
                self.endpoint.label, f"{describe(e)} (gave up after {attempts} attempt(s))", part=part
            ) from e
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _timed_out(self) -> openai.APITimeoutError:
        """What the HTTP client raises on a timeout, for a request given up by the deadline of cancel.call."""
        return openai.APITimeoutError(
            request=_http.Request("POST", f"{self.endpoint.base_url}/chat/completions")
        )


def request_timeout(settings: Settings, max_tokens: int | None) -> float:
    """Seconds one request may take: ``llm_timeout_s`` to reach the model and read the prompt, plus
    ``max_tokens`` generated at the slowest acceptable rate ``llm_min_tokens_per_s``."""
    tokens = settings.llm_max_tokens if max_tokens is None else max_tokens
    return settings.llm_timeout_s + max(0, tokens) / settings.llm_min_tokens_per_s


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
