"""The OCR cache: a page image is read once per engine configuration; re-runs do no OCR."""

from __future__ import annotations

import numpy as np
from conftest import CountingEngine

from pipeline.config import Settings
from pipeline.ingest import ingest
from pipeline.ocr.base import OcrLine
from pipeline.ocr.cache import OcrCache, image_sha256, recognize_cached


class FakeEngine:
    name = "fake"

    def __init__(self, fingerprint: str = "v1"):
        self.fingerprint = fingerprint

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        return [
            OcrLine("收入307.82", (1, 2, 81, 14), 0.98, [(1 + 10 * i, 2, 11 + 10 * i, 14) for i in range(8)])
        ]


IMAGE = np.full((40, 80), 255, np.uint8)


def test_second_read_is_served_from_disk(tmp_path):
    settings = Settings(cache_dir=tmp_path)
    engine = CountingEngine(FakeEngine())
    first = recognize_cached(engine, IMAGE, settings)
    second = recognize_cached(engine, IMAGE, settings)
    assert engine.calls == 1
    assert second == first
    files = list((tmp_path / "ocr").rglob("*"))
    assert not [f for f in files if f.name.endswith(".tmp")]  # atomic write left no temp file
    assert len([f for f in files if f.suffix == ".json"]) == 1


def test_key_covers_image_engine_and_its_settings(tmp_path):
    settings = Settings(cache_dir=tmp_path)
    a, b = CountingEngine(FakeEngine("v1")), CountingEngine(FakeEngine("v2"))
    recognize_cached(a, IMAGE, settings)
    recognize_cached(b, IMAGE, settings)  # other engine settings: not the same result
    other = IMAGE.copy()
    other[0, 0] = 0
    recognize_cached(a, other, settings)  # other pixels
    assert (a.calls, b.calls) == (2, 1)
    assert image_sha256(IMAGE) != image_sha256(IMAGE.reshape(80, 40))  # same bytes, other shape


def test_use_cache_false_bypasses_it(tmp_path):
    settings = Settings(cache_dir=tmp_path, use_cache=False)
    engine = CountingEngine(FakeEngine())
    recognize_cached(engine, IMAGE, settings)
    recognize_cached(engine, IMAGE, settings)
    assert engine.calls == 2
    assert not (tmp_path / "ocr").exists()


def test_corrupt_entry_is_read_again(tmp_path):
    settings = Settings(cache_dir=tmp_path)
    engine = CountingEngine(FakeEngine())
    recognize_cached(engine, IMAGE, settings)
    cache = OcrCache(tmp_path / "ocr")
    cache.path(cache.key(image_sha256(IMAGE), engine)).write_text("{not json", encoding="utf-8")
    assert recognize_cached(engine, IMAGE, settings)[0].text == "收入307.82"
    assert engine.calls == 2


def test_rerun_of_a_scanned_report_does_no_ocr(t1_scan, scanned_t1, session_cache):
    first, counter = t1_scan
    assert counter.calls == 1  # the session fixture read the page once
    again = CountingEngine(counter.engine)
    second = ingest(scanned_t1, Settings(cache_dir=session_cache), ocr=again)
    assert again.calls == 0
    assert second.document == first.document
    assert np.array_equal(second.rasters[1].image, first.rasters[1].image)
