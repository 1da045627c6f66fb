"""Run the catalog over a record and classify what fails: extraction, source or rounding.

Classification: a gap within the rounding envelope is ``rounding`` (info). Otherwise, if any figure
involved is not grounded, or has another reading of the same printed text, the gap is ``extraction`` (ours,
to retry). If every figure is grounded and still the identity fails, the report itself does not reconcile:
``source``.
"""

from __future__ import annotations

from pipeline.document import Document
from pipeline.record.model import Record
from pipeline.validate.catalog import RULES
from pipeline.validate.facts import Fact, FactView
from pipeline.validate.grounding import DocumentIndex
from pipeline.validate.outcome import Outcome, Status
from pipeline.validate.report import Involved, RuleCount, ValidationReport, Violation, ViolationClass
from pipeline.validate.rules import Rule
from pipeline.validate.settings import ValidationSettings

_INDEX_CACHE: dict[int, tuple[Document, DocumentIndex]] = {}


def _index(document: Document | None, settings: ValidationSettings) -> DocumentIndex | None:
    """One index per document object, so a retry loop does not re-normalize the same pages."""
    if document is None:
        return None
    hit = _INDEX_CACHE.get(id(document))
    if hit is None or hit[0] is not document or hit[1].line_window != settings.line_window:
        if len(_INDEX_CACHE) > 16:
            _INDEX_CACHE.clear()
        hit = (document, DocumentIndex(document, settings.line_window))
        _INDEX_CACHE[id(document)] = hit
    return hit[1]


def classify(outcome: Outcome) -> ViolationClass:
    if outcome.status is Status.ROUNDING:
        return "rounding"
    if outcome.cls is not None:
        return outcome.cls
    if any(not f.grounded or f.misreadings() for f in outcome.facts):
        return "extraction"
    return "source"


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


def _violation(rule: Rule, outcome: Outcome, settings: ValidationSettings) -> Violation:
    cls = classify(outcome)
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
    )


def validate(
    record: Record,
    document: Document | None = None,
    settings: ValidationSettings | None = None,
    rules: list[Rule] | None = None,
) -> ValidationReport:
    """Check a record against the rule catalog; with ``document``, ground every quote in its text."""
    settings = settings or ValidationSettings()
    view = FactView(record, _index(document, settings))
    report = ValidationReport(document=record.document, grounded_document=document is not None)
    own = [f for f in view.facts.values() if f.alias_of is None]
    report.figures = len(own)
    report.ungrounded = sum(1 for f in own if not f.grounded)
    for rule in rules if rules is not None else RULES:
        if not settings.enabled(rule.id):
            continue
        checked = passed = not_checked = 0
        for outcome in rule.check.evaluate(view, settings):
            if outcome.status is Status.SKIP:
                not_checked += 1
                continue
            checked += 1
            if outcome.status is Status.PASS:
                passed += 1
            else:
                report.violations.append(_violation(rule, outcome, settings))
        report.rules[rule.id] = RuleCount(checked=checked, passed=passed, not_checked=not_checked)
    report.violations.sort(key=Violation.sort_key)
    return report
