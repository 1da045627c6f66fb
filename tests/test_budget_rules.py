"""The 部门预算's catalog on hand-built budget records: a consistent budget passes every rule, and each broken
identity is reported by its own rule, a printed year-on-year rate its own figures contradict included."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from test_validate_rules import Doc

from pipeline.record.figure import SourceKind
from pipeline.record.model import ClassRow, ItemRow
from pipeline.record.tables import StandardTable, TableRow
from pipeline.reports import ReportProfile, get
from pipeline.reports.budget.rules import RULES
from pipeline.validate import ValidationSettings, validate

LINKS = (
    ("summary.total", "B1[in:grand_total].amount"),
    ("summary.total", "B1[out:grand_total].amount"),
    ("income.total", "B1[in:total].amount"),
    ("expenditure.total", "B3[total].total"),
    ("expenditure.basic", "B3[total].basic"),
    ("expenditure.project", "B3[total].project"),
    ("general_budget.total", "B5[total].total"),
    ("general_budget.basic", "B5[total].basic"),
    ("general_budget.project", "B5[total].project"),
    ("basic_expenditure.total", "B8[total].total"),
    ("basic_expenditure.personnel", "B8[total].personnel"),
    ("basic_expenditure.public", "B8[total].public"),
    ("three_public.total", "B9[total].total"),
    ("operating_costs.total", "B9[total].operating_costs"),
)
"""Budget links for these tests (the budget profile's own are its package's)."""


def budget_profile() -> ReportProfile:
    """The registered budget profile where there is one, else the 决算's machinery with these links and the
    budget's rules (the validator needs only the links and the table titles of a profile)."""
    try:
        return get("budget")
    except ValueError:
        return dataclasses.replace(get("final_accounts"), kind="budget", name="部门预算", links=LINKS, rules=RULES)


def stand_in(links=LINKS) -> ReportProfile:
    return dataclasses.replace(get("final_accounts"), kind="budget", name="部门预算", links=links, rules=RULES)


class Budget(Doc):
    """A budget record and the document printing its quotes; tables keyed B1…B9."""

    def __init__(self) -> None:
        super().__init__()
        self.record.report_type = "budget"

    def table(self, tid: str, rows: dict[str, dict[str, object]], side=None) -> None:
        out = StandardTable(id=tid)
        for key, values in rows.items():
            code = key.split(":")[-1]
            quote = " ".join([key, *(str(v) for v in values.values())])
            out.rows.append(
                TableRow(
                    key=key,
                    label=key,
                    code=code if code.isdigit() else None,
                    side="income" if key.startswith("in:") else "expenditure" if key.startswith("out:") else None,
                    values={c: self.fig(v, quote, kind=SourceKind.TABLE, table=tid) for c, v in values.items()},
                )
            )
        self.record.tables[tid] = out

    def row(self, cls, **values):
        figures = {
            k: self.fig(v, f"{values.get('name', '')}{k}{v}", unit="%" if k.endswith("pct") else "万元")
            for k, v in values.items()
            if k not in ("name", "code")
        }
        return cls(name=values["name"], code=values.get("code"), **figures)

    def check(self, profile: ReportProfile | None = None):
        return validate(self.record, self.document(), ValidationSettings(), rules=RULES, profile=profile or budget_profile())


