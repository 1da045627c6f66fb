"""Small evaluators that rules are built from: each checks one kind of identity on a FactView."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pipeline.validate.facts import FactView
from pipeline.validate.outcome import Outcome
from pipeline.validate.settings import ValidationSettings


class Check(Protocol):
    def reads(self) -> tuple[str, ...]:
        """The paths (or ``[*]`` patterns) the check reads."""
        ...

    def evaluate(self, view: FactView, settings: ValidationSettings) -> Iterator[Outcome]: ...
