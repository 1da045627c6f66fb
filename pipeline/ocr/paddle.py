"""PaddleOCR 3.x as an optional engine (``pip install -e '.[paddleocr]'``), from local model folders only.

PaddleOCR fetches its models from a hub by default and checks the hubs' reachability at start-up. Here the
folders come from its options (JUESUAN_PADDLE_DET_MODEL_DIR / JUESUAN_PADDLE_REC_MODEL_DIR set them), the
model names are read from their inference.yml so PaddleX never looks a default up, and the hub check is
switched off before PaddleX is imported (it reads its flags at import time).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import cv2
import numpy as np
import yaml

from pipeline.errors import ConfigError
from pipeline.ocr.base import TEXT_SCORE, OcrEngine, OcrLine
from pipeline.ocr.charboxes import align_char_boxes, quad_to_bbox
from pipeline.ocr.factory import register
from pipeline.ocr.options import PaddleOcrOptions

_MODEL_FILES = {"onnxruntime": ("inference.onnx",), "paddle": ("inference.pdiparams",)}


def _model_folder(folder: Path | None, setting: str, engine: str) -> tuple[Path, str]:
    """(folder, model name from its inference.yml), or a ConfigError naming the setting to fix."""
    env = f"JUESUAN_{setting.upper()}"
    if folder is None:
        raise ConfigError(f"PaddleOCR needs a local model folder: set {env} (models are never downloaded)")
    if not folder.is_dir():
        raise ConfigError(f"{env}={folder}: no such folder")
    missing = [f for f in ("inference.yml", *_MODEL_FILES[engine]) if not (folder / f).is_file()]
    if missing:
        raise ConfigError(f"{env}={folder}: missing {', '.join(missing)} for paddle_engine={engine!r}")
    try:
        name = yaml.safe_load((folder / "inference.yml").read_text(encoding="utf-8"))["Global"]["model_name"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise ConfigError(f"{env}={folder}: inference.yml has no Global.model_name ({e})") from e
    return folder, str(name)


def _offline_environment(cache_dir: Path) -> None:
    """Keep PaddleX off the network and out of the home folder (read once, when paddlex is imported)."""
    os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
    os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(cache_dir / "paddlex"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("MODELSCOPE_OFFLINE", "1")


@register
class PaddleEngine(OcrEngine):
    """PaddleOCR's text detection + recognition, no document/line orientation models (see RapidEngine)."""

    name = "paddleocr"
    options_type = PaddleOcrOptions

    def __init__(self, options: PaddleOcrOptions):
        super().__init__(options)
        engine = options.engine
        det, det_name = _model_folder(options.det_model_dir, "paddle_det_model_dir", engine)
        rec, rec_name = _model_folder(options.rec_model_dir, "paddle_rec_model_dir", engine)
        _offline_environment(options.cache_dir)
        try:
            from paddleocr import PaddleOCR
            from paddleocr import __version__ as paddleocr_version
        except ImportError as e:
            raise ConfigError(
                f"JUESUAN_OCR_ENGINE=paddleocr but PaddleOCR is not installed ({e}); "
                "run: pip install -e '.[paddleocr]'"
            ) from e
        kwargs: dict = {
            "text_detection_model_name": det_name,
            "text_detection_model_dir": str(det),
            "text_recognition_model_name": rec_name,
            "text_recognition_model_dir": str(rec),
            "use_doc_orientation_classify": False,
            "use_doc_unwarping": False,
            "use_textline_orientation": False,
            "text_det_limit_side_len": 736,
            "text_det_limit_type": "min",
            "text_rec_score_thresh": TEXT_SCORE,
            "return_word_box": True,
            "engine": engine,
            "device": "cpu",
        }
        if options.threads > 0:
            kwargs["cpu_threads"] = options.threads
        logging.getLogger("paddlex").setLevel(logging.WARNING)  # else "Creating model …" on every start
        self._ocr = PaddleOCR(**kwargs)
        sizes = "|".join(
            f"{n}:{sum(f.stat().st_size for f in d.iterdir() if f.is_file())}"
            for n, d in ((det_name, det), (rec_name, rec))
        )
        self.fingerprint = f"paddleocr-{paddleocr_version}|{engine}|{sizes}|score{TEXT_SCORE}"

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
        res = self._ocr.predict(bgr, return_word_box=True)[0]
        texts, scores, polys = res["rec_texts"], res["rec_scores"], res["rec_polys"]
        words, word_boxes = res.get("text_word") or [], res.get("text_word_boxes") or []
        lines = []
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            box = quad_to_bbox(polys[i])
            pieces = []
            if i < len(words) and i < len(word_boxes):
                pieces = [(w, tuple(map(float, b))) for w, b in zip(words[i], word_boxes[i], strict=False)]
            lines.append(OcrLine(text, box, round(float(scores[i]), 4), align_char_boxes(text, pieces, box)))
        return lines
