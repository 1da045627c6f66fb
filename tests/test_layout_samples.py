"""The generated scanned samples: every standard table found, ≥ 98% of cells exact against the truth grids.

Only each sample's table pages are OCR'd (a copy of the PDF holding just those pages); the first sample
runs by default, the others with the ``slow`` ones.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from pipeline.config import Settings
from pipeline.parse import parse_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").glob("*.pdf") if (ROOT / "eval/gold" / f"{p.stem}.truth.json").exists())


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def _params():
    return [pytest.param(p, id=p.stem, marks=() if i == 0 else pytest.mark.slow) for i, p in enumerate(SAMPLES)]


@pytest.fixture(scope="module")
def sample_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("samples-ocr-cache")


@pytest.mark.skipif(not SAMPLES, reason="no samples/*.pdf with eval/gold/*.truth.json yet")
@pytest.mark.parametrize("pdf", _params())
def test_sample_standard_tables(pdf: Path, tmp_path: Path, sample_cache: Path):
    truth = json.loads((ROOT / "eval/gold" / f"{pdf.stem}.truth.json").read_text(encoding="utf-8"))
    wanted = [t for t in truth["tables"] if t.get("standard_id")]
    assert wanted, "truth lists no standard tables"
    first = min(p for t in wanted for p in t["pages"])
    last = max(p for t in wanted for p in t["pages"])
    part = tmp_path / f"{pdf.stem}-tables.pdf"
    with pymupdf.open(pdf) as doc:
        doc.select(list(range(first - 1, last)))
        doc.save(part)
    parsed = parse_path(part, Settings(cache_dir=sample_cache))
    cells = exact = 0
    missing, wrong = [], []
    for t in wanted:
        got = parsed.standard_table(t["standard_id"])
        grid = t["grid"]
        cells += sum(len(r) for r in grid)
        if got is None:
            missing.append(f"{t['standard_id']} not found")
            continue
        assert [p - first + 1 for p in t["pages"]] == got.pages, t["standard_id"]
        assert got.unit == t["unit"] and got.header_rows == t["header_rows"], t["standard_id"]
        mine = got.grid()
        if (len(mine), len(mine[0])) != (len(grid), len(grid[0])):
            missing.append(f"{t['standard_id']}: {len(mine)}x{len(mine[0])} for {len(grid)}x{len(grid[0])}")
            continue
        for r, (rw, rg) in enumerate(zip(grid, mine, strict=True)):
            for c, (w, g) in enumerate(zip(rw, rg, strict=True)):
                if _norm(w) == _norm(g):
                    exact += 1
                else:
                    wrong.append(f"{t['standard_id']}[{r},{c}] {g!r} for {w!r}")
    assert not missing, missing
    assert exact / cells >= 0.98, (exact / cells, wrong[:20])
