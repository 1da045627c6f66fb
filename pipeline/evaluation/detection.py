"""Did the validator catch the report's own contradictions that the gold lists?

A gold ``source_inconsistencies`` entry of severity ``error`` is detected by a ``source`` violation, one of
severity ``rounding`` by a ``source`` or ``rounding`` violation, when the violation involves one of the
entry's fields. ``note`` entries (labels, placeholders, scope) are outside what arithmetic can find and are
only counted. An entry that names no field is matched by page (or line) instead.
"""

from __future__ import annotations

import re

from pipeline.evaluation.loading import GoldInconsistency
from pipeline.validate.links import LINKS
from pipeline.validate.report import ValidationReport, Violation

_CELL = re.compile(r"^T(\d)\[([^\]]*)\]\.")
_CELL_FIELDS: dict[str, set[str]] = {}
for _field, _cell in LINKS:
    _CELL_FIELDS.setdefault(_cell, set()).add(_field)

DETECTABLE = ("error", "rounding")


def _strip(path: str) -> str:
    for prefix in ("extra_fields.", "extra."):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def field_names(path: str) -> set[str]:
    """The contract names a violation path stands for: itself, its list (``general_budget.items[…].amount``
    → ``general_budget.items``), and the record fields a table cell states (via the validator's links)."""
    path = _strip(path)
    names = {path}
    if "[" in path and not _CELL.match(path):
        names.add(path.split("[", 1)[0])
    names |= _CELL_FIELDS.get(path, set())
    m = _CELL.match(path)
    if m and m.group(1) == "5" and m.group(2).isdigit():
        names.add({3: "general_budget.by_class", 7: "general_budget.items"}.get(len(m.group(2)), ""))
    names.discard("")
    return names


def _violation_names(v: Violation) -> set[str]:
    out: set[str] = set()
    for f in v.fields:
        out |= field_names(f.path)
        if f.alias_of:
            out |= field_names(f.alias_of)
    return out


def _touches(inc: GoldInconsistency, v: Violation) -> bool:
    if inc.fields:
        return bool({_strip(f) for f in inc.fields} & _violation_names(v))
    pages = {f.page for f in v.fields if f.page is not None}
    lines = {f.line for f in v.fields if f.line is not None}
    return bool(pages & set(inc.pages)) or bool(lines & set(inc.lines))


def detected_by(inc: GoldInconsistency, report: ValidationReport) -> list[Violation]:
    """The violations that report this gold entry (empty for a ``note`` entry)."""
    if inc.severity not in DETECTABLE:
        return []
    classes = {"source", "rounding"} if inc.severity == "rounding" else {"source"}
    return [v for v in report.violations if v.cls in classes and _touches(inc, v)]


def unexpected(incs: list[GoldInconsistency], report: ValidationReport) -> list[Violation]:
    """``source`` violations that touch no gold entry at all: either a miss in the gold or a false alarm."""
    return [v for v in report.violations if v.cls == "source" and not any(_touches(i, v) for i in incs)]
