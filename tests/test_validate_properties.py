"""Properties of the validator on synthetic reconciling reports (and on the gold):

* a reconciling record raises nothing;
* changing any single figure that takes part in an identity by more than the rounding envelope (and its
  quote with it, so it stays grounded) is detected by a rule that figure takes part in, naming the figure,
  as the report's own inconsistency (`source`), or as `extraction` only with the evidence that makes a
  misreading as likely (the changed figure now equals the gap, a 0 read from words); another rule's finding,
  or an `extraction` one without evidence, would be a wrong diagnosis;
* shuffling the order of lists and table rows changes nothing in the report.
"""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_docs import GOLD, gold_document, gold_record, needs_shared

from pipeline.record.figure import Figure
from pipeline.record.model import Record
from pipeline.record.printed import match_printed
from pipeline.reports import get as report_kind
from pipeline.reports.final_accounts.rules import RULES
from pipeline.validate import ValidationSettings, validate
from pipeline.validate.checks.arith import Balance, RowBalance
from pipeline.validate.checks.lists import ClassItems
from pipeline.validate.checks.ratios import Growth, Ratio, ShareSum
from pipeline.validate.checks.tables import CodeTree, PairedRows, RowSums, Stated, T6Split
from pipeline.validate.facts import FactView
from pipeline.validate.grounding import DocumentIndex
from pipeline.validate.outcome import Status
from pipeline.validate.synthetic import document_for, synthetic_report

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

IDENTITIES = (
    Balance,
    RowBalance,
    RowSums,
    CodeTree,
    T6Split,
    PairedRows,
    Stated,
    ClassItems,
    Ratio,
    Growth,
    ShareSum,
)
D = Decimal


def participants(record: Record) -> dict[str, frozenset[str]]:
    """Each figure that takes part in an identity that holds (inequalities and text rules aside): its path
    and the ids of those rules."""
    view = FactView(record, FA, DocumentIndex(document_for(record)))
    names: dict[int, str] = {}
    rules: dict[int, set[str]] = {}
    for rule in RULES:
        if isinstance(rule.check, IDENTITIES):
            for outcome in rule.check.evaluate(view, ValidationSettings()):
                if outcome.status is Status.PASS:
                    for fact in outcome.facts:
                        names.setdefault(id(fact.figure), fact.alias_of or fact.path)
                        rules.setdefault(id(fact.figure), set()).add(rule.id)
    out: dict[str, set[str]] = {}
    for key, path in names.items():
        out.setdefault(path, set()).update(rules[key])
    return {path: frozenset(ids) for path, ids in sorted(out.items())}


@cache
def base(seed: int, size: tuple[int, int, int] = (6, 2, 3)) -> tuple[Record, tuple[tuple[str, frozenset], ...]]:
    record, _ = synthetic_report(seed, *size)
    return record, tuple(participants(record).items())


def mutate(record: Record, path: str, delta: Decimal) -> Figure:
    """Change one figure by ``delta``; its quotes print the new value, so it stays grounded."""
    fig = FactView(record, FA).get(path).figure
    old, new = fig.value, fig.value + delta
    if new < 0 and old - delta >= 0:
        new = old - delta
    for src in fig.sources:
        quote = unicodedata.normalize("NFKC", src.quote)
        printed = match_printed(old, quote, money=fig.unit == "万元")
        if printed is None:  # 0 stated in words (没有…): the new value is stated as a number instead
            src.quote = f"{quote}，金额{abs(new):.2f}万元"
            continue
        places = max(printed.decimals, 2)
        src.quote = f"{quote[: printed.start]}{abs(new):.{places}f}{quote[printed.end :]}"
    fig.value = new
    return fig


def detected(record: Record, path: str, rules: frozenset[str]) -> list:
    """The violations of one of ``rules`` that name the figure at ``path`` (or its table cell) and blame the
    report, or blame our reading with the evidence for it."""
    report = validate(record, document_for(record))
    return [
        v
        for v in report.violations
        if (v.cls == "source" or (v.cls == "extraction" and v.evidence))
        and v.rule in rules
        and any(path in (f.path, f.alias_of) for f in v.fields)
    ]


def found(record: Record) -> list[tuple[str, str]]:
    """(rule, class) of every violation, for the message of a failed check."""
    return [(v.rule, v.cls) for v in validate(record, document_for(record)).violations]


@pytest.mark.parametrize("seed", range(4))
def test_synthetic_reports_reconcile(seed):
    record, document = synthetic_report(seed)
    report = validate(record, document)
    assert report.violations == [], [(v.rule, v.message) for v in report.violations]
    assert report.ungrounded == 0 and report.checked > 2000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 3),
    pick=st.integers(0, 10_000),
    delta=st.decimals(min_value=D("0.50"), max_value=D("900"), places=2),
    sign=st.sampled_from([1, -1]),
)
def test_changing_a_figure_in_an_identity_is_detected(seed, pick, delta, sign):
    record, paths = base(seed)
    record = record.model_copy(deep=True)
    path, rules = paths[pick % len(paths)]
    mutate(record, path, sign * delta)
    assert detected(record, path, rules), f"{path} changed by {sign * delta}: {found(record)}, not {set(rules)}"


def test_every_identity_figure_of_a_small_report_is_covered():
    """Exhaustively, on a small report: each participating figure changed by 0.50 (well outside any envelope
    of this report) is caught."""
    record, paths = base(7, (2, 1, 2))
    assert len(paths) > 100
    missed = []
    for path, rules in paths:
        copy = record.model_copy(deep=True)
        mutate(copy, path, D("0.50"))
        if not detected(copy, path, rules):
            missed.append((path, found(copy)))
    assert missed == []


def shuffled(record: Record, rng: random.Random) -> Record:
    copy = record.model_copy(deep=True)
    for rows in (copy.general_budget.by_class, copy.general_budget.items, copy.performance.projects):
        rng.shuffle(rows)
    for table in copy.tables.values():
        rng.shuffle(table.rows)
    return copy


@settings(max_examples=15, deadline=None)
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 10_000))
def test_shuffling_lists_changes_nothing_synthetic(rng, pick):
    record, paths = base(1)
    record = record.model_copy(deep=True)
    mutate(record, paths[pick % len(paths)][0], D("3.00"))  # so that there is something to report
    document = document_for(record)
    before = validate(record, document).model_dump()
    after = validate(shuffled(record, rng), document).model_dump()
    assert before == after


@needs_shared
@settings(max_examples=10, deadline=None)
@given(rng=st.randoms(use_true_random=False), which=st.integers(0, 3))
def test_shuffling_lists_changes_nothing_gold(rng, which):
    gold = GOLD[which % len(GOLD)]
    record, document = gold_record(gold), gold_document(gold)
    assert validate(record, document).model_dump() == validate(shuffled(record, rng), document).model_dump()
