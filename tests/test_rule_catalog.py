"""The rule catalogs read as data, and what each rule prints is what it computes.

Every arithmetic rule's identity is read back into paths through the words its section (or family, or the
rule itself) says they stand for, and those paths must be exactly the paths its check reads: a check that
reads a path its identity does not print, or misses one it prints, fails here. Families list their members
literally, so the file an accountant reads shows every rule.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from pipeline.record.codes import T6_THREE_PUBLIC_LINES
from pipeline.validate.checks import arith, completeness, lists, plausibility, ratios, tables, text
from pipeline.validate.facts import shape
from pipeline.validate.rules import PRINTED_PCT, Family, Rule, Section, catalog, fill

CATALOGS = ["pipeline.reports.final_accounts.rules", "pipeline.reports.budget.rules"]

ARITHMETIC = (
    arith.Balance,
    arith.RowBalance,
    arith.AtMost,
    ratios.Ratio,
    ratios.Growth,
    ratios.GrowthOverPrior,
    ratios.ShareSum,
    tables.RowSums,
    tables.CodeTree,
    tables.PairedRows,
    tables.T6Split,
    tables.FieldCell,
    lists.ClassItems,
)
"""Checks whose identity is arithmetic on named paths: their identity text must name exactly what they read."""

OTHER = (
    tables.Stated,  # the links decide what it reads
    lists.Numbering,
    text.Grounded,
    text.Ambiguous,
    text.Direction,
    text.Comparison,
    plausibility.NonNegative,
    plausibility.ShareRange,
    plausibility.Magnitude,
    plausibility.ScoreRange,
    completeness.CoreTablesRead,
    completeness.TablesComplete,
    completeness.TablesPresent,
    completeness.ThreePublicItems,
    completeness.EmptyTableExplained,
)
"""Checks over every figure, a document or the links: no paths to print."""

_ASCII = re.compile(r"[A-Za-z0-9_.\[\]*]")


@pytest.fixture(params=CATALOGS)
def module(request):
    return importlib.import_module(request.param)


def _paths(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _word(word: str) -> re.Pattern[str]:
    """A word of an identity; an ASCII word (``change``, a path) only as a whole word."""
    before = r"(?<![A-Za-z0-9_.])" if _ASCII.match(word[0]) else ""
    after = r"(?![A-Za-z0-9_])" if _ASCII.match(word[-1]) else ""
    return re.compile(before + re.escape(word) + after)


def printed(rule: Rule) -> tuple[set[str], set[str]]:
    """(paths, words): what the rule's identity names, read through its words, longest word first so that
    ``本年收入合计`` is not read as ``本年收入``; the condition of an ``if …:`` identity is the check's ``when``,
    not a path it reads."""
    remaining = re.sub(r"^if [^:]*:", "", rule.identity)
    paths: set[str] = set()
    used: set[str] = set()
    for word in sorted(rule.words, key=len, reverse=True):
        if word == PRINTED_PCT:
            continue
        remaining, n = _word(word).subn("\x00", remaining)
        if n:
            used.add(word)
            paths.update(_paths(rule.words[word]))
    if PRINTED_PCT in rule.words:
        paths.update(_paths(rule.words[PRINTED_PCT]))
    return paths, used


def agrees(rule: Rule, check: Any = None) -> bool:
    """The paths the identity prints are the paths the check reads: a printed cell counts as itself where the
    check reads it, else as its column (``T5[total].total`` → ``T5[*].total``)."""
    reads = set((check or rule.check).reads())
    paths, _ = printed(rule)
    return {p if p in reads else shape(p) for p in paths} == reads


def _arithmetic(rules) -> list[Rule]:
    return [r for r in rules if isinstance(r.check, ARITHMETIC)]


def test_every_check_is_classified(module):
    for rule in module.RULES:
        assert isinstance(rule.check, ARITHMETIC + OTHER), f"{rule.id}: {type(rule.check).__name__} is not classified"


def test_each_identity_names_what_its_check_reads(module):
    bad = []
    for rule in _arithmetic(module.RULES):
        if not agrees(rule):
            paths, used = printed(rule)
            bad.append(f"{rule.id}: prints {sorted(paths)} (words {sorted(used)}), reads {sorted(rule.reads)}")
    assert not bad, "\n".join(bad)


def test_each_side_of_a_sum_is_printed_on_its_side(module):
    """``A = B + C``: A is the check's left side and B, C its right (a part ≤ its whole likewise), so a term
    moved across the identity is caught too."""
    checked = 0
    for rule in module.RULES:
        if isinstance(rule.check, arith.Balance):
            sides, sign = (rule.check.left, rule.check.right), "="
        elif isinstance(rule.check, arith.AtMost):
            sides, sign = (rule.check.parts, (rule.check.whole,)), "≤"
        else:
            continue
        body = re.sub(r"^if [^:]*:", "", rule.identity)
        assert body.count(sign) == 1, rule.id
        for printed_side, read in zip(body.split(sign), sides, strict=True):
            assert printed(dataclasses.replace(rule, identity=printed_side))[0] == set(read), (rule.id, printed_side)
        checked += 1
    assert checked


def _mutations(obj: Any) -> Iterator[Any]:
    """``obj`` (a check) with one string in it changed, each string in turn."""
    if isinstance(obj, str):
        yield obj + "_x"
    elif isinstance(obj, tuple):
        for i, x in enumerate(obj):
            for m in _mutations(x):
                yield (*obj[:i], m, *obj[i + 1 :])
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.init:
                for m in _mutations(getattr(obj, f.name)):
                    yield dataclasses.replace(obj, **{f.name: m})


def test_changing_any_path_of_a_check_breaks_its_identity(module):
    """The test above is a real one: for every rule, every change of one path its check reads (a table id, a
    column, a record path) makes the identity disagree with the check."""
    tried = 0
    for rule in _arithmetic(module.RULES):
        for mutated in _mutations(rule.check):
            if set(mutated.reads()) == set(rule.reads):
                continue  # not a path (a side, a key prefix, how unstated parts count)
            tried += 1
            assert not agrees(rule, mutated), f"{rule.id}: {mutated!r} still agrees with “{rule.identity}”"
    assert tried > len(_arithmetic(module.RULES))


def test_one_changed_path_fails():
    from pipeline.reports.final_accounts.rules import RULES

    rule = next(r for r in RULES if r.id == "INC.sources")
    assert agrees(rule)
    wrong = dataclasses.replace(rule.check, right=(*rule.check.right[:-1], "income.superior_subsidy"))
    assert not agrees(rule, wrong)


def test_every_word_of_a_section_is_used(module):
    """A word no identity of its section prints is a typo or a leftover."""
    for section in module.SECTIONS:
        rules = list(section.expand())
        words = {w for r in rules for w in r.words} - {PRINTED_PCT}
        used = {w for r in rules for w in printed(r)[1]}
        assert words <= used, f"{section.title}: unused words {sorted(words - used)}"


def test_ids_are_unique_and_the_catalog_is_its_sections(module):
    ids = [r.id for r in module.RULES]
    assert len(ids) == len(set(ids))
    assert catalog(*module.SECTIONS) == module.RULES
    assert all(isinstance(s, Section) for s in module.SECTIONS)
    assert all(r.title_zh and r.title_en and r.identity for r in module.RULES)


def test_a_duplicate_id_is_refused():
    rule = Rule(id="A.x", title_zh="甲", title_en="a", identity="a = b", check=arith.Balance(left=("a",), right=("b",)))
    with pytest.raises(ValueError, match="A.x"):
        catalog(Section(title="s", rules=(rule,)), Section(title="t", rules=(rule,)))


def _source_tree(module) -> ast.Module:
    return ast.parse(inspect.getsource(module))


def test_families_list_their_members_literally(module):
    """Members are written in the file (``("overseas", "vehicles", "reception")``), never computed, and no
    rule is made by a loop: the file shows every rule."""
    tree = _source_tree(module)
    families = 0
    for node in ast.walk(tree):
        assert not isinstance(node, ast.For | ast.While | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp), (
            f"line {node.lineno}: a loop in the catalog"
        )
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Family":
            families += 1
            args = {k.arg: k.value for k in node.keywords}
            members = args.get("members", node.args[0] if node.args else None)
            assert members is not None, f"line {node.lineno}: a family without members"
            values = ast.literal_eval(members)  # raises on anything but a literal
            assert isinstance(values, tuple) and values, f"line {node.lineno}"
            if "names" in args:
                names = ast.literal_eval(args["names"])
                assert all(isinstance(m, tuple) and len(m) == len(names) for m in values), f"line {node.lineno}"
    assert families or module.__name__.endswith("budget.rules")


def test_family_writes_out_each_member():
    fam = Family(
        members=("a", "b"),
        rules=Rule(
            id="F.{m}",
            title_zh="{m}：和",
            title_en="sum of {m}",
            identity="{m} = x + y",
            check=arith.Balance(left=("s.{m}",), right=("s.x", "s.y")),
        ),
        words={"{m}": "s.{m}"},
    )
    rules = list(fam.expand())
    assert [r.id for r in rules] == ["F.a", "F.b"]
    assert rules[1].check == arith.Balance(left=("s.b",), right=("s.x", "s.y"))
    assert rules[1].identity == "b = x + y" and rules[1].words == {"b": "s.b"}
    assert fill(ratios.Ratio(pct="{m}_pct", num="{m}", den="t"), {"m": "q"}) == ratios.Ratio("q_pct", "q", "t")
    with pytest.raises(ValueError, match="fields"):
        list(Family(members=(("a", "b"),), rules=rules[0]).expand())


def test_t6_three_public_lines_are_the_codes_the_record_knows():
    from pipeline.reports.final_accounts.rules import RULES

    rules = {r.id: r for r in RULES}
    for code, item in T6_THREE_PUBLIC_LINES.items():
        assert rules[f"X.T6_T7.{item}"].check.parts == (f"T6[{code}].amount",)
    assert sum(r.id.startswith("X.T6_T7.") for r in RULES) == len(T6_THREE_PUBLIC_LINES)


def test_the_profile_runs_its_catalog():
    from pipeline.reports import get
    from pipeline.reports.final_accounts.rules import RULES

    assert get("final_accounts").rules == RULES
    assert len(RULES) == 138


def test_pct_words_stand_for_a_printed_percentage(module):
    """The ``%`` word names a percentage the identity compares with: the check's printed rate."""
    for rule in module.RULES:
        if PRINTED_PCT in rule.words and isinstance(rule.check, ratios.Ratio):
            assert _paths(rule.words[PRINTED_PCT]) == (rule.check.pct,), rule.id


