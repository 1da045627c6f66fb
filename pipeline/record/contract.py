"""What a record's field contract is: the identity every kind shares, and ``Contract``, the paths one report
kind's gold scores (each kind's profile holds its own: the 部门决算's is ``shared/contract/record-fields.md`` v1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

IDENTITY: tuple[str, ...] = ("department", "fiscal_year", "report_type", "unit")

@dataclass(frozen=True)
class Contract:
    """A report kind's scored paths: identity, single figures and lists with their row fields, in the
    contract's (the report's) order. Data of a kind's profile."""

    identity: tuple[str, ...]
    field_paths: tuple[str, ...]  # non-identity paths in the contract's order; a list named without ``[]``
    lists: Mapping[str, tuple[str, ...]]

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections the evaluation groups paths by, in report order: identity, then each record section
        as its first path comes, a list being a section of its own (so 按项 errors do not hide)."""
        heads = (p if p in self.lists else p.split(".", 1)[0] for p in self.field_paths)
        return ("identity", *dict.fromkeys(heads))

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(p for p in self.field_paths if p not in self.lists)

    @property
    def paths(self) -> tuple[str, ...]:
        return self.identity + self.field_paths
