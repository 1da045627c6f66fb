"""The validator's answer: violations with their figures and quotes, grouped by whose fault they are."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from pipeline.record.money import Number

Severity = Literal["error", "warning", "info"]
ViolationClass = Literal["extraction", "source", "rounding"]
CLASSES: tuple[ViolationClass, ...] = ("extraction", "source", "rounding")


class Involved(BaseModel):
    """A figure a violation involves: its value and where it was read."""

    path: str
    value: Number
    grounded: bool
    quote: str | None = None
    page: int | None = None
    line: int | None = None
    alias_of: str | None = Field(None, description="the table cell this field was read from")


class Violation(BaseModel):
    rule: str
    title_zh: str
    title_en: str
    subject: str = Field(description="what was checked: a path, a row, or an identity instance")
    severity: Severity
    cls: ViolationClass = Field(description="extraction (our reading), source (the report), rounding")
    fields: list[Involved] = Field(default_factory=list)
    expected: Number | None = None
    found: Number | None = None
    difference: Number | None = None
    tolerance: Number | None = None
    message: str = ""

    def sort_key(self) -> tuple:
        return (CLASSES.index(self.cls), self.rule, self.subject, self.message)


class RuleCount(BaseModel):
    checked: int = 0
    passed: int = 0
    not_checked: int = 0


class ValidationReport(BaseModel):
    document: str | None = None
    grounded_document: bool = Field(description="whether quotes were checked against the document text")
    violations: list[Violation] = Field(default_factory=list)
    rules: dict[str, RuleCount] = Field(default_factory=dict)
    figures: int = 0
    ungrounded: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> dict[str, int]:
        """Violations by class, as the CLI groups them."""
        return self.counts()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accepted(self) -> bool:
        """No error is ours: the extraction loop may stop (the report's own errors stay reported)."""
        return self.ok

    def by_class(self, cls: ViolationClass) -> list[Violation]:
        return [v for v in self.violations if v.cls == cls]

    def errors(self, cls: ViolationClass | None = None) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error" and (cls is None or v.cls == cls)]

    @property
    def ok(self) -> bool:
        """No error that is ours to fix: the record may be accepted (the report's own errors remain)."""
        return not self.errors("extraction")

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def counts(self) -> dict[str, int]:
        c = Counter(v.cls for v in self.violations)
        return {k: c.get(k, 0) for k in CLASSES}

    @property
    def not_checked(self) -> int:
        return sum(r.not_checked for r in self.rules.values())

    @property
    def checked(self) -> int:
        return sum(r.checked for r in self.rules.values())
