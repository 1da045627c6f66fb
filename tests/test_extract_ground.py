"""Grounding of the model's {value, quote} on the real seed text: what is kept, what is refused and why."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.extract.fields import (
    GB_ITEMS,
    GOVERNMENT_FUND,
    INCOME,
    STATE_CAPITAL,
    SUMMARY,
    THREE_PUBLIC,
    PartSpec,
)
from pipeline.extract.ground import Rejected, ground_figure
from pipeline.extract.parts import parse_value
from pipeline.extract.routing import route
from pipeline.extract.textindex import TextIndex
from pipeline.parse import parse_path

SEEDS = (SHARED / "seeds")
XIQU = SEEDS / "xiqu-panzhihua-2024-final.txt"


@pytest.fixture(scope="module")
def xiqu():
    doc = parse_path(XIQU, Settings())
    return doc, TextIndex(doc)


def ground(xiqu, part: PartSpec, label: str, value: str, quote: str):
    doc, index = xiqu
    r = route(doc, part)
    spec = part.field(label)
    assert spec is not None, label
    return ground_figure(index, index.region(r.blocks), spec, part, parse_value(value), quote, r.section)


def test_exact_quote_grounds_with_its_line(xiqu):
    fig = ground(xiqu, INCOME, "本年收入合计", "544.24", "本年收入合计544.24万元")
    assert fig.value == Decimal("544.24")
    src = fig.source
    assert (src.line, src.page, src.quote, src.printed, src.printed_unit) == (26, None, "本年收入合计544.24万元", "544.24", "万元")
    assert src.section == "二"


def test_neighbouring_total_is_refused(xiqu):
    # the small model's classic slip: 收支总计 770.43 (说明一) offered as 本年收入合计 (说明二)
    with pytest.raises(Rejected, match="不在本部分原文中"):
        ground(xiqu, INCOME, "本年收入合计", "770.43", "收入、支出总计均为770.43万元")
    # a value that is not in its quote is refused too
    with pytest.raises(Rejected, match="不是 770.43"):
        ground(xiqu, INCOME, "本年收入合计", "770.43", "本年收入合计544.24万元")


def test_a_figure_under_another_label_is_refused(xiqu):
    with pytest.raises(Rejected, match="483.8 紧跟在“一般公共预算财政拨款收入”后面，不是“本年收入合计”"):
        ground(xiqu, INCOME, "本年收入合计", "483.8", "一般公共预算财政拨款收入483.8万元")
    with pytest.raises(Rejected, match="不是百分比"):
        ground(xiqu, INCOME, "一般公共预算财政拨款收入占比", "483.8", "一般公共预算财政拨款收入483.8万元")
    with pytest.raises(Rejected, match="88.89 前面没有“政府性基金”等字样"):
        ground(xiqu, INCOME, "政府性基金预算财政拨款收入占比", "88.89", "占88.89%")


def test_share_grounds_after_its_amount(xiqu):
    fig = ground(xiqu, INCOME, "一般公共预算财政拨款收入占比", "88.89", "占88.89%")
    assert fig.value == Decimal("88.89") and fig.unit == "%"


def test_bare_label_and_paraphrase_are_located(xiqu):
    fig = ground(xiqu, INCOME, "本年收入合计", "544.24", "本年收入合计")  # label only: the number follows it
    assert fig.source.quote == "本年收入合计544.24万元"
    fig = ground(xiqu, INCOME, "一般公共预算财政拨款收入", "483.8万元", "一般公共预算收入483.8万")  # paraphrased
    assert fig.value == Decimal("483.8") and "483.8" in fig.source.quote and fig.source.line == 26


def test_change_takes_its_sign_from_the_text(xiqu):
    fig = ground(xiqu, SUMMARY, "收支总计增减额", "127.19", "收入、支出总计各增加127.19万元")
    assert fig.value == Decimal("127.19")
    fig = ground(xiqu, GOVERNMENT_FUND, "支出增减额", "42.12", "政府性基金预算财政拨款支出减少42.12万元")
    assert fig.value == Decimal("-42.12")
    fig = ground(xiqu, GOVERNMENT_FUND, "支出增减率", "69.7", "下降69.7%")
    assert fig.value == Decimal("-69.7")


def test_zero_in_words(xiqu):
    fig = ground(xiqu, STATE_CAPITAL, "国有资本经营预算财政拨款支出", "0", "2024年度无国有资本经营预算财政拨款支出")
    assert fig.value == 0 and fig.source.line == 88
    with pytest.raises(Rejected, match="没有提到“收入”"):  # the sentence names 支出 only
        ground(xiqu, STATE_CAPITAL, "国有资本经营预算财政拨款收入", "0", "2024年度无国有资本经营预算财政拨款支出")


def test_counts_need_their_unit(xiqu):
    fig = ground(xiqu, THREE_PUBLIC, "国内接待人次", "23", "国内公务接待2批次，23人次")
    assert fig.value == 23 and fig.unit == "人次"
    with pytest.raises(Rejected, match="2 后面不是“人次”"):
        ground(xiqu, THREE_PUBLIC, "国内接待人次", "2", "国内公务接待2批次，23人次")


def test_yuan_is_converted(tmp_path):
    text = "二、收入决算情况说明\n本年收入合计7,704,300.00元，其中：财政拨款收入7,704,300.00元。\n"
    path = tmp_path / "yuan.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_path(path, Settings())
    index = TextIndex(doc)
    r = route(doc, INCOME)
    fig = ground_figure(index, index.region(r.blocks), INCOME.field("本年收入合计"), INCOME,
                        Decimal("7704300"), "本年收入合计7,704,300.00元")
    assert fig.value == Decimal("770.43")
    assert (fig.source.printed, fig.source.printed_unit) == ("7,704,300.00", "元")


def test_item_row_numbers(xiqu):
    from pipeline.extract.answers import ground_answer
    from pipeline.extract.parts import response_model

    doc, index = xiqu
    r = route(doc, GB_ITEMS)
    model = response_model(GB_ITEMS)
    answer = model.model_validate({
        "figures": [{"quote": "完成预算100%", "value": "100", "field": "完成预算比例"}],
        "rows": [
            {"quote": "支出决算为145.62万元，完成预算100%", "name": "行政运行", "amount": "145.62", "completion_pct": "100"},
            {"quote": "支出决算为229.45万元", "name": "x", "amount": "229.45", "budget": "229.45"},
        ],
    })
    out = ground_answer(index, index.region(r.blocks), GB_ITEMS, answer, 0, r.section)
    assert [p for p, _ in out.figures] == ["general_budget.completion_pct"]
    first, second = out.rows
    # the whole printed 类/款/项 wording, not the model's short name (ingestion keeps text NFKC)
    assert unicodedata.normalize("NFKC", "一般公共服务（类）其他共产党事务支出（款）行政运行（项）") == first.name
    assert first.printed_no == 1
    assert first.values["amount"].value == Decimal("145.62") and first.values["completion_pct"].value == 100
    assert second.printed_no == 2 and "budget" not in second.values  # 229.45 is printed as 决算, not 预算
    assert any("budget" in rej.path for rej in out.rejected)


def test_three_public_sentence(tmp_path):
    """A 三公 paragraph as the samples print it: budget then actual, batches next to the reception amount."""
    text = (
        "七、财政拨款“三公”经费支出决算情况说明\n"
        "2024年度“三公”经费财政拨款支出决算年初预算为16.43万元，支出决算为13.89万元，完成预算的84.54%。"
        "其中：因公出国（境）费决算为0万元。\n"
        "国内公务接待支出2.99万元。全年国内公务接待21批次、84人次。\n"
    )
    path = tmp_path / "tp.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_path(path, Settings())
    xiqu_like = (doc, TextIndex(doc))
    assert ground(xiqu_like, THREE_PUBLIC, "三公经费支出决算", "13.89", "支出决算为13.89万元").value == Decimal("13.89")
    assert ground(xiqu_like, THREE_PUBLIC, "三公经费预算", "16.43", "年初预算为16.43万元").value == Decimal("16.43")
    assert ground(xiqu_like, THREE_PUBLIC, "因公出国（境）费", "0", "因公出国（境）费决算为0万元").value == 0
    assert ground(xiqu_like, THREE_PUBLIC, "国内接待批次", "21", "全年国内公务接待21批次").value == 21
    with pytest.raises(Rejected, match="16.43 紧跟在“预算”后面，不是“三公经费支出决算”"):  # budget as the actual
        ground(xiqu_like, THREE_PUBLIC, "三公经费支出决算", "16.43", "年初预算为16.43万元")
    with pytest.raises(Rejected, match="13.89 紧跟在“决算为”后面，不是“三公经费预算”"):  # actual as the budget
        ground(xiqu_like, THREE_PUBLIC, "三公经费预算", "13.89", "支出决算为13.89万元")
    with pytest.raises(Rejected, match="不是金额"):  # a count is not money
        ground(xiqu_like, THREE_PUBLIC, "国内公务接待费", "21", "全年国内公务接待21批次、84人次")
    # stray quote marks the model leaves around its quote do not matter
    fig = ground(xiqu_like, THREE_PUBLIC, "国内公务接待费", "2.99", "国内公务接待支出2.99万元”,")
    assert fig.source.quote == "国内公务接待支出2.99万元"
