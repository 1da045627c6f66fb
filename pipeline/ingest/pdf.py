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
from pipeline.ingest.classify import PageClass, classify_page
from pipeline.ingest.ocrpage import ocr_page
from pipeline.ingest.raster import PageRaster
from pipeline.ingest.result import IngestResult, Progress, check_file_size, file_sha256
from pipeline.ingest.textlayer import text_layer_lines
from pipeline.ocr.base import OcrEngine, get_engine
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
    if doc.needs_pass:
        doc.close()
        raise InputError(path, "PDF is encrypted and needs a password to open")
    n = doc.page_count
    if n == 0:
        cause = (
            "damaged or truncated PDF: no page could be recovered" if doc.is_repaired else "PDF has no pages"
        )
        doc.close()
        raise InputError(path, cause)
    if n > settings.max_pages:
        doc.close()
        raise InputError(path, f"PDF has {n} pages, over max_pages={settings.max_pages} (JUESUAN_MAX_PAGES)")
    return doc


def ingest_pdf(
    path: Path, settings: Settings, ocr: OcrEngine | None = None, progress: Progress | None = None
) -> IngestResult:
    """Read every page of a PDF into a Document; OCR only the pages whose text is in pixels."""
    doc = open_pdf(path, settings)
    document = Document(source=str(path), sha256=file_sha256(path))
    if doc.is_repaired:
        first = next(iter(pymupdf.TOOLS.mupdf_warnings().splitlines()), "")
        document.warnings.append(
            f"PDF was damaged ({first or 'broken structure'}); MuPDF repaired it, so pages or text may be missing"
        )
    result = IngestResult(document=document)
    engine = ocr
    failed = 0
    selected = settings.page_selection()
    with doc:
        total = doc.page_count
        if selected is not None and min(selected) > total:
            raise InputError(path, f"pages={settings.pages} names no page of this {total}-page PDF")
        for i in range(total):
            if selected is not None and i + 1 not in selected:  # --pages: kept as empty, numbering intact
                rect = doc[i].rect
                document.pages.append(Page(number=i + 1, width=round(rect.width, 2), height=round(rect.height, 2),
                                           kind=PageKind.EMPTY))
                continue
            try:
                page = doc.load_page(i)
                cls = classify_page(page, settings)
                if cls.kind in (PageKind.SCANNED, PageKind.MIXED) and engine is None:
                    engine = get_engine(settings)
                out = _read_page(doc, page, settings, cls, engine)
            except PAGE_ERRORS as e:
                failed += 1
                msg = f"page {i + 1} could not be read: {e}"
                document.warnings.append(msg)
                out = Page(number=i + 1, width=0, height=0, kind=PageKind.EMPTY, warnings=[msg]), None
            document.pages.append(out[0])
            if out[1] is not None:
                result.rasters[i + 1] = out[1]
            if progress is not None:
                progress("ingest", i + 1, total)
    if failed == len(document.pages):
        raise InputError(path, f"no page could be read ({document.warnings[0]})")
    return result


def _read_page(
    doc: pymupdf.Document, page: pymupdf.Page, settings: Settings, cls: PageClass, engine: OcrEngine | None
) -> tuple[Page, PageRaster | None]:
    number = page.number + 1
    out = Page(
        number=number, width=round(page.rect.width, 2), height=round(page.rect.height, 2), kind=cls.kind
    )
    if cls.note:
        out.warnings.append(cls.note)
    raster = None
    lines: list[Line] = []
    if cls.kind in (PageKind.TEXT, PageKind.MIXED):
        lines = text_layer_lines(page)
    if cls.kind in (PageKind.SCANNED, PageKind.MIXED):
        assert engine is not None
        read = ocr_page(doc, page, settings, engine)
        out.image, raster = read.image, read.raster
        out.warnings.extend(read.warnings)
        ocr_lines = (
            read.lines if cls.kind == PageKind.SCANNED else _image_only(read.lines, lines, cls.image_rects)
        )
        lines = lines + ocr_lines
    out.lines = rejoin_split_numbers(lines)
    return out, raster


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
