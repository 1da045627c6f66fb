"""Run the catalog over a record and classify what fails: extraction, source or rounding.

Classification: a gap within the rounding envelope is ``rounding`` (info). Otherwise the gap is ``extraction``
(ours, to re-read) when anything says our reading may have failed (``misreading``: a figure not grounded or
read two ways, a blank where the other side is stated, a row or column not read, a gap of exactly one row, a
figure equal to its neighbour, a list not shown complete), with that evidence on the violation. Only when
every figure was read from its cell or sentence and nothing explains the gap does the report itself not
reconcile: ``source``, a claim a user may repeat.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.document import Document
from pipeline.record.model import Record
from pipeline.validate.doccache import per_document
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.grounding import DocumentIndex
from pipeline.validate.misreading import Context, doubted, evidence, reading_evidence
from pipeline.validate.outcome import Outcome, Status
from pipeline.validate.report import (
    Evidence,
    Involved,
    RuleCount,
    TableCount,
    ValidationReport,
    Violation,
    ViolationClass,
)
from pipeline.validate.rules import Rule
from pipeline.validate.settings import ValidationSettings

if TYPE_CHECKING:
    from pipeline.reports import ReportProfile


def _index(document: Document | None, settings: ValidationSettings) -> DocumentIndex | None:
    """One index per document object, so a retry loop does not re-normalize the same pages."""
    if document is None:
        return None
    window = settings.line_window
    return per_document(document, f"index:{window}", lambda: DocumentIndex(document, window))


def classify(outcome: Outcome, ctx: Context) -> tuple[ViolationClass, list[Evidence]]:
    """The class of a failed outcome and, for ``extraction``, why."""
    if outcome.status is Status.ROUNDING:
        return "rounding", []
    found = evidence(outcome, ctx)
    if outcome.cls == "extraction":
        table = outcome.subject if re.fullmatch(r"[A-Z]\d{1,2}", outcome.subject) else None
        if not found and table in ctx.readings:
            found = reading_evidence(ctx.readings[table])
        return "extraction", found or [Evidence(pattern="not_read", detail=outcome.message, table=table)]
    if found:
        return "extraction", found
    return outcome.cls or "source", []


def _involved(fact: Fact) -> Involved:
    src = fact.figure.source
    return Involved(
        path=fact.path,
        value=fact.value,
        grounded=fact.grounded,
        quote=src.quote if src else None,
        page=src.page if src else None,
        line=src.line if src else None,
        alias_of=fact.alias_of,
    )


def _violation(rule: Rule, outcome: Outcome, ctx: Context) -> Violation:
    settings = ctx.settings
    cls, why = classify(outcome, ctx)
    severity = (
        "info" if cls == "rounding" else outcome.severity or settings.severity.get(rule.id, rule.severity)
    )
    seen: set[str] = set()
    fields = []
    for f in outcome.facts:
        if f.path not in seen:
            seen.add(f.path)
            fields.append(_involved(f))
    return Violation(
        rule=rule.id,
        title_zh=rule.title_zh,
        title_en=rule.title_en,
        subject=outcome.subject,
        severity=severity,
        cls=cls,
        fields=fields,
        expected=outcome.expected,
        found=outcome.found,
        difference=outcome.difference,
        tolerance=outcome.tolerance,
        message=outcome.message,
        evidence=why,
    )


def validate(
    record: Record,
    document: Document | None = None,
    settings: ValidationSettings | None = None,
    rules: list[Rule] | None = None,
    profile: ReportProfile | None = None,
) -> ValidationReport:
    """Check a record against its kind's rule catalog (or ``rules``); with ``document``, ground every quote in
    its text. ``profile``: the report kind, by default the one the record names (looked up once, here)."""
    settings = settings or ValidationSettings()
    if profile is None:
        from pipeline.reports import detect

        profile = detect(record.report_type)
    view = FactView(record, profile, _index(document, settings))
    readings = view.readings
    ctx = Context(view, readings, settings, view.printed_tables)
    report = ValidationReport(document=record.document, grounded_document=document is not None)
    own = [f for f in view.facts.values() if f.alias_of is None]
    report.figures = len(own)
    report.ungrounded = sum(1 for f in own if not f.grounded)
    report.tables = {
        tid: TableCount(
            printed=r.printed,
            mapped=r.mapped,
            figures=sum(len(row.values) for row in record.tables[tid].rows),
            problems=r.reasons(),
        )
        for tid, r in sorted(readings.items())
    }
    for rule in rules if rules is not None else profile.rules:
        if not settings.enabled(rule.id):
            report.disabled.append(rule.id)
            continue
        checked = passed = 0
        skipped: list[Outcome] = []
        for outcome in rule.check.evaluate(view, settings):
            if outcome.status is Status.SKIP:
                skipped.append(outcome)
                continue
            checked += 1
            if outcome.status is Status.PASS:
                passed += 1
            else:
                report.violations.append(_violation(rule, outcome, ctx))
        report.rules[rule.id] = _count(checked, passed, skipped)
    doubted(report.violations)  # across findings: a cell one shows misread accuses no one in another
    report.violations.sort(key=Violation.sort_key)
    return report


_LISTED = 8  # data (or reasons) listed per rule in the coverage account


def _count(checked: int, passed: int, skipped: list[Outcome]) -> RuleCount:
    """A rule's counts, with what its skipped subjects lacked (or why they were skipped), a few per rule."""
    missing = list(dict.fromkeys(m for o in skipped for m in o.missing))[:_LISTED]
    reasons = list(dict.fromkeys(o.message for o in skipped if not o.missing and o.message))[:3]
    return RuleCount(checked=checked, passed=passed, not_checked=len(skipped), missing=missing, reasons=reasons)
