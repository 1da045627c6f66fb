"""A rule: an identity with an id, bilingual title, the fields it reads, its tolerance and its severity."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.validate.checks import Check
from pipeline.validate.outcome import Severity

TOLERANCES = {
    "sum": "a sum of n printed figures may be off by (n+1) × half_cent (0.005 万元): reported as rounding",
    "pct": "half a unit of the printed precision passes; up to pct_rounding_units units plus the rounding "
    "propagated from the amounts is a rounding gap",
    "exact": "no tolerance: the text either says it or not",
}


@dataclass(frozen=True)
class Rule:
    id: str
    title_zh: str
    title_en: str
    identity: str
    check: Check
    severity: Severity = "error"
    tolerance: str = "sum"

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def reads(self) -> tuple[str, ...]:
        return self.check.reads()

    def describe(self) -> dict:
        return {
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "identity": self.identity,
            "reads": list(self.reads),
            "tolerance": self.tolerance,
            "severity": self.severity,
        }
