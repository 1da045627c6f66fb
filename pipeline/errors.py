"""Errors a user sees: each names the file and the cause, so a batch can report it and go on."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class JuesuanError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InputError(JuesuanError):
    """A submitted file cannot be read: not a PDF, corrupt, encrypted, empty, too large …"""

    def __init__(self, path: str | Path, cause: str):
        self.path = str(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class ConfigError(JuesuanError):
    """A setting is missing or wrong; the message names the setting to change."""


def validation_summary(error: ValidationError, most: int = 2) -> str:
    """Pydantic's errors on one line: the first few as 'path: message', then how many more."""
    parts = []
    for err in error.errors()[:most]:
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    more = error.error_count() - most
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
