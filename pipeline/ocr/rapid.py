"""RapidOCR 3.x (PP-OCR models on onnxruntime): the default engine, offline with the models in its wheel."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from pipeline.errors import ConfigError
from pipeline.ocr.base import TEXT_SCORE, OcrEngine, OcrLine
from pipeline.ocr.charboxes import align_char_boxes, quad_to_bbox
from pipeline.ocr.factory import register
from pipeline.ocr.options import RapidOcrOptions

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

# RapidOCR shrinks images whose longer side exceeds this before detection and recognition; the default 2000
# would shrink a 200-dpi A4 page, and small digits suffer first.
MAX_SIDE_LEN = 3000


def rapidocr_models_dir() -> Path:
    """The folder of ONNX models shipped inside the rapidocr wheel."""
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


@register
class RapidEngine(OcrEngine):
    """RapidOCR with the angle classifier off (it flips short numeric cells: "90" → "06") and per-char boxes."""

    name = "rapidocr"
    options_type = RapidOcrOptions

    def __init__(self, options: RapidOcrOptions):
        super().__init__(options)
        from rapidocr import RapidOCR
        from rapidocr._version import __version__

        models = rapidocr_models_dir()
        paths = {task: models / f for task, f in (("Det", DET_MODEL), ("Rec", REC_MODEL), ("Cls", CLS_MODEL))}
        missing = [str(p) for t, p in paths.items() if t != "Cls" and not p.is_file()]
        if missing:
            raise ConfigError(
                f"RapidOCR models missing: {', '.join(missing)}; reinstall rapidocr (its wheel ships them) "
                "or set JUESUAN_OCR_ENGINE=paddleocr with local model folders"
            )
        params: dict = {
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
            "Global.text_score": TEXT_SCORE,
            "Global.max_side_len": MAX_SIDE_LEN,
            "Global.model_root_dir": str(models),
            # explicit paths: RapidOCR only downloads when a model path is left empty
            **{f"{task}.model_path": str(p) for task, p in paths.items()},
        }
        if options.threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = options.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._ocr = RapidOCR(params=params)
        # RapidOCR's warnings are "The text detection result is empty" (a scanned page with no text: ingestion
        # names that page in the Document's warnings) and notes on onnxruntime providers; printed, they broke
        # `-q` (errors only) with lines naming no file.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self.fingerprint = (
            f"rapidocr-{__version__}|{DET_MODEL}|{REC_MODEL}|score{TEXT_SCORE}|side{MAX_SIDE_LEN}"
        )

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        out = self._ocr(image)
        if out.txts is None or out.boxes is None or len(out.txts) == 0:
            return []
        words = _words_by_line(list(out.txts), list(out.word_results or ()))
        lines = []
        for quad, text, score, pieces in zip(out.boxes, out.txts, out.scores, words, strict=True):
            box = quad_to_bbox(quad)
            chars = align_char_boxes(text, [(t, quad_to_bbox(q)) for t, _, q in pieces], box)
            lines.append(OcrLine(text=text, box=box, conf=round(float(score), 4), chars=chars))
        return lines


def _words_by_line(txts: list[str], word_results: list) -> list[list]:
    """Word results matched to their lines by content.

    RapidOCR drops the word list of a line whose words have no boxes, so ``word_results`` can be shorter
    than ``txts`` and misaligned by index; match each line to the next word list that spells it.
    """
    out: list[list] = []
    j = 0
    for text in txts:
        want = "".join(text.split())
        if j < len(word_results) and "".join("".join(w[0].split()) for w in word_results[j]) == want:
            out.append(list(word_results[j]))
            j += 1
        else:
            out.append([])
    return out