def consistent() -> Budget:
    b = Budget()
    for path, value in {
        "summary.total": "1200",
        "income.total": "1200",
        "income.appropriation": "900",
        "income.general_budget": "900",
        "income.government_fund": "0",
        "income.state_capital": "0",
        "income.business": "250",
        "income.other": "50",
        "expenditure.total": "1200",
        "expenditure.basic": "800",
        "expenditure.project": "400",
        "general_budget.total": "900",
        "general_budget.basic": "700",
        "general_budget.project": "200",
        "basic_expenditure.total": "700",
        "basic_expenditure.personnel": "500",
        "basic_expenditure.public": "200",
        "three_public.total": "30",
        "three_public.overseas": "5",
        "three_public.vehicles": "15",
        "three_public.vehicle_purchase": "5",
        "three_public.vehicle_operation": "10",
        "three_public.reception": "10",
        "operating_costs.total": "80",
    }.items():
        b.put(path, value, f"{path}为{value}万元")
    gb = b.record.general_budget
    gb.by_class = [
        b.row(ClassRow, name="一般公共服务支出", code="201", amount="600", prior_executed="500", change_pct="20.00"),
        b.row(ClassRow, name="教育支出", code="205", amount="300", prior_executed="400", change_pct="-25.00"),
    ]
    gb.items = [
        b.row(ItemRow, name="行政运行", code="2010101", amount="600", prior_executed="480", change_pct="25.00"),
        b.row(ItemRow, name="学前教育", code="2050201", amount="300", prior_executed="250", change_pct="20.00"),
    ]
    b.table("B1", {
        "in:general_budget": {"amount": "900"},
        "in:business": {"amount": "250"},
        "in:other": {"amount": "50"},
        "in:total": {"amount": "1200"},
        "in:grand_total": {"amount": "1200"},
        "out:201": {"amount": "700"},
        "out:205": {"amount": "500"},
        "out:total": {"amount": "1200"},
        "out:grand_total": {"amount": "1200"},
    })  # fmt: skip
    b.table("B2", {"total": {"total": "1200", "appropriation": "900", "business": "250", "other": "50"}})
    b.table("B3", {
        "total": {"total": "1200", "basic": "800", "project": "400"},
        "201": {"total": "700", "basic": "500", "project": "200"},
        "20101": {"total": "700", "basic": "500", "project": "200"},
        "2010101": {"total": "700", "basic": "500", "project": "200"},
        "205": {"total": "500", "basic": "300", "project": "200"},
        "20502": {"total": "500", "basic": "300", "project": "200"},
        "2050201": {"total": "500", "basic": "300", "project": "200"},
    })  # fmt: skip
    b.table("B4", {
        "in:total": {"amount": "900"},
        "out:201": {"total": "600", "general_budget": "600"},
        "out:205": {"total": "300", "general_budget": "300"},
        "out:total": {"total": "900", "general_budget": "900"},
    })  # fmt: skip
    b.table("B5", {
        "total": {"total": "900", "basic": "700", "project": "200"},
        "201": {"total": "600", "basic": "450", "project": "150"},
        "20101": {"total": "600", "basic": "450", "project": "150"},
        "2010101": {"total": "600", "basic": "450", "project": "150"},
        "205": {"total": "300", "basic": "250", "project": "50"},
        "20502": {"total": "300", "basic": "250", "project": "50"},
        "2050201": {"total": "300", "basic": "250", "project": "50"},
    })  # fmt: skip
    b.table("B8", {
        "total": {"total": "700", "personnel": "500", "public": "200"},
        "301": {"total": "450", "personnel": "450"},
        "30101": {"total": "450", "personnel": "450"},
        "302": {"total": "200", "public": "200"},
        "30201": {"total": "200", "public": "200"},
        "303": {"total": "50", "personnel": "50"},
        "30301": {"total": "50", "personnel": "50"},
    })  # fmt: skip
    b.table("B9", {"total": {
        "total": "30", "overseas": "5", "vehicles": "15", "vehicle_purchase": "5", "vehicle_operation": "10",
        "reception": "10", "operating_costs": "80",
    }})  # fmt: skip
    return b


def violated(report) -> set[str]:
    return {v.rule for v in report.violations if v.severity != "info"}


def test_a_consistent_budget_passes_every_rule():
    report = consistent().check()
    assert not report.violations, [(v.rule, v.subject, v.message) for v in report.violations]
    ran = {r for r, c in report.rules.items() if c.checked}
    for rule in ("BUD.B1.balanced", "BUD.B3.tree", "BUD.B5.row_split", "BUD.B8.tree", "BUD.B9.total",
                 "BUD.TP.total", "BUD.X.stated", "BUD.YOY.class", "BUD.YOY.item",
                 "GRD.printed", "BUD.GB.class_items", "BUD.X.B5_B8", "BUD.X.B4_B5"):  # fmt: skip
        assert rule in ran, rule


