"""The 部门决算's rule catalog: every identity the validator checks on a final-accounts report, as data.

Read it as a list of sections. Each rule gives its id, its Chinese and English titles, the identity as
printed, the check that computes it (with the paths it reads) and, where not the defaults (error; the sum
tolerance), its severity and tolerance. A section's ``words`` say what the words of its identities stand for
(record paths; ``T5[201].total`` is a table cell, ``T5[*].total`` a column). A ``Family`` is one rule
written out for each of the members it lists: ``{m}`` (or the member's named fields) in the template is
replaced by each member in turn.

Families: GRD grounding · AMB ambiguity · NAR narrative wording · T1…T9 inside a table · INC/EXP/APR/GB/BE/TP/
PROC record-level identities · X across tables and table-vs-narrative · PCT shares · YOY year-on-year ·
CMP completion rates · PL plausibility · DC disclosure completeness.
Record-level rules read a table cell where the record leaves the field empty (see the profile's links).
"""

from __future__ import annotations

from pipeline.reports.common import GROUNDING, PL_MAGNITUDE, PL_MISREAD, PL_NONNEG, PL_SHARE_RANGE
from pipeline.validate.checks.arith import AtMost, Balance, RowBalance, stated, values_equal
from pipeline.validate.checks.completeness import (
    CoreTablesRead,
    EmptyTableExplained,
    TablesComplete,
    TablesPresent,
    ThreePublicItems,
)
from pipeline.validate.checks.lists import ClassItems, Numbering
from pipeline.validate.checks.plausibility import ScoreRange
from pipeline.validate.checks.ratios import Growth, Ratio, ShareSum
from pipeline.validate.checks.tables import CodeTree, PairedRows, RowSums, Stated, T6Split
from pipeline.validate.checks.text import Comparison
from pipeline.validate.rules import Family, Rule, Section, catalog

TABLE_IDS = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9")
CORE_TABLES = ("T1", "T2", "T3", "T4", "T5")  # no total is checked without them: their absence is our reading's

GROUNDING_SECTION = Section(
    title="引文与措辞 — every figure against its own text",
    rules=(
        *GROUNDING,
        Rule(
            id="NAR.comparison",
            title_zh="大于/小于/持平与完成率一致",
            title_en="大于/小于/持平 agrees with the rate",
            identity="决算数 vs 预算数 word = sign(rate − 100)",
            check=Comparison(),
            tolerance="exact",
        ),
    ),
)

T1 = Section(
    title="收入支出决算总表 (T1) — the grand totals close and balance",
    words={
        "收入总计": "summary.total",
        "支出总计": "summary.total",
        "本年收入合计": "income.total",
        "使用非财政拨款结余": "income.nonappropriation_balance_used",
        "年初结转和结余": "income.carryover_begin",
        "本年支出合计": "expenditure.total",
        "结余分配": "expenditure.balance_distribution",
        "年末结转和结余": "expenditure.carryover_end",
        "T1 收入总计": "T1[in:grand_total].amount",
        "T1 支出总计": "T1[out:grand_total].amount",
        "T1 本年支出合计": "T1[out:total].amount",
        "T1 类": "T1[*].amount",
    },
    rules=(
        Rule(
            id="T1.income_closure",
            title_zh="收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
            title_en="income grand total closes",
            identity="收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
            check=Balance(
                left=("summary.total",),
                right=("income.total", "income.nonappropriation_balance_used", "income.carryover_begin"),
                unstated="unknown",
            ),
        ),
        Rule(
            id="T1.expenditure_closure",
            title_zh="支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
            title_en="expenditure grand total closes",
            identity="支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
            check=Balance(
                left=("summary.total",),
                right=("expenditure.total", "expenditure.balance_distribution", "expenditure.carryover_end"),
                unstated="unknown",
            ),
        ),
        Rule(
            id="T1.balanced",
            title_zh="收入总计 = 支出总计",
            title_en="T1 balances",
            identity="T1 收入总计 = T1 支出总计",
            check=Balance(left=("T1[in:grand_total].amount",), right=("T1[out:grand_total].amount",)),
        ),
        Rule(
            id="T1.classes",
            title_zh="本年支出合计 = Σ 各类支出",
            title_en="T1 expenditure = Σ classes",
            identity="T1 本年支出合计 = Σ T1 类",
            check=CodeTree(table="T1", columns=("amount",), total_key="out:total", key_prefix="out:", depth=1),
        ),
    ),
)

INCOME_EXPENDITURE = Section(
    title="本年收入与本年支出 — the year's income by source and expenditure by part",
    words={
        "本年收入合计": "income.total",
        "财政拨款": "income.appropriation",
        "财政拨款收入": "income.appropriation",
        "三类财政拨款收入": ("income.general_budget", "income.government_fund", "income.state_capital"),
        "一般公共预算": "income.general_budget",
        "政府性基金": "income.government_fund",
        "国有资本经营": "income.state_capital",
        "上级补助": "income.superior_subsidy",
        "事业": "income.business",
        "经营": "income.operating",
        "附属单位上缴": "income.affiliated",
        "其他": "income.other",
        "本年支出合计": "expenditure.total",
        "基本支出": "expenditure.basic",
        "项目支出": "expenditure.project",
        "经营支出": "expenditure.operating",
        "上缴上级支出": "expenditure.remit_superior",
        "对附属单位补助支出": "expenditure.affiliated_subsidy",
    },
    rules=(
        Rule(
            id="INC.sources",
            title_zh="本年收入合计 = 财政拨款收入 + 其他各项收入",
            title_en="income = Σ sources",
            identity="本年收入合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他",
            check=Balance(
                left=("income.total",),
                right=(
                    "income.appropriation",
                    "income.superior_subsidy",
                    "income.business",
                    "income.operating",
                    "income.affiliated",
                    "income.other",
                ),
                when=stated("income.appropriation"),
            ),
        ),
        Rule(
            id="INC.sources_by_kind",
            title_zh="本年收入合计 = 三类财政拨款收入 + 其他各项收入",
            title_en="income = Σ sources (by kind)",
            identity="本年收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他",
            check=Balance(
                left=("income.total",),
                right=(
                    "income.general_budget",
                    "income.government_fund",
                    "income.state_capital",
                    "income.superior_subsidy",
                    "income.business",
                    "income.operating",
                    "income.affiliated",
                    "income.other",
                ),
                when=stated("income.general_budget"),
            ),
        ),
        Rule(
            id="INC.appropriation_kinds",
            title_zh="财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
            title_en="appropriation income = Σ kinds",
            identity="财政拨款收入 = Σ 三类财政拨款收入",
            check=Balance(
                left=("income.appropriation",),
                right=("income.general_budget", "income.government_fund", "income.state_capital"),
                when=stated("income.general_budget"),
            ),
        ),
        Rule(
            id="EXP.parts",
            title_zh="本年支出合计 = 基本 + 项目 + 经营 + 上缴上级 + 对附属单位补助",
            title_en="expenditure = Σ parts",
            identity="本年支出合计 = 基本支出 + 项目支出 + 经营支出 + 上缴上级支出 + 对附属单位补助支出",
            check=Balance(
                left=("expenditure.total",),
                right=(
                    "expenditure.basic",
                    "expenditure.project",
                    "expenditure.operating",
                    "expenditure.remit_superior",
                    "expenditure.affiliated_subsidy",
                ),
            ),
        ),
    ),
)

