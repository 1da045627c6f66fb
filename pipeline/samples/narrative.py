"""Part three (情况说明) and part four (名词解释) in the official 2024 template's wording.

Each sentence is written with ``Para.fig``/``Para.ref`` so the gold can quote it exactly; changes, shares and
completion rates are computed from the printed (rounded) figures, as real reports do.
"""

from __future__ import annotations

import random
from decimal import Decimal

from pipeline.samples import catalog as cat
from pipeline.samples.blocks import Para
from pipeline.samples.model import Report, ThreePublic
from pipeline.samples.money import ZERO, pct, say

Y = cat.YEAR
P = Y - 1


def _p(x: Decimal) -> str:
    return f"{x:.2f}"


def _change(p: Para, start: int, chg_key: str | None, pct_key: str | None, subject: str, now: Decimal,
            prior: Decimal) -> None:  # fmt: skip
    """'…增加X万元，增长Y%' (or 减少/下降, or 持平), tagging the change and the rate."""
    d = now - prior
    if d == 0:
        p.add(f"{subject}与上年持平")
        if chg_key:
            p.ref(chg_key, ZERO, start, p.pos() - 2)
        return
    verb, rate = ("增加", "增长") if d > 0 else ("减少", "下降")
    s2 = p.pos() if subject else start  # the rate's quote names what changed
    p.add(f"{subject}{verb}")
    at = p.num(say(abs(d)))
    p.add("万元")
    if chg_key:
        p.ref(chg_key, d, start, at)
    if prior == 0:
        return
    r = pct(d, prior)
    p.add(f"，{rate}")
    at2 = p.num(_p(abs(r)))
    p.add("%")
    if pct_key:
        p.ref(pct_key, r, s2, at2)


def part_three(r: Report, rng: random.Random) -> list[Para]:
    out: list[Para] = [Para("part", "第三部分"), Para("title", f"{r.name}{Y}年度部门决算情况说明")]
    out += _overall(r)
    out += _income(r)
    out += _expenditure(r)
    out += _appropriation(r)
    out += _general_budget(r)
    out += _basic(r)
    out += _three_public(r, rng)
    out += _fund(r, "gf", "八", "政府性基金预算", "government_fund")
    out += _fund(r, "sc", "九", "国有资本经营预算", "state_capital")
    out += _performance(r)
    out += _other(r)
    return out


def _overall(r: Report) -> list[Para]:
    p = Para()
    p.fig("summary.total", r.summary_total, f"{r.name}{Y}年度收入支出总计", say(r.summary_total))
    p.add("。")
    s = p.pos()
    p.add(f"与{P}年度相比，")
    _change(p, s, "summary.total_change", "summary.total_change_pct", "收入支出总计", r.summary_total,
            r.prior["summary"])  # fmt: skip
    p.add(f"。主要原因：{r.reasons['summary']}。")
    return [Para("h1", "一、收入支出决算总体情况说明"), p]


def _income(r: Report) -> list[Para]:
    total = r.income_total
    p = Para()
    p.fig("income.total", total, "本年收入合计", say(total))
    p.add("，其中：")
    parts = [
        ("财政拨款收入", r.appropriation_income, "income.appropriation"),
        ("上级补助收入", r.income["superior_subsidy"], "income.superior_subsidy"),
        ("事业收入", r.income["business"], "income.business"),
        ("经营收入", r.income["operating"], "income.operating"),
        ("附属单位上缴收入", r.income["affiliated"], "income.affiliated"),
        ("其他收入", r.income["other"], "income.other"),
    ]
    shown = [x for x in parts if x[1] > 0]
    for n, (label, v, key) in enumerate(shown):
        s, _ = p.fig(key, v, label, say(v))
        p.add("，占")
        at = p.num(_p(pct(v, total)))
        p.add("%")
        p.ref(f"extra:{key}_share_pct", pct(v, total), s, at)
        p.add("；" if n < len(shown) - 1 else "。")
    return [Para("h1", "二、收入决算情况说明"), p]


