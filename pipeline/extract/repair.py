"""What to re-ask after validation: the parts (and chunks) behind extraction errors, with what failed.

The validator's ``extraction``-class violations of the record are ours to fix (two readings of one printed
number, a sign against its 增加/减少, a sum our reading breaks). Each is sent back to the chunk that stated
the figure: the violated identity, the values involved and where they were read; the repair call then asks
the model again for those fields, pre-filled or not, with their candidate ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from pipeline.extract.answers import Answer
from pipeline.extract.assemble import Assembled
from pipeline.extract.fields import PARTS
from pipeline.extract.prompts import Issue, IssueFigure
from pipeline.validate.report import ValidationReport, Violation

if TYPE_CHECKING:
    from pipeline.validate.rules import Rule

Owner = tuple[str, int]  # (part, chunk)
MAX_ISSUES = 4  # per repair prompt: a small model loses the thread in a long list
MAX_FIGURES = 6


@cache
def _labels() -> dict[str, str]:
    return {f.path: f.label for p in PARTS for f in p.fields}


def label_of(path: str) -> str:
    return _labels().get(path, path)


def _owner(path: str, owners: dict[str, Owner]) -> Owner | None:
    if path in owners:
        return owners[path]
    if "]" in path:
        return owners.get(path[: path.index("]") + 1])
    return None


def _issue(v: Violation, figures: list[IssueFigure], identities: Mapping[str, str]) -> Issue:
    return Issue(
        rule=v.rule,
        title=v.title_zh,
        identity=identities.get(v.rule),
        message=v.message or (f"期望 {v.expected}，实际 {v.found}" if v.expected is not None else ""),
        figures=figures,
    )


def _figure(path: str, value, quote: str | None, reason: str | None = None) -> IssueFigure:
    return IssueFigure(label=label_of(path), value=str(value), quote=quote, reason=reason)


def collect(
    report: ValidationReport, assembled: Assembled, answers: dict[Owner, Answer], rules: Iterable[Rule]
) -> dict[Owner, list[Issue]]:
    """Issues per (part, chunk) to re-ask: the extraction errors of the record, at the chunk of each figure.
    ``rules``: the catalog the report was checked with (the kind's), for the identities the prompt quotes."""
    out: dict[Owner, list[Issue]] = {}
    identities = {r.id: r.identity for r in rules}

    def add(owner: Owner, issue: Issue) -> None:
        issue.figures = issue.figures[:MAX_FIGURES]
        have = out.get(owner, [])
        if owner in answers and len(have) < MAX_ISSUES and not any(
            i.rule == issue.rule and i.message == issue.message for i in have
        ):
            out.setdefault(owner, []).append(issue)

    for v in report.violations:
        if v.cls != "extraction" or v.severity == "info":
            continue
        figures = [_figure(f.path, f.value, f.quote) for f in v.fields]
        for f in v.fields:
            owner = _owner(f.path, assembled.owners)
            if owner is not None:
                add(owner, _issue(v, figures, identities))
    return out
