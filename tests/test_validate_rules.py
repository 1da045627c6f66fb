"""Each rule family on hand-built records: it passes, a last-cent gap is rounding, a real gap with every
figure grounded is the report's (source), and a gap involving an ungrounded figure is ours (extraction)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.document import Document, Line, Page, PageKind
from pipeline.record.figure import Alternate, Figure, Source, SourceKind
from pipeline.record.gold import unit_for
from pipeline.record.model import ClassRow, ItemRow, Record
from pipeline.record.tables import StandardTable, TableRow
from pipeline.validate import ValidationSettings, validate

D = Decimal


class Doc:
    """A record and a plain-text document printing its quotes, one per line."""

    def __init__(self) -> None:
        self.record = Record(department="测试部门", fiscal_year=2024, unit="万元")
        self.lines: list[str] = []

    def line(self, quote: str) -> int:
        if quote not in self.lines:
            self.lines.append(quote)
        return self.lines.index(quote) + 1

    def fig(self, value, quote: str | None = None, unit: str = "万元", printed: bool = True, **src) -> Figure:
        quote = quote if quote is not None else f"数为{value}"
        line = self.line(quote if printed else f"{quote}（原文）")
        return Figure(value=D(str(value)), unit=unit, sources=[Source(line=line, quote=quote, **src)])

    def put(self, path: str, value, quote: str | None = None, **kw) -> Figure:
        section, field = path.split(".", 1)
        fig = self.fig(value, quote, unit=unit_for(path), **kw)
        setattr(self.record.section(section), field, fig)
        return fig

    def table(self, tid: str, rows: dict[str, dict[str, object]], side: dict[str, str] | None = None) -> None:
        out = StandardTable(id=tid)
        for key, values in rows.items():
            quote = " ".join([key, *(str(v) for v in values.values())])
            out.rows.append(
                TableRow(
                    key=key,
                    label=key,
                    code=key if key.isdigit() else None,
                    side=(side or {}).get(key),
                    values={
                        c: self.fig(v, quote, kind=SourceKind.TABLE, table=tid) for c, v in values.items()
                    },
                )
            )
        self.record.tables[tid] = out

    def document(self) -> Document:
        lines = [
            Line(text=t, bbox=(0, 0, 0, 0), source="plain", source_line=i)
            for i, t in enumerate(self.lines, 1)
        ]
        return Document(
            source="t.txt",
            sha256="0",
            pages=[Page(number=1, width=0, height=0, kind=PageKind.NONE, lines=lines)],
        )

    def validate(self, **settings):
        """Validate against the document; completeness (DC) is left out unless asked for: these records
        are deliberately partial."""
        settings.setdefault("disabled", ["DC"])
        return validate(self.record, self.document(), ValidationSettings(**settings))


def only(report, rule: str):
    hits = [v for v in report.violations if v.rule == rule]
    assert len(hits) == 1, [(v.rule, v.message) for v in report.violations]
    return hits[0]


def none_of(report, rule: str) -> None:
    assert not [v for v in report.violations if v.rule == rule], [v.message for v in report.violations]


# ── sums ────────────────────────────────────────────────────────────────────────────────────────────────


def expenditure(total, basic, project, **kw) -> Doc:
    d = Doc()
    q = f"本年支出合计{total}万元，其中：基本支出{basic}万元，项目支出{project}万元"
    d.put("expenditure.total", total, q)
    d.put("expenditure.basic", basic, q)
    d.put("expenditure.project", project, kw.get("project_quote", q), printed=kw.get("printed", True))
    return d


def test_sum_passes():
    report = expenditure("770.43", "469.99", "300.44").validate()
    assert report.rules["EXP.parts"].passed == 1
    none_of(report, "EXP.parts")


def test_sum_off_by_a_cent_is_rounding():
    v = only(expenditure("1055.32", "730.17", "325.14").validate(), "EXP.parts")
    assert (v.cls, v.severity, v.difference) == ("rounding", "info", D("0.01"))


def test_sum_gap_is_source_only_when_every_part_is_stated():
    d = expenditure("1055.32", "730.17", "300.00")
    v = only(d.validate(), "EXP.parts")
    # 经营支出 etc. not read: the gap may be theirs, so it is not the report's fault (yet)
    assert v.cls == "extraction" and v.severity == "warning"
    assert {e.pattern for e in v.evidence} == {"not_stated"}
    assert "expenditure.operating" in {c for e in v.evidence for c in e.cells}
    assert v.expected == D("1030.17") and v.found == D("1055.32")
    assert {f.path for f in v.fields} == {"expenditure.total", "expenditure.basic", "expenditure.project"}
    assert all(f.quote for f in v.fields)
    state_other_parts(d)
    v = only(d.validate(), "EXP.parts")
    assert (v.cls, v.severity, v.evidence) == ("source", "error", [])  # every part stated: the report's error


def state_other_parts(d: Doc) -> None:
    for part in ("operating", "remit_superior", "affiliated_subsidy"):
        d.put(f"expenditure.{part}", "0", "其他各项支出0万元")


def test_sum_gap_with_an_ungrounded_figure_is_extraction():
    d = expenditure("1055.32", "730.17", "300.00", project_quote="项目支出325.14万元")
    report = d.validate()
    assert only(report, "EXP.parts").cls == "extraction"
    assert only(report, "GRD.printed").cls == "extraction"
    assert report.exit_code == 1


def test_unstated_parts_count_as_zero_but_only_warn():
    d = Doc()
    d.put("expenditure.total", "100.00")
    d.put("expenditure.basic", "60.00")  # project etc. not stated: the gap may be theirs
    v = only(d.validate(), "EXP.parts")
    assert (v.cls, v.severity) == ("extraction", "warning") and "expenditure.project" in v.message
    d.put("expenditure.basic", "160.00")  # the stated parts exceed the total whatever the rest
    assert only(d.validate(), "EXP.parts").severity == "error"


def test_unstated_carryovers_leave_t1_closure_unchecked():
    d = Doc()
    d.put("summary.total", "770.43")
    d.put("income.total", "544.24")  # 年初结转和结余 not stated in the narrative: 226.19 may be it
    report = d.validate()
    none_of(report, "T1.income_closure")
    assert report.rules["T1.income_closure"].not_checked == 1
    d.put("income.total", "870.43")  # more than the grand total: fails whatever is unstated
    assert only(d.validate(), "T1.income_closure").cls == "source"


def test_t1_closure_and_all_appropriation_identities():
    d = Doc()
    d.put("summary.total", "770.43")
    d.put("income.total", "544.24")
    d.put("income.carryover_begin", "226.19")
    d.put("expenditure.total", "770.43")
    d.put("appropriation.total", "770.43")
    d.put("general_budget.total", "709.99")
    d.put("government_fund.expenditure", "60.43")
    d.put("income.general_budget", "483.80")
    d.put("income.government_fund", "60.43")
    report = d.validate()
    assert report.rules["T1.income_closure"].passed == 1
    assert report.rules["T1.expenditure_closure"].passed == 1
    assert only(report, "APR.expenditure").cls == "rounding"  # 709.99 + 60.43 = 770.42
    assert only(report, "APR.income").cls == "rounding"


# ── tables ──────────────────────────────────────────────────────────────────────────────────────────────


def t5(d: Doc, leaf_basic="51.32") -> None:
    d.table(
        "T5",
        {
            "total": {"total": "264.87", "basic": "62.63", "project": "202.24"},
            "201": {"total": "264.87", "basic": "62.63", "project": "202.24"},
            "20139": {"total": "264.87", "basic": "62.63", "project": "202.24"},
            "2013901": {"total": "51.32", "basic": leaf_basic},
            "2013950": {"total": "11.31", "basic": "11.31"},
            "2013999": {"total": "202.24", "project": "202.24"},
        },
    )


def test_t5_tree_and_row_split_pass():
    d = Doc()
    t5(d)
    report = d.validate()
    assert report.rules["T5.tree"].checked >= 6 and report.rules["T5.row_split"].checked == 6
    assert report.violations == []


def test_t5_wrong_leaf_breaks_row_and_tree():
    d = Doc()
    t5(d, leaf_basic="41.32")
    report = d.validate()
    assert only(report, "T5.row_split").subject == "T5[2013901].total"
    tree = [v for v in report.violations if v.rule == "T5.tree"]
    assert tree and all(v.cls == "source" for v in tree)


def _t6_t7(public: str) -> Doc:
    d = Doc()
    d.table(
        "T6",
        {
            "301": {"amount": "95.36"},
            "30101": {"amount": "60.00"},
            "30102": {"amount": "35.36"},
            "302": {"amount": public},
            "30201": {"amount": "10.22"},
            "30217": {"amount": "0.50"},
            "personnel_total": {"amount": "95.36"},
            "public_total": {"amount": public},
        },
    )
    d.table(
        "T7",
        {
            "budget": {
                "total": "3.00",
                "overseas": "0",
                "vehicles": "2.00",
                "vehicle_purchase": "0",
                "vehicle_operation": "2.00",
                "reception": "1.00",
            },
            "actual": {
                "total": "2.40",
                "overseas": "0",
                "vehicles": "2.00",
                "vehicle_purchase": "0",
                "vehicle_operation": "2.00",
                "reception": "0.40",
            },
        },
    )
    return d


def test_t6_split_econ_tree_and_t7():
    report = _t6_t7("10.72").validate()
    assert "T6.econ_tree" not in {v.rule for v in report.violations}
    assert only(report, "X.T6_T7.reception").cls == "source"  # T6 接待 0.50 > T7 actual 0.40
    assert report.rules["T7.total"].passed == 2 and report.rules["T6.personnel_public"].passed == 2


def test_a_cell_another_identity_shows_misread_accuses_no_one():
    """302 prints 10.23 but its items add up to 10.72: the gap is 30217's 0.50 (a row read twice, say), so the
    T6 接待 0.50 that T7 contradicts is in doubt too, and the T6–T7 finding is ours, not the report's."""
    report = _t6_t7("10.23").validate()
    tree = only(report, "T6.econ_tree")
    assert tree.found == D("10.23") and tree.cls == "extraction"  # 302 vs 10.22 + 0.50
    reception = only(report, "X.T6_T7.reception")
    assert reception.cls == "extraction"
    assert [(e.pattern, e.cells) for e in reception.evidence] == [("doubted_cell", ["T6[30217].amount"])]


