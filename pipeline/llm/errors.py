"""LLM-layer errors: each names the endpoint (or model file) and the cause, so a batch can report and go on."""

from __future__ import annotations

from pipeline.errors import JuesuanError


class LLMError(JuesuanError):
    """A call to the model failed for good: transport gave up, output never validated, server did not start."""

    def __init__(self, endpoint: str, cause: str, *, part: str | None = None):
        self.endpoint = endpoint
        self.cause = cause
        self.part = part
        where = f" [{part}]" if part else ""
        super().__init__(f"LLM {endpoint}{where}: {cause}")


class BudgetExceeded(LLMError):
    """The document's token budget is spent; the repair loop stops instead of spending more."""


class ModelIntegrityError(JuesuanError):
    """A joined model file does not match its published sha256 (corrupt or tampered package); never loaded."""


class Cancelled(KeyboardInterrupt):
    """The process is stopping (Ctrl-C, SIGTERM): a wait for the model was given up, its request abandoned.

    A KeyboardInterrupt, not an Exception, so that no ``except Exception`` of one part or one document takes
    it for that part's failure and goes on working.
    """

    def __init__(self) -> None:
        super().__init__("stopping: LLM request abandoned")