def _expenditure(r: Report) -> list[Para]:
    total = r.expenditure_total
    p = Para()
    p.fig("expenditure.total", total, "本年支出合计", say(total))
    p.add("，其中：")
    parts = [("基本支出", r.expenditure_basic, "expenditure.basic"),
             ("项目支出", r.expenditure_project, "expenditure.project")]  # fmt: skip
    shown = [x for x in parts if x[1] > 0]
    for n, (label, v, key) in enumerate(shown):
        s, _ = p.fig(key, v, label, say(v))
        p.add("，占")
        at = p.num(_p(pct(v, total)))
        p.add("%")
        p.ref(f"extra:{key}_share_pct", pct(v, total), s, at)
        p.add("；" if n < len(shown) - 1 else "。")
    return [Para("h1", "三、支出决算情况说明"), p]


def _appropriation(r: Report) -> list[Para]:
    total = r.appropriation_income
    p = Para()
    p.fig("appropriation.total", total, f"{r.name}{Y}年度财政拨款收入支出总计", say(total))
    p.add("。")
    s = p.pos()
    p.add(f"与{P}年度相比，")
    _change(p, s, "appropriation.total_change", "appropriation.total_change_pct", "财政拨款收入支出总计",
            total, r.prior["appropriation"])  # fmt: skip
    p.add(f"。主要原因：{r.reasons['appropriation']}。")
    return [Para("h1", "四、财政拨款收入支出决算总体情况说明"), p]


def _general_budget(r: Report) -> list[Para]:
    g = r.fund_total("gb")
    out = [
        Para("h1", "五、一般公共预算财政拨款支出决算情况说明"),
        Para("h2", "（一）一般公共预算财政拨款支出决算总体情况"),
    ]
    p = Para()
    p.fig("general_budget.total", g, "一般公共预算财政拨款支出", say(g))
    p.add("，")
    share = pct(g, r.expenditure_total)
    p.fig("general_budget.share_pct", share, "占本年支出合计的", _p(share), "%")
    p.add("。")
    s = p.pos()
    p.add(f"与{P}年度相比，")
    _change(p, s, "general_budget.change", "general_budget.change_pct", "一般公共预算财政拨款支出", g,
            r.prior["general_budget"])  # fmt: skip
    p.add(f"。主要原因：{r.reasons['general_budget']}。")
    out.append(p)

    out.append(Para("h2", "（二）一般公共预算财政拨款支出决算结构情况"))
    p = Para()
    p.add(f"一般公共预算财政拨款支出{say(g)}万元，主要用于以下方面：")
    classes: dict[str, Decimal] = {}
    for it in r.gb_items:
        classes[it.code[:3]] = classes.get(it.code[:3], ZERO) + it.approp
    codes = sorted(classes)
    for n, code in enumerate(codes):
        share = r.printed(f"N5.share.{code}", pct(classes[code], g))
        s = p.pos()
        p.add(f"{cat.FUNC_NAMES[code]}（类）{say(classes[code])}万元，占")
        at = p.num(_p(share))
        p.add("%")
        p.ref(f"by_class_share:{code}", share, s, at)
        p.add("；" if n < len(codes) - 1 else "。")
    out.append(p)

    out.append(Para("h2", "（三）一般公共预算财政拨款支出决算具体情况"))
    budget = r.gb_budget
    p = Para()
    p.fig("general_budget.budget", budget, "一般公共预算财政拨款支出年初预算为", say(budget))
    p.add("，")
    s = p.pos()
    p.add(f"支出决算为{say(g)}万元")
    if budget > 0:
        c = pct(g, budget)
        p.add("，完成年初预算的")
        at = p.num(_p(c))
        p.add("%")
        p.ref("general_budget.completion_pct", c, s, at)
    p.add("。")
    p.add(_vs_budget(g, budget, r.reasons["general_budget.budget"]))
    p.add("其中：")
    out.append(p)
    for n, it in enumerate(r.gb_items, 1):
        p = Para()
        p.add(f"{n}、{_path(it.code)}。主要用于：{it.usage}。")
        s = p.pos()
        p.add("年初预算为")
        at = p.num(say(it.budget))
        p.add(f"万元，支出决算为{say(it.approp)}万元")
        completion = None
        if it.budget > 0:
            completion = pct(it.approp, it.budget)
            p.add("，完成年初预算的")
            p.num(_p(completion))
            p.add("%")
        p.ref(f"item_budget:{it.code}", {"budget": it.budget, "completion_pct": completion}, s, at)
        p.add("。")
        p.add(_vs_budget(it.approp, it.budget, it.reason))
        out.append(p)
    return out