def test_t4_flow_per_kind_and_cross_tables():
    d = Doc()
    d.table(
        "T4",
        {
            "in:general_budget": {"amount": "300.00"},
            "in:total": {"amount": "300.00"},
            "in:carryover_begin": {"amount": "10.00"},
            "in:carryover_begin.general_budget": {"amount": "10.00"},
            "in:grand_total": {"amount": "310.00"},
            "out:total": {"total": "305.00", "general_budget": "305.00"},
            "out:carryover_end": {"total": "5.00", "general_budget": "5.00"},
            "out:grand_total": {"total": "310.00", "general_budget": "310.00"},
        },
    )
    d.table("T5", {"total": {"total": "305.00", "basic": "205.00", "project": "100.00"}})
    report = d.validate()
    for rule in (
        "T4.flow.general_budget",
        "T4.balanced",
        "T4.income_closure",
        "T4.expenditure_closure",
        "X.T4_T5",
        "T4.carryover_kinds",
    ):
        assert report.rules[rule].passed == 1, rule
    assert report.violations == []


def test_t8_flow():
    d = Doc()
    d.table(
        "T8",
        {
            "total": {
                "carryover_begin": "1.00",
                "income": "60.43",
                "expenditure": "60.43",
                "basic": "0",
                "project": "60.43",
                "carryover_end": "2.00",
            }
        },
    )
    assert only(d.validate(), "T8.flow").difference == D("-1.00")


