"""Both OCR engines run offline from local models, with one box per character."""

from __future__ import annotations

import socket

import pymupdf
import pytest
from conftest import render_grey

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.ocr.base import get_engine
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


def test_both_engines_read_offline_without_network(no_network, t1_grey, tmp_path, onnx_dirs):
    crop = t1_grey[280:1040]  # title, header and the first rows of T1; ≥ 736 px tall, so no upscaling
    det, rec = onnx_dirs
    paddle_settings = Settings(
        cache_dir=tmp_path,
        ocr_engine="paddleocr",
        paddle_engine="onnxruntime",
        paddle_det_model_dir=det,
        paddle_rec_model_dir=rec,
    )
    for engine in (RapidEngine(Settings(cache_dir=tmp_path)), PaddleEngine(paddle_settings)):
        lines = engine.recognize(crop)
        texts = [ln.text for ln in lines]
        assert "307.82" in texts, (engine.name, texts)
        assert "一、一般公共预算财政拨款收入" in texts, (engine.name, texts)
        assert all(len(ln.chars) == len(ln.text) for ln in lines)
        number = lines[texts.index("307.82")]
        x0, y0, x1, y1 = number.box
        assert all(x0 - 2 <= c[0] < c[2] <= x1 + 2 and y0 - 2 <= c[1] < c[3] <= y1 + 2 for c in number.chars)
    assert no_network == []
    assert not (tmp_path / "paddlex" / "official_models").exists()


def test_paddle_without_model_folder_names_the_setting(tmp_path, onnx_dirs):
    with pytest.raises(ConfigError, match="JUESUAN_PADDLE_DET_MODEL_DIR"):
        PaddleEngine(Settings(cache_dir=tmp_path, ocr_engine="paddleocr"))
    det, _ = onnx_dirs
    with pytest.raises(ConfigError, match="JUESUAN_PADDLE_REC_MODEL_DIR=.*no such folder"):
        PaddleEngine(
            Settings(
                paddle_det_model_dir=det, paddle_rec_model_dir=tmp_path / "nope", paddle_engine="onnxruntime"
            )
        )


def test_paddle_folder_without_model_files_is_refused(onnx_dirs):
    det, rec = onnx_dirs
    with pytest.raises(ConfigError, match="inference.pdiparams"):  # ONNX folders, but the paddle engine asked
        PaddleEngine(Settings(paddle_det_model_dir=det, paddle_rec_model_dir=rec, paddle_engine="paddle"))


def test_rapid_reads_short_numbers_upright(tmp_path):
    """The angle classifier is off: it turns short numeric cells upside down ("90" → "06")."""
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=60)
    for x, text in ((20, "90"), (80, "06"), (140, "16")):
        page.insert_text((x, 38), text, fontsize=16)
    pdf = tmp_path / "cells.pdf"
    doc.save(pdf)
    engine = get_engine(Settings())
    assert engine is get_engine(Settings())  # built once per configuration
    texts = sorted(ln.text for ln in engine.recognize(render_grey(pdf, 1, dpi=200)))
    assert texts == ["06", "16", "90"] or texts == ["90 06 16"]