def _path(code: str) -> str:
    return f"{cat.FUNC_NAMES[code[:3]]}（类）{cat.FUNC_NAMES[code[:5]]}（款）{cat.FUNC_NAMES[code]}（项）"


def _vs_budget(actual: Decimal, budget: Decimal, reason: str) -> str:
    if actual == budget:
        return "决算数与预算数持平。"
    word = "大于" if actual > budget else "小于"
    return f"决算数{word}预算数的主要原因：{reason}。"


def _basic(r: Report) -> list[Para]:
    total = r.fund_basic("gb")
    personnel = r.personnel
    public = r.printed("T6.public", r.public)
    left = [n for c, n in cat.ECON_LEFT if len(c) == 5 and r.econ.get(c, ZERO) > 0]
    right = [n for c, n in cat.ECON_RIGHT if len(c) == 5 and r.econ.get(c, ZERO) > 0]
    p = Para()
    p.fig("basic_expenditure.total", total, "一般公共预算财政拨款基本支出", say(total))
    p.add("。其中：")
    p.fig("basic_expenditure.personnel", personnel, "人员经费", say(personnel))
    p.add(f"，主要包括：{'、'.join(left)}；")
    p.fig("basic_expenditure.public", public, "公用经费", say(public))
    p.add(f"，主要包括：{'、'.join(right)}。")
    return [Para("h1", "六、一般公共预算财政拨款基本支出决算情况说明"), p]


