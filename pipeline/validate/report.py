"""The validator's answer: violations with their figures and quotes, grouped by whose fault they are, the
evidence when a gap was judged our reading, how completely each table was read, and which rules ran."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from pipeline.record.money import Number

Severity = Literal["error", "warning", "info"]
ViolationClass = Literal["extraction", "source", "rounding"]
CLASSES: tuple[ViolationClass, ...] = ("extraction", "source", "rounding")
Pattern = Literal[
    "ungrounded",  # a figure's quote is not on its page, or does not print it
    "not_read",  # something the document prints (a table, an item) is not in the record
    "two_readings",  # the same printed text was read as two values
    "blank",  # a blank cell where the other side of the identity is stated
    "not_stated",  # a part stated nowhere was taken as 0
    "row_missing",  # the row a figure needs is not in the record's table
    "column_missing",  # a column is blank in every row of the record's table
    "rows_not_read",  # printed amounts on the figures' rows (or table) that no figure was read from
    "unreadable_cell",  # a printed cell with digits that are not one number
    "split_rows",  # codes printed on rows of their own: the table's rows were not keyed
    "same_cell",  # two figures read from one printed cell
    "off_by_one_row",  # the gap is exactly one printed amount: a row missed or read twice
    "neighbour_value",  # a figure equals the amount printed beside it: a column read twice
    "wrong_cell",  # a field read from a column that does not state it
    "alternate_ungrounded",  # the other statement of a figure is not where it says
    "other_quantity",  # the two statements name different quantities (one a part: 其中, 中小企业, 预留…)
    "list_incomplete",  # a list (类, 项) that cannot be shown to be complete
    "weak_zero",  # a 0 read from 无/没有 words or from a count (0 辆), not from a printed amount
    "doubted_cell",  # a figure another identity's gap points at as misread (its gap is exactly this cell)
]


class Evidence(BaseModel):
    """Why a gap was judged our reading (``extraction``) rather than the report's: what the review page shows
    and what a re-read of ``table`` should fix."""

    pattern: Pattern
    detail: str
    table: str | None = Field(None, description="the standard table to re-read (T1…T9), when one is at fault")
    cells: list[str] = Field(default_factory=list, description="the cells or printed amounts concerned")


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
    evidence: list[Evidence] = Field(
        default_factory=list, description="why this is our reading (extraction), not the report (source)"
    )

    def sort_key(self) -> tuple:
        return (CLASSES.index(self.cls), self.rule, self.subject, self.message)


class RuleCount(BaseModel):
    checked: int = 0
    passed: int = 0
    not_checked: int = 0
    missing: list[str] = Field(default_factory=list, description="data the unchecked subjects lacked")
    reasons: list[str] = Field(default_factory=list, description="other reasons subjects were not checked")


class TableCount(BaseModel):
    """How completely one standard table was read: amounts printed against figures read from them."""

    printed: int = Field(0, description="amounts printed in the document's table (0 when it has no layout table)")
    mapped: int = Field(0, description="printed amounts the record read")
    figures: int = Field(0, description="figures in the record's table")
    problems: list[str] = Field(default_factory=list, description="why the reading is suspect; empty when complete")


class Coverage(BaseModel):
    """Which rules ran, which could not (and for want of what), which passed: "no finding" means no finding
    among the checks that ran."""

    rules: int = Field(description="rules enabled")
    ran: int = Field(description="rules that checked at least one subject")
    passed: list[str] = Field(description="rules that ran and found nothing (rounding gaps aside)")
    failed: list[str] = Field(description="rules with an extraction or source finding")
    partly: dict[str, list[str]] = Field(description="rules that ran, but some subjects lacked data: which data")
    not_run: dict[str, list[str]] = Field(description="rules that could not run: the data (or reason) they lacked")
    disabled: list[str] = Field(default_factory=list)


class ValidationReport(BaseModel):
    document: str | None = None
    grounded_document: bool = Field(description="whether quotes were checked against the document text")
    violations: list[Violation] = Field(default_factory=list)
    rules: dict[str, RuleCount] = Field(default_factory=dict)
    figures: int = 0
    ungrounded: int = 0
    tables: dict[str, TableCount] = Field(default_factory=dict, description="reading of each standard table")
    disabled: list[str] = Field(default_factory=list, description="rules not run by the settings")

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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def coverage(self) -> Coverage:
        """The coverage account, from the rule counts and the findings."""
        failed = {v.rule for v in self.violations if v.cls != "rounding"}
        ran = {r for r, c in self.rules.items() if c.checked}
        return Coverage(
            rules=len(self.rules),
            ran=len(ran),
            passed=sorted(ran - failed),
            failed=sorted(failed),
            partly={r: _lacked(c) for r, c in sorted(self.rules.items()) if c.checked and c.not_checked},
            not_run={r: _lacked(c) for r, c in sorted(self.rules.items()) if not c.checked},
            disabled=self.disabled,
        )

    def suspect_tables(self) -> dict[str, list[str]]:
        """Tables to re-read, each with why: read incompletely, or blamed by an extraction finding."""
        out: dict[str, list[str]] = {}
        for tid, count in sorted(self.tables.items()):
            if count.problems:
                out[tid] = list(count.problems)
        for v in self.errors("extraction"):
            for e in v.evidence:
                if e.table and e.detail not in out.setdefault(e.table, []):
                    out[e.table].append(e.detail)
        return {t: reasons[:6] for t, reasons in out.items() if reasons}

    def unresolved_reasons(self, limit: int = 12) -> list[str]:
        """Why our reading is not trusted, one line per cause (what ``unresolved`` says to the user): each table
        to re-read with its first reason, then the figures not tied to a table."""
        out = [
            f"{tid}: {reasons[0]}" + (f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else "")
            for tid, reasons in self.suspect_tables().items()
            if any(e.table == tid for v in self.errors("extraction") for e in v.evidence)
        ]
        for v in self.errors("extraction"):
            for e in v.evidence or [Evidence(pattern="ungrounded", detail=f"{v.rule}: {v.message}")]:
                if e.table is None and e.detail not in out:
                    out.append(e.detail)
        return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])

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


def _lacked(count: RuleCount) -> list[str]:
    return count.missing + count.reasons or ["nothing in the record to check"]