ALL_APPROPRIATION = Section(
    title="全部为财政拨款时 — a department funded by appropriations alone (收支总计 = 财政拨款收支总计)",
    words={
        "本年收入合计": "income.total",
        "三类财政拨款收入": ("income.general_budget", "income.government_fund", "income.state_capital"),
        "本年支出合计": "expenditure.total",
        "一般公共预算": "general_budget.total",
        "政府性基金": "government_fund.expenditure",
        "国有资本经营 支出": "state_capital.expenditure",
    },
    rules=(
        Rule(
            id="APR.income",
            title_zh="全部为财政拨款时：本年收入合计 = 三类财政拨款收入",
            title_en="all-appropriation income",
            identity="if 收支总计 = 财政拨款收支总计: 本年收入合计 = Σ 三类财政拨款收入",
            check=Balance(
                left=("income.total",),
                right=("income.general_budget", "income.government_fund", "income.state_capital"),
                when=lambda view: values_equal("summary.total", "appropriation.total")(view)
                and stated("income.general_budget")(view),
            ),
        ),
        Rule(
            id="APR.expenditure",
            title_zh="全部为财政拨款时：本年支出合计 = 三类财政拨款支出",
            title_en="all-appropriation expenditure",
            identity="if 收支总计 = 财政拨款收支总计: 本年支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营 支出",
            check=Balance(
                left=("expenditure.total",),
                right=("general_budget.total", "government_fund.expenditure", "state_capital.expenditure"),
                when=values_equal("summary.total", "appropriation.total"),
            ),
        ),
    ),
)

T2_T3 = Section(
    title="收入决算表 (T2) 与支出决算表 (T3) — each row and each code adds up",
    words={
        "T2 每行 本年收入合计": "T2[*].total",
        "各收入列": (
            "T2[*].appropriation",
            "T2[*].superior_subsidy",
            "T2[*].business",
            "T2[*].operating",
            "T2[*].affiliated",
            "T2[*].other",
        ),
        "T2 合计": (
            "T2[total].total",
            "T2[total].appropriation",
            "T2[total].superior_subsidy",
            "T2[total].business",
            "T2[total].operating",
            "T2[total].affiliated",
            "T2[total].other",
        ),
        "T3 每行 本年支出合计": "T3[*].total",
        "各支出列": (
            "T3[*].basic",
            "T3[*].project",
            "T3[*].operating",
            "T3[*].remit_superior",
            "T3[*].affiliated_subsidy",
        ),
        "T3 合计": (
            "T3[total].total",
            "T3[total].basic",
            "T3[total].project",
            "T3[total].operating",
            "T3[total].remit_superior",
            "T3[total].affiliated_subsidy",
        ),
    },
    rules=(
        Rule(
            id="T2.row_sources",
            title_zh="收入决算表：合计 = 各项收入",
            title_en="T2 row total = Σ sources",
            identity="T2 每行 本年收入合计 = Σ 各收入列",
            check=RowSums(
                table="T2",
                left=("total",),
                right=("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other"),
            ),
        ),
        Rule(
            id="T2.tree",
            title_zh="收入决算表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
            title_en="T2 code tree",
            identity="T2 合计 = Σ 类; 类 = Σ 款 = Σ 项",
            check=CodeTree(
                table="T2",
                columns=(
                    "total",
                    "appropriation",
                    "superior_subsidy",
                    "business",
                    "operating",
                    "affiliated",
                    "other",
                ),
            ),
        ),
        Rule(
            id="T3.row_parts",
            title_zh="支出决算表：合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助",
            title_en="T3 row total = Σ parts",
            identity="T3 每行 本年支出合计 = Σ 各支出列",
            check=RowSums(
                table="T3",
                left=("total",),
                right=("basic", "project", "operating", "remit_superior", "affiliated_subsidy"),
            ),
        ),
        Rule(
            id="T3.tree",
            title_zh="支出决算表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
            title_en="T3 code tree",
            identity="T3 合计 = Σ 类; 类 = Σ 款 = Σ 项",
            check=CodeTree(
                table="T3",
                columns=("total", "basic", "project", "operating", "remit_superior", "affiliated_subsidy"),
            ),
        ),
    ),
)

