"""What a record's field contract is: the identity every kind shares, and ``Contract``, the paths one report
kind's gold scores (each kind's profile holds its own: the 部门决算's is ``shared/contract/record-fields.md`` v1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

IDENTITY: tuple[str, ...] = ("department", "fiscal_year", "report_type", "unit")

@dataclass(frozen=True)
class Contract:
    """A report kind's scored paths: identity, single figures and lists with their row fields, and the
    report order of the sections the evaluation groups them by. Data of a kind's profile."""

    identity: tuple[str, ...]
    field_paths: tuple[str, ...]  # non-identity paths in the contract's order; a list named without ``[]``
    lists: Mapping[str, tuple[str, ...]]
    sections: tuple[str, ...]

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(p for p in self.field_paths if p not in self.lists)

    @property
    def paths(self) -> tuple[str, ...]:
        return self.identity + self.field_paths
