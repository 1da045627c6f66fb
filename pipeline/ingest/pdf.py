"""PDF → Document: text pages from their text layer, scanned and mixed pages through OCR.

Every way a submitted PDF can be unusable (damaged, encrypted, empty, too big) ends in an InputError that
names the file and the cause, so a batch reports it and goes on.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from pipeline.config import Settings
from pipeline.document import Document, Line, Page, PageKind
from pipeline.errors import InputError
from pipeline.files import file_sha256
from pipeline.ingest.classify import PageClass, classify_page
from pipeline.ingest.ocrpage import ocr_page
from pipeline.ingest.raster import PageRaster
from pipeline.ingest.result import IngestResult, Progress, check_file_size
from pipeline.ingest.textlayer import text_layer_lines
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.factory import get_engine
from pipeline.ocr.normalize import rejoin_split_numbers

# MuPDF failures while reading one page: that page is reported and skipped, the rest are read.
# (pymupdf raises RuntimeError subclasses or MuPDF's own FzError*; our own bugs are left to surface.)
PAGE_ERRORS = (RuntimeError, pymupdf.mupdf.FzErrorBase)


def open_pdf(path: Path, settings: Settings) -> pymupdf.Document:
    """The opened PDF, or an InputError saying why it cannot be read within the limits."""
    check_file_size(path, settings.max_file_mb)
    pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's own messages would go to stderr; we report instead
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except pymupdf.EmptyFileError as e:
        raise InputError(path, "file is empty") from e
    except (pymupdf.FileDataError, *PAGE_ERRORS) as e:
        raise InputError(path, f"damaged or not a PDF; MuPDF cannot open it ({e})") from e
    try:
        encrypted = doc.needs_pass
        n = 0 if encrypted else doc.page_count  # a truncated page tree fails here, not at open
    except PAGE_ERRORS as e:
        doc.close()
        raise InputError(path, f"damaged or truncated PDF: MuPDF cannot count its pages ({e})") from e
    if encrypted:
        doc.close()
        raise InputError(path, "PDF is encrypted and needs a password to open")
    if n == 0:
        damage = damage_notes(pymupdf.TOOLS.mupdf_warnings())
        cause = "PDF has no pages"
        if doc.is_repaired or damage:
            cause = f"damaged or truncated PDF: no page could be recovered ({damage or 'broken structure'})"
        doc.close()
        raise InputError(path, cause)
    if n > settings.max_pages:
        doc.close()
        raise InputError(path, f"PDF has {n} pages, over max_pages={settings.max_pages} (JUESUAN_MAX_PAGES)")
    return doc


def ingest_pdf(
    path: Path, settings: Settings, ocr: OcrEngine | None = None, progress: Progress | None = None
) -> IngestResult:
    """Read every page of a PDF into a Document; OCR only the pages whose text is in pixels.

    Damage MuPDF works around while reading (a repaired cross-reference table, a broken content or image
    stream) is named per page in the page's and the Document's warnings: the run goes on, and whoever reads
    the record knows which pages may be missing text."""
    doc = open_pdf(path, settings)
    document = Document(source=str(path), sha256=file_sha256(path))
    opened = damage_notes(pymupdf.TOOLS.mupdf_warnings(reset=True))
    if doc.is_repaired:
        document.warnings.append(
            f"PDF was damaged ({opened or 'broken structure'}); MuPDF repaired it, so pages or text may be missing"
        )
    elif opened:
        document.warnings.append(f"PDF is damaged ({opened}): pages or text may be missing")
    result = IngestResult(document=document)
    reader = _PageReader(doc, settings, ocr)
    selected = settings.page_selection()
    skipped = 0
    with doc:
        total = doc.page_count
        if selected is not None and min(selected) > total:
            raise InputError(path, f"pages={settings.pages} names no page of this {total}-page PDF")
        for i in range(total):
            if selected is not None and i + 1 not in selected:  # --pages: kept as empty, numbering intact
                rect = doc[i].rect
                document.pages.append(Page(number=i + 1, width=round(rect.width, 2), height=round(rect.height, 2),
                                           kind=PageKind.EMPTY))
                skipped += 1
                continue
            repaired = doc.is_repaired
            page, raster = reader.read(i)
            if doc.is_repaired and not repaired:  # the fix may change pages read after this one too
                document.warnings.append(
                    f"PDF was damaged; MuPDF repaired it while reading page {i + 1}, so pages or text may be missing"
                )
            document.pages.append(page)
            document.warnings.extend(f"page {page.number}: {w}" for w in reader.notes)
            if raster is not None:
                result.rasters[i + 1] = raster
            if progress is not None:
                progress("ingest", i + 1, total)
    if reader.failed == len(document.pages) - skipped:
        raise InputError(path, f"no page could be read ({document.warnings[-1]})")
    return result


class _PageReader:
    """Reads one page at a time and says what went wrong on it (``notes``, for the Document's warnings)."""

    def __init__(self, doc: pymupdf.Document, settings: Settings, engine: OcrEngine | None):
        self.doc, self.settings, self.engine = doc, settings, engine
        self.failed = 0
        self.notes: list[str] = []

    def read(self, i: int) -> tuple[Page, PageRaster | None]:
        doc = self.doc
        was_repaired = doc.is_repaired
        self.notes = []
        try:
            page = doc.load_page(i)
            cls = classify_page(page, self.settings)
            if cls.kind in (PageKind.SCANNED, PageKind.MIXED) and self.engine is None:
                self.engine = get_engine(self.settings.ocr_options())
            out, raster, image_damage = _read_page(doc, page, self.settings, cls, self.engine)
        except (*PAGE_ERRORS, ValueError) as e:
            # ValueError "page not in document": MuPDF repaired the file mid-read and found fewer pages
            if isinstance(e, ValueError) and i < doc.page_count:
                raise  # some other ValueError: our own bug, left to surface
            pymupdf.TOOLS.mupdf_warnings(reset=True)
            self.failed += 1
            lost = isinstance(e, ValueError)
            note = (f"lost: the file is damaged and holds {doc.page_count} page(s) after repair" if lost
                    else f"could not be read ({e})")
            self.notes.append(note)
            return Page(number=i + 1, width=0, height=0, kind=PageKind.EMPTY, warnings=[note]), None
        damage = "; ".join(filter(None, [damage_notes(pymupdf.TOOLS.mupdf_warnings(reset=True)), *image_damage]))
        if not damage and doc.is_repaired and not was_repaired:
            damage = "the file was repaired while reading it"
        if damage:
            self.notes.append(f"damaged ({damage}): text may be missing")
        if cls.kind == PageKind.SCANNED and not out.lines:
            self.notes.append("scanned, but no text was recognised in its image")
        out.warnings.extend(self.notes)
        return out, raster


def damage_notes(warnings: str, most: int = 2) -> str:
    """MuPDF's accumulated warnings, shortened to their first distinct lines for a one-line message."""
    lines = []
    for line in warnings.splitlines():
        line = line.strip()
        line = line.encode("utf-8", "replace").decode("utf-8")  # MuPDF may hand back lone surrogates
        if line and not line.startswith("... repeated") and line not in lines:
            lines.append(line)
    more = f" (+{len(lines) - most} more)" if len(lines) > most else ""
    return "; ".join(lines[:most]) + more


def _read_page(
    doc: pymupdf.Document, page: pymupdf.Page, settings: Settings, cls: PageClass, engine: OcrEngine | None
) -> tuple[Page, PageRaster | None, list[str]]:
    """The page's lines (text layer, OCR or both), its raster, and what the image decoder said was broken."""
    number = page.number + 1
    out = Page(
        number=number, width=round(page.rect.width, 2), height=round(page.rect.height, 2), kind=cls.kind
    )
    if cls.note:
        out.warnings.append(cls.note)
    raster = None
    damage: list[str] = []
    lines: list[Line] = []
    if cls.kind in (PageKind.TEXT, PageKind.MIXED):
        lines = text_layer_lines(page)
    if cls.kind in (PageKind.SCANNED, PageKind.MIXED):
        assert engine is not None
        read = ocr_page(doc, page, settings, engine)
        out.image, raster = read.image, read.raster
        out.warnings.extend(read.warnings)
        damage = read.damage
        ocr_lines = (
            read.lines if cls.kind == PageKind.SCANNED else _image_only(read.lines, lines, cls.image_rects)
        )
        lines = lines + ocr_lines
    out.lines = rejoin_split_numbers(lines)
    return out, raster, damage


def _image_only(ocr_lines: list[Line], text_lines: list[Line], image_rects: list[pymupdf.Rect]) -> list[Line]:
    """OCR lines of a mixed page that lie on its images and repeat no text-layer line."""

    def inside_image(ln: Line) -> bool:
        x0, y0, x1, y1 = ln.bbox
        centre = pymupdf.Point((x0 + x1) / 2, (y0 + y1) / 2)
        return any(centre in r for r in image_rects)

    def covered_by_text(ln: Line) -> bool:
        r = pymupdf.Rect(ln.bbox)
        area = abs(r) or 1.0
        return sum(abs(r & pymupdf.Rect(t.bbox)) for t in text_lines) > 0.5 * area

    return [ln for ln in ocr_lines if inside_image(ln) and not covered_by_text(ln)]
