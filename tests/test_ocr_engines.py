"""The OCR engines offline, one box per character: RapidOCR (the default), and PaddleOCR's own pipeline code
(paddleocr/PaddleX: model folders, pre/post-processing, char boxes) running RapidOCR's PP-OCR weights on
onnxruntime (pipeline/ocr/paddle_models.py wraps them).

The PaddleOCR check is of its code path, not of a second model: with the same weights and thresholds the
two engines agree by construction. PaddleOCR's native models (paddle format) come only from its model hub,
which is never reached here, so that path is not exercised. The PaddleOCR test needs the `paddleocr` extra
and skips without it; CI installs the extra after the README's commands and runs this file again.
"""

from __future__ import annotations

import socket

import pymupdf
import pytest
from conftest import render_grey

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.ocr.factory import get_engine
from pipeline.ocr.options import PaddleOcrOptions, RapidOcrOptions
from pipeline.ocr.paddle import PaddleEngine
from pipeline.ocr.paddle_models import build_onnx_model_dirs
from pipeline.ocr.rapid import RapidEngine


@pytest.fixture
def no_network(monkeypatch):
    """Every way out to the network raises, and each attempt is recorded."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during an offline test")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture(scope="module")
def onnx_dirs(tmp_path_factory):
    return build_onnx_model_dirs(tmp_path_factory.mktemp("models"))


CROP = slice(280, 1040)  # title, header and the first rows of T1; >= 736 px tall, so no upscaling


def assert_reads_t1(engine, crop) -> None:
    lines = engine.recognize(crop)
    texts = [ln.text for ln in lines]
    assert "307.82" in texts, (engine.name, texts)
    assert "一、一般公共预算财政拨款收入" in texts, (engine.name, texts)
    assert all(len(ln.chars) == len(ln.text) for ln in lines)
    number = lines[texts.index("307.82")]
    x0, y0, x1, y1 = number.box
    assert all(x0 - 2 <= c[0] < c[2] <= x1 + 2 and y0 - 2 <= c[1] < c[3] <= y1 + 2 for c in number.chars)


def test_rapidocr_reads_offline_with_char_boxes(no_network, t1_grey, tmp_path):
    assert_reads_t1(RapidEngine(RapidOcrOptions()), t1_grey[CROP])
    assert no_network == []


def test_paddleocr_pipeline_on_rapidocr_weights_reads_offline(no_network, t1_grey, tmp_path, onnx_dirs):
    pytest.importorskip("paddleocr", reason="the paddleocr extra is not installed (CI installs it and reruns)")
    det, rec = onnx_dirs
    settings = Settings(
        cache_dir=tmp_path,
        ocr_engine="paddleocr",
        paddle_engine="onnxruntime",
        paddle_det_model_dir=det,
        paddle_rec_model_dir=rec,
    )
    assert_reads_t1(PaddleEngine(settings.ocr_options()), t1_grey[CROP])
    assert no_network == []
    assert not (tmp_path / "paddlex" / "official_models").exists()


def test_paddle_without_model_folder_names_the_setting(tmp_path, onnx_dirs):
    with pytest.raises(ConfigError, match="JUESUAN_PADDLE_DET_MODEL_DIR"):
        PaddleEngine(PaddleOcrOptions(cache_dir=tmp_path))
    det, _ = onnx_dirs
    with pytest.raises(ConfigError, match="JUESUAN_PADDLE_REC_MODEL_DIR=.*no such folder"):
        PaddleEngine(
            PaddleOcrOptions(
                det_model_dir=det, rec_model_dir=tmp_path / "nope", engine="onnxruntime", cache_dir=tmp_path
            )
        )


def test_paddle_folder_without_model_files_is_refused(onnx_dirs, tmp_path):
    det, rec = onnx_dirs
    with pytest.raises(ConfigError, match="inference.pdiparams"):  # ONNX folders, but the paddle engine asked
        PaddleEngine(PaddleOcrOptions(det_model_dir=det, rec_model_dir=rec, engine="paddle", cache_dir=tmp_path))


def test_rapid_reads_short_numbers_upright(tmp_path):
    """The angle classifier is off: it turns short numeric cells upside down ("90" → "06")."""
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=60)
    for x, text in ((20, "90"), (80, "06"), (140, "16")):
        page.insert_text((x, 38), text, fontsize=16)
    pdf = tmp_path / "cells.pdf"
    doc.save(pdf)
    engine = get_engine(Settings().ocr_options())
    assert engine is get_engine(Settings().ocr_options())  # built once per configuration
    texts = sorted(ln.text for ln in engine.recognize(render_grey(pdf, 1, dpi=200)))
    assert texts == ["06", "16", "90"] or texts == ["90 06 16"]
