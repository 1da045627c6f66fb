"""The identity model, the messy-table schema, and a printed number's value.

A table layout could not type is read by the model as rows of text: each figure is ``{quote, value, field}``
(the row it copied, the number, the field label), and the quote must be a row of the table printing that
value (pipeline.extract.tables). Lists are bounded (``maxItems``) and quotes short (``maxLength``): the schema
becomes the server's grammar, so a small model cannot run on past them. (The narrative is read by pointing,
pipeline.extract.pointers.)
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from pipeline.extract.fields import PartSpec
from pipeline.record.money import parse_number

QUOTE_MAX = 80
NAME_MAX = 60

Value = str | float
"""A number as printed ('483.8', '1,234.50', '-3.2') or as a JSON number."""

_UNIT_WORDS = dict.fromkeys(
    ("万元", "元", "%", "％", "个", "辆", "台（套）", "台(套)", "台", "套", "批次", "人次", "次", "人", "分"), Decimal(1)
)
"""Unit words the model may write after a value: dropped, the number kept as written."""
_ZERO_WORDS = ("无", "没有", "零")


class Identity(BaseModel):
    """Who and what the report is: read from its cover and title lines."""

    model_config = ConfigDict(extra="ignore")

    department: str | None = Field(None, max_length=NAME_MAX, description="部门/单位全称，照抄原文")
    fiscal_year: int | None = Field(None, ge=1990, le=2100, description="决算所属年度")
    report_type: Literal["final_accounts", "budget", "performance_report"] | None = None
    unit: Literal["万元", "元"] | None = None


def parse_value(value: Value | None) -> Decimal | None:
    """The model's value as a Decimal: units, grouping commas and a plus sign dropped; None when not a number."""
    return parse_number(value, spaces="drop", forms="signs", units=_UNIT_WORDS, zero_words=_ZERO_WORDS)


def _item_model(part: PartSpec) -> type[BaseModel]:
    labels = tuple(f.label for f in part.fields)
    return create_model(
        f"{_camel(part.name)}Figure",
        __config__=ConfigDict(extra="ignore"),
        quote=(str, Field(max_length=QUOTE_MAX, description="原文中含该数字的一小段，逐字照抄")),
        value=(Value, Field(description="quote 中的数字，如 483.8")),
        field=(Literal[labels], Field(description="该数字是哪个项目")),  # type: ignore[valid-type]
    )


@cache
def response_model(part: PartSpec) -> type[BaseModel]:
    """The schema a table call answers in (cached: the same class keeps the cache key stable)."""
    fields: dict[str, Any] = {}
    if part.fields:
        item = _item_model(part)
        fields["figures"] = (list[item], Field(default_factory=list, max_length=part.max_items))  # type: ignore[valid-type]
    return create_model(f"{_camel(part.name)}Answer", __config__=ConfigDict(extra="ignore"), **fields)


def _camel(name: str) -> str:
    return "".join(w.capitalize() for w in re.split(r"[._]", name))
