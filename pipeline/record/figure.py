"""A figure and where it came from.

Every number in a record keeps every place the report states it (``sources``) and every other value the
report states for the same item (``alternates``), so the validator can ground it and tell our reading errors
from the report's own contradictions. The first source is the contract's ``{value, page, quote, bbox}``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pipeline.record.money import Number, to_json_number

BBox = tuple[float, float, float, float]
TableId = Annotated[str, StringConstraints(pattern=r"^[A-Z]\d{1,2}$")]
TABLE_IDS: tuple[str, ...] = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9")

Unit = Literal["万元", "%", "个", "辆", "台（套）", "批次", "人次", "分"]
"""Money is always 万元 in a record (元 is converted on reading); the rest are printed units."""


class SourceKind(StrEnum):
    TABLE = "table"  # a cell of one of the nine standard tables (or another annexed table)
    NARRATIVE = "narrative"  # a sentence of the 说明 or of another prose section


class Source(BaseModel):
    """One place a figure is stated. ``page`` for paged documents, ``line`` for plain-text ones."""

    model_config = ConfigDict(extra="forbid")

    page: int | None = Field(None, ge=1, description="1-based page of the quote's start")
    line: int | None = Field(
        None, ge=1, description="1-based line of a plain-text source where the quote starts"
    )
    quote: str = Field(description="the exact source text the value was read from")
    bbox: BBox | None = Field(None, description="box of the quote (or cell) in PDF points of its page")
    kind: SourceKind = SourceKind.NARRATIVE
    table: TableId | None = Field(None, description="T1…T9 when the source is a standard-table cell")
    row: str | None = Field(None, description="row label or code of the table cell")
    column: str | None = Field(None, description="column key of the table cell")
    section: str | None = Field(None, description="说明 number of a narrative source, e.g. '五(二)'")
    printed: str | None = Field(None, description="the number exactly as printed, e.g. '7,704,300.00'")
    row_text: str | None = Field(
        None, description="a table cell's whole printed row (the quote is the cell's own text), for context"
    )
    printed_unit: Literal["万元", "千元", "元"] | None = Field(None, description="the unit the printed number is in")

    def same_place(self, other: Source) -> bool:
        """Two sources name the same printed text (so two values from them are two readings of one number).

        Two table cells that print the same digits on one page are two places: their boxes tell them apart."""
        boxes_differ = self.bbox is not None and other.bbox is not None and self.bbox != other.bbox
        return (self.page, self.line, self.quote) == (other.page, other.line, other.quote) and not boxes_differ


class Alternate(BaseModel):
    """Another value the document states for the same item, with where it says so."""

    model_config = ConfigDict(extra="forbid")

    value: Number
    sources: list[Source] = Field(default_factory=list)
    note: str | None = None


class Figure(BaseModel):
    """A stated number: its value (Decimal), unit, every source, and any conflicting statements."""

    model_config = ConfigDict(extra="forbid")

    value: Number
    unit: Unit = "万元"
    sources: list[Source] = Field(default_factory=list)
    alternates: list[Alternate] = Field(default_factory=list)
    note: str | None = None

    @property
    def source(self) -> Source | None:
        return self.sources[0] if self.sources else None

    @property
    def page(self) -> int | None:
        return self.source.page if self.source else None

    @property
    def quote(self) -> str | None:
        return self.source.quote if self.source else None

    @property
    def bbox(self) -> BBox | None:
        return self.source.bbox if self.source else None

    def contract(self) -> dict:
        """The contract's shape: ``{value, page, quote, bbox}`` from the first source."""
        src = self.source
        return {
            "value": to_json_number(self.value),
            "page": src.page if src else None,
            "line": src.line if src else None,
            "quote": src.quote if src else None,
            "bbox": list(src.bbox) if src and src.bbox else None,
        }


def figure(
    value: Decimal | int | float | str, quote: str | None = None, *, unit: Unit = "万元", **source
) -> Figure:
    """A figure with one source: a short constructor for extraction code and tests."""
    sources = [Source(quote=quote, **source)] if quote is not None else []
    return Figure(value=value, unit=unit, sources=sources)
