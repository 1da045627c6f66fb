"""Every unusable input ends in a clear InputError (or a page warning) naming the file and the cause."""

from __future__ import annotations

import zlib
from pathlib import Path

import pymupdf
import pytest
from conftest import FINAL, NoOcr

from pipeline.config import Settings
from pipeline.document import PageKind
from pipeline.errors import InputError
from pipeline.ingest import ingest


def refused(path: Path, settings: Settings | None = None) -> str:
    with pytest.raises(InputError) as info:
        ingest(path, settings or Settings(cache_dir=path.parent))
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return info.value.cause


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (MuPDF refuses to save one, so the bytes are written)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def huge_image_pdf(path: Path, side: int = 20000) -> Path:
    """One A4 page showing a side×side grey image, written as a ready Flate stream (≈ 0.4 MB on disk).

    Striped rows compress about 1000:1, so the 400 Mpx image costs neither memory nor time to make.
    """
    squeeze = zlib.compressobj(9)
    white, black = b"\xff" * side, b"\x00" * side
    data = (
        b"".join(squeeze.compress(black if (y // 500) % 8 == 3 else white) for y in range(side))
        + squeeze.flush()
    )
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    image = doc.get_new_xref()
    doc.update_object(
        image,
        f"<</Type/XObject/Subtype/Image/Width {side}/Height {side}/ColorSpace/DeviceGray/BitsPerComponent 8>>",
    )
    doc.update_stream(image, data, compress=False)
    doc.xref_set_key(image, "Filter", "/FlateDecode")  # the stream is already compressed
    content = doc.get_new_xref()
    doc.update_object(content, "<<>>")
    doc.update_stream(content, b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    doc.xref_set_key(page.xref, "Resources", f"<</XObject<</Im0 {image} 0 R>>>>")
    doc.xref_set_key(page.xref, "Contents", f"{content} 0 R")
    doc.save(path)
    return path


def test_non_pdf_named_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("<html>not a report</html>", encoding="utf-8")
    assert "not a PDF" in refused(path)


def test_truncated_pdf(tmp_path):
    data = FINAL.read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(data[: len(data) // 2])
    assert "damaged or truncated" in refused(half)  # MuPDF repairs it but finds no page
    stub = tmp_path / "stub.pdf"
    stub.write_bytes(data[:1000])
    assert "MuPDF cannot open it" in refused(stub)


def test_damaged_pdf_that_mupdf_repairs_is_read_with_a_warning(tmp_path):
    data = FINAL.read_bytes()
    path = tmp_path / "no-trailer.pdf"
    path.write_bytes(data[: data.rindex(b"startxref")])
    doc = ingest(path, Settings(cache_dir=tmp_path)).document
    assert len(doc.pages) == 24 and doc.pages[4].lines
    assert any("repaired" in w for w in doc.warnings)


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    with pymupdf.open(FINAL) as doc:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    assert "encrypted" in refused(path) and "password" in refused(path)


def test_zero_page_pdf(tmp_path):
    path = zero_page_pdf(tmp_path / "empty-tree.pdf")
    assert refused(path) == "PDF has no pages"


def test_empty_file(tmp_path):
    path = tmp_path / "zero.pdf"
    path.write_bytes(b"")
    assert refused(path) == "file is empty"


def test_too_many_pages(tmp_path):
    doc = pymupdf.open()
    for _ in range(500):
        doc.new_page()
    path = tmp_path / "long.pdf"
    doc.save(path)
    cause = refused(path)
    assert "500 pages" in cause and "max_pages=300" in cause and "JUESUAN_MAX_PAGES" in cause


def test_file_over_size_limit(tmp_path):
    cause = refused(FINAL, Settings(cache_dir=tmp_path, max_file_mb=0.1))
    assert "max_file_mb=0.1" in cause and "JUESUAN_MAX_FILE_MB" in cause
    text = tmp_path / "long.txt"
    text.write_text("收入" * 100_000, encoding="utf-8")
    assert "max_file_mb=0.1" in refused(text, Settings(cache_dir=tmp_path, max_file_mb=0.1))


def test_huge_page_image_is_downscaled_with_a_warning(tmp_path):
    path = huge_image_pdf(tmp_path / "huge.pdf")
    assert path.stat().st_size < 2_000_000
    settings = Settings(cache_dir=tmp_path, max_page_pixels=2_000_000)
    result = ingest(path, settings, ocr=NoOcr())
    page = result.document.pages[0]
    assert page.kind == PageKind.SCANNED and page.image.origin == "rendered"
    assert any("20000×20000" in w and "max_page_pixels=2000000" in w for w in page.warnings)
    assert page.image.width_px * page.image.height_px <= settings.max_page_pixels
    stripes = result.rasters[1].image[:, page.image.width_px // 2]
    assert stripes.min() < 60 and stripes.max() > 200  # the content survived the downscale


def test_missing_file_directory_and_unknown_type(tmp_path):
    assert refused(tmp_path / "absent.pdf") == "file not found"
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert refused(folder).startswith("is a folder")
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04 zip data")
    assert "unsupported file type '.xlsx'" in refused(sheet)


def test_pdf_is_recognised_by_content_not_name(tmp_path):
    path = tmp_path / "report.bin"
    path.write_bytes(FINAL.read_bytes())
    assert len(ingest(path, Settings(cache_dir=tmp_path)).document.pages) == 24


def test_undecodable_and_binary_text(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x30\xff\xff broken")
    assert "cannot tell the text's encoding" in refused(bad)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"abc\x00\x00def")
    assert "binary" in refused(binary)
