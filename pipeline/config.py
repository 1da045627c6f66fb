"""All settings in one place: environment variables with the JUESUAN_ prefix, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache() -> Path:
    return Path(user_cache_dir("juesuan", appauthor=False))


class Settings(BaseSettings):
    """Pipeline settings. Every field can be set as JUESUAN_<NAME> (e.g. JUESUAN_OCR_ENGINE=paddleocr)."""

    model_config = SettingsConfigDict(env_prefix="JUESUAN_", extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache, description="OCR and model cache")
    use_cache: bool = True

    # ingestion
    ocr_engine: Literal["rapidocr", "paddleocr"] = "rapidocr"
    render_dpi: int = Field(200, ge=72, le=600, description="dpi for pages rendered before OCR")
    ocr_threads: int = Field(0, ge=0, description="onnxruntime threads per OCR engine; 0 = library default")
    max_pages: int = Field(300, ge=1, description="documents with more pages are refused")
    max_file_mb: float = Field(200, gt=0, description="files larger than this are refused")
    max_page_pixels: int = Field(60_000_000, ge=1, description="a page image larger than this is downscaled")
    text_layer_min_chars: int = Field(20, ge=0, description="fewer text-layer characters than this = no text layer")

    # PaddleOCR: local model folders only, never downloaded
    paddle_det_model_dir: Path | None = None
    paddle_rec_model_dir: Path | None = None
    paddle_engine: Literal["paddle", "onnxruntime"] = "paddle"


def get_settings(**overrides) -> Settings:
    """Settings from the environment with explicit overrides (CLI flags) on top; None means 'not given'."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