def test_validate_with_the_budget_rules_alone():
    """``validate(record, rules=RULES)`` with no document nor profile: the rules run on the record alone."""
    b = consistent()
    assert not validate(b.record, rules=RULES).violations
    _cell(b, "B1", "out:grand_total", "amount", "1210")
    assert "BUD.B1.balanced" in violated(validate(b.record, rules=RULES))


def _cell(b: Budget, tid: str, key: str, column: str, value: str) -> None:
    """Print a table cell with another value (its quote prints it too, so the gap is the report's)."""
    b.record.tables[tid].row(key).values[column] = b.fig(value, f"{tid} {key} {column} {value}", table=tid)


@pytest.mark.parametrize(
    ("break_it", "rule"),
    [
        (lambda b: _cell(b, "B1", "out:grand_total", "amount", "1210"), "BUD.B1.balanced"),
        (lambda b: _cell(b, "B1", "out:205", "amount", "520"), "BUD.B1.classes"),
        (lambda b: _cell(b, "B3", "205", "total", "510"), "BUD.B3.tree"),
        (lambda b: _cell(b, "B3", "2050201", "project", "210"), "BUD.B3.row_split"),
        (lambda b: _cell(b, "B5", "2010101", "project", "160"), "BUD.B5.row_split"),
        (lambda b: _cell(b, "B5", "20101", "basic", "440"), "BUD.B5.tree"),
        (lambda b: _cell(b, "B4", "out:205", "total", "310"), "BUD.B4.kinds"),
        (lambda b: _cell(b, "B8", "30201", "public", "210"), "BUD.B8.tree"),
        (lambda b: _cell(b, "B8", "total", "public", "210"), "BUD.B8.row_split"),
        (lambda b: _cell(b, "B9", "total", "reception", "12"), "BUD.B9.total"),
        (lambda b: _cell(b, "B9", "total", "vehicle_operation", "11"), "BUD.B9.vehicles"),
        (lambda b: b.put("three_public.total", "31", "三公经费预算31万元"), "BUD.TP.total"),
        (lambda b: b.put("three_public.vehicles", "16", "公务用车购置及运行维护费16万元"), "BUD.TP.vehicles"),
        (lambda b: b.put("general_budget.project", "250", "项目支出250万元"), "BUD.GB.split"),
        (lambda b: b.put("basic_expenditure.public", "210", "公用经费210万元"), "BUD.BE.split"),
        (lambda b: b.put("income.appropriation", "950", "财政拨款收入950万元"), "BUD.INC.appropriation_kinds"),
        (lambda b: b.put("expenditure.project", "450", "项目支出450万元"), "BUD.EXP.split"),
    ],
)
def test_a_broken_identity_is_reported_by_its_rule(break_it, rule):
    b = consistent()
    break_it(b)
    report = b.check()
    assert rule in violated(report), [(v.rule, v.message) for v in report.violations]
    hit = next(v for v in report.violations if v.rule == rule)
    assert hit.cls == "source" and hit.severity == "error"  # every figure printed where it was read


@pytest.mark.parametrize(
    ("path", "value", "rule", "cell"),
    [
        ("general_budget.total", "950", "BUD.X.general_budget", "B5[total].total"),
        ("three_public.total", "31", "BUD.X.three_public", "B9[total].total"),
        ("summary.total", "1234", "BUD.B1.summary", "B1[in:grand_total].amount"),
    ],
)
def test_the_text_against_its_table_is_one_finding(path, value, rule, cell):
    """收支总计, 一般公共预算支出 and 三公 against B1, B5 and B9: by the links' rule where the profile links them,
    by the catalog's own rule where it does not; never both."""
    b = consistent()
    b.put(path, value, f"{path}为{value}万元")
    linked = [v for v in b.check(stand_in()).violations if v.subject == f"{path} ~ {cell}"]
    assert [(v.rule, v.cls) for v in linked] == [("BUD.X.stated", "source")]
    unlinked = [v for v in b.check(stand_in(links=())).violations if v.subject == f"{path} ~ {cell}"]
    assert [(v.rule, v.cls) for v in unlinked] == [(rule, "source")]
    # through the registered budget profile (validate picks it by the record's report_type): the links' rule
    assert "BUD.X.stated" in violated(validate(b.record)) and rule not in violated(validate(b.record))