T4 = Section(
    title="财政拨款收入支出决算总表 (T4) — the three kinds of appropriation, their flows and classes",
    words={
        "T4 本年收入合计": "T4[in:total].amount",
        "三类财政拨款": (
            "T4[in:general_budget].amount",
            "T4[in:government_fund].amount",
            "T4[in:state_capital].amount",
        ),
        "T4 每行 合计": "T4[*].total",
        "三类财政拨款列": ("T4[*].general_budget", "T4[*].government_fund", "T4[*].state_capital"),
        "T4 收入总计": "T4[in:grand_total].amount",
        "本年收入合计": "T4[in:total].amount",
        "年初财政拨款结转和结余": "T4[in:carryover_begin].amount",
        "T4 支出总计": "T4[out:grand_total].total",
        "本年支出合计": "T4[out:total].total",
        "年末财政拨款结转和结余": "T4[out:carryover_end].total",
        "三类": (
            "T4[in:carryover_begin.general_budget].amount",
            "T4[in:carryover_begin.government_fund].amount",
            "T4[in:carryover_begin.state_capital].amount",
        ),
        "T4 每列 本年支出合计": (
            "T4[out:total].total",
            "T4[out:total].general_budget",
            "T4[out:total].government_fund",
            "T4[out:total].state_capital",
        ),
    },
    rules=(
        Rule(
            id="T4.income_kinds",
            title_zh="财政拨款收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
            title_en="T4 income = Σ kinds",
            identity="T4 本年收入合计 = Σ 三类财政拨款",
            check=Balance(
                left=("T4[in:total].amount",),
                right=("T4[in:general_budget].amount", "T4[in:government_fund].amount", "T4[in:state_capital].amount"),
            ),
        ),
        Rule(
            id="T4.expenditure_kinds",
            title_zh="财政拨款支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
            title_en="T4 expenditure = Σ kinds",
            identity="T4 每行 合计 = Σ 三类财政拨款列",
            check=RowSums(
                table="T4",
                left=("total",),
                right=("general_budget", "government_fund", "state_capital"),
                side="expenditure",
            ),
        ),
        Rule(
            id="T4.income_closure",
            title_zh="财政拨款收入总计 = 本年收入 + 年初结转和结余",
            title_en="T4 income closes",
            identity="T4 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
            check=Balance(
                left=("T4[in:grand_total].amount",),
                right=("T4[in:total].amount", "T4[in:carryover_begin].amount"),
            ),
        ),
        Rule(
            id="T4.expenditure_closure",
            title_zh="财政拨款支出总计 = 本年支出 + 年末结转和结余",
            title_en="T4 expenditure closes",
            identity="T4 支出总计 = 本年支出合计 + 年末财政拨款结转和结余",
            check=Balance(
                left=("T4[out:grand_total].total",),
                right=("T4[out:total].total", "T4[out:carryover_end].total"),
            ),
        ),
        Rule(
            id="T4.balanced",
            title_zh="财政拨款收入总计 = 支出总计",
            title_en="T4 balances",
            identity="T4 收入总计 = T4 支出总计",
            check=Balance(left=("T4[in:grand_total].amount",), right=("T4[out:grand_total].total",)),
        ),
        Rule(
            id="T4.carryover_kinds",
            title_zh="年初财政拨款结转和结余 = Σ 三类",
            title_en="T4 opening balance = Σ kinds",
            identity="年初财政拨款结转和结余 = Σ 三类",
            check=Balance(
                left=("T4[in:carryover_begin].amount",),
                right=(
                    "T4[in:carryover_begin.general_budget].amount",
                    "T4[in:carryover_begin.government_fund].amount",
                    "T4[in:carryover_begin.state_capital].amount",
                ),
            ),
        ),
        Rule(
            id="T4.classes",
            title_zh="财政拨款本年支出合计 = Σ 各类支出",
            title_en="T4 expenditure = Σ classes",
            identity="T4 每列 本年支出合计 = Σ 类",
            check=CodeTree(
                table="T4",
                columns=("total", "general_budget", "government_fund", "state_capital"),
                total_key="out:total",
                key_prefix="out:",
                depth=1,
            ),
        ),
        Family(
            names=("k", "z"),
            members=(
                ("general_budget", "一般公共预算"),
                ("government_fund", "政府性基金"),
                ("state_capital", "国有资本经营"),
            ),
            rules=Rule(
                id="T4.flow.{k}",
                title_zh="{z}：年初结转 + 本年收入 = 本年支出 + 年末结转",
                title_en="T4 {k} flow",
                identity="年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
                check=Balance(
                    left=("T4[in:carryover_begin.{k}].amount", "T4[in:{k}].amount"),
                    right=("T4[out:total].{k}", "T4[out:carryover_end].{k}"),
                ),
            ),
            words={
                "年初结转和结余": "T4[in:carryover_begin.{k}].amount",
                "本年收入": "T4[in:{k}].amount",
                "本年支出": "T4[out:total].{k}",
                "年末结转和结余": "T4[out:carryover_end].{k}",
            },
        ),
    ),
)

T5 = Section(
    title="一般公共预算财政拨款支出决算表 (T5) — each row and each code adds up",
    words={
        "T5 每行 合计": "T5[*].total",
        "基本支出": "T5[*].basic",
        "项目支出": "T5[*].project",
        "T5 合计": ("T5[total].total", "T5[total].basic", "T5[total].project"),
    },
    rules=(
        Rule(
            id="T5.row_split",
            title_zh="一般公共预算支出表：合计 = 基本支出 + 项目支出",
            title_en="T5 row = basic + project",
            identity="T5 每行 合计 = 基本支出 + 项目支出",
            check=RowSums(table="T5", left=("total",), right=("basic", "project")),
        ),
        Rule(
            id="T5.tree",
            title_zh="一般公共预算支出表：合计 = Σ类 = Σ项，类 = Σ款 = Σ项",
            title_en="T5 code tree",
            identity="T5 合计 = Σ 类 = Σ 项; 类 = Σ 款 = Σ 项 (code prefix)",
            check=CodeTree(table="T5", columns=("total", "basic", "project")),
        ),
    ),
)

