"""Measures of a reading that need no field gold: how much of the tables was read, how many identities
hold, and how many of the "the report is wrong" findings are true.

Real reports are the only evidence of accuracy, and most have no hand-made field gold. What they have:
their own arithmetic (a correct reading leaves only the report's few true inconsistencies), the count of
amounts printed in their tables against the count read, and, for some, a hand-checked list of their real
defects (``../shared/findings``, or a gold file's ``source_inconsistencies``). A ``source`` finding that no
listed defect explains is most likely our misreading.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from pipeline.evaluation.detection import detected_by, unexpected
from pipeline.evaluation.loading import GoldInconsistency
from pipeline.reports import detect
from pipeline.validate.report import ValidationReport

_TABLE_RULES = ("T", "X.")  # rules on the tables and across them (T1.classes, X.T1_T3_classes …)


class Honesty(BaseModel):
    """Gold-free measures of one extracted report (and, with a truth list, the precision of its findings)."""

    document: str
    status: str
    tables_read: int = 0
    numbers_printed: int = 0
    numbers_read: int = 0
    identities_checked: int = 0
    identities_held: int = 0
    source_findings: int = 0
    extraction_findings: int = 0
    true_findings: int | None = None  # source findings a listed defect explains
    truth_entries: int | None = None  # listed defects arithmetic can find
    truth_found: int | None = None

    @property
    def cells_share(self) -> float | None:
        return self.numbers_read / self.numbers_printed if self.numbers_printed else None

    @property
    def identity_share(self) -> float | None:
        return self.identities_held / self.identities_checked if self.identities_checked else None

    @property
    def source_precision(self) -> float | None:
        if self.true_findings is None or self.source_findings == 0:
            return None
        return self.true_findings / self.source_findings


def load_truth(path: str | Path) -> list[GoldInconsistency]:
    """The listed defects of a report: a findings file or a gold file (its ``source_inconsistencies``)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        GoldInconsistency(
            description=str(s.get("description", "")),
            fields=tuple(s.get("fields") or ()),
            pages=tuple(int(p) for p in s.get("pages") or ()),
            lines=tuple(int(n) for n in s.get("lines") or ()),
            severity={"info": "rounding", "warning": "note"}.get(str(s.get("severity")), str(s.get("severity"))),
        )
        for s in data.get("source_inconsistencies") or []
    ]


def measure(output: dict, truth: list[GoldInconsistency] | None = None) -> Honesty:
    """The measures of one ``juesuan extract`` output (the ``<stem>.json`` it writes)."""
    report = ValidationReport.model_validate(output["validation"])
    profile = detect((output.get("record") or {}).get("report_type"))  # the kind the record was read as
    tables = (output.get("record") or {}).get("tables") or {}
    h = Honesty(document=str(output.get("document", "")), status=str(output.get("status", "")))
    for t in tables.values():
        rows = t.get("rows") or []
        h.tables_read += bool(rows)
        h.numbers_printed += int(t.get("numbers_printed") or 0)
        h.numbers_read += sum(len(r.get("values") or {}) for r in rows)
    for rule, count in report.rules.items():
        if rule.startswith(_TABLE_RULES):
            h.identities_checked += count.checked
            h.identities_held += count.passed
    errors = [v for v in report.violations if v.severity == "error"]
    h.source_findings = sum(v.cls == "source" for v in errors)
    h.extraction_findings = sum(v.cls == "extraction" for v in errors)
    if truth is not None:
        findable = [i for i in truth if i.severity in ("error", "rounding")]
        source_errors = ValidationReport(grounded_document=report.grounded_document,
                                         violations=[v for v in errors if v.cls == "source"])
        h.true_findings = h.source_findings - len(unexpected(truth, source_errors, profile))
        h.truth_entries = len(findable)
        h.truth_found = sum(bool(detected_by(i, report, profile)) for i in findable)
    return h