def _three_public(r: Report, rng: random.Random) -> list[Para]:
    out = [Para("h1", "七、财政拨款“三公”经费支出决算情况说明")]
    tp = r.three
    if not tp.any:
        p = Para()
        p.fig("three_public.total", 0, f"{r.name}{Y}年度无“三公”经费财政拨款支出", "", "")
        p.add("。")
        return out + [p]
    b, x, pr = ThreePublic.parts(tp.budget), ThreePublic.parts(tp.actual), ThreePublic.parts(tp.prior)
    out.append(Para("h2", "（一）“三公”经费财政拨款支出决算总体情况说明。"))
    p = Para()
    p.fig("three_public.budget", b["total"], "“三公”经费财政拨款支出年初预算为", say(b["total"]))
    p.add("，")
    s, _ = p.fig("three_public.total", x["total"], "支出决算为", say(x["total"]))
    if b["total"] > 0:
        c = pct(x["total"], b["total"])
        p.add("，完成预算的")
        at = p.num(_p(c))
        p.add("%")
        p.ref("three_public.completion_pct", c, s, at)
    p.add("，其中：")
    comps = [("overseas", "因公出国（境）费", "决算为", "three_public.overseas"),
             ("vehicles", "公务用车购置及运行维护费", "支出决算为", "three_public.vehicles"),
             ("reception", "公务接待费", "支出决算为", "three_public.reception")]  # fmt: skip
    for n, (k, label, verb, key) in enumerate(comps):
        p.fig(key, x[k], f"{label}{verb}", say(x[k]))
        if b[k] > 0:
            p.add(f"，完成预算的{_p(pct(x[k], b[k]))}%")
        p.add("；" if n < 2 else "。")
    if x["total"] != b["total"]:
        word = "小于" if x["total"] < b["total"] else "大于"
        p.add(f"{Y}年度“三公”经费支出决算数{word}预算数的主要原因：{r.reasons['three_public']}。")
    out.append(p)

    p = Para()
    s = p.pos()
    p.add(f"{Y}年度“三公”经费财政拨款支出决算数比{P}年度")
    _change(p, s, "three_public.change", "three_public.change_pct", "", x["total"], pr["total"])
    p.add("，其中：")
    for n, (k, label, _verb, _key) in enumerate(comps):
        s = p.pos()
        p.add(f"{label}支出决算")
        if x[k] == pr[k]:
            p.add("与上年持平")
        else:
            _change(p, s, None, None, "", x[k], pr[k])
        p.add("；" if n < 2 else "。")
    p.add(f"主要原因是{r.reasons['three_public']}。")
    out.append(p)

    out.append(Para("h2", "（二）“三公”经费财政拨款支出决算具体情况说明。"))
    p = Para()
    p.add("“三公”经费财政拨款支出决算中，")
    for n, (k, label, _verb, _key) in enumerate(comps):
        share = pct(x[k], x["total"])
        s = p.pos()
        p.add(f"{label}支出决算{say(x[k])}万元，占")
        at = p.num(_p(share))
        p.add("%")
        p.ref(f"extra:three_public.{k}_share_pct", share, s, at)
        p.add("；" if n < 2 else "。")
    p.add("具体情况如下：")
    out.append(p)

    p = Para()
    p.add(f"1、因公出国（境）费支出{say(x['overseas'])}万元。")
    if tp.groups:
        p.add(f"全年安排因公出国（境）团组{tp.groups}个、累计{tp.travellers}人次。开支内容包括：赴境外开展业务交流"
              "和考察学习的国际旅费、住宿费、伙食费等。")  # fmt: skip
    else:
        p.add("全年未安排因公出国（境）团组。")
    out.append(p)
    out.append(Para("body", f"2、公务用车购置及运行维护费支出{say(x['vehicles'])}万元。其中："))
    p = Para()
    p.fig("three_public.vehicle_purchase", x["purchase"], "公务用车购置支出为", say(x["purchase"]))
    p.add("。")
    if tp.vehicles_bought:
        p.add(f"主要用于更新已达报废年限的公务用车，购置公务用车{tp.vehicles_bought}辆。")
    out.append(p)
    p = Para()
    p.fig("three_public.vehicle_operation", x["operation"], "公务用车运行维护支出", say(x["operation"]))
    p.add("。主要用于公务用车燃料费、维修费、过路过桥费、保险费等支出。")
    p.fig("three_public.vehicles_owned", tp.vehicles_owned,
          f"{Y}年，{r.name}所属各预算单位开支财政拨款的公务用车保有量为", str(tp.vehicles_owned), "辆")  # fmt: skip
    p.add("。")
    out.append(p)
    out.append(Para("body", f"3、公务接待费支出{say(x['reception'])}万元。其中："))
    p = Para()
    s, _ = p.fig("three_public.reception_domestic", x["reception"], "国内公务接待支出", say(x["reception"]))
    p.add("（")
    p.fig("three_public.reception_foreign", tp.foreign, "含外宾接待支出", say(tp.foreign))
    p.add("）。主要用于上级部门检查指导、兄弟单位交流考察等公务活动的工作餐费，")
    s = p.pos()
    p.add("全年国内公务接待")
    at = p.num(str(tp.batches))
    p.add("批次、")
    at2 = p.num(str(tp.persons))
    p.add("人次")
    p.ref("three_public.reception_batches", tp.batches, s, at)
    p.ref("three_public.reception_persons", tp.persons, s, at2)
    p.add(f"，其中：接待外宾{tp.foreign_batches}批次、{tp.foreign_persons}人次。")
    out.append(p)
    return out