GENERAL_BUDGET = Section(
    title="一般公共预算财政拨款支出 — the total, its classes (类) and items (项)",
    words={
        "一般公共预算财政拨款支出": "general_budget.total",
        "基本支出": "general_budget.basic",
        "项目支出": "general_budget.project",
        "类": "general_budget.by_class[*].amount",
        "项": "general_budget.items[*].amount",
        "类 基本支出": "general_budget.by_class[*].basic",
        "类 项目支出": "general_budget.by_class[*].project",
    },
    rules=(
        Rule(
            id="GB.split",
            title_zh="一般公共预算财政拨款支出 = 基本支出 + 项目支出",
            title_en="general budget = basic + project",
            identity="一般公共预算财政拨款支出 = 基本支出 + 项目支出",
            check=Balance(
                left=("general_budget.total",),
                right=("general_budget.basic", "general_budget.project"),
            ),
        ),
        Rule(
            id="GB.classes",
            title_zh="一般公共预算财政拨款支出 = Σ 各类",
            title_en="general budget = Σ classes",
            identity="一般公共预算财政拨款支出 = Σ 类",
            check=Balance(left=("general_budget.total",), right=("general_budget.by_class[*].amount",)),
        ),
        Rule(
            id="GB.class_items",
            title_zh="各类支出 = Σ 其项",
            title_en="class = Σ its items",
            identity="类 = Σ 项 (by code or class name)",
            check=ClassItems(),
        ),
        Family(
            names=("m", "z", "rows"),
            members=(("class", "类", "by_class"), ("item", "项", "items")),
            rules=Rule(
                id="GB.{m}_split",
                title_zh="各{z}：合计 = 基本支出 + 项目支出",
                title_en="{m} = basic + project",
                identity="{z} = 基本 + 项目",
                check=RowBalance(
                    anchor="general_budget.{rows}[*].amount",
                    left=("general_budget.{rows}[*].amount",),
                    right=("general_budget.{rows}[*].basic", "general_budget.{rows}[*].project"),
                ),
            ),
            words={
                "{z}": "general_budget.{rows}[*].amount",
                "基本": "general_budget.{rows}[*].basic",
                "项目": "general_budget.{rows}[*].project",
            },
        ),
        Rule(
            id="GB.basic_classes",
            title_zh="基本支出 = Σ 各类基本支出",
            title_en="basic = Σ class basic",
            identity="基本支出 = Σ 类 基本支出",
            check=Balance(left=("general_budget.basic",), right=("general_budget.by_class[*].basic",)),
        ),
        Rule(
            id="GB.project_classes",
            title_zh="项目支出 = Σ 各类项目支出",
            title_en="project = Σ class project",
            identity="项目支出 = Σ 类 项目支出",
            check=Balance(left=("general_budget.project",), right=("general_budget.by_class[*].project",)),
        ),
        Rule(
            id="GB.numbering",
            title_zh="说明所列各项编号连续",
            title_en="item list numbering has no gap",
            identity="printed_no = 1…n",
            check=Numbering(),
            severity="warning",
            tolerance="exact",
        ),
    ),
)

BASIC = Section(
    title="一般公共预算财政拨款基本支出 (T6) — personnel and public costs by economic class",
    words={
        "基本支出": "basic_expenditure.total",
        "人员经费": "basic_expenditure.personnel",
        "公用经费": "basic_expenditure.public",
        "301/302/303/310 …": ("T6[301].amount", "T6[302].amount", "T6[303].amount", "T6[310].amount"),
        "其款": "T6[*].amount",
        "人员经费合计": "T6[personnel_total].amount",
        "公用经费合计": "T6[public_total].amount",
        "工资福利": "T6[301].amount",
        "对个人和家庭的补助": "T6[303].amount",
        "其余经济分类": "T6[*].amount",
    },
    rules=(
        Rule(
            id="T6.basic_split",
            title_zh="基本支出 = 人员经费 + 公用经费",
            title_en="basic = personnel + public",
            identity="基本支出 = 人员经费 + 公用经费",
            check=Balance(
                left=("basic_expenditure.total",),
                right=("basic_expenditure.personnel", "basic_expenditure.public"),
            ),
        ),
        Rule(
            id="T6.econ_tree",
            title_zh="经济分类：各类 = Σ 其款",
            title_en="economic class = Σ its items",
            identity="301/302/303/310 … = Σ 其款",
            check=CodeTree(table="T6", columns=("amount",), depth=2),
        ),
        Rule(
            id="T6.personnel_public",
            title_zh="人员经费 = 301 + 303；公用经费 = 其余各类",
            title_en="personnel/public = Σ classes",
            identity="人员经费合计 = 工资福利 + 对个人和家庭的补助; 公用经费合计 = 其余经济分类",
            check=T6Split(),
        ),
    ),
)

THREE_PUBLIC_TABLE = Section(
    title="财政拨款“三公”经费支出决算表 (T7) — each row (预算数, 决算数) adds up",
    words={
        "合计": "T7[*].total",
        "因公出国（境）费": "T7[*].overseas",
        "公务用车购置及运行维护费": "T7[*].vehicles",
        "公务接待费": "T7[*].reception",
        "购置费": "T7[*].vehicle_purchase",
        "运行维护费": "T7[*].vehicle_operation",
    },
    rules=(
        Rule(
            id="T7.total",
            title_zh="三公经费：合计 = 出国 + 公务用车 + 接待（预算、决算）",
            title_en="T7 total = Σ items",
            identity="合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费 (预算数, 决算数)",
            check=RowSums(table="T7", left=("total",), right=("overseas", "vehicles", "reception")),
        ),
        Rule(
            id="T7.vehicles",
            title_zh="公务用车：小计 = 购置费 + 运行维护费（预算、决算）",
            title_en="T7 vehicles = purchase + operation",
            identity="公务用车购置及运行维护费 = 购置费 + 运行维护费",
            check=RowSums(table="T7", left=("vehicles",), right=("vehicle_purchase", "vehicle_operation")),
        ),
    ),
)

THREE_PUBLIC = Section(
    title="“三公”经费 — the actual, the budget and their items",
    words={
        "三公": "three_public.total",
        "因公出国（境）费": "three_public.overseas",
        "公务用车购置及运行维护费": "three_public.vehicles",
        "公务接待费": "three_public.reception",
        "购置费": "three_public.vehicle_purchase",
        "运行维护费": "three_public.vehicle_operation",
        "预算 合计": "three_public.budget",
        "各项预算": (
            "three_public.overseas_budget",
            "three_public.vehicles_budget",
            "three_public.reception_budget",
        ),
        "公务用车预算": "three_public.vehicles_budget",
        "购置费预算": "three_public.vehicle_purchase_budget",
        "运行维护费预算": "three_public.vehicle_operation_budget",
        "国内公务接待": "three_public.reception_domestic",
        "外事接待": "three_public.reception_foreign",
    },
    rules=(
        Rule(
            id="TP.total",
            title_zh="三公经费合计 = 出国 + 公务用车 + 接待",
            title_en="三公 total = Σ items",
            identity="三公 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
            check=Balance(
                left=("three_public.total",),
                right=("three_public.overseas", "three_public.vehicles", "three_public.reception"),
            ),
        ),
        Rule(
            id="TP.vehicles",
            title_zh="公务用车购置及运行维护费 = 购置 + 运行",
            title_en="vehicles = purchase + operation",
            identity="公务用车购置及运行维护费 = 购置费 + 运行维护费",
            check=Balance(
                left=("three_public.vehicles",),
                right=("three_public.vehicle_purchase", "three_public.vehicle_operation"),
            ),
        ),
        Rule(
            id="TP.budget",
            title_zh="三公经费预算 = 各项预算之和",
            title_en="三公 budget = Σ item budgets",
            identity="预算 合计 = Σ 各项预算",
            check=Balance(
                left=("three_public.budget",),
                right=(
                    "three_public.overseas_budget",
                    "three_public.vehicles_budget",
                    "three_public.reception_budget",
                ),
            ),
        ),
        Rule(
            id="TP.vehicles_budget",
            title_zh="公务用车预算 = 购置 + 运行",
            title_en="vehicle budget = purchase + operation",
            identity="公务用车预算 = 购置费预算 + 运行维护费预算",
            check=Balance(
                left=("three_public.vehicles_budget",),
                right=("three_public.vehicle_purchase_budget", "three_public.vehicle_operation_budget"),
            ),
        ),
        Rule(
            id="TP.reception",
            title_zh="公务接待费 = 国内 + 外事",
            title_en="reception = domestic + foreign",
            identity="公务接待费 = 国内公务接待 + 外事接待",
            check=Balance(
                left=("three_public.reception",),
                right=("three_public.reception_domestic", "three_public.reception_foreign"),
            ),
        ),
    ),
)

