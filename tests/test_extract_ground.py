"""Which printed number may be a field's, on the real seed text: what is kept, what is refused and why.

The model can only point at a field's candidates; ``ground`` finds the tagged number printed in ``quote``
and returns the figure it gives the field, or raises Rejected with the reason it is no candidate."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from conftest import SHARED

from pipeline.config import Settings
from pipeline.extract import pointers
from pipeline.extract.fields import PartSpec
from pipeline.extract.labels import Rejected
from pipeline.extract.parts import parse_value
from pipeline.extract.routing import route
from pipeline.extract.tagging import tag
from pipeline.parse import parse_path
from pipeline.reports.final_accounts.parts import (
    GB_ITEMS,
    GOVERNMENT_FUND,
    INCOME,
    STATE_CAPITAL,
    SUMMARY,
    THREE_PUBLIC,
)
from pipeline.textindex import TextIndex

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
    region = index.region(r.blocks)
    where = index.find(quote, region)
    if not where:
        raise Rejected(f"引文“{quote}”不在本部分原文中")
    target = parse_value(value)
    hits = [
        t for t in tag(index, region).tags.values()
        if any(s <= t.located.number_at < e for s, e in where)
        and (t.zero if t.located.printed is None else t.located.printed.value in (abs(target), abs(target) * 10000))
    ]
    if not hits:
        raise Rejected(f"引文“{quote}”中没有数字 {value}")
    reasons = [pointers.refusal(index, part, spec, t) for t in hits]
    if all(reasons):
        raise Rejected(reasons[0])
    return pointers.figure(index, spec, hits[reasons.index(None)], r.section)


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
    with pytest.raises(Rejected, match="没有数字 770.43"):
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


def test_the_quote_is_the_clause_that_names_the_number(xiqu):
    fig = ground(xiqu, INCOME, "本年收入合计", "544.24", "544.24")  # found by its number alone
    assert fig.source.quote == "本年收入合计544.24万元"
    fig = ground(xiqu, INCOME, "一般公共预算财政拨款收入", "483.8", "483.8")
    assert fig.value == Decimal("483.8") and fig.source.quote.endswith("一般公共预算财政拨款收入483.8万元")
    assert fig.source.line == 26


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
    fig = ground((doc, TextIndex(doc)), INCOME, "本年收入合计", "770.43", "本年收入合计7,704,300.00元")
    assert fig.value == Decimal("770.43")
    assert (fig.source.printed, fig.source.printed_unit) == ("7,704,300.00", "元")


def test_item_row_numbers(xiqu):
    """A row the model points at: its name is the entry's printed 类/款/项 wording, each number must be
    labelled as what the row says it is (229.45 is printed as 决算, not 预算)."""
    doc, index = xiqu
    r = route(doc, GB_ITEMS)
    region = index.region(r.blocks)
    tagged = tag(index, region)
    by_value = {t.shown(): tid for tid, t in tagged.tags.items()}
    text = pointers.PartText(region, region, [], False, {})
    plan = pointers.plan(index, tagged, GB_ITEMS, text, True)
    plan.ask_rows = True
    model = pointers.response_model(plan, index)
    rows = [
        {"name": "行政运行", "支出决算": by_value["145.62万元"], "预算数": None, "完成预算%": None},
        {"name": "x", "支出决算": by_value["229.45万元"], "预算数": by_value["229.45万元"], "完成预算%": None},
    ]
    picks = {a.spec.label: None for a in plan.questions} | {"rows": rows}
    out = pointers.answer(index, plan, model.model_validate(picks), 0, region, r.section)
    first, second = out.rows
    # the whole printed 类/款/项 wording, not the model's short name (ingestion keeps text NFKC)
    assert unicodedata.normalize("NFKC", "一般公共服务（类）其他共产党事务支出（款）行政运行（项）") == first.name
    assert first.printed_no == 1 and first.values["amount"].value == Decimal("145.62")
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
    fig = ground(xiqu_like, THREE_PUBLIC, "国内公务接待费", "2.99", "国内公务接待支出2.99万元")
    assert fig.source.quote == "国内公务接待支出2.99万元"
