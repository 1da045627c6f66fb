"""What one evaluation of a rule on one subject found, before it is classified into a violation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pipeline.validate.facts import Fact

Severity = Literal["error", "warning", "info"]
ViolationClass = Literal["extraction", "source", "rounding"]


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ROUNDING = "rounding"  # off, but within the rounding envelope
    SKIP = "skip"  # not checkable: a figure it needs is not stated


@dataclass
class Outcome:
    status: Status
    subject: str
    facts: tuple[Fact, ...] = ()
    expected: Decimal | None = None
    found: Decimal | None = None
    tolerance: Decimal | None = None
    message: str = ""
    cls: ViolationClass | None = None  # set by rules that know the class (grounding: extraction)
    severity: Severity | None = None  # overrides the rule's severity for this subject
    blanks: tuple[str, ...] = ()  # blank cells of a printed row that were taken as 0
    blank_side: bool = False  # a whole side of the identity is blank while the other is stated
    absent: tuple[str, ...] = ()  # parts stated nowhere that were taken as 0
    missing: tuple[str, ...] = ()  # (a skip) the data the check needed and did not have
    additive: bool = False  # a Σ = Σ identity: its gap can be compared with the printed amounts

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.found is None:
            return None
        return self.found - self.expected


def skip(subject: str, message: str = "", missing: tuple[str, ...] | list[str] = ()) -> Outcome:
    """Not checkable; ``missing`` names the data it lacked (for the coverage account)."""
    return Outcome(Status.SKIP, subject, message=message, missing=tuple(missing))
