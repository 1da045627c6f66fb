"""Tolerances and switches of the validator; every one is a setting, none is hard-wired in a rule."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class ValidationSettings(BaseModel):
    """How strict the validator is. Defaults follow how 部门决算 reports print figures (万元 to 0.01)."""

    half_cent: Decimal = Field(
        Decimal("0.005"),
        description="half the printed precision of money (万元 to 0.01): each figure's rounding",
    )
    pct_rounding_units: Decimal = Field(
        Decimal(1),
        description="a percentage within this many units of its last printed digit (plus propagated rounding) "
        "is a rounding gap; within half a unit it passes",
    )
    magnitude_factor: Decimal = Field(
        Decimal(10), description="no amount may exceed this multiple of the department's total"
    )
    execution_score_max: Decimal = Field(
        Decimal(10), description="weight of 预算执行 in a 项目支出绩效自评表: its score cannot exceed it"
    )
    line_window: int = Field(8, ge=1, description="lines a quote of a plain-text source may span")
    disabled: list[str] = Field(default_factory=list, description="rule ids (or id prefixes) not to run")
    severity: dict[str, str] = Field(default_factory=dict, description="rule id → severity override")

    def enabled(self, rule_id: str) -> bool:
        return not any(rule_id == d or rule_id.startswith(d + ".") for d in self.disabled)

    def sum_envelope(self, n: int) -> Decimal:
        """A sum of n rounded figures against a rounded total may be off by (n + 1) half-cents."""
        return (n + 1) * self.half_cent