FUNDS = Section(
    title="政府性基金 (T8) 与国有资本经营 (T9) 预算财政拨款收入支出决算表 — each row flows, splits and adds up",
    rules=(
        Family(
            names=("t", "z"),
            members=(("T8", "政府性基金"), ("T9", "国有资本经营")),
            rules=(
                Rule(
                    id="{t}.flow",
                    title_zh="{z}：年初结转 + 本年收入 = 本年支出 + 年末结转",
                    title_en="{t} row flow",
                    identity="年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
                    check=RowSums(table="{t}", left=("carryover_begin", "income"), right=("expenditure", "carryover_end")),
                ),
                Rule(
                    id="{t}.split",
                    title_zh="{z}：本年支出 = 基本支出 + 项目支出",
                    title_en="{t} expenditure = basic + project",
                    identity="本年支出 合计 = 基本支出 + 项目支出",
                    check=RowSums(table="{t}", left=("expenditure",), right=("basic", "project")),
                ),
                Rule(
                    id="{t}.tree",
                    title_zh="{z}：合计 = Σ类 = Σ项",
                    title_en="{t} code tree",
                    identity="合计 = Σ 类 = Σ 项",
                    check=CodeTree(
                        table="{t}",
                        columns=("carryover_begin", "income", "expenditure", "basic", "project", "carryover_end"),
                    ),
                ),
            ),
            words={
                "年初结转和结余": "{t}[*].carryover_begin",
                "本年收入": "{t}[*].income",
                "本年支出": "{t}[*].expenditure",
                "本年支出 合计": "{t}[*].expenditure",
                "年末结转和结余": "{t}[*].carryover_end",
                "基本支出": "{t}[*].basic",
                "项目支出": "{t}[*].project",
                "合计": (
                    "{t}[total].carryover_begin",
                    "{t}[total].income",
                    "{t}[total].expenditure",
                    "{t}[total].basic",
                    "{t}[total].project",
                    "{t}[total].carryover_end",
                ),
            },
        ),
    ),
)

PROCUREMENT = Section(
    title="政府采购 — procurement by kind and the share awarded to small firms",
    words={
        "政府采购支出总额": "procurement.total",
        "总额": "procurement.total",
        "货物": "procurement.goods",
        "工程": "procurement.works",
        "服务": "procurement.services",
        "中小企业": "procurement.sme_awarded",
        "预留项目中小企业中标": "procurement.sme_awarded_in_sme_reserved",
        "其他项目中小企业中标": "procurement.sme_awarded_in_other",
        "小微企业": "procurement.small_micro_awarded",
    },
    rules=(
        Rule(
            id="PROC.parts",
            title_zh="政府采购支出总额 = 货物 + 工程 + 服务",
            title_en="procurement = goods + works + services",
            identity="政府采购支出总额 = 货物 + 工程 + 服务",
            check=Balance(
                left=("procurement.total",),
                right=("procurement.goods", "procurement.works", "procurement.services"),
            ),
        ),
        Rule(
            id="PROC.sme",
            title_zh="授予中小企业合同金额 ≤ 政府采购支出总额",
            title_en="SME awards ≤ procurement",
            identity="中小企业 ≤ 总额",
            check=AtMost(parts=("procurement.sme_awarded",), whole="procurement.total"),
        ),
        Rule(
            id="PROC.sme_parts",
            title_zh="预留项目与其他项目中小企业中标金额之和 ≤ 采购总额",
            title_en="SME awards (both kinds) ≤ procurement",
            identity="预留项目中小企业中标 + 其他项目中小企业中标 ≤ 总额",
            check=AtMost(
                parts=("procurement.sme_awarded_in_sme_reserved", "procurement.sme_awarded_in_other"),
                whole="procurement.total",
            ),
        ),
        Rule(
            id="PROC.small_micro",
            title_zh="授予小微企业合同金额 ≤ 授予中小企业合同金额",
            title_en="small/micro ≤ SME",
            identity="小微企业 ≤ 中小企业",
            check=AtMost(parts=("procurement.small_micro_awarded",), whole="procurement.sme_awarded"),
        ),
    ),
)

