"""Ledger arithmetic and the response cache's keys and files."""

from __future__ import annotations

import time

import pytest

from pipeline.llm.cache import ResponseCache, cache_key
from pipeline.llm.errors import BudgetExceeded, LLMError
from pipeline.llm.ledger import Ledger


class Usage:
    def __init__(self, prompt: int, completion: int):
        self.prompt_tokens = prompt
        self.completion_tokens = completion


def test_calls_tokens_and_parts_add_up():
    ledger = Ledger(token_budget=1000)
    ledger.record_call("收支总表", Usage(100, 20))
    ledger.record_call("收支总表", None, failed=True)
    ledger.record_invalid_output("收支总表")
    ledger.record_call("支出决算表", Usage(50, 5))
    ledger.record_cache_hit("支出决算表")
    assert (ledger.calls, ledger.failed_calls, ledger.invalid_outputs, ledger.cache_hits) == (3, 1, 1, 1)
    assert (ledger.prompt_tokens, ledger.completion_tokens, ledger.total_tokens) == (150, 25, 175)
    assert ledger.parts["收支总表"].calls == 2 and ledger.parts["支出决算表"].prompt_tokens == 50
    assert ledger.remaining() == 825
    assert Ledger.model_validate_json(ledger.model_dump_json()).total_tokens == 175


def test_cached_prompt_tokens_from_usage_or_server_timings():
    """OpenAI's usage.prompt_tokens_details.cached_tokens, else llama.cpp's timings.cache_n (never above
    the prompt): the share of each prompt the server's prompt cache reused."""
    ledger = Ledger()
    usage = Usage(100, 5)
    usage.prompt_tokens_details = type("Details", (), {"cached_tokens": 60})()
    ledger.record_call("income", usage)
    ledger.record_call("summary", Usage(80, 4), timings={"cache_n": 70, "prompt_n": 10})
    ledger.record_call("summary", Usage(10, 1), timings={"cache_n": 50})
    assert ledger.cached_prompt_tokens == 60 + 70 + 10
    assert ledger.parts["summary"].cached_prompt_tokens == 80 and ledger.prompt_tokens == 190


def test_budget():
    ledger = Ledger(token_budget=100, endpoint="http://x/v1")
    ledger.check_budget("a")
    ledger.record_call("a", Usage(90, 30))
    assert ledger.remaining() == 0
    with pytest.raises(BudgetExceeded, match="budget of 100") as info:
        ledger.check_budget("b")
    assert isinstance(info.value, LLMError) and info.value.part == "b"
    assert Ledger().remaining() is None
    Ledger().check_budget()  # no budget, never exceeded


def test_stage_seconds_accumulate_even_on_error():
    ledger = Ledger()
    with ledger.stage("ocr"):
        time.sleep(0.01)
    with pytest.raises(ValueError), ledger.stage("ocr"):
        raise ValueError
    with ledger.stage("extract"):
        pass
    assert ledger.stage_seconds["ocr"] >= 0.01 and set(ledger.stage_seconds) == {"ocr", "extract"}


def test_cache_key_depends_on_every_input():
    base = dict(
        model_id="gguf:abc",
        messages=[{"role": "user", "content": "甲"}],
        schema={"type": "object"},
        temperature=0.0,
        mode="json_schema_mode",
    )
    key = cache_key(**base)
    assert key == cache_key(**dict(base))
    for field, other in [
        ("model_id", "gguf:def"),
        ("messages", [{"role": "user", "content": "乙"}]),
        ("schema", {"type": "array"}),
        ("temperature", 0.5),
        ("mode", "json_mode"),
    ]:
        assert cache_key(**{**base, field: other}) != key, field


def test_cache_roundtrip_and_damaged_entries(tmp_path):
    cache = ResponseCache(tmp_path)
    key = "ab" + "0" * 62
    assert cache.get(key) is None
    cache.put(key, {"response": {"total": "770.43"}})
    assert cache.get(key) == {"response": {"total": "770.43"}}
    assert [p.name for p in (tmp_path / "ab").iterdir()] == [f"{key}.json"]
    (tmp_path / "ab" / f"{key}.json").write_text("{half")
    assert cache.get(key) is None
    off = ResponseCache(tmp_path / "off", enabled=False)
    off.put(key, {"x": 1})
    assert off.get(key) is None and not (tmp_path / "off").exists()
