"""Transport retries: timeouts, 429, 5xx and dropped connections are retried with jittered backoff.

Other 4xx (bad request, auth, unknown model) are our mistake or the user's and fail at once. Validation
re-asks are instructor's business, not this module's.
"""

from __future__ import annotations

import random

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from pipeline.config import Settings
from pipeline.llm import cancel


def is_transient(exc: BaseException) -> bool:
    """True for faults worth another try: timeouts, connection errors, 429 and any 5xx."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError and resets
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds a 429/503 asks us to wait (Retry-After header), if it says."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class BackoffWait:
    """Exponential backoff with jitter (half to all of the step), at least the server's Retry-After, at most `maximum` seconds."""

    def __init__(self, initial: float, maximum: float):
        self.initial = initial
        self.maximum = maximum

    def __call__(self, state: RetryCallState) -> float:
        ceiling = min(self.maximum, self.initial * 2 ** (state.attempt_number - 1))
        wait = random.uniform(ceiling / 2, ceiling)
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc)
        if hinted is not None:
            wait = max(wait, hinted)
        return min(wait, self.maximum)


def transport_retrying(settings: Settings) -> Retrying:
    """A fresh tenacity policy for one request; reraise=True so the caller sees the last real error, and the
    backoff ends early with Cancelled when the process is stopping."""
    return Retrying(
        stop=stop_after_attempt(settings.llm_attempts),
        wait=BackoffWait(settings.llm_backoff_s, settings.llm_backoff_max_s),
        sleep=cancel.sleep,
        retry=retry_if_exception(is_transient),
        reraise=True,
    )


def describe(exc: BaseException) -> str:
    """A one-line cause for LLMError: status code and body or the exception's own words."""
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {exc.message}"
    if isinstance(exc, openai.APITimeoutError):
        return "request timed out"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        return f"connection failed: {cause or exc}"
    return f"{type(exc).__name__}: {exc}"