ACROSS = Section(
    title="表间与表文 — the same quantity in two tables, or in a table and the text",
    words={
        "T1 本年收入合计": "T1[in:total].amount",
        "T2 本年收入合计": "T2[total].total",
        "T1 本年支出合计": "T1[out:total].amount",
        "T3 本年支出合计": "T3[total].total",
        "T1 类": "T1[*].amount",
        "T3 类 合计": "T3[*].total",
        "T2 财政拨款收入 合计": "T2[total].appropriation",
        "T4 本年收入合计": "T4[in:total].amount",
        "T4 本年支出合计 (一般公共预算)": "T4[out:total].general_budget",
        "T5 合计": "T5[total].total",
        "T4 类 (一般公共预算)": "T4[*].general_budget",
        "T5 类 合计": "T5[*].total",
        "T5 合计 基本支出": "T5[total].basic",
        "T6 人员经费合计": "T6[personnel_total].amount",
        "公用经费合计": "T6[public_total].amount",
        "T4 政府性基金": "T4[out:total].government_fund",
        "T8 本年支出 合计": "T8[total].expenditure",
        "T4 国有资本经营": "T4[out:total].state_capital",
        "T9 本年支出 合计": "T9[total].expenditure",
    },
    rules=(
        Rule(
            id="X.T1_T2",
            title_zh="T1 本年收入合计 = T2 合计",
            title_en="T1 income = T2 total",
            identity="T1 本年收入合计 = T2 本年收入合计",
            check=Balance(left=("T1[in:total].amount",), right=("T2[total].total",)),
        ),
        Rule(
            id="X.T1_T3",
            title_zh="T1 本年支出合计 = T3 合计",
            title_en="T1 expenditure = T3 total",
            identity="T1 本年支出合计 = T3 本年支出合计",
            check=Balance(left=("T1[out:total].amount",), right=("T3[total].total",)),
        ),
        Rule(
            id="X.T1_T3_classes",
            title_zh="T1 各类支出 = T3 各类合计",
            title_en="T1 classes = T3 classes",
            identity="T1 类 = T3 类 合计",
            check=PairedRows(table_a="T1", prefix_a="out:", column_a="amount", table_b="T3", column_b="total"),
        ),
        Rule(
            id="X.T2_T4",
            title_zh="T2 财政拨款收入 = T4 本年收入合计",
            title_en="T2 appropriation = T4 income",
            identity="T2 财政拨款收入 合计 = T4 本年收入合计",
            check=Balance(left=("T2[total].appropriation",), right=("T4[in:total].amount",)),
        ),
        Rule(
            id="X.T4_T5",
            title_zh="T4 一般公共预算财政拨款支出 = T5 合计",
            title_en="T4 general budget = T5 total",
            identity="T4 本年支出合计 (一般公共预算) = T5 合计",
            check=Balance(left=("T4[out:total].general_budget",), right=("T5[total].total",)),
        ),
        Rule(
            id="X.T4_T5_classes",
            title_zh="T4 各类一般公共预算支出 = T5 各类合计",
            title_en="T4 classes = T5 classes",
            identity="T4 类 (一般公共预算) = T5 类 合计",
            check=PairedRows(
                table_a="T4", prefix_a="out:", column_a="general_budget", table_b="T5", column_b="total"
            ),
        ),
        Rule(
            id="X.T5_T6",
            title_zh="T5 基本支出 = T6 人员经费 + 公用经费",
            title_en="T5 basic = T6 total",
            identity="T5 合计 基本支出 = T6 人员经费合计 + 公用经费合计",
            check=Balance(
                left=("T5[total].basic",),
                right=("T6[personnel_total].amount", "T6[public_total].amount"),
            ),
        ),
        Rule(
            id="X.T4_T8",
            title_zh="T4 政府性基金支出 = T8 本年支出",
            title_en="T4 fund expenditure = T8",
            identity="T4 政府性基金 = T8 本年支出 合计",
            check=Balance(left=("T4[out:total].government_fund",), right=("T8[total].expenditure",)),
        ),
        Rule(
            id="X.T4_T9",
            title_zh="T4 国有资本经营支出 = T9 本年支出",
            title_en="T4 state capital expenditure = T9",
            identity="T4 国有资本经营 = T9 本年支出 合计",
            check=Balance(left=("T4[out:total].state_capital",), right=("T9[total].expenditure",)),
        ),
        # the T6 economic lines that are part of a 三公 item (pipeline.record.codes.T6_THREE_PUBLIC_LINES)
        Family(
            names=("code", "item"),
            members=(
                ("30212", "overseas"),
                ("30231", "vehicle_operation"),
                ("31013", "vehicle_purchase"),
                ("30217", "reception"),
            ),
            rules=Rule(
                id="X.T6_T7.{item}",
                title_zh="T6 {code} ≤ T7 决算",
                title_en="T6 {code} ≤ T7 {item} actual",
                identity="T6 {code} ≤ T7 决算 {item}",
                check=AtMost(parts=("T6[{code}].amount",), whole="three_public.{item}"),
            ),
            words={"T6 {code}": "T6[{code}].amount", "T7 决算 {item}": "three_public.{item}"},
        ),
        Rule(
            id="X.stated",
            title_zh="表与说明同一数字一致",
            title_en="a figure stated in a table and the text agrees",
            identity="record field = its table cell",
            check=Stated(),
        ),
    ),
)

