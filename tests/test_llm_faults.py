"""Retry, re-ask, budget, cache and concurrency behaviour against a scripted OpenAI-compatible stub."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.llm import BudgetExceeded, Ledger, LLMClient, LLMError, connect

try:
    from tests.llm_stub import Step, StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import Step, StubServer, answer

MESSAGES = [{"role": "user", "content": "2024年度收入、支出总计均为770.43万元。"}]
GOOD = {"total": "770.43", "quote": "收入、支出总计均为770.43万元"}


class Total(BaseModel):
    total: Decimal
    quote: str


def settings_for(stub: StubServer, tmp_path: Path, **over) -> Settings:
    values = dict(
        cache_dir=tmp_path,
        llm_provider="openai",
        llm_base_url=stub.url,
        llm_model="stub-model",
        llm_api_key="sk-test",
        llm_attempts=3,
        llm_backoff_s=0.01,
        llm_backoff_max_s=0.05,
        llm_timeout_s=0.5,
        llm_min_tokens_per_s=1000,  # 64 tokens add 0.064 s: about 0.56 s per request
        llm_max_tokens=64,
        llm_max_retries=1,
    )
    values.update(over)
    return Settings(**values)


def run(script: list[Step], tmp_path: Path, **over):
    """One complete() against a fresh stub; returns (result or exception, ledger, stub)."""
    with StubServer(script) as stub:
        settings = settings_for(stub, tmp_path, **over)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            try:
                result = client.complete(Total, MESSAGES, part="totals")
            except LLMError as e:
                result = e
    return result, client.ledger, stub


def test_happy_request_shape(tmp_path):
    result, ledger, stub = run([answer(GOOD)], tmp_path)
    assert result == Total(total=Decimal("770.43"), quote=GOOD["quote"])
    body = stub.requests[0]
    assert body["temperature"] == 0
    assert body["max_tokens"] == 64
    assert body["model"] == "stub-model"
    assert body["response_format"]["type"] == "json_schema"
    assert set(body["response_format"]["json_schema"]["schema"]["properties"]) == {"total", "quote"}
    assert (ledger.calls, ledger.failed_calls) == (1, 0)
    assert (ledger.prompt_tokens, ledger.completion_tokens) == (10, 5)


def test_json_mode_asks_for_a_json_object(tmp_path):
    result, _, stub = run([answer(GOOD)], tmp_path, llm_mode="json")
    assert result.total == Decimal("770.43")
    assert stub.requests[0]["response_format"] == {"type": "json_object"}


def test_timeout_then_success(tmp_path):
    result, ledger, stub = run([Step(delay=1.5, content="{}"), answer(GOOD)], tmp_path)
    assert result.total == Decimal("770.43")
    assert len(stub.requests) == 2
    assert (ledger.calls, ledger.failed_calls) == (2, 1)
    assert (ledger.prompt_tokens, ledger.completion_tokens) == (10, 5)  # a timed-out call reports none


def test_timeout_grows_with_max_tokens(tmp_path):
    """The same 1 s wait cuts off a request for 100 tokens (0.3 s + 100 / 1000) and not one for 2000 tokens
    (0.3 s + 2 s); the cut-off attempt is charged as failed."""
    over = dict(llm_timeout_s=0.3, llm_min_tokens_per_s=1000, llm_attempts=1, llm_max_retries=0)
    error, ledger, stub = run([answer(GOOD, delay=1.0)], tmp_path, llm_max_tokens=100, **over)
    assert isinstance(error, LLMError) and "timed out" in str(error), error
    assert (ledger.calls, ledger.failed_calls) == (1, 1)
    assert stub.requests[0]["max_tokens"] == 100
    result, ledger, stub = run([answer(GOOD, delay=1.0)], tmp_path / "b", llm_max_tokens=2000, **over)
    assert result.total == Decimal("770.43")
    assert (ledger.calls, ledger.failed_calls) == (1, 0)
    assert stub.requests[0]["max_tokens"] == 2000


def test_request_timeout_formula():
    from pipeline.llm.client import request_timeout

    settings = Settings()
    assert request_timeout(settings, 1024) == settings.llm_timeout_s + 1024 / settings.llm_min_tokens_per_s
    assert request_timeout(settings, None) == request_timeout(settings, settings.llm_max_tokens)
    assert request_timeout(Settings(llm_timeout_s=10, llm_min_tokens_per_s=4), 400) == 110


def test_a_request_the_http_client_never_ends_is_given_up_at_the_deadline(tmp_path, monkeypatch):
    """Belt and braces: a request still running past its timeout (+ grace) is abandoned as a timeout."""
    import pipeline.llm.client as client_module

    monkeypatch.setattr(client_module, "DEADLINE_GRACE_S", 0.0)
    with StubServer([answer(GOOD)]) as stub:
        settings = settings_for(stub, tmp_path, llm_attempts=1, llm_timeout_s=0.2, use_cache=False)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            client._openai.chat.completions.create = lambda **_kw: time.sleep(30)  # type: ignore[method-assign]
            start = time.monotonic()
            with pytest.raises(LLMError, match="timed out"):
                client.complete(Total, MESSAGES, part="totals")
    assert time.monotonic() - start < 3
    assert (client.ledger.calls, client.ledger.failed_calls) == (1, 1)


def test_429_then_success_honours_retry_after(tmp_path):
    """The retry waits the server's Retry-After (far longer than our own 0.01 s backoff), capped at the
    maximum backoff; without the header the retry comes at once."""

    def gap(headers: dict[str, str], **over) -> float:
        script = [Step(status=429, headers=headers), answer(GOOD)]
        result, ledger, stub = run(script, tmp_path / str(len(over)) / str(headers), **over)
        assert result.total == Decimal("770.43")
        assert len(stub.requests) == 2 and (ledger.calls, ledger.failed_calls) == (2, 1)
        return stub.arrivals[1] - stub.arrivals[0]

    assert 0.6 <= gap({"retry-after": "0.6"}, llm_backoff_max_s=5) < 3
    assert gap({}, llm_backoff_max_s=5) < 0.5
    assert 0.3 <= gap({"retry-after": "30"}, llm_backoff_max_s=0.3) < 3  # capped: never half a minute


def test_500_then_success(tmp_path):
    result, ledger, stub = run([Step(status=500), Step(status=503), answer(GOOD)], tmp_path)
    assert result.total == Decimal("770.43")
    assert len(stub.requests) == 3
    assert (ledger.calls, ledger.failed_calls) == (3, 2)


def test_connection_reset_then_success(tmp_path):
    result, ledger, stub = run([Step(reset=True), answer(GOOD)], tmp_path)
    assert result.total == Decimal("770.43")
    assert (ledger.calls, ledger.failed_calls) == (2, 1)


def test_500_forever_gives_up_with_llm_error(tmp_path):
    error, ledger, stub = run([Step(status=500)], tmp_path, llm_attempts=4)
    assert isinstance(error, LLMError)
    assert stub.url.removesuffix("/v1") in str(error)  # names the endpoint
    assert "HTTP 500" in str(error) and "4 attempt" in str(error)
    assert error.part == "totals"
    assert len(stub.requests) == 4
    assert (ledger.calls, ledger.failed_calls) == (4, 4)


def test_other_4xx_is_not_retried(tmp_path):
    error, ledger, stub = run([Step(status=400), answer(GOOD)], tmp_path)
    assert isinstance(error, LLMError) and "HTTP 400" in str(error)
    assert len(stub.requests) == 1
    assert (ledger.calls, ledger.failed_calls) == (1, 1)


def test_malformed_json_then_valid_is_reasked(tmp_path):
    result, ledger, stub = run([Step(content='{"total": 770.43, "quote": '), answer(GOOD)], tmp_path)
    assert result.total == Decimal("770.43")
    assert len(stub.requests) == 2
    # the re-ask shows the model its own broken output
    assert any('{"total": 770.43, "quote": ' in str(m.get("content")) for m in stub.requests[1]["messages"])
    assert (ledger.calls, ledger.failed_calls, ledger.invalid_outputs) == (2, 0, 1)
    assert (ledger.prompt_tokens, ledger.completion_tokens) == (20, 10)  # both attempts are charged


def test_invalid_forever_gives_up_after_max_retries(tmp_path):
    error, ledger, stub = run([answer({"total": "n/a", "quote": "x"})], tmp_path, llm_max_retries=2)
    assert isinstance(error, LLMError)
    assert "failed validation after 3 attempt" in str(error)
    assert error.__cause__ is not None  # instructor's own error is kept
    assert len(stub.requests) == 3
    assert (ledger.calls, ledger.invalid_outputs) == (3, 3)


def test_truncated_output_is_a_clear_error(tmp_path):
    error, _, _ = run([Step(content='{"total": 7', finish_reason="length")], tmp_path)
    assert isinstance(error, LLMError) and "llm_max_tokens" in str(error)


def test_cache_hit_makes_no_request(tmp_path):
    with StubServer([answer(GOOD)]) as stub:
        settings = settings_for(stub, tmp_path)
        with connect(settings) as endpoint:
            first = LLMClient(endpoint, settings)
            first.complete(Total, MESSAGES, part="totals")
            second = first.for_document()
            again = second.complete(Total, MESSAGES, part="totals")
            other = second.complete(Total, [{"role": "user", "content": "另一份报告"}], part="totals")
    assert again.total == other.total == Decimal("770.43")
    assert len(stub.requests) == 2  # the repeat was answered from the cache
    assert (second.ledger.calls, second.ledger.cache_hits) == (1, 1)
    assert list((tmp_path / "llm").rglob("*.tmp*")) == []


def test_cache_can_be_disabled(tmp_path):
    with StubServer([answer(GOOD)]) as stub:
        settings = settings_for(stub, tmp_path, use_cache=False)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            client.complete(Total, MESSAGES, part="a")
            client.complete(Total, MESSAGES, part="a")
    assert len(stub.requests) == 2 and client.ledger.cache_hits == 0


def test_budget_stops_further_calls(tmp_path):
    with StubServer([answer(GOOD, usage=(60, 40))]) as stub:
        settings = settings_for(stub, tmp_path, llm_token_budget=100, use_cache=False)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            client.complete(Total, MESSAGES, part="a")
            assert client.ledger.remaining() == 0
            with pytest.raises(BudgetExceeded, match="budget of 100"):
                client.complete(Total, MESSAGES, part="b")
    assert len(stub.requests) == 1


def test_concurrency_is_bounded(tmp_path):
    with StubServer([answer(GOOD, delay=0.3)]) as stub:
        settings = settings_for(stub, tmp_path, llm_max_concurrency=2, use_cache=False, llm_timeout_s=5)
        with connect(settings) as endpoint:
            ledger = Ledger()
            client = LLMClient(endpoint, settings, ledger)
            threads = [
                threading.Thread(target=client.complete, args=(Total, MESSAGES), kwargs={"part": f"p{i}"})
                for i in range(5)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert len(stub.requests) == 5 and ledger.calls == 5
    assert stub.max_in_flight == 2
    assert set(ledger.parts) == {f"p{i}" for i in range(5)}


def test_openai_provider_needs_a_key_for_the_default_url(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with (
        pytest.raises(ConfigError, match="OPENAI_API_KEY"),
        connect(Settings(cache_dir=tmp_path, llm_provider="openai")),
    ):
        pass


def test_openai_api_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    with connect(Settings(cache_dir=tmp_path, llm_provider="openai", llm_model="deepseek-chat")) as endpoint:
        assert endpoint.api_key == "sk-from-env"
        assert endpoint.model_id == "openai:https://api.openai.com/v1|deepseek-chat"


def test_budget_stops_a_reask(tmp_path):
    bad = answer({"total": "n/a", "quote": "x"}, usage=(70, 30))
    error, ledger, stub = run([bad, answer(GOOD)], tmp_path, llm_token_budget=100, llm_max_retries=3)
    assert isinstance(error, BudgetExceeded)
    assert len(stub.requests) == 1 and (ledger.calls, ledger.invalid_outputs) == (1, 1)


@pytest.fixture
def stopping():
    """pipeline.llm.cancel for one test: cancel() after `after` seconds from a thread; always reset."""
    from pipeline.llm import cancel

    timers: list[threading.Timer] = []

    def after(seconds: float) -> None:
        timers.append(threading.Timer(seconds, cancel.cancel))
        timers[-1].start()

    yield after
    for t in timers:
        t.cancel()
    cancel.reset()


def _timed_complete(client: LLMClient, part: str, box: dict) -> None:
    start = time.monotonic()
    try:
        box[part] = client.complete(Total, MESSAGES, part=part)
    except BaseException as e:  # noqa: BLE001 - what it raised is the test's subject
        box[part] = e
    box[f"{part}_s"] = time.monotonic() - start


def test_cancel_abandons_a_hanging_request_and_the_wait_for_a_slot(tmp_path, stopping):
    """A request the server sits on, and another waiting for the only slot, both end within a second of cancel()
    (a batch's Ctrl-C), not after the request timeout; the abandoned attempt is charged as failed."""
    from pipeline.llm.errors import Cancelled

    with StubServer([Step(delay=60, content="{}")]) as stub:
        settings = settings_for(stub, tmp_path, llm_timeout_s=120, llm_max_concurrency=1, use_cache=False)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            box: dict = {}
            threads = [threading.Thread(target=_timed_complete, args=(client, p, box)) for p in ("a", "b")]
            for t in threads:
                t.start()
            stopping(1.0)
            for t in threads:
                t.join(timeout=10)
    assert not any(t.is_alive() for t in threads), "a call outlived cancel() by 10 s"
    assert isinstance(box["a"], Cancelled) and isinstance(box["b"], Cancelled)
    assert max(box["a_s"], box["b_s"]) < 2.5
    assert len(stub.requests) == 1  # the second never got the slot
    assert (client.ledger.calls, client.ledger.failed_calls) == (1, 1)


def test_cancel_ends_a_backoff(tmp_path, stopping):
    from pipeline.llm.errors import Cancelled

    with StubServer([Step(status=503)]) as stub:
        settings = settings_for(stub, tmp_path, llm_backoff_s=30, llm_backoff_max_s=30, use_cache=False)
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            box: dict = {}
            stopping(0.5)
            _timed_complete(client, "a", box)
    assert isinstance(box["a"], Cancelled) and box["a_s"] < 2
    assert len(stub.requests) == 1
