"""All settings in one place: environment variables with the JUESUAN_ prefix, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.ocr.options import OcrOptions, PaddleOcrOptions, RapidOcrOptions


def _default_cache() -> Path:
    return Path(user_cache_dir("juesuan", appauthor=False))


class Settings(BaseSettings):
    """Pipeline settings. Every field can be set as JUESUAN_<NAME> (e.g. JUESUAN_OCR_ENGINE=paddleocr)."""

    model_config = SettingsConfigDict(env_prefix="JUESUAN_", extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache, description="OCR and model cache")
    use_cache: bool = True

    # ingestion
    ocr_engine: Literal["rapidocr", "paddleocr"] = "rapidocr"
    report_type: str | None = Field(
        None, description="read every document as this kind (final_accounts, budget); default: the kind its title says"
    )
    render_dpi: int = Field(200, ge=72, le=600, description="dpi for pages rendered before OCR")
    ocr_threads: int = Field(0, ge=0, description="onnxruntime threads per OCR engine; 0 = library default")
    max_pages: int = Field(300, ge=1, description="documents with more pages are refused")
    pages: str | None = Field(
        None, description="pages to read, 1-based ranges such as '1-5,9' (default all); the others are skipped"
    )
    max_file_mb: float = Field(200, gt=0, description="files larger than this are refused")
    max_page_pixels: int = Field(60_000_000, ge=1, description="a page image larger than this is downscaled")
    text_layer_min_chars: int = Field(20, ge=0, description="fewer text-layer characters than this = no text layer")
    deskew_max_deg: float = Field(3.0, ge=0, le=10, description="largest scan tilt looked for and undone; 0 = off")
    mixed_image_fraction: float = Field(
        0.3, gt=0, le=1, description="an image covering this share of a text page makes it 'mixed' (OCR'd too)"
    )

    # PaddleOCR: local model folders only, never downloaded
    paddle_det_model_dir: Path | None = None
    paddle_rec_model_dir: Path | None = None
    paddle_engine: Literal["paddle", "onnxruntime"] = "paddle"

    # LLM (pipeline/llm): "local" = embedded llama.cpp server; "openai" = any OpenAI-compatible endpoint
    llm_provider: Literal["local", "openai"] = "local"
    llm_model: str = Field(
        "qwen2.5-coder-0.5b",
        description="local: qwen2.5-coder-0.5b | qwen2.5-coder-1.5b | path to a GGUF file; openai: the model name",
    )
    llm_base_url: str | None = Field(None, description="openai provider: base URL (else OPENAI_BASE_URL)")
    llm_api_key: SecretStr | None = Field(None, description="openai provider: API key (else OPENAI_API_KEY)")
    llm_mode: Literal["json_schema", "json"] = "json_schema"
    llm_n_ctx: int = Field(4096, ge=512, description="local server: context tokens per request slot")
    llm_threads: int = Field(0, ge=0, description="local server: CPU threads; 0 = all cores")
    llm_max_tokens: int = Field(1024, ge=1, description="completion tokens per call")
    llm_max_retries: int = Field(1, ge=0, description="re-asks after output that fails validation")
    llm_attempts: int = Field(4, ge=1, description="tries per call on timeouts, 429, 5xx, resets")
    llm_backoff_s: float = Field(1.0, gt=0, description="first backoff; doubles per try, with jitter")
    llm_backoff_max_s: float = Field(30.0, gt=0)
    llm_timeout_s: float = Field(
        120.0, gt=0, description="seconds a request may take before generating (connect, queue, prompt)"
    )
    llm_min_tokens_per_s: float = Field(
        2.0, gt=0, description="slowest generation accepted: a request's timeout adds max_tokens / this"
    )
    llm_max_concurrency: int = Field(2, ge=1, description="concurrent requests (= local server slots)")
    llm_token_budget: int = Field(200_000, ge=1, description="prompt + completion tokens per document")
    llm_start_timeout_s: float = Field(180.0, gt=0, description="local server: seconds to load the model")

    # extraction (pipeline/extract)
    extract_repair_rounds: int = Field(2, ge=0, le=10, description="re-ask rounds for parts with extraction errors")
    extract_prefill: bool = Field(
        True,
        description="fill a narrative field without the model where its best-labelled numbers agree, and take "
        "printed 类/项 rows as read; off, the model decides every narrative field (CI's check of the model)",
    )



    @field_validator("pages")
    @classmethod
    def _pages(cls, value: str | None) -> str | None:
        if value is not None:
            page_set(value)  # refuse a bad range when the settings are made, not mid-batch
        return value

    def page_selection(self) -> frozenset[int] | None:
        """The pages ``pages`` names (None: every page)."""
        return page_set(self.pages) if self.pages else None

    def ocr_options(self) -> OcrOptions:
        """The options of the engine ``ocr_engine`` names, from these settings (their type picks the engine)."""
        if self.ocr_engine == "paddleocr":
            return PaddleOcrOptions(
                threads=self.ocr_threads,
                det_model_dir=self.paddle_det_model_dir,
                rec_model_dir=self.paddle_rec_model_dir,
                engine=self.paddle_engine,
                cache_dir=self.cache_dir,
            )
        return RapidOcrOptions(threads=self.ocr_threads)


def page_set(text: str) -> frozenset[int]:
    """'1-5,9' → {1, 2, 3, 4, 5, 9}; a ValueError names what is wrong."""
    out: set[int] = set()
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo, sep, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi) if sep else int(lo)
        except ValueError:
            raise ValueError(f"not a page range: {part!r} (write e.g. 1-5,9)") from None
        if a < 1 or b < a:
            raise ValueError(f"not a page range: {part!r} (pages count from 1, low-high)")
        out.update(range(a, b + 1))
    if not out:
        raise ValueError("no pages named (write e.g. 1-5,9)")
    return frozenset(out)


def get_settings(**overrides) -> Settings:
    """Settings from the environment with explicit overrides (CLI flags) on top; None means 'not given'."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
