"""One delivery of a job through the pipeline: the same ``extract_path`` the CLI runs, with stages reported.

The LLM endpoint (for the local provider, a llama.cpp server that takes seconds to load) is opened once per
worker process and kept for the jobs after it. An endpoint that could not be reached at all is told apart
from a document that did not reconcile: the first is retried later, the second is a record like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import PrivateAttr

from pipeline.config import Settings
from pipeline.errors import JuesuanError
from pipeline.extract import ExtractionResult, extract_path
from pipeline.llm.client import Endpoint, LLMClient, connect
from pipeline.llm.errors import LLMError
from pipeline.llm.ledger import Ledger
from pipeline.service.jobs import Outcome

StageCallback = Callable[[str], None]


class LLMUnavailable(JuesuanError):
    """The LLM endpoint could not be used at all for this document: worth another try later."""


def pipeline_settings(snapshot: dict) -> Settings:
    """The job's own settings on top of this machine's environment (cache dir, threads, endpoint URL)."""
    return Settings(**snapshot)


class _StageLedger(Ledger):
    """A ledger that also reports each stage as it starts (ocr, layout, extract, validate, repair)."""

    _on_stage: StageCallback | None = PrivateAttr(default=None)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._on_stage is not None:
            self._on_stage(name)
        with super().stage(name):
            yield


class _StagedClient(LLMClient):
    """An LLMClient whose per-document ledger reports stages; everything else is the stock client."""

    on_stage: StageCallback | None = None

    def for_document(self, ledger: Ledger | None = None) -> LLMClient:
        if ledger is None:
            ledger = _StageLedger(token_budget=self.settings.llm_token_budget, endpoint=self.endpoint.label)
            ledger._on_stage = self.on_stage
        return super().for_document(ledger)


class EndpointPool:
    """Open LLM endpoints of this process, one per distinct model configuration, until close()."""

    def __init__(self) -> None:
        self._open: dict[tuple, tuple[ExitStack, Endpoint]] = {}

    @staticmethod
    def _key(s: Settings) -> tuple:
        return (s.llm_provider, s.llm_model, s.llm_base_url, s.llm_n_ctx, s.llm_max_concurrency, s.llm_threads)

    def get(self, settings: Settings) -> Endpoint:
        key = self._key(settings)
        entry = self._open.get(key)
        if entry is not None:
            server = entry[1].server
            if server is None or (server.proc is not None and server.proc.poll() is None):
                return entry[1]
            entry[0].close()  # the local server died: start a new one
            del self._open[key]
        stack = ExitStack()
        try:
            endpoint = stack.enter_context(connect(settings))
        except BaseException:
            stack.close()
            raise
        self._open[key] = (stack, endpoint)
        return endpoint

    def close(self) -> None:
        for stack, _ in self._open.values():
            stack.close()
        self._open.clear()


@dataclass(frozen=True)
class PipelineRun:
    outcome: Outcome
    unavailable: str | None  # why the LLM endpoint counts as down for this document; None: it answered
    answered: bool  # at least one model answer (fresh or cached) went into the record


def run_pipeline(path: Path, settings: Settings, endpoints: EndpointPool, on_stage: StageCallback) -> PipelineRun:
    """Extract one stored file. Raises LLMUnavailable when no endpoint could be opened, InputError for a
    file the pipeline refuses."""
    on_stage("llm")
    try:
        endpoint = endpoints.get(settings)
    except LLMError as e:
        raise LLMUnavailable(str(e)) from e
    client = _StagedClient(endpoint, settings)
    client.on_stage = on_stage
    result = extract_path(path, settings, client)
    on_stage("storing")
    ledger = result.ledger
    return PipelineRun(
        outcome=outcome_of(result),
        unavailable=unavailable_reason(result),
        answered=ledger.cache_hits > 0 or ledger.calls > ledger.failed_calls,
    )


def unavailable_reason(result: ExtractionResult) -> str | None:
    """Why the endpoint counts as down for this document: calls that were sent failed and left parts
    unread. None when the record is as good as the model makes it (whatever its status)."""
    fatal = [e for e in result.errors if e.fatal or e.stage == "identity"]
    if not fatal or result.ledger.failed_calls == 0 or any(e.budget_spent for e in fatal):
        return None
    return f"{len(fatal)} part(s) unread: {fatal[0].error}"


def outcome_of(result: ExtractionResult) -> Outcome:
    record = result.record
    return Outcome(
        status=result.status,
        department=record.department,
        fiscal_year=record.fiscal_year,
        record_json=record.model_dump_json(),
        validation_json=result.validation.model_dump_json(),
        ledger_json=result.ledger.model_dump_json(),
        errors=[e.model_dump(mode="json") for e in result.errors],
        details={"status_reasons": result.status_reasons,
                 "rejected": [r.model_dump(mode="json") for r in result.rejected]},
    )
