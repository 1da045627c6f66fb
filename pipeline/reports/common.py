"""Rules that hold of every report kind: a figure is printed where it was read, one item has one value, a
change agrees with its 增加/减少, and no figure is negative, out of range or out of scale.

Each kind's catalog (``pipeline/reports/<kind>/rules.py``) includes these by name, so they are written once.
"""

from __future__ import annotations

from pipeline.validate.checks.plausibility import Magnitude, NonNegative, ShareRange
from pipeline.validate.checks.text import Ambiguous, Direction, Grounded
from pipeline.validate.rules import Rule

GRD_LOCATED = Rule(
    id="GRD.located",
    title_zh="引文见于原文",
    title_en="quote found at its page/line",
    identity="quote ∈ normalize(page or line text)",
    check=Grounded(aspect="located"),
    tolerance="exact",
)
GRD_PRINTED = Rule(
    id="GRD.printed",
    title_zh="引文载有该数",
    title_en="quote prints the value",
    identity="value (or 元÷10000, or 无/没有 for 0) ∈ quote",
    check=Grounded(aspect="printed"),
    tolerance="exact",
)
AMB_ALTERNATES = Rule(
    id="AMB.alternates",
    title_zh="同一项目多个数值",
    title_en="one item stated with different values",
    identity="every alternate value = value",
    check=Ambiguous(),
    severity="warning",
    tolerance="exact",
)
NAR_DIRECTION = Rule(
    id="NAR.direction",
    title_zh="增减方向与数值一致",
    title_en="增加/减少 agrees with the sign",
    identity="sign(change) = direction word",
    check=Direction(),
    tolerance="exact",
)

GROUNDING = (GRD_LOCATED, GRD_PRINTED, AMB_ALTERNATES, NAR_DIRECTION)
"""Every figure against its own text: the first rules of every catalog."""

PL_NONNEG = Rule(
    id="PL.nonneg",
    title_zh="金额、数量、占比不为负",
    title_en="amounts are non-negative",
    identity="value ≥ 0 (changes excepted)",
    check=NonNegative(),
    tolerance="exact",
)
PL_SHARE_RANGE = Rule(
    id="PL.share_range",
    title_zh="占比在 0–100% 之间",
    title_en="shares lie in [0, 100]",
    identity="0 ≤ share ≤ 100",
    check=ShareRange(),
    tolerance="exact",
)
PL_MAGNITUDE = Rule(
    id="PL.magnitude",
    title_zh="金额不超过部门总额的倍数",
    title_en="amounts bounded by the department total",
    identity="|amount| ≤ magnitude_factor × 收支总计",
    check=Magnitude(),
    tolerance="exact",
)
PL_MISREAD = Rule(
    id="PL.misread",
    title_zh="年份、序号、科目编码不作金额",
    title_en="a year, list number or code is never an amount",
    identity="the value occurs in its quote as an amount",
    check=Grounded(aspect="misread"),
    tolerance="exact",
)