def _fund(r: Report, fund: str, num: str, label: str, prefix: str) -> list[Para]:
    out = [Para("h1", f"{num}、{label}财政拨款收入支出决算情况说明")]
    items = [i for i in r.fund_items(fund) if i.approp > 0]
    p = Para()
    if not items:
        s = p.pos()
        p.add(f"{r.name}{Y}年度无{label}财政拨款收入和支出")
        for key in (f"{prefix}.income", f"{prefix}.expenditure"):
            p.ref(key, 0, s, s)
        p.add("。")
        return out + [p]
    total = r.fund_total(fund)
    p.fig(f"{prefix}.income", total, f"{label}财政拨款收入", say(total))
    p.add("，")
    p.fig(f"{prefix}.expenditure", total, "支出", say(total))
    p.add("，支出具体情况如下：")
    out.append(p)
    for n, it in enumerate(items, 1):
        out.append(
            Para(
                "body",
                f"{n}、{_path(it.code)}。主要用于：{it.usage}。年初预算为{say(it.approp)}万元，支出决算为"
                f"{say(it.approp)}万元。决算数与预算数持平。",
            )
        )
    return out


def _performance(r: Report) -> list[Para]:
    pf = r.performance
    p = Para()
    p.add(
        f"{r.name}{Y}年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度：《上海市预算绩效管理实施办法》"
        f"《{r.district}预算绩效管理实施办法》《{r.name}项目支出绩效管理内部规程》，建立了事前绩效评估、绩效目标管理、"
        f"绩效运行监控、绩效评价和结果应用的全过程预算绩效管理工作机制；全过程绩效管理实施情况："
        f"编报绩效目标的{Y}年度项目{pf['targets']}个，涉及预算金额{say(pf['targets_amount'])}万元；"
        f"绩效跟踪评价的{Y}年度项目{pf['tracked']}个，涉及预算金额{say(pf['tracked_amount'])}万元；"
    )
    s = p.pos()
    p.add(f"绩效自评的{Y}年度项目")
    at = p.num(str(pf["evaluated"]))
    p.add("个")
    p.ref("performance.projects_evaluated", pf["evaluated"], s, at)
    p.add("，")
    p.fig("extra:performance.projects_evaluated_budget", pf["evaluated_amount"], "涉及预算金额",
          say(pf["evaluated_amount"]))  # fmt: skip
    p.add("，")
    p.fig("extra:performance.projects_avg_score", pf["avg_score"], "平均得分", _p(pf["avg_score"]), "分")
    p.add(
        f"（其中，绩效评级为“优”的项目{pf['excellent']}个；绩效评级为“良”的项目{pf['good']}个；"
        f"绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题{pf['problems']}个，"
        f"已经完成整改的{pf['problems']}个，正在整改的0个）。"
    )
    return [Para("h1", "十、预算绩效管理情况"), p]


