"""How the evaluation groups scored paths. The paths themselves are each report kind's contract (its
profile's ``contract``: for the 部门决算, ``shared/contract/record-fields.md`` v1), a literal list rather than
read from the record model: the model carries many more fields (shares, component budgets, changes of parts)
that gold files keep under ``extra_fields``, and scoring those would punish a pipeline for stating what the
gold does not score.
"""

from __future__ import annotations

import re

from pipeline.record.contract import IDENTITY

__all__ = ["IDENTITY", "TEXT_ROW_FIELDS", "section_of", "shape"]

# ``code`` and ``name`` of a list row are scored like any field, but compared as text.
TEXT_ROW_FIELDS = frozenset({"code", "name"})

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
