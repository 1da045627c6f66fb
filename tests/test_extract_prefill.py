"""Pre-fill reads only what a label names alone, from the text itself: no LLM is involved here.

A small report in the template's wording is written as plain text and parsed by the real pipeline; the
Extractor runs with a model that answers null to everything it is asked, so every figure it has comes from
the tables or from pre-fill; rows the model points at are checked like any row.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.extract import pointers
from pipeline.extract.run import Extractor
from pipeline.extract.tagging import tag
from pipeline.llm.ledger import Ledger
from pipeline.parse import parse_path
from pipeline.reports import get as report_kind
from pipeline.reports.final_accounts.parts import GB_CLASSES, GB_ITEMS
from pipeline.validate import validate

FA = report_kind("final_accounts")  # the 决算 profile these tests read with

REPORT = """\
上海市某某局2024年度部门决算

第二部分 2024年度部门决算情况说明

一、收入支出决算总体情况说明
2024年度收入、支出总计均为1000.00万元。与2023年度相比，收入、支出总计各增加100.00万元，增长11.11%。

七、财政拨款“三公”经费支出决算情况说明
“三公”经费财政拨款支出年初预算为20.00万元，支出决算为16.00万元，完成预算的80.00%，其中：因公出国（境）费决算为0万元；公务用车购置及运行维护费支出决算为10.00万元，完成预算的83.33%；公务接待费支出决算为6.00万元，完成预算的75.00%。
2024年度“三公”经费财政拨款支出决算数比2023年度减少2.00万元，下降11.11%，其中：公务用车购置及运行维护费支出决算减少1.00万元，下降9.09%。
3、公务接待费支出6.00万元。其中：国内公务接待支出6.00万元（含外宾接待支出0万元）。全年国内公务接待12批次、60人次，其中：接待外宾0批次、0人次。

十一、其他重要事项的情况说明
（二）政府采购支出情况
2024年度政府采购金额（以合同签订为准）为300.00万元，其中：货物采购金额100.00万元、工程采购金额0万元、服务采购金额200.00万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额150.00万元。全年授予中小企业合同金额240.00万元，占政府采购金额的80.00%。
（三）国有资产占有使用情况说明
截至2024年12月31日，上海市某某局共有车辆3辆，其中：机要通信用车0辆、其他用车3辆。单价100万元（含）以上设备（不含车辆）1台（套）。

十、预算绩效管理情况
编报绩效目标的2024年度项目5个，涉及预算金额400.00万元；绩效自评的2024年度项目4个，涉及预算金额380.00万元，平均得分95.50分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个）。
"""


class _NoModel:
    """A model that answers null to whatever it is asked: what remains is pre-fill's (and the tables')."""

    def __init__(self):
        self.ledger = Ledger()
        self.asked: list[str] = []

    def complete(self, model, messages, part):
        self.asked.append(part)
        return model.model_validate({(f.alias or n): None for n, f in model.model_fields.items() if n != "rows"})


def _read(doc):
    ex = Extractor(doc, _NoModel(), Settings(), FA)
    ex.read_parts()
    return ex, ex.assemble().record


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    path = tmp_path_factory.mktemp("prefill") / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    doc = parse_path(path, Settings())
    ex, record = _read(doc)
    return doc, ex, record


def _value(record, path):
    head, _, leaf = path.partition(".")
    fig = getattr(record.section(head), leaf)
    return None if fig is None else fig.value


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("summary.total", "1000.00"),
        ("summary.total_change", "100.00"),
        ("summary.total_change_pct", "11.11"),
        ("three_public.total", "16.00"),
        ("three_public.budget", "20.00"),
        # the first 完成预算 of the sentence is the total's; 公务用车's 83.33% two numbers back is not
        ("three_public.completion_pct", "80.00"),
        ("three_public.change", "-2.00"),
        ("three_public.change_pct", "-11.11"),
        ("three_public.reception_foreign", "0"),
        # 国内公务接待12批次 names the batches; 接待外宾0批次 does not
        ("three_public.reception_batches", "12"),
        ("three_public.reception_persons", "60"),
        ("procurement.total", "300.00"),
        # 预留 projects' 150.00 is not what was awarded to SMEs in all
        ("procurement.sme_awarded", "240.00"),
        # a money label between '占' and the % does not make the share the total's
        ("procurement.sme_share_pct", "80.00"),
        ("assets.vehicles", "3"),
        ("assets.high_value_equipment", "1"),
        ("performance.projects_evaluated", "4"),
    ],
)
def test_swept_figures(swept, path, expected):
    _, _, record = swept
    assert _value(record, path) == Decimal(expected)


def test_average_project_score_is_not_the_department_score(swept):
    _, _, record = swept
    assert record.performance.self_score is None


def test_every_prefilled_figure_is_grounded_where_its_quote_says(swept):
    doc, _, record = swept
    report = validate(record, doc)
    assert not report.errors("extraction"), [v.message for v in report.errors("extraction")]
    figures = list(record.figures())
    assert len(figures) >= 17
    for path, fig in figures:  # GRD.located above checked each quote is on its line and prints the value
        assert fig.sources and fig.sources[0].line is not None and fig.sources[0].quote, path


def test_ambiguous_field_is_asked_not_filled(tmp_path):
    """Two 年初预算 with different values and no list to tell them apart: nothing is pre-filled; the model is
    asked with both as candidates."""
    path = tmp_path / "r.txt"
    path.write_text(
        "第二部分 情况说明\n五、一般公共预算财政拨款支出决算情况说明\n（三）一般公共预算财政拨款支出决算具体情况\n"
        "年初预算为100.00万元，年初预算为90.00万元。\n",
        encoding="utf-8",
    )
    ex, record = _read(parse_path(path, Settings()))
    assert record.general_budget.budget is None and ex.client.asked == ["general_budget.items"]
    plan = pointers.plan(ex.index, ex.tagged["general_budget.items"][0], GB_ITEMS, ex.texts[GB_ITEMS.name], True)
    (budget,) = [a for a in plan.questions if a.spec.path == "general_budget.budget"]
    assert [plan.tagged.tags[t].shown() for t in budget.candidates] == ["100.00万元", "90.00万元"]


@pytest.mark.parametrize("sample", ["sample-01-jiading-wenhualvyouju", "sample-03-minhang-guoziwei"])
def test_samples_budget_rows_and_class_shares(sample):
    """On the committed scans every 项 gets its 年初预算 and completion, every 类 its share, from the text."""
    doc = parse_path(Path(__file__).resolve().parents[1] / "samples" / f"{sample}.pdf", Settings())
    ex, record = _read(doc)
    assert ex.client.asked == []  # a template report needs no model for its 说明
    gb = record.general_budget
    assert gb.items and all(i.budget is not None and i.completion_pct is not None for i in gb.items)
    assert gb.by_class and all(c.share_pct is not None for c in gb.by_class)
    assert gb.budget is not None and gb.completion_pct is not None


def _ground_rows(tmp_path, text: str, part, rows: list[dict]):
    """The model's rows for ``part`` (numbers given as printed, pointed at by id), checked as a call's would be."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    ex = Extractor(parse_path(path, Settings()), _NoModel(), Settings(), FA)
    region = ex.regions[part.name]
    tagged = tag(ex.index, region)
    ids = {t.located.printed.text: tid for tid, t in tagged.tags.items() if t.located.printed}
    plan = pointers.plan(ex.index, tagged, part, pointers.PartText(region, region, [], False, {}), True)
    plan.ask_rows = True
    labels = {n.name: n.label for n in part.rows.numbers}
    picks = [{"name": r["name"]} | {labels[k]: ids[v] for k, v in r.items() if k != "name"} for r in rows]
    for r in picks:
        r.update({label: r.get(label) for label in labels.values()})
    model = pointers.response_model(plan, ex.index)
    picked = model.model_validate({a.spec.label: None for a in plan.questions} | {"rows": picks})
    return pointers.answer(ex.index, plan, picked, 0, region, None)


