"""What to re-ask after validation: the parts (and chunks) behind extraction errors, with what failed.

Two sources of trouble. The validator's ``extraction``-class violations of the record (ours to fix: a figure
that does not ground, two readings of one printed number, a sign against its 增加/减少). And the numbers
grounding rejected: they are not in the record, so a second validation of a *candidate* record that keeps
them shows which identities they break (收支总计 770.43 offered as 本年收入合计 breaks 本年收入合计 = Σ 各项收入);
that identity, the values and their quotes are what the repair prompt shows, not the conversation so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pipeline.extract.answers import Answer, RejectedFigure
from pipeline.extract.assemble import Assembled
from pipeline.extract.fields import PARTS
from pipeline.extract.prompts import Issue, IssueFigure
from pipeline.record.figure import Figure, Source
from pipeline.record.model import SECTIONS, Record
from pipeline.validate.report import ValidationReport, Violation

Owner = tuple[str, int]  # (part, chunk)
MAX_ISSUES = 4  # per repair prompt: a small model loses the thread in a long list
MAX_FIGURES = 6


@cache
def _identities() -> dict[str, str]:
    from pipeline.validate.catalog import RULES

    return {r.id: r.identity for r in RULES}


@cache
def _labels() -> dict[str, str]:
    return {f.path: f.label for p in PARTS for f in p.fields}


def label_of(path: str) -> str:
    return _labels().get(path, path)


def candidate(record: Record, rejected: Iterable[RejectedFigure]) -> tuple[Record, dict[str, RejectedFigure]]:
    """The record with every rejected scalar figure put back (where its field is empty), to see what it breaks."""
    out = record.model_copy(deep=True)
    placed: dict[str, RejectedFigure] = {}
    from pipeline.extract.parts import parse_value

    for r in rejected:
        head, _, leaf = r.path.partition(".")
        value = parse_value(r.value)
        if r.from_example or head not in SECTIONS or "[" in r.path or value is None or r.path in placed:
            continue
        section = out.section(head)
        if leaf not in type(section).model_fields or getattr(section, leaf) is not None:
            continue
        setattr(section, leaf, Figure(value=value, sources=[Source(quote=r.quote or "?")]))
        placed[r.path] = r
    return out, placed


def _owner(path: str, owners: dict[str, Owner]) -> Owner | None:
    if path in owners:
        return owners[path]
    if "]" in path:
        return owners.get(path[: path.index("]") + 1])
    return None


def _issue(v: Violation, figures: list[IssueFigure]) -> Issue:
    return Issue(
        rule=v.rule,
        title=v.title_zh,
        identity=_identities().get(v.rule),
        message=v.message or (f"期望 {v.expected}，实际 {v.found}" if v.expected is not None else ""),
        figures=figures,
    )


def _figure(path: str, value, quote: str | None, reason: str | None = None) -> IssueFigure:
    return IssueFigure(label=label_of(path), value=str(value), quote=quote, reason=reason)


def collect(
    report: ValidationReport,
    assembled: Assembled,
    candidate_report: ValidationReport | None,
    placed: dict[str, RejectedFigure],
    answers: dict[Owner, Answer],
) -> dict[Owner, list[Issue]]:
    """Issues per (part, chunk) to re-ask: extraction errors of the record, and identities rejected numbers break."""
    out: dict[Owner, list[Issue]] = {}

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
                add(owner, _issue(v, figures))
    if candidate_report is not None:
        for v in candidate_report.violations:
            if v.severity == "info" or not any(f.path in placed for f in v.fields):
                continue
            figures = [
                _figure(f.path, f.value, f.quote, placed[f.path].reason if f.path in placed else None)
                for f in v.fields
            ]
            for f in v.fields:
                if f.path in placed:
                    r = placed[f.path]
                    owner = next((k for k, a in answers.items() if a.part == r.part and r in a.rejected), None)
                    if owner is not None:
                        add(owner, _issue(v, figures))
    return out
