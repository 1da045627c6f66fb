"""The start-up canary: a server that lets a schema's enum be broken is refused before any report is read."""

from __future__ import annotations

import pytest

from pipeline.config import Settings
from pipeline.llm import LLMError, connect
from pipeline.llm.canary import EXPECTED, SCHEMA, check_schema_enforced

try:
    from tests.llm_stub import Step, StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import Step, StubServer, answer


def test_a_grammar_silently_dropped_is_refused():
    with StubServer([answer({"pick": "a1"})]) as stub:  # HTTP 200, the schema ignored
        with pytest.raises(LLMError, match="does not enforce the response schema"):
            check_schema_enforced(stub.url, "k", "m", "stub")
        (req,) = stub.requests
    assert req["response_format"]["json_schema"]["schema"] == SCHEMA


def test_an_enforced_schema_passes():
    with StubServer([answer(EXPECTED)]) as stub:
        check_schema_enforced(stub.url, "k", "m", "stub")


def test_garbage_and_errors_are_refused_with_the_cause():
    with StubServer([Step(content="no json here")]) as stub, pytest.raises(LLMError, match="no json here"):
        check_schema_enforced(stub.url, "k", "m", "stub")
    with StubServer([Step(status=500)]) as stub, pytest.raises(LLMError, match="canary request failed"):
        check_schema_enforced(stub.url, "k", "m", "stub")


def test_the_embedded_server_enforces_the_schema():
    """connect() runs the canary on the real llama.cpp server before handing out the endpoint."""
    settings = Settings(llm_provider="local", llm_max_tokens=32, llm_n_ctx=1024, llm_max_concurrency=1)
    with connect(settings) as endpoint:
        assert endpoint.server is not None and endpoint.server.schema_checked