ITEMS = """\
第二部分 2024年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为200.00万元，支出决算为180.00万元，完成年初预算的90.00%。其中：
1、卫生健康支出（类）行政事业单位医疗（款）公务员医疗补助（项）。主要用于：公务员医疗补助缴费支出。年初预算为21.60万元，支出决算为20.69万元，完成年初预算的95.79%。
2、城乡社区支出（类）城乡社区管理事务（款）行政运行（项）。主要用于：行政单位人员支出。年初预算为178.40万元，支出决算为159.31万元，完成年初预算的89.30%。
"""


def test_model_row_numbers_go_to_the_item_whose_entry_prints_them(tmp_path):
    """The model names 行政运行 but points at the 公务员医疗补助 entry's numbers: they are 公务员医疗补助's."""
    got = _ground_rows(tmp_path, ITEMS, GB_ITEMS, [{
        "name": "行政运行", "amount": "20.69", "budget": "21.60", "completion_pct": "95.79",
    }])
    (row,) = got.rows
    assert row.name.endswith("公务员医疗补助(项)") and row.printed_no == 1
    assert row.values["budget"].value == Decimal("21.60")
    # a number of another entry in the same row is refused, not given to this 项
    got = _ground_rows(tmp_path, ITEMS, GB_ITEMS, [{"name": "公务员医疗补助", "budget": "21.60", "completion_pct": "89.30"}])
    assert set(got.rows[0].values) == {"budget"}
    assert [r.path.rsplit(".", 1)[1] for r in got.rejected] == ["completion_pct"]


CLASSES = """\
第二部分 2024年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（二）一般公共预算财政拨款支出决算结构情况
2024年度一般公共预算财政拨款支出709.99万元，主要用于以下方面：一般公共服务支出552.33万元，占77.79%；公共安全支出10.56万元，占1.49%。
"""


def test_model_class_rows_need_their_name_before_the_numbers(tmp_path):
    """No T5: the total before 主要用于 is not 公共安全支出's amount; a sentence is not a 类 name."""
    got = _ground_rows(tmp_path, CLASSES, GB_CLASSES, [
        {"name": "公共安全支出", "amount": "709.99", "share_pct": "77.79"},
        {"name": "公共安全支出", "amount": "10.56", "share_pct": "1.49"},
        {"name": "一般公共预算财政拨款支出决算结构情况2024年度", "amount": "709.99"},
    ])
    assert [(r.name, {k: str(f.value) for k, f in r.values.items()}) for r in got.rows] == [
        ("公共安全支出", {"amount": "10.56", "share_pct": "1.49"})
    ]
    assert len(got.rejected) == 3