def test_blank_cell_of_a_printed_row_is_zero():
    d = Doc()
    d.table("T3", {"total": {"total": "100.00", "basic": "60.00"}, "201": {"total": "7.00", "project": "7.00"}})
    v = only(d.validate(), "T3.row_parts")
    assert v.expected == D("60.00") and v.cls == "source"


def test_a_side_left_blank_is_our_reading():
    """One side blank while the other is stated: a column (here T4's 一般公共预算 column) not read, never the
    report's error."""
    d = Doc()
    d.table("T4", {"out:201": {"total": "100.00"}, "out:total": {"total": "100.00"}},
            side={"out:201": "expenditure", "out:total": "expenditure"})
    hits = [v for v in d.validate().violations if v.rule == "T4.expenditure_kinds"]
    assert len(hits) == 2 and all(v.cls == "extraction" for v in hits)
    assert all("column_missing" in {e.pattern for e in v.evidence} for v in hits)
    assert {e.table for v in hits for e in v.evidence} == {"T4"}


# ── narrative against tables, narrative wording ─────────────────────────────────────────────────────────


def test_narrative_disagreeing_with_its_table_cell():
    d = Doc()
    d.table("T5", {"total": {"total": "307.82", "basic": "105.58", "project": "202.24"}})
    d.put("general_budget.total", "307.82", "一般公共预算财政拨款支出307.82万元")
    d.put("general_budget.basic", "105.59", "基本支出105.59万元")
    v = only(d.validate(), "X.stated")
    assert v.subject == "general_budget.basic ~ T5[total].basic" and v.cls == "rounding"
    d.put("general_budget.basic", "150.58", "基本支出150.58万元")
    assert only(d.validate(), "X.stated").cls == "source"


