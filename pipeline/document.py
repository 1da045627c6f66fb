"""The Document: what ingestion and layout hand to extraction, with provenance on every item.

Coordinates are PDF points of the item's page, origin top-left, as (x0, y0, x1, y1), so that a figure's box
in the record can be drawn on the page image at any resolution. Pages are 1-based. A Document built from
plain text (``.txt``/``.md``) has one page of kind ``none`` and its lines carry ``source_line`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, Field

BBox = tuple[float, float, float, float]


class PageKind(StrEnum):
    TEXT = "text"  # born-digital: a usable text layer, no OCR needed
    SCANNED = "scanned"  # image only: OCR
    MIXED = "mixed"  # text layer plus large images (e.g. a scanned table pasted in): OCR the images too
    EMPTY = "empty"  # neither text nor image
    NONE = "none"  # no page image at all (plain-text input)


class Word(BaseModel):
    """A run of text on one line, with a box per character so a quote can be boxed exactly."""

    text: str
    bbox: BBox
    chars: list[BBox] | None = Field(None, description="one box per character of text, when known")
    conf: float | None = None


class Line(BaseModel):
    text: str
    bbox: BBox
    words: list[Word] = Field(default_factory=list)
    source: str = Field("text", description="'text' (PDF text layer), 'ocr', or 'plain' (text input)")
    source_line: int | None = Field(None, description="1-based line of a plain-text source")
    raw: str | None = Field(
        None, description="a plain-text line laid out as a table row, as printed: tabs and runs of spaces kept"
    )


class PageImage(BaseModel):
    """How a scanned page was turned into pixels; the OCR cache key is its sha256."""

    sha256: str
    width_px: int
    height_px: int
    dpi: float
    origin: str = Field(description="'embedded' (the page's own image) or 'rendered'")
    skew_deg: float = 0.0


class Page(BaseModel):
    number: int
    width: float
    height: float
    kind: PageKind
    lines: list[Line] = Field(default_factory=list)
    image: PageImage | None = None
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Block(BaseModel):
    """A paragraph, heading or caption in reading order."""

    id: str
    page: int
    bbox: BBox
    text: str
    kind: str = Field("paragraph", description="heading | paragraph | caption | table | toc (a contents entry)")
    line_span: tuple[int, int] | None = Field(None, description="source lines of a plain-text block")
    table_id: str | None = Field(None, description="the Table a 'table' block stands for")


class Section(BaseModel):
    """A heading and what it covers. ``number`` is the heading's own ordinal as printed (二, （一）, 3)."""

    id: str
    title: str
    level: int
    number: str | None = None
    page: int
    block_ids: list[str] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


class Cell(BaseModel):
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    bbox: BBox
    page: int
    line: int | None = Field(None, description="1-based source line of a plain-text table's row")


class Table(BaseModel):
    """A ruled table. ``standard_id`` is T1…T9 when the title names one of the nine standard tables."""

    id: str
    title: str | None = None
    standard_id: str | None = None
    pages: list[int]
    bbox: BBox = Field(description="box on the first page")
    n_rows: int
    n_cols: int
    header_rows: int = 0
    cells: list[Cell] = Field(default_factory=list)
    unit: str | None = Field(None, description="'万元' or '元' as stated above the table")

    def grid(self) -> list[list[str]]:
        """Rows of cell text; a merged cell's text sits in its top-left slot, the rest are ''."""
        out = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row][c.col] = c.text
        return out


class Document(BaseModel):
    source: str
    sha256: str
    pages: list[Page] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    report_type: str | None = Field(None, description="the report kind whose profile laid the document out")

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def walk_sections(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def find_section(self, query: str) -> Section | None:
        """First section whose title contains ``query`` (e.g. '收入决算情况说明')."""
        return next((s for s in self.walk_sections() if query in s.title), None)

    def section_text(self, section: Section) -> str:
        """Text of a section and its subsections, in reading order."""
        ids = {bid for s in section.walk() for bid in s.block_ids}
        return "\n".join(b.text for b in self.blocks if b.id in ids)

    def standard_table(self, standard_id: str) -> Table | None:
        return next((t for t in self.tables if t.standard_id == standard_id), None)
