"""PaddleOCR model folders built from the ONNX models that ship inside the rapidocr wheel.

PaddleOCR (through PaddleX) loads a model from a folder holding ``inference.onnx`` (engine 'onnxruntime')
or ``inference.json`` + ``inference.pdiparams`` (engine 'paddle'), next to an ``inference.yml`` that names
the model and its pre/post-processing. RapidOCR ships PP-OCR det/rec models as bare ONNX files; wrapping
them lets PaddleOCR run fully offline with no download, e.g. for tests or as a fallback configuration.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from pipeline.files import atomic_path, atomic_write_text
from pipeline.ocr.rapid import DET_MODEL, REC_MODEL, rapidocr_models_dir

DET_NAME = "PP-OCRv6_small_det"
REC_NAME = "PP-OCRv6_small_rec"

# The same normalisation and thresholds RapidOCR uses with these models, so both engines agree.
_DET_YML = {
    "Global": {"model_name": DET_NAME},
    "PreProcess": {
        "transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"DetResizeForTest": {"limit_side_len": 736, "limit_type": "min"}},
            {
                "NormalizeImage": {
                    "mean": [0.5, 0.5, 0.5],
                    "std": [0.5, 0.5, 0.5],
                    "scale": "1./255.",
                    "order": "hwc",
                }
            },
            {"ToCHWImage": None},
            {"KeepKeys": {"keep_keys": ["image", "shape"]}},
        ]
    },
    "PostProcess": {
        "name": "DBPostProcess",
        "thresh": 0.3,
        "box_thresh": 0.5,
        "max_candidates": 1000,
        "unclip_ratio": 1.6,
    },
}


def _rec_yml(characters: list[str]) -> dict:
    return {
        "Global": {"model_name": REC_NAME},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
                {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
            ]
        },
        # the recogniser's alphabet: PaddleX prepends the CTC blank and appends the space itself
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def onnx_characters(model: Path) -> list[str]:
    """The recogniser's character list, which RapidOCR's rec ONNX carries in its metadata."""
    import onnxruntime as ort

    meta = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).get_modelmeta()
    chars = meta.custom_metadata_map.get("character")
    if not chars:
        raise ValueError(f"{model} has no 'character' metadata; cannot build its dictionary")
    return chars.splitlines()


def _place(src: Path, dst: Path) -> bool:
    """Hard-link the model (no copy of 30 MB) where possible, else copy; atomic; False if already there."""
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        return False
    with atomic_path(dst) as tmp:
        tmp.unlink()
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
    return True


def _write_yml(path: Path, data: dict) -> None:
    atomic_write_text(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def build_onnx_model_dirs(cache_dir: Path) -> tuple[Path, Path]:
    """(det_dir, rec_dir) under ``cache_dir/paddle-models``, ready for PaddleOCR with engine='onnxruntime'."""
    models = rapidocr_models_dir()
    root = cache_dir / "paddle-models"
    det_dir, rec_dir = root / DET_NAME, root / REC_NAME
    for d in (det_dir, rec_dir):
        d.mkdir(parents=True, exist_ok=True)
    fresh = not (rec_dir / "inference.yml").is_file()
    _place(models / DET_MODEL, det_dir / "inference.onnx")
    fresh |= _place(models / REC_MODEL, rec_dir / "inference.onnx")
    _write_yml(det_dir / "inference.yml", _DET_YML)
    if fresh:  # reading the alphabet loads the 20 MB model: only when the folder is new or the model changed
        _write_yml(rec_dir / "inference.yml", _rec_yml(onnx_characters(models / REC_MODEL)))
    return det_dir, rec_dir
