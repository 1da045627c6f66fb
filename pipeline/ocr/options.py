"""One options type per OCR engine: what that engine may be configured with, and nothing else.

The type of the options picks the engine (pipeline/ocr/factory.py), so an engine never sees the pipeline's
Settings and cannot come to depend on unrelated fields. Settings.ocr_options() maps the JUESUAN_* variables
onto these. This module needs pydantic only, so configuration can name an engine whose extra is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OcrOptions(BaseModel):
    """What every engine takes. Frozen and hashable: equal options share one loaded engine."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    threads: int = Field(0, ge=0, description="onnxruntime threads; 0 = the library's default")


class RapidOcrOptions(OcrOptions):
    """RapidOCR: its models ship in its wheel, so threads are all there is to choose."""

    kind: Literal["rapidocr"] = "rapidocr"


class PaddleOcrOptions(OcrOptions):
    """PaddleOCR from local model folders only (never downloaded); its extra may not be installed."""

    kind: Literal["paddleocr"] = "paddleocr"
    det_model_dir: Path | None = None
    rec_model_dir: Path | None = None
    engine: Literal["paddle", "onnxruntime"] = "paddle"
    cache_dir: Path = Field(description="PaddleX keeps its files under cache_dir/paddlex, not the home folder")
