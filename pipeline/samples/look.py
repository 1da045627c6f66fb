"""The layout plan of a sample: which of the layouts real 部门决算 use each table is printed in.

Reports differ in ways a table reader has to follow (issue 11): where a 科目 code sits (its own column,
split over 类 | 款 | 项 columns as in the national 财政部 template, or in the name cell "2013901 行政运行"),
whether a code carries its parent's prefix ("06" or "20106"), names wrapped in a narrow column, the shape
of the 三公 table and of T6, the wording and numbering of titles, the unit (万元, 元, 千元), the order of the
tables, and ruling lines. Every choice is drawn from the sample's seeded generator (``choose_look``); the
first three samples get fixed mixes (``look_for``) so that the committed set shows every choice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pipeline.reports.final_accounts.tables import NAMES as TABLE_NAMES
from pipeline.samples import catalog as cat
from pipeline.samples.money import q2

STANDARD_TITLES = TABLE_NAMES  # the nine as the official template titles them
# The national template's extra table: not one of the nine (its title must not be read as T3 or T5).
PROJECT_TABLE = ("P", "一般公共预算财政拨款项目支出决算表")
TITLES = STANDARD_TITLES | dict([PROJECT_TABLE])

CODE_STYLES = ("column", "split", "in_name")  # 科目编码 | 科目名称; 类 | 款 | 项 | 科目名称; "2013901 行政运行"
SPLIT_FILLS = ("repeat", "own", "first")  # a 项 row prints 201|06|01; only its own piece; its code under 类
T6_FORMS = ("two", "three", "list")  # economic panels side by side, or one list
T7_FORMS = ("merged", "rows")  # one value row under merged 预算数/决算数 headers, or one row per item
TITLE_PREFIXES = ("", "year", "dept")  # 2024年度…, 上海市…局2024年度…
TITLE_NUMBERS = ("", "表{n} ", "附表{n}：", "表{cn}、")
UNITS: dict[str, Decimal] = {"万元": Decimal(1), "千元": Decimal(10), "元": Decimal(10000)}
ORDERS = ("standard", "national")  # T1…T9; or the national order: 项目支出表 after T6, 三公 last
RULES = ("grid", "none", "three_line")  # every cell ruled; borderless; top, under the header and bottom


@dataclass
class TableLook:
    """Per-report choices that real reports vary on (defaults: the Shanghai template the code began with)."""

    num_align: str = "c"  # c | r
    repeat_header: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(STANDARD_TITLES, True))
    total_first_t5: bool = False
    dept_line: bool = True
    empty_note_national: bool = False  # T8/T9 说明 in the national wording
    codes: str = "column"  # functional codes of T2/T3/T5/T8/T9: CODE_STYLES
    econ_codes: str = "column"  # economic codes of T6: CODE_STYLES (split means 类 | 款)
    short_codes: bool = False  # 款 printed "06" and 项 "01", without the parent's prefix
    split_fill: str = "repeat"  # SPLIT_FILLS
    wrap_names: bool = False  # a narrow 科目名称 column: long names run over 2–3 lines
    t4_short_heads: bool = False  # T4's fund columns headed 一般公共预算 … rather than …财政拨款
    t6: str = "two"
    t7: str = "merged"
    t7_portrait: bool = False  # the merged T7 on an upright page: narrow columns, headers wrapped
    title_prefix: str = ""
    title_number: str = ""
    unit: str = "万元"
    thousands: bool = False  # 1,234.56
    order: str = "standard"
    rules: str = "grid"  # scans are always ruled; born-digital pages may be borderless

    # --- amounts ----------------------------------------------------------------------------------------
    def amount(self, x: Decimal) -> str:
        """An amount (万元 in the model) as this report prints it: in its unit, two decimals."""
        v = q2(x) * UNITS[self.unit]
        return f"{v:,.2f}" if self.thousands else f"{v:.2f}"

    def cell(self, x: Decimal) -> str:
        """A cell of T1–T5, T8, T9: blank when zero (a blank cell is 'not stated')."""
        return "" if x == 0 else self.amount(x)

    # --- titles and order -------------------------------------------------------------------------------
    def order_of_tables(self) -> list[str]:
        if self.order == "national":
            return ["T1", "T2", "T3", "T4", "T5", "T6", PROJECT_TABLE[0], "T8", "T9", "T7"]
        return list(STANDARD_TITLES)

    def title(self, tid: str, n: int, dept: str) -> str:
        """The printed title of table ``tid``, the ``n``-th printed table of ``dept``'s report."""
        prefix = {"": "", "year": f"{cat.YEAR}年度", "dept": f"{dept}{cat.YEAR}年度"}[self.title_prefix]
        number = self.title_number.format(n=n, cn=cat.CN_ORDINALS[n - 1])
        return f"{number}{prefix}{TITLES[tid]}"


def choose_look(rng: random.Random) -> TableLook:
    """A layout plan drawn at random (samples after the third)."""
    repeat = {t: rng.random() < 0.5 for t in STANDARD_TITLES}
    repeat["T4"] = not repeat["T6"]  # both always continue: one repeats its header, one does not
    unit = rng.choice(["万元", "万元", "元", "千元"])
    return TableLook(
        num_align=rng.choice(["c", "r"]),
        repeat_header=repeat,
        total_first_t5=rng.random() < 0.5,
        empty_note_national=rng.random() < 0.5,
        codes=rng.choice(CODE_STYLES),
        econ_codes=rng.choice(CODE_STYLES),
        short_codes=rng.random() < 0.5,
        split_fill=rng.choice(SPLIT_FILLS),
        wrap_names=rng.random() < 0.4,
        t4_short_heads=rng.random() < 0.5,
        t6=rng.choice(T6_FORMS),
        t7=rng.choice(T7_FORMS),
        t7_portrait=rng.random() < 0.5,
        title_prefix=rng.choice(TITLE_PREFIXES),
        title_number=rng.choice(TITLE_NUMBERS),
        unit=unit,
        thousands=unit == "元" or rng.random() < 0.3,
        order=rng.choice(ORDERS),
    )


# The committed samples: each a different mix, together every choice above (ruling aside: scans are ruled).
FIXED_MIXES: dict[int, dict] = {
    1: dict(codes="split", econ_codes="split", short_codes=True, split_fill="repeat", t6="three", t7="merged",
            title_prefix="year", title_number="表{n} ", order="national"),
    2: dict(codes="in_name", econ_codes="in_name", wrap_names=True, t6="list", t7="rows", t4_short_heads=True,
            title_prefix="dept", unit="元", thousands=True),
    3: dict(codes="column", econ_codes="column", short_codes=True, t6="two", t7="merged", t7_portrait=True,
            title_number="附表{n}：", unit="千元", thousands=True),
}  # fmt: skip


def look_for(index: int, rng: random.Random) -> TableLook:
    """Sample ``index``'s plan: a fixed mix for the first three, drawn for later ones (same rng draws)."""
    drawn = choose_look(rng)
    if index not in FIXED_MIXES:
        return drawn
    return replace(
        TableLook(repeat_header=drawn.repeat_header, num_align=drawn.num_align,
                  total_first_t5=drawn.total_first_t5, empty_note_national=drawn.empty_note_national),
        **FIXED_MIXES[index],
    )  # fmt: skip