def test_a_field_against_its_linked_cell():
    b = consistent()
    b.put("basic_expenditure.personnel", "510", "人员经费510万元")
    b.put("basic_expenditure.public", "190", "公用经费190万元")
    report = b.check(stand_in())
    assert violated(report) == {"BUD.X.stated"}
    assert {v.subject for v in report.violations} == {
        "basic_expenditure.personnel ~ B8[total].personnel",
        "basic_expenditure.public ~ B8[total].public",
    }


def test_a_wrong_printed_rate_is_the_reports_when_both_figures_were_read():
    """A budget printing “增加17.62%” where its own 上年执行数 makes the change −91%: the report's error."""
    b = consistent()
    b.record.general_budget.items[1] = b.row(
        ItemRow, name="学前教育", code="2050201", amount="60", prior_executed="700", change_pct="17.62"
    )
    b.record.general_budget.items[1].change_pct.sources[0].quote = "学前教育比上年执行数增加17.62%"
    b.line("学前教育比上年执行数增加17.62%")
    report = b.check()
    hits = [v for v in report.violations if v.rule == "BUD.YOY.item"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit.subject == "general_budget.items[2050201].change_pct" and hit.cls == "source"
    assert hit.found == Decimal("17.62") and hit.expected == Decimal("-91.4286")
    assert {f.path for f in hit.fields} == {
        "general_budget.items[2050201].change_pct",
        "general_budget.items[2050201].amount",
        "general_budget.items[2050201].prior_executed",
    }


def test_a_rate_without_last_years_figure_is_not_checked():
    b = consistent()
    b.record.general_budget.items[1].prior_executed = None
    b.record.general_budget.items[1].change_pct.value = Decimal("17.62")
    report = b.check()
    assert "BUD.YOY.item" not in violated(report)
    count = report.rules["BUD.YOY.item"]
    assert (count.checked, count.not_checked) == (1, 1)
    assert count.missing == ["general_budget.items[2050201].prior_executed"]


def test_a_rate_within_rounding_and_from_a_zero_base():
    b = consistent()
    b.record.general_budget.by_class[0].change_pct.value = Decimal("20.01")  # printed from unrounded amounts
    b.record.general_budget.by_class[0].change_pct.sources[0].quote = "一般公共服务支出change_pct20.01"
    b.line("一般公共服务支出change_pct20.01")
    report = b.check()
    assert [v.severity for v in report.violations if v.rule == "BUD.YOY.class"] == ["info"]
    b = consistent()
    b.record.general_budget.by_class[1].prior_executed.value = Decimal("0")
    b.record.general_budget.by_class[1].prior_executed.sources[0].quote = "教育支出prior_executed0"
    b.line("教育支出prior_executed0")
    hit = next(v for v in b.check().violations if v.rule == "BUD.YOY.class")
    assert hit.severity == "warning" and "zero base" in hit.message


def test_grounding_rules_are_shared_not_copied():
    from pipeline.reports.common import GROUNDING
    from pipeline.reports.final_accounts.rules import RULES as FINAL_ACCOUNTS

    for rule in GROUNDING:
        assert rule in RULES and rule in FINAL_ACCOUNTS
        assert next(r for r in RULES if r.id == rule.id) is next(r for r in FINAL_ACCOUNTS if r.id == rule.id)
    assert all(r.id.startswith(("BUD.", "GRD.", "AMB.", "NAR.", "PL.")) for r in RULES)
    assert not {r.id for r in RULES if r.id.startswith("BUD.")} & {r.id for r in FINAL_ACCOUNTS}