PERCENTAGES = Section(
    title="占比 — printed shares recomputed from their amounts",
    words={
        "share": "general_budget.share_pct",
        "一般公共预算": "general_budget.total",
        "一般公共预算财政拨款支出": "general_budget.total",
        "本年收入合计": "income.total",
        "本年支出合计": "expenditure.total",
        "类": "general_budget.by_class[*].amount",
        "类 share": "general_budget.by_class[*].share_pct",
        "income shares": (
            "income.appropriation_share_pct",
            "income.superior_subsidy_share_pct",
            "income.business_share_pct",
            "income.operating_share_pct",
            "income.affiliated_share_pct",
            "income.other_share_pct",
        ),
        "expenditure shares": (
            "expenditure.basic_share_pct",
            "expenditure.project_share_pct",
            "expenditure.operating_share_pct",
            "expenditure.remit_superior_share_pct",
            "expenditure.affiliated_subsidy_share_pct",
        ),
    },
    rules=(
        Rule(
            id="PCT.general_budget",
            title_zh="一般公共预算支出占本年支出合计%",
            title_en="general budget share",
            identity="share = 一般公共预算 / 本年支出合计 × 100",
            check=Ratio(pct="general_budget.share_pct", num="general_budget.total", den="expenditure.total"),
            tolerance="pct",
        ),
        Rule(
            id="PCT.class",
            title_zh="各类占一般公共预算支出%",
            title_en="class share",
            identity="类 share = 类 / 一般公共预算财政拨款支出 × 100",
            check=Ratio(
                pct="general_budget.by_class[*].share_pct",
                num="general_budget.by_class[*].amount",
                den="general_budget.total",
            ),
            tolerance="pct",
        ),
        Family(
            members=(
                "appropriation",
                "general_budget",
                "government_fund",
                "state_capital",
                "superior_subsidy",
                "business",
                "operating",
                "affiliated",
                "other",
            ),
            rules=Rule(
                id="PCT.income.{m}",
                title_zh="收入构成占比：{m}",
                title_en="income share: {m}",
                identity="{m} / 本年收入合计 × 100",
                check=Ratio(pct="income.{m}_share_pct", num="income.{m}", den="income.total"),
                tolerance="pct",
            ),
            words={"%": "income.{m}_share_pct", "{m}": "income.{m}"},
        ),
        Family(
            members=("basic", "project", "operating", "remit_superior", "affiliated_subsidy"),
            rules=Rule(
                id="PCT.expenditure.{m}",
                title_zh="支出构成占比：{m}",
                title_en="expenditure share: {m}",
                identity="{m} / 本年支出合计 × 100",
                check=Ratio(pct="expenditure.{m}_share_pct", num="expenditure.{m}", den="expenditure.total"),
                tolerance="pct",
            ),
            words={"%": "expenditure.{m}_share_pct", "{m}": "expenditure.{m}"},
        ),
        Family(
            members=("government_fund", "state_capital"),
            rules=Rule(
                id="PCT.{m}",
                title_zh="占本年支出合计%",
                title_en="{m} expenditure share",
                identity="支出 / 本年支出合计 × 100",
                check=Ratio(pct="{m}.expenditure_share_pct", num="{m}.expenditure", den="expenditure.total"),
                tolerance="pct",
            ),
            words={"%": "{m}.expenditure_share_pct", "支出": "{m}.expenditure"},
        ),
        Rule(
            id="PCT.sme",
            title_zh="授予中小企业合同金额占比",
            title_en="SME share",
            identity="中小企业 / 采购总额 × 100",
            check=Ratio(pct="procurement.sme_share_pct", num="procurement.sme_awarded", den="procurement.total"),
            tolerance="pct",
            words={
                "%": "procurement.sme_share_pct",
                "中小企业": "procurement.sme_awarded",
                "采购总额": "procurement.total",
            },
        ),
        Rule(
            id="PCT.sum.classes",
            title_zh="各类占比之和 = 100%",
            title_en="class shares sum to 100",
            identity="Σ 类 share = 100",
            check=ShareSum(shares=("general_budget.by_class[*].share_pct",), complete=True),
            tolerance="pct",
        ),
        Rule(
            id="PCT.sum.income",
            title_zh="收入构成占比之和 = 100%",
            title_en="income shares sum to 100",
            identity="Σ income shares = 100",
            check=ShareSum(
                shares=(
                    "income.appropriation_share_pct",
                    "income.superior_subsidy_share_pct",
                    "income.business_share_pct",
                    "income.operating_share_pct",
                    "income.affiliated_share_pct",
                    "income.other_share_pct",
                )
            ),
            tolerance="pct",
        ),
        Rule(
            id="PCT.sum.expenditure",
            title_zh="支出构成占比之和 = 100%",
            title_en="expenditure shares sum to 100",
            identity="Σ expenditure shares = 100",
            check=ShareSum(
                shares=(
                    "expenditure.basic_share_pct",
                    "expenditure.project_share_pct",
                    "expenditure.operating_share_pct",
                    "expenditure.remit_superior_share_pct",
                    "expenditure.affiliated_subsidy_share_pct",
                )
            ),
            tolerance="pct",
        ),
    ),
)

GROWTH = Section(
    title="与上年相比 — printed year-on-year rates recomputed from the change and this year's figure",
    rules=(
        Family(
            names=("name", "rate", "change", "current"),
            members=(
                ("summary", "summary.total_change_pct", "summary.total_change", "summary.total"),
                (
                    "appropriation",
                    "appropriation.total_change_pct",
                    "appropriation.total_change",
                    "appropriation.total",
                ),
                ("general_budget", "general_budget.change_pct", "general_budget.change", "general_budget.total"),
                ("three_public", "three_public.change_pct", "three_public.change", "three_public.total"),
                ("operating_costs", "operating_costs.change_pct", "operating_costs.change", "operating_costs.total"),
                (
                    "personnel",
                    "basic_expenditure.personnel_change_pct",
                    "basic_expenditure.personnel_change",
                    "basic_expenditure.personnel",
                ),
                (
                    "public",
                    "basic_expenditure.public_change_pct",
                    "basic_expenditure.public_change",
                    "basic_expenditure.public",
                ),
                (
                    "government_fund",
                    "government_fund.expenditure_change_pct",
                    "government_fund.expenditure_change",
                    "government_fund.expenditure",
                ),
                (
                    "state_capital",
                    "state_capital.expenditure_change_pct",
                    "state_capital.expenditure_change",
                    "state_capital.expenditure",
                ),
                (
                    "three_public.overseas",
                    "three_public.overseas_change_pct",
                    "three_public.overseas_change",
                    "three_public.overseas",
                ),
                (
                    "three_public.vehicles",
                    "three_public.vehicles_change_pct",
                    "three_public.vehicles_change",
                    "three_public.vehicles",
                ),
                (
                    "three_public.reception",
                    "three_public.reception_change_pct",
                    "three_public.reception_change",
                    "three_public.reception",
                ),
            ),
            rules=Rule(
                id="YOY.{name}",
                title_zh="增减率 = 增减额 / 上年数 × 100",
                title_en="year-on-year rate: {name}",
                identity="rate = change / (current − change) × 100; a rate from a zero base is flagged",
                check=Growth(pct="{rate}", change="{change}", current="{current}"),
                tolerance="pct",
            ),
            words={"rate": "{rate}", "change": "{change}", "current": "{current}"},
        ),
    ),
)

