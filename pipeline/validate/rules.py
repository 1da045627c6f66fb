"""A rule: an identity with an id, bilingual title, the fields it reads, its tolerance and its severity.

A report kind's catalog is written with three pieces: ``Rule`` (one identity), ``Family`` (one rule written
out for each member of a literal list: the three 三公 items, the three kinds of 财政拨款 …) and ``Section``
(a heading of the catalog, with the meaning of the words its identities print). ``catalog(*sections)`` is
the rules in order, each carrying its ``words``: printed word of its identity → the paths it stands for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.validate.checks import Check
from pipeline.validate.outcome import Severity

TOLERANCES = {
    "sum": "a sum of n printed figures may be off by (n+1) × half_cent (0.005 万元): reported as rounding",
    "pct": "half a unit of the printed precision passes; up to pct_rounding_units units plus the rounding "
    "propagated from the amounts is a rounding gap",
    "exact": "no tolerance: the text either says it or not",
}

Words = Mapping[str, str | tuple[str, ...]]
"""A word (or phrase) an identity prints → the record path(s) or table cell pattern(s) it stands for. The key
``"%"`` is the printed percentage a formula is compared with where the identity does not name it
(``中小企业 / 采购总额 × 100``)."""

PRINTED_PCT = "%"


@dataclass(frozen=True)
class Rule:
    id: str
    title_zh: str
    title_en: str
    identity: str
    check: Check
    severity: Severity = "error"
    tolerance: str = "sum"
    words: Words = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def reads(self) -> tuple[str, ...]:
        return self.check.reads()

    def describe(self) -> dict:
        return {
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "identity": self.identity,
            "reads": list(self.reads),
            "tolerance": self.tolerance,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class Family:
    """One rule (or a few) written out for each member of a literal list.

    ``members`` are plain strings (``{m}`` in the template) or tuples whose fields ``names`` names. Every
    string of the template rules (id, titles, identity, words, the check's paths) is formatted with each
    member's fields; the rules come member by member, in the template's order within each member."""

    members: tuple[Any, ...]
    rules: Rule | tuple[Rule, ...]
    names: tuple[str, ...] = ("m",)
    words: Words = field(default_factory=dict)  # what the templates' words stand for, formatted per member

    def fields(self, member: Any) -> dict[str, str]:
        values = member if isinstance(member, tuple) else (member,)
        if len(values) != len(self.names):
            raise ValueError(f"member {member!r} does not have the fields {self.names}")
        return dict(zip(self.names, values, strict=True))

    def expand(self) -> Iterator[Rule]:
        templates = self.rules if isinstance(self.rules, tuple) else (self.rules,)
        for member in self.members:
            values = self.fields(member)
            words = fill(self.words, values)
            for template in templates:
                rule = fill(template, values)
                yield dataclasses.replace(rule, words={**words, **rule.words}) if words else rule


def fill(obj: Any, values: Mapping[str, str]) -> Any:
    """``obj`` with every string in it formatted with ``values``: strings, tuples, mappings and frozen
    dataclasses (a rule, a check) are walked; anything else (a condition function, a number) is kept."""
    if isinstance(obj, str):
        return obj.format_map(values)
    if isinstance(obj, tuple):
        return tuple(fill(x, values) for x in obj)
    if isinstance(obj, Mapping):
        return {fill(k, values): fill(v, values) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: fill(getattr(obj, f.name), values) for f in dataclasses.fields(obj) if f.init}
        return dataclasses.replace(obj, **changes)
    return obj


@dataclass(frozen=True)
class Section:
    """A heading of the catalog: its rules and families, and what the words of their identities stand for
    (a rule's own ``words`` add to these, or say otherwise for that rule)."""

    title: str
    rules: tuple[Rule | Family, ...]
    words: Words = field(default_factory=dict)

    def expand(self) -> Iterator[Rule]:
        for entry in self.rules:
            for rule in entry.expand() if isinstance(entry, Family) else (entry,):
                words = {**self.words, **rule.words}
                yield dataclasses.replace(rule, words=words) if words else rule


def catalog(*sections: Section) -> tuple[Rule, ...]:
    """The rules of these sections in order; an id given twice is an error."""
    rules = tuple(r for s in sections for r in s.expand())
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise ValueError(f"rule id {r.id} is given twice")
        seen.add(r.id)
    return rules