def test_a_field_left_empty_is_read_from_its_table():
    d = Doc()
    d.table(
        "T1",
        {
            "in:total": {"amount": "544.24"},
            "in:grand_total": {"amount": "770.43"},
            "in:carryover_begin": {"amount": "226.19"},
            "out:total": {"amount": "770.43"},
            "out:grand_total": {"amount": "770.43"},
        },
    )
    d.put("income.total", "544.24")
    report = d.validate()
    assert report.rules["T1.income_closure"].passed == 1  # summary.total and carryover from T1
    assert report.violations == []


def test_direction_word_against_the_sign():
    d = Doc()
    d.put("summary.total", "2254.91")
    d.put("summary.total_change", "395.69", "收入、支出总计各减少395.69万元，下降15%")
    d.put("summary.total_change_pct", "-15", "收入、支出总计各减少395.69万元，下降15%")
    report = d.validate()
    v = only(report, "NAR.direction")
    assert v.subject == "summary.total_change" and v.cls == "extraction"


def test_ambiguity_is_said_and_classified_by_place():
    d = Doc()
    fig = d.put("performance.self_score", "97", "合 计 97")
    other = Source(line=d.line("项目自评89.2分"), quote="项目自评89.2分")
    fig.alternates.append(Alternate(value=D("89.2"), sources=[other]))
    assert only(d.validate(), "AMB.alternates").cls == "source"
    fig.alternates = [
        Alternate(value=D("9.7"), sources=[fig.sources[0]])
    ]  # a second reading of the same text
    assert only(d.validate(), "AMB.alternates").cls == "extraction"


# ── recomputation ───────────────────────────────────────────────────────────────────────────────────────


def shares(share: str) -> Doc:
    d = Doc()
    d.put("expenditure.total", "770.43")
    d.put("general_budget.total", "709.99")
    d.put("general_budget.share_pct", share, f"占本年支出合计的{share}%")
    return d