COMPLETION = Section(
    title="完成预算 — printed completion rates recomputed from the actual and the budget",
    rules=(
        Family(
            names=("name", "rate", "actual", "budget"),
            members=(
                ("general_budget", "general_budget.completion_pct", "general_budget.total", "general_budget.budget"),
                ("three_public", "three_public.completion_pct", "three_public.total", "three_public.budget"),
                (
                    "three_public.overseas",
                    "three_public.overseas_completion_pct",
                    "three_public.overseas",
                    "three_public.overseas_budget",
                ),
                (
                    "three_public.vehicles",
                    "three_public.vehicles_completion_pct",
                    "three_public.vehicles",
                    "three_public.vehicles_budget",
                ),
                (
                    "three_public.reception",
                    "three_public.reception_completion_pct",
                    "three_public.reception",
                    "three_public.reception_budget",
                ),
                (
                    "class",
                    "general_budget.by_class[*].completion_pct",
                    "general_budget.by_class[*].amount",
                    "general_budget.by_class[*].budget",
                ),
                (
                    "item",
                    "general_budget.items[*].completion_pct",
                    "general_budget.items[*].amount",
                    "general_budget.items[*].budget",
                ),
                (
                    "project",
                    "performance.projects[*].execution_rate_pct",
                    "performance.projects[*].executed",
                    "performance.projects[*].adjusted_budget",
                ),
            ),
            rules=Rule(
                id="CMP.{name}",
                title_zh="完成率 = 决算 / 预算 × 100",
                title_en="completion rate: {name}",
                identity="rate = actual / budget × 100; a rate of a zero budget is an error",
                check=Ratio(pct="{rate}", num="{actual}", den="{budget}"),
                tolerance="pct",
            ),
            words={"rate": "{rate}", "actual": "{actual}", "budget": "{budget}"},
        ),
    ),
)

PLAUSIBILITY = Section(
    title="合理性 — figures that could satisfy every sum and still be wrong",
    words={
        "类": "general_budget.by_class[*].amount",
        "项": "general_budget.items[*].amount",
        "一般公共预算财政拨款支出": "general_budget.total",
        "收入来源": (
            "income.appropriation",
            "income.general_budget",
            "income.government_fund",
            "income.state_capital",
            "income.superior_subsidy",
            "income.business",
            "income.operating",
            "income.affiliated",
            "income.other",
        ),
        "本年收入合计": "income.total",
    },
    rules=(
        PL_NONNEG,
        PL_SHARE_RANGE,
        PL_MAGNITUDE,
        Rule(
            id="PL.score_range",
            title_zh="自评得分不超过其权重",
            title_en="scores within their weight",
            identity="0 ≤ score ≤ 100; 预算执行得分 ≤ 10",
            check=ScoreRange(),
            tolerance="exact",
        ),
        PL_MISREAD,
        Family(
            names=("name", "part", "whole"),
            members=(
                ("general_budget", "general_budget.total", "expenditure.total"),
                ("basic", "expenditure.basic", "expenditure.total"),
                ("project", "expenditure.project", "expenditure.total"),
                ("gb_basic", "basic_expenditure.total", "expenditure.basic"),
                ("gb_basic_total", "basic_expenditure.total", "general_budget.total"),
                ("three_public", "three_public.total", "expenditure.total"),
                ("operating_costs", "operating_costs.total", "expenditure.total"),
                ("appropriation", "appropriation.total", "summary.total"),
                ("income_total", "income.total", "summary.total"),
                ("expenditure_total", "expenditure.total", "summary.total"),
            ),
            rules=Rule(
                id="PL.part.{name}",
                title_zh="部分不大于总额",
                title_en="part ≤ total: {name}",
                identity="{part} ≤ {whole}",
                check=AtMost(parts=("{part}",), whole="{whole}"),
            ),
            words={"{part}": "{part}", "{whole}": "{whole}"},
        ),
        Rule(
            id="PL.part.classes",
            title_zh="各类不大于一般公共预算支出",
            title_en="each class ≤ general budget",
            identity="类 ≤ 一般公共预算财政拨款支出",
            check=AtMost(parts=("general_budget.by_class[*].amount",), whole="general_budget.total", each=True),
        ),
        Rule(
            id="PL.part.items",
            title_zh="各项不大于一般公共预算支出",
            title_en="each item ≤ general budget",
            identity="项 ≤ 一般公共预算财政拨款支出",
            check=AtMost(parts=("general_budget.items[*].amount",), whole="general_budget.total", each=True),
        ),
        Rule(
            id="PL.part.income",
            title_zh="各项收入不大于本年收入合计",
            title_en="each source ≤ income",
            identity="收入来源 ≤ 本年收入合计",
            check=AtMost(
                parts=(
                    "income.appropriation",
                    "income.general_budget",
                    "income.government_fund",
                    "income.state_capital",
                    "income.superior_subsidy",
                    "income.business",
                    "income.operating",
                    "income.affiliated",
                    "income.other",
                ),
                whole="income.total",
                each=True,
            ),
        ),
    ),
)

COMPLETENESS = Section(
    title="公开完整 — what a 部门决算 must publish, and whether we read it",
    rules=(
        Rule(
            id="DC.core_tables",
            title_zh="核心决算表已读取",
            title_en="the core tables were read",
            identity="T1…T5 printed in the document → read into the record",
            check=CoreTablesRead(core=CORE_TABLES),
            tolerance="exact",
        ),
        Rule(
            id="DC.tables_complete",
            title_zh="决算表金额全部读取",
            title_en="every printed amount of a table was read",
            identity="amounts printed in the table = figures read from it (no unread or unreadable cell, no split rows)",
            check=TablesComplete(tables=TABLE_IDS, core=CORE_TABLES),
            tolerance="exact",
        ),
        Rule(
            id="DC.tables",
            title_zh="九张决算表齐全",
            title_en="all nine tables published",
            identity="T1…T9 present",
            check=TablesPresent(tables=TABLE_IDS),
            severity="warning",
            tolerance="exact",
        ),
        Rule(
            id="DC.three_public",
            title_zh="三公经费四项均有说明",
            title_en="each 三公 item stated",
            identity="出国, 购置, 运行, 接待 each stated (or 未发生)",
            check=ThreePublicItems(),
            severity="warning",
            tolerance="exact",
        ),
        Rule(
            id="DC.empty_table",
            title_zh="空表须说明原因",
            title_en="an empty table is explained",
            identity="empty T7/T8/T9 → 说明：…无数据",
            check=EmptyTableExplained(),
            severity="warning",
            tolerance="exact",
        ),
    ),
)

SECTIONS = (
    GROUNDING_SECTION,
    T1,
    INCOME_EXPENDITURE,
    ALL_APPROPRIATION,
    T2_T3,
    T4,
    T5,
    GENERAL_BUDGET,
    BASIC,
    THREE_PUBLIC_TABLE,
    THREE_PUBLIC,
    FUNDS,
    PROCUREMENT,
    ACROSS,
    PERCENTAGES,
    GROWTH,
    COMPLETION,
    PLAUSIBILITY,
    COMPLETENESS,
)

RULES = catalog(*SECTIONS)
