"""A minimal rule catalog for the 部门预算, until the budget's own catalog replaces this file: grounding (every
figure where it says, printing what it says), one item stated two ways, and the few identities every budget
prints (收支平衡, 收入 and 支出 by their parts, 基本支出 by 人员/公用经费, the 三公 items)."""

from __future__ import annotations

from pipeline.validate.catalog import GROUNDING
from pipeline.validate.checks.arith import Equal, Sum
from pipeline.validate.rules import Rule

R = Rule

RULES: list[Rule] = [
    *GROUNDING,
    R("B1.balanced", "收入总计 = 支出总计", "B1 balances", "B1 收入总计 = B1 支出总计",
      Equal("B1[in:grand_total].amount", "B1[out:grand_total].amount")),
    R("BINC.sources", "本年收入 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入", "income = Σ sources",
      "income.total = income.appropriation + business + operating + other",
      Sum("income.total", "income.appropriation", "income.business", "income.operating", "income.other")),
    R("BEXP.parts", "本年支出 = 基本支出 + 项目支出", "expenditure = basic + project",
      "expenditure.total = expenditure.basic + expenditure.project",
      Sum("expenditure.total", "expenditure.basic", "expenditure.project")),
    R("BGB.parts", "一般公共预算支出 = 基本支出 + 项目支出", "general budget = basic + project",
      "general_budget.total = general_budget.basic + general_budget.project",
      Sum("general_budget.total", "general_budget.basic", "general_budget.project")),
    R("BBE.parts", "基本支出 = 人员经费 + 公用经费", "basic = personnel + public",
      "basic_expenditure.total = personnel + public",
      Sum("basic_expenditure.total", "basic_expenditure.personnel", "basic_expenditure.public")),
    R("BTP.items", "“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费", "三公 = Σ items",
      "three_public.total = overseas + vehicles + reception",
      Sum("three_public.total", "three_public.overseas", "three_public.vehicles", "three_public.reception")),
    R("BTP.vehicles", "公务用车购置及运行费 = 购置费 + 运行费", "vehicles = purchase + operation",
      "three_public.vehicles = vehicle_purchase + vehicle_operation",
      Sum("three_public.vehicles", "three_public.vehicle_purchase", "three_public.vehicle_operation")),
]
