"""Did the validator catch the report's own contradictions that the gold lists?

A gold ``source_inconsistencies`` entry of severity ``error`` is detected by a ``source`` violation, one of
severity ``rounding`` by a ``source`` or ``rounding`` violation, when the violation involves one of the
entry's fields. ``note`` entries (labels, placeholders, scope) are outside what arithmetic can find and are
only counted. An entry that names no field is matched by page (or line) instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.evaluation.loading import GoldInconsistency
from pipeline.validate.report import ValidationReport, Violation

if TYPE_CHECKING:
    from pipeline.reports import ReportProfile

_CELL = re.compile(r"^([A-Z]\d{1,2})\[([^\]]*)\]\.")

DETECTABLE = ("error", "rounding")


def _strip(path: str) -> str:
    for prefix in ("extra_fields.", "extra."):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def field_names(path: str, profile: ReportProfile) -> set[str]:
    """The contract names a violation path stands for: itself, its list (``general_budget.items[…].amount``
    → ``general_budget.items``), and the record fields a table cell states (via the validator's links)."""
    path = _strip(path)
    names = {path}
    if "[" in path and not _CELL.match(path):
        names.add(path.split("[", 1)[0])
    names |= profile.cell_fields.get(path, set())
    m = _CELL.match(path)
    if m and m.group(1) == profile.list_table and m.group(2).isdigit():
        names.add({3: "general_budget.by_class", 7: "general_budget.items"}.get(len(m.group(2)), ""))
    names.discard("")
    return names


def _violation_names(v: Violation, profile: ReportProfile) -> set[str]:
    out: set[str] = set()
    for f in v.fields:
        out |= field_names(f.path, profile)
        if f.alias_of:
            out |= field_names(f.alias_of, profile)
    return out


def _touches(inc: GoldInconsistency, v: Violation, profile: ReportProfile) -> bool:
    if inc.fields:
        return bool({_strip(f) for f in inc.fields} & _violation_names(v, profile))
    pages = {f.page for f in v.fields if f.page is not None}
    lines = {f.line for f in v.fields if f.line is not None}
    return bool(pages & set(inc.pages)) or bool(lines & set(inc.lines))


def detected_by(inc: GoldInconsistency, report: ValidationReport, profile: ReportProfile) -> list[Violation]:
    """The violations that report this gold entry (empty for a ``note`` entry); ``profile``: the report kind,
    whose links tell which record field a table cell states (a finding on the cell touches that field)."""
    if inc.severity not in DETECTABLE:
        return []
    classes = {"source", "rounding"} if inc.severity == "rounding" else {"source"}
    return [v for v in report.violations if v.cls in classes and _touches(inc, v, profile)]


def unexpected(incs: list[GoldInconsistency], report: ValidationReport, profile: ReportProfile) -> list[Violation]:
    """``source`` violations that touch no gold entry at all: either a miss in the gold or a false alarm."""
    return [v for v in report.violations if v.cls == "source" and not any(_touches(i, v, profile) for i in incs)]
