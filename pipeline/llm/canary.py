"""The start-up canary: does the server really hold the model to the response schema?

Pointer extraction relies on the schema's grammar: every field is an enum of the ids present in the text, so
a model that ignores it could answer an id that does not exist. Some llama.cpp builds have answered HTTP 200
with the grammar silently dropped, so one tiny request is sent when a server starts: its schema allows a
single value the prompt argues against. Any other answer means the schema is not enforced, and the run stops
with that said, instead of reading a report on trust.
"""

from __future__ import annotations

import json

import openai

from pipeline.llm.errors import LLMError

EXPECTED = {"pick": "z7"}
SCHEMA = {
    "type": "object",
    "properties": {"pick": {"type": "string", "enum": ["z7"]}},
    "required": ["pick"],
    "additionalProperties": False,
}
PROMPT = '只输出这个 JSON，不要改动：{"pick": "a1"}'


def check_schema_enforced(base_url: str, api_key: str, model: str, label: str, timeout: float = 60.0) -> None:
    """Raise LLMError unless the server's answer keeps to a schema that admits only ``{"pick": "z7"}``."""
    client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=1)
    try:
        response = client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": PROMPT}],
            response_format={"type": "json_schema", "json_schema": {"name": "canary", "schema": SCHEMA}},
            temperature=0.0,
            max_tokens=24,
        )
    except openai.OpenAIError as e:
        raise LLMError(label, f"schema canary request failed: {e}") from e
    text = (response.choices[0].message.content or "").strip() if response.choices else ""
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if answer != EXPECTED:
        raise LLMError(
            label,
            f"the server does not enforce the response schema (a schema allowing only {json.dumps(EXPECTED)} "
            f"was answered with {text[:80]!r}); refusing to extract with it",
        )
