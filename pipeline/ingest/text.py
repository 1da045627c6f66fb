"""Already-OCR'd text (.txt / .md) → a Document of one page without geometry; lines keep their line number."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pipeline.config import Settings
from pipeline.document import Document, Page, PageKind
from pipeline.errors import InputError
from pipeline.ingest.result import IngestResult, check_file_size
from pipeline.ocr.normalize import make_line

# Word-export residue in the seeds: "[bookmark: _Toc15396600]" anchors and "[image: ]" placeholders.
_MARKER = re.compile(r"\[(?:bookmark|image):[^\]\n]*\]")
_NO_BOX = (0.0, 0.0, 0.0, 0.0)
# Real reports measured 99.8–99.99 % usual characters (../shared/seeds); UTF-16 read as GB18030 about 50 %.
PLAUSIBLE_SHARE = 0.9


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (what Chinese Windows tools write), else UTF-16 (with its BOM, or
    without one when the other readings are implausible).

    GB18030 decodes almost any bytes, so a guessed reading must also look like a Chinese report: nearly all of
    its characters ASCII, punctuation or symbols, or hanzi of GB2312 (the 6763 in everyday use). UTF-16 text
    read as GB18030 comes out as rare hanzi and fails that test; so does binary data. UTF-8 is never wrong by
    accident and is taken as it decodes.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data[:3] == b"\xef\xbb\xbf":
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030", "utf-16-le", "utf-16-be")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf-8") or plausible_text(text):
            return text
    if len(encodings) == 1:
        raise InputError(path, f"text starts with a {encodings[0].upper()} byte-order mark but does not decode as it")
    raise InputError(
        path, "cannot tell the text's encoding: it is not UTF-8, and read as GB18030 or UTF-16 it is mostly "
        "rare characters (binary data?); save it as UTF-8"
    )


def plausible_text(text: str, share: float = PLAUSIBLE_SHARE) -> bool:
    """Whether at least ``share`` of the non-space characters are ones a Chinese report is written in."""
    seen = usual = 0
    for c in text:
        if c.isspace():
            continue
        seen += 1
        usual += _usual(c)
    return seen == 0 or usual >= share * seen


def _usual(c: str) -> bool:
    if c.isascii():
        return c.isprintable()
    if unicodedata.category(c)[0] in "PSZ":  # punctuation, symbols (—, ≦, ①, ％), spaces
        return True
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_CELL_BREAK = re.compile(r"\t| {2,}")


def table_row(raw: str) -> str | None:
    """A line laid out as a table row (cells apart by tabs or runs of spaces), exactly as printed (full-width
    characters kept: they are what the columns line up by); None for an ordinary line. Layout reads its
    columns from the tabs, or from where the text stands."""
    text = raw.rstrip("\r\n").replace("\u3000", "  ")
    if "\t" in text.strip("\n") and text.strip():
        return text  # a tab-separated row, even with one filled cell ("\t\t九、卫生健康支出\t")
    parts = [p for p in _CELL_BREAK.split(text.strip()) if p.strip()]
    return text if len(parts) >= 2 else None


def ingest_text(path: Path, settings: Settings) -> IngestResult:
    """Each non-empty line (markers stripped) becomes a Line with ``source='plain'`` and its 1-based number."""
    check_file_size(path, settings.max_file_mb)
    data = path.read_bytes()
    text = decode_text(path, data)
    if "\x00" in text:
        raise InputError(path, "file holds binary data (NUL characters), not text")
    page = Page(number=1, width=0, height=0, kind=PageKind.NONE)
    for number, raw in enumerate(text.splitlines(), start=1):
        cleaned = _MARKER.sub("", raw)
        line = make_line(((c, _NO_BOX) for c in cleaned), source="plain", bbox=_NO_BOX, source_line=number)
        if line is not None:
            for w in line.words:
                w.chars = None  # plain text has no character boxes
            line.raw = table_row(cleaned)
            page.lines.append(line)
    document = Document(source=str(path), sha256=hashlib.sha256(data).hexdigest(), pages=[page])
    if not page.lines:
        document.warnings.append("text file has no non-empty lines")
    return IngestResult(document=document)
