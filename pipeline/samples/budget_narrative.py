"""The text of a 部门预算 in the Putuo reports' wording: cover, 目录, 主要职能, 机构设置, 名词解释, the
部门预算编制说明 (income and spending against last year's budget, then each 一般公共预算 项 against last
year's 预算执行数) and 其他相关情况说明 ("三公" against last year's budget, 机关运行经费).

Every figure is written with ``Para.fig``/``Para.ref`` so the gold quotes it exactly; 编制说明 amounts print
with two decimals (事业收入0.00万元), the "三公" ones as the reports write them (0万元, 25.00万元).
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Block, PageBreak, Para, Spacer
from pipeline.samples.budget_model import BudgetReport, change_words, yoy_rates
from pipeline.samples.budget_tables import TITLES, BudgetLook
from pipeline.samples.money import money, say


def cover(r: BudgetReport) -> list[Block]:
    return [
        PageBreak(False),
        Spacer(230),
        Para("cover", f"上海市{r.district}{r.year}年区级部门预算"),
        Spacer(20),
        Para("title", f"预算主管部门：{r.name}"),
    ]


PARTS = ["部门主要职能", "部门机构设置", "名词解释", "部门预算编制说明", "部门预算表", "其他相关情况说明"]


def contents(r: BudgetReport, look: BudgetLook) -> list[Block]:
    out: list[Block] = [PageBreak(False), Spacer(20), Para("toc_title", "目  录")]
    for n, part in enumerate(PARTS):
        out.append(Para("toc_part", f"{cat.CN_ORDINALS[n]}、{part}"))
        if part == "部门预算表":
            out += [Para("toc", f"{k}. {look.title(tid, r.year)}") for k, tid in enumerate(TITLES, 1)]
    return out


def duties(r: BudgetReport) -> list[Block]:
    return [
        PageBreak(False),
        Para("title", f"{r.name}（部门）主要职能"),
        Para("body", f"{r.name}的主要职能是：{r.dept.duties}"),
    ]


def organisation(r: BudgetReport) -> list[Block]:
    units = r.units
    out: list[Block] = [Spacer(16), Para("title", f"{r.name}（部门）机构设置")]
    if len(units) == 1:
        out.append(Para("body", f"{r.name}为一级预算单位，无下属预算单位，本部门预算即{r.name}本级预算。"))
        return out
    out.append(
        Para(
            "body",
            f"{r.name}部门预算是包括{r.name}本级以及下属{len(units) - 1}家预算单位的综合收支计划。具体包括：",
        )
    )
    out += [Para("body", f"{n}. {u}。") for n, u in enumerate(units, 1)]
    return out


GLOSSARY = [
    ("财政拨款收入", "是预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"),
    ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ("事业单位经营收入", "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。"),
    ("其他收入", "指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。"),
    ("基本支出预算", "是预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，包括人员经费和公用经费两部分。"),
    ("项目支出预算", "是预算主管部门及所属预算单位为完成行政工作任务、事业发展目标或政府发展战略、特定目标，在基本支出之外编制的年度支出计划。"),
    ("“三公”经费", "是部门及其下属预算单位使用财政拨款安排的因公出国（境）费、公务用车购置及运行费、公务接待费。"),
    ("机关运行经费", "指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"),
]  # fmt: skip


def glossary() -> list[Block]:
    out: list[Block] = [PageBreak(False), Para("title", "名词解释")]
    out += [Para("body", f"（{cat.CN_ORDINALS[n]}）{term}：{text}") for n, (term, text) in enumerate(GLOSSARY)]
    return out


def _vs_last(p: Para, key: str | None, now: Decimal, prior: Decimal, year: int, fmt=money) -> None:
    """'比2023年预算增加X万元' / '减少…' / '持平', the change tagged (signed) as ``key``."""
    word, d = change_words(now, prior)
    s = p.pos()
    p.add(f"比{year}年预算")
    if word == "持平":
        p.add("持平")
        if key:
            p.ref(key, Decimal(0), s, s)
        return
    p.add(word)
    at = p.num(fmt(d))
    p.add("万元")
    if key:
        p.ref(key, now - prior, s, at)


def _path(code: str) -> str:
    return f"{cat.FUNC_NAMES[code[:3]]}（类）{cat.FUNC_NAMES[code[:5]]}（款）{cat.FUNC_NAMES[code]}（项）"


def explanation(r: BudgetReport) -> list[Block]:
    """四、部门预算编制说明."""
    y, prior_year = r.year, r.year - 1
    out: list[Block] = [PageBreak(False), Para("title", f"{y}年部门预算编制说明")]
    p = Para()
    p.add(f"{y}年，{r.name}")
    p.fig("income.total", r.income_total, "收入预算", money(r.income_total))
    p.add("，其中：")
    p.fig("income.appropriation", r.appropriation, "财政拨款收入", money(r.appropriation))
    p.add("，")
    _vs_last(p, "extra:income.appropriation_change", r.appropriation, r.prior["appropriation"], prior_year)
    for label, key in (("事业收入", "business"), ("事业单位经营收入", "operating"), ("其他收入", "other")):
        p.add("；")
        p.fig(f"income.{key}", r.source(key), label, money(r.source(key)))
    p.add("。")
    out.append(p)

    p = Para()
    p.fig("expenditure.total", r.expenditure_total, "支出预算", money(r.expenditure_total))
    p.add("，其中：")
    p.fig("extra:appropriation.expenditure", r.appropriation, "财政拨款支出预算", money(r.appropriation))
    p.add("，")
    _vs_last(p, None, r.appropriation, r.prior["appropriation"], prior_year)
    p.add("。财政拨款支出预算中，")
    funds = [
        ("gb", "一般公共预算拨款支出预算", "general_budget.total", "extra:general_budget.change"),
        ("gf", "政府性基金拨款支出预算", "extra:government_fund.expenditure", "extra:government_fund.change"),
        ("sc", "国有资本经营预算拨款支出预算", "extra:state_capital.expenditure", "extra:state_capital.change"),
    ]
    for n, (fund, label, key, change_key) in enumerate(funds):
        now = r.fund_total(fund)
        p.fig(key, now, label, money(now))
        p.add("，")
        _vs_last(p, change_key, now, r.prior[fund], prior_year)
        p.add("；" if n < len(funds) - 1 else "。")
    out.append(p)
    word, _ = change_words(r.appropriation, r.prior["appropriation"])
    if word != "持平":
        out.append(Para("body", f"财政拨款收入支出{word}的主要原因是{r.reasons['appropriation']}。"))
    out.append(Para("body", "财政拨款支出主要内容如下："))
    rates = yoy_rates(r)
    for n, it in enumerate(r.gb_items, 1):
        prior = r.prior_executed[it.code]
        rate = rates[it.code]
        p = Para()
        p.add(f"{n}. “{_path(it.code)}”{money(it.approp)}万元，主要用于{it.usage}。")
        s = p.pos()
        p.add(f"{prior_year}年当年预算执行数为")
        at = p.num(money(prior))
        p.add(f"万元，{y}年预算安排{money(it.approp)}万元，比{prior_year}年预算执行数")
        if prior == it.approp and rate == 0:
            p.add("持平")
        else:
            p.add("增加" if rate > 0 else "减少")
            p.num(f"{abs(rate):.2f}")
            p.add("%")
        p.ref(f"item_yoy:{it.code}", {"prior_executed": prior, "change_pct": rate}, s, at)
        p.add(f"。主要原因是：{r.item_reasons[it.code]}。")
        out.append(p)
    return out


def other_matters(r: BudgetReport) -> list[Block]:
    """六、其他相关情况说明: the "三公" budget against last year's, and 机关运行经费."""
    y, prior_year = r.year, r.year - 1
    now, last = r.three_parts, r.three_prior_parts
    out: list[Block] = [PageBreak(False), Para("title", "其他相关情况说明"),
                        Para("h1", f"一、{y}年“三公”经费预算情况说明")]  # fmt: skip
    p = Para()
    p.fig("three_public.total", now["total"], f"{y}年“三公”经费预算数为", say(now["total"]))
    p.add("，")
    _vs_last(p, "extra:three_public.change", now["total"], last["total"], prior_year, say)
    p.add("。其中：")
    out.append(p)
    reason = r.reasons["three_public"]
    lines = [
        ("（一）", "overseas", "因公出国（境）费", "three_public.overseas"),
        ("（二）", "vehicles", "公务用车购置及运行费", "three_public.vehicles"),
        ("（三）", "reception", "公务接待费", "three_public.reception"),
    ]
    for lead, k, label, key in lines:
        p = Para()
        p.add(lead)
        p.fig(key, now[k], label, say(now[k]))
        p.add("，")
        _vs_last(p, None, now[k], last[k], prior_year, say)
        word, _ = change_words(now[k], last[k])
        p.add(f"，主要原因是{label}保持不变。" if word == "持平" else f"，主要原因是{reason}。")
        if k == "vehicles":
            p.add("其中：")
            p.fig("three_public.vehicle_purchase", now["purchase"], "公务用车购置费", say(now["purchase"]))
            p.add("，")
            _vs_last(p, None, now["purchase"], last["purchase"], prior_year, say)
            p.add("；")
            p.fig("three_public.vehicle_operation", now["operation"], "公务用车运行费", say(now["operation"]))
            p.add("，")
            _vs_last(p, None, now["operation"], last["operation"], prior_year, say)
            p.add("。")
        out.append(p)
    out.append(Para("h1", "二、机关运行经费预算"))
    p = Para()
    p.fig("operating_costs.total", r.operating_costs, f"{y}年{r.name}（部门）机关运行经费预算为",
          say(r.operating_costs))  # fmt: skip
    p.add("。")
    out.append(p)
    return out