@pytest.mark.parametrize(("share", "cls"), [("92.16", None), ("92.15", "rounding"), ("90.15", "source")])
def test_share_recomputation(share, cls):
    report = shares(share).validate()
    if cls is None:
        none_of(report, "PCT.general_budget")
    else:
        assert only(report, "PCT.general_budget").cls == cls


def test_share_of_integer_precision_uses_half_a_unit():
    d = Doc()
    d.put("expenditure.total", "2254.91")
    d.put("expenditure.basic", "1626.35")
    d.put("expenditure.basic_share_pct", "72", "基本支出1626.35万元，占72%")  # 72.12
    none_of(d.validate(), "PCT.expenditure.basic")


def test_growth_rate_and_zero_base():
    d = Doc()
    d.put("operating_costs.total", "35")
    d.put("operating_costs.change", "3.78", "比2023年度增加3.78万元")
    d.put("operating_costs.change_pct", "10.8", "增长10.8%")
    v = only(d.validate(), "YOY.operating_costs")
    assert v.cls == "source" and v.expected == D("12.1076")
    d.put("operating_costs.change", "35", "比2023年度增加35万元")
    d.put("operating_costs.change_pct", "100", "增长100%")
    v = only(d.validate(), "YOY.operating_costs")
    assert (v.cls, v.severity) == ("source", "warning") and "zero base" in v.message


def test_completion_rate_and_zero_budget():
    d = Doc()
    d.put("general_budget.total", "1054.28")
    d.put("general_budget.budget", "927.60")
    d.put("general_budget.completion_pct", "113.66", "完成年初预算的113.66%")
    none_of(d.validate(), "CMP.general_budget")
    d.put("general_budget.budget", "0", "年初预算为0万元")
    v = only(d.validate(), "CMP.general_budget")
    assert (v.cls, v.severity) == ("source", "error")


def test_rows_of_a_list_recompute_against_their_own_row():
    d = Doc()
    d.put("general_budget.total", "307.82")
    for code, amount, share in (("201", "264.87", "86.05"), ("221", "42.95", "13.95")):
        q = f"{code}类{amount}万元，占{share}%"
        d.record.general_budget.by_class.append(
            ClassRow(code=code, name=code, amount=d.fig(amount, q), share_pct=d.fig(share, q, unit="%"))
        )
    report = d.validate()
    assert report.rules["PCT.class"].passed == 2 and report.rules["GB.classes"].passed == 1
    assert report.rules["PCT.sum.classes"].passed == 1


def test_class_equals_its_items_by_name():
    d = Doc()
    d.record.general_budget.by_class.append(ClassRow(name="卫生健康支出", amount=d.fig("70.05")))
    for i, (cls, amount) in enumerate((("卫生健康支出", "47.11"), ("医疗卫生与计划生育支出", "22.94"))):
        name = f"{cls}（类）行政事业单位医疗（款）项{i}（项）"
        d.record.general_budget.items.append(ItemRow(name=name, printed_no=i + 1, amount=d.fig(amount)))
    report = d.validate()
    assert report.rules["GB.class_items"].passed == 1
    d.record.general_budget.items[1].printed_no = 3
    assert only(d.validate(), "GB.numbering").severity == "warning"


# ── plausibility ────────────────────────────────────────────────────────────────────────────────────────


def test_year_read_as_money_is_extraction():
    d = Doc()
    d.put("summary.total", "2024", "2024年度收入、支出总计均为770.43万元")
    report = d.validate()
    assert only(report, "PL.misread").cls == "extraction"


def test_yuan_read_as_wan_is_out_of_bounds():
    d = Doc()
    d.put("summary.total", "770.43", "收入、支出总计均为770.43万元")
    d.put("expenditure.basic", "4699900", "基本支出4,699,900.00元")  # grounded only as 469.99 万元
    report = d.validate()
    assert only(report, "PL.magnitude").cls == "extraction"
    assert only(report, "GRD.printed").cls == "extraction"
    d.put("expenditure.basic", "469.99", "基本支出4,699,900.00元")
    report = d.validate()
    none_of(report, "GRD.printed")
    none_of(report, "PL.magnitude")