def _other(r: Report) -> list[Para]:
    out = [Para("h1", "十一、其他重要事项的情况说明"), Para("h2", "（一）机关运行经费支出情况")]
    p = Para()
    oc = r.operating_costs
    p.fig("operating_costs.total", oc, "机关运行经费支出", say(oc))
    p.add("，")
    s = p.pos()
    p.add(f"比{P}年度")
    _change(p, s, "operating_costs.change", "operating_costs.change_pct", "", oc, r.prior["operating_costs"])
    p.add(f"。主要原因是{r.reasons['operating_costs']}。")
    out.append(p)

    out.append(Para("h2", "（二）政府采购支出情况"))
    pc = r.procurement
    p = Para()
    p.add(r.name)
    p.fig("procurement.total", pc["total"], f"{Y}年度政府采购金额（以合同签订为准）为", say(pc["total"]))
    p.add("，其中：")
    p.fig("procurement.goods", pc["goods"], "货物采购金额", say(pc["goods"]))
    p.add("、")
    p.fig("procurement.works", pc["works"], "工程采购金额", say(pc["works"]))
    p.add("、")
    p.fig("procurement.services", pc["services"], "服务采购金额", say(pc["services"]))
    p.add(f"，主要用于{r.dept.procurement_use}。")
    out.append(p)
    p = Para()
    p.fig("extra:procurement.sme_reserved_budget", pc["sme_reserved"],
          f"{Y}年度本部门面向中小企业预留政府采购项目预算金额", say(pc["sme_reserved"]))  # fmt: skip
    p.add("，")
    p.fig("extra:procurement.small_micro_reserved_budget", pc["small_reserved"],
          "面向小微企业预留政府采购项目预算金额", say(pc["small_reserved"]))  # fmt: skip
    p.add("。")
    p.fig("extra:procurement.sme_awarded_in_sme_reserved", pc["sme_in_reserved"],
          "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额", say(pc["sme_in_reserved"]))  # fmt: skip
    p.add(
        f"；在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额{say(pc['small_in_reserved'])}万元；"
    )
    p.fig("extra:procurement.sme_awarded_in_other", pc["sme_other"],
          "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额", say(pc["sme_other"]))  # fmt: skip
    p.add("。全年")
    s, _ = p.fig("procurement.sme_awarded", pc["sme"], "授予中小企业合同金额", say(pc["sme"]))
    p.add("，占政府采购金额的")
    at = p.num(_p(pc["sme_share"]))
    p.add("%")
    p.ref("procurement.sme_share_pct", pc["sme_share"], s, at)
    p.add("。")
    out.append(p)

    out.append(Para("h2", "（三）国有资产占有使用情况说明"))
    n = r.assets["vehicles"]
    kinds = [0, 0, 0, 0, 0, 0, 0, 0]
    if n:
        # law-enforcement bureaus keep 执法执勤用车, the rest 其他用车
        main = 4 if r.dept.slug in ("sifaju", "lvhuashirongju") else 7
        kinds[main] = n - 1 if n > 1 else n
        kinds[7 if main == 4 else 3] += n - kinds[main]
    labels = ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
              "特种专业技术用车", "离退休干部用车", "其他用车"]  # fmt: skip
    p = Para()
    p.add(f"截至{Y}年12月31日，")
    p.fig("assets.vehicles", n, f"{r.name}共有车辆", str(n), "辆")
    p.add("，其中：" + "、".join(f"{lab}{k}辆" for lab, k in zip(labels, kinds, strict=True)) + "。")
    eq = r.assets["equipment"]
    p.fig("assets.high_value_equipment", eq, "单价100万元（含）以上设备（不含车辆）", str(eq), "台（套）")
    p.add("。")
    out.append(p)
    return out


GLOSSARY = [
    ("财政拨款收入", "指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"),
    ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ("其他收入", "指单位取得的除“财政拨款收入”、“事业收入”、“经营收入”等以外的收入。"),
    ("年初结转和结余", "指以前年度尚未完成、结转到本年按有关规定继续使用的资金。"),
    ("年末结转和结余", "指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度按有关规定继续使用的资金。"),
    ("基本支出", "指单位为保障机构正常运转、完成日常工作任务而发生的各项支出。"),
    ("项目支出", "指单位为完成特定的行政工作任务或事业发展目标，在基本支出之外发生的各项支出。"),
    ("“三公”经费", "指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"),
    ("机关运行经费", "指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"),
]  # fmt: skip


def part_four(r: Report) -> list[Para]:
    out = [Para("part", "第四部分"), Para("title", "名词解释")]
    entries = [g for g in GLOSSARY if g[0] != "事业收入" or r.income["business"] > 0]
    for n, (term, text) in enumerate(entries):
        out.append(Para("body", f"{cat.CN_ORDINALS[n]}、{term}：{text}"))
    return out