def test_shares_recomputed_as_printed():
    """Spot check that a formula-as-printed is the formula computed: 类 share = 类 / 一般公共预算 × 100."""
    from pipeline.record.figure import Figure
    from pipeline.record.model import ClassRow, Record
    from pipeline.reports import get
    from pipeline.validate import validate

    def fig(v: str, unit: str = "万元") -> Figure:
        return Figure(value=Decimal(v), unit=unit)

    record = Record(report_type="final_accounts")
    record.general_budget.total = fig("200")
    record.general_budget.by_class = [
        ClassRow(name="一般公共服务支出", code="201", amount=fig("50"), share_pct=fig("25.00", "%")),
        ClassRow(name="教育支出", code="205", amount=fig("150"), share_pct=fig("70.00", "%")),
    ]
    rules = [r for r in get("final_accounts").rules if r.id == "PCT.class"]
    report = validate(record, rules=rules)
    assert [v.subject for v in report.violations] == ["general_budget.by_class[205].share_pct"]


def test_cli_lists_every_rule_of_a_kind():
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.reports import get

    rules = get("final_accounts").rules
    listed = CliRunner().invoke(app, ["rules", "--report-type", "final_accounts", "--json"])
    assert listed.exit_code == 0 and [r["id"] for r in json.loads(listed.stdout)] == [r.id for r in rules]
    text = CliRunner().invoke(app, ["rules"])
    assert text.exit_code == 0 and text.stdout.count("reads:") == len(rules) and "T1.balanced" in text.stdout
    unknown = CliRunner().invoke(app, ["rules", "--report-type", "nope"])
    assert unknown.exit_code == 2 and "known types" in unknown.output