def test_negative_amount_share_out_of_range_part_over_total():
    d = Doc()
    d.put("expenditure.total", "100")
    d.put("general_budget.total", "120")
    d.put("expenditure.basic", "-5")
    d.put("expenditure.basic_share_pct", "105")
    report = d.validate()
    assert only(report, "PL.nonneg").subject == "expenditure.basic"
    assert only(report, "PL.share_range").subject == "expenditure.basic_share_pct"
    assert only(report, "PL.part.general_budget").cls == "source"


# ── completeness ────────────────────────────────────────────────────────────────────────────────────────


def test_missing_tables_three_public_items_and_unexplained_empty_table():
    d = Doc()
    t5(d)
    d.record.tables["T8"] = StandardTable(id="T8", rows=[TableRow(key="total", label="合计")])
    d.put("three_public.total", "2.40")
    d.put("three_public.overseas", "0")
    report = d.validate(disabled=[])
    missing = [v.subject for v in report.violations if v.rule == "DC.tables"]
    assert missing == ["T1", "T2", "T3", "T4", "T6", "T7", "T9"]
    assert all(
        v.severity == "warning" and v.cls == "source" for v in report.violations if v.rule == "DC.tables"
    )
    assert {v.subject for v in report.violations if v.rule == "DC.three_public"} == {
        "three_public.vehicle_purchase",
        "three_public.vehicle_operation",
        "three_public.reception",
    }
    assert only(report, "DC.empty_table").subject == "T8"
    d.record.tables["T8"].empty_note = Source(
        line=d.line("说明：本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"),
        quote="说明：本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    )
    none_of(d.validate(disabled=[]), "DC.empty_table")


# ── settings and the report ─────────────────────────────────────────────────────────────────────────────


def test_tolerances_and_switches_are_settings():
    d = expenditure("1055.32", "730.17", "325.00")  # off by 0.15
    state_other_parts(d)
    assert only(d.validate(), "EXP.parts").cls == "source"
    assert only(d.validate(half_cent=D("0.05")), "EXP.parts").cls == "rounding"
    none_of(d.validate(disabled=["EXP"]), "EXP.parts")
    assert only(d.validate(severity={"EXP.parts": "warning"}), "EXP.parts").severity == "warning"


def test_exit_code_counts_only_extraction_errors():
    assert expenditure("1055.32", "730.17", "300.00").validate().exit_code == 0  # the report's own error
    d = expenditure("1055.32", "730.17", "325.15")
    d.record.expenditure.project.sources[0].quote = "项目支出325.14万元"
    assert d.validate().exit_code == 1


def test_catalog_rules_are_described():
    from pipeline.reports.final_accounts.rules import RULES
    from pipeline.validate.rules import TOLERANCES

    assert len(RULES) >= 100 and len({r.id for r in RULES}) == len(RULES)
    for rule in RULES:
        d = rule.describe()
        assert d["id"] and d["title_zh"] and d["title_en"] and d["identity"] and d["reads"], rule.id
        assert rule.tolerance in TOLERANCES and rule.severity in ("error", "warning", "info")
    families = {r.family for r in RULES}
    assert {
        "GRD",
        "AMB",
        "NAR",
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
        "T8",
        "T9",
        "INC",
        "EXP",
        "GB",
        "TP",
        "PROC",
        "X",
        "PCT",
        "YOY",
        "CMP",
        "PL",
        "DC",
    } <= families


def test_report_json_carries_the_summary():
    report = expenditure("1055.32", "730.17", "325.14").validate()
    data = report.model_dump(mode="json")
    assert data["summary"] == {"extraction": 0, "source": 0, "rounding": 1} and data["accepted"] is True
    assert type(report).model_validate(data).violations == report.violations
