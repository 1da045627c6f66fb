"""Errors a user sees: each names the file and the cause, so a batch can report it and go on."""

from __future__ import annotations

from pathlib import Path


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
