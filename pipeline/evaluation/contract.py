"""The contract paths the evaluation scores (``shared/contract/record-fields.md`` v1), and how they group.

The paths themselves are pipeline.record.contract's (one list for the evaluation and the sample gold). They
are a literal list rather than read from the record model: the model carries many more fields (shares,
component budgets, changes of parts) that gold files keep under ``extra_fields``, and scoring those would
punish a pipeline for stating what the gold does not score.
"""

from __future__ import annotations

import re

from pipeline.record.contract import FIGURES, IDENTITY, LISTS

__all__ = ["FIGURES", "IDENTITY", "LISTS", "SECTIONS", "TEXT_ROW_FIELDS", "section_of", "shape"]

# ``code`` and ``name`` of a list row are scored like any field, but compared as text.
TEXT_ROW_FIELDS = frozenset({"code", "name"})

# Report order of the sections (a list is its own section, so 按项 errors do not hide in general_budget).
SECTIONS: tuple[str, ...] = (
    "identity",
    "summary",
    "income",
    "expenditure",
    "appropriation",
    "general_budget",
    "general_budget.by_class",
    "general_budget.items",
    "basic_expenditure",
    "three_public",
    "government_fund",
    "state_capital",
    "operating_costs",
    "procurement",
    "assets",
    "performance",
    "performance.projects",
)

_KEY = re.compile(r"\[[^\]]*\]")


def section_of(path: str) -> str:
    """The report section of a scored path: ``identity``, a record section, or a list field."""
    if path in IDENTITY:
        return "identity"
    if "[" in path:
        return path.split("[", 1)[0]
    return path.split(".", 1)[0]


def shape(path: str) -> str:
    """A path with its row key replaced by ``*``, so one field can be summed over rows and documents."""
    return _KEY.sub("[*]", path)
