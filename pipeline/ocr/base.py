"""What an OCR engine gives back, engine-independent, so ingestion, the cache and tests share one shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from pipeline.document import BBox

if TYPE_CHECKING:
    from pipeline.config import Settings


@dataclass
class OcrLine:
    """One recognised text line in pixel coordinates of the image the engine read.

    ``chars`` holds one box per character of ``text`` (spaces included), so that a quote taken from the
    line can be boxed exactly on the page.
    """

    text: str
    box: BBox
    conf: float
    chars: list[BBox] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.chars) != len(self.text):
            raise ValueError(f"{len(self.chars)} char boxes for {len(self.text)} characters of {self.text!r}")

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "box": list(self.box),
            "conf": self.conf,
            "chars": [list(c) for c in self.chars],
        }

    @classmethod
    def from_json(cls, d: dict) -> OcrLine:
        return cls(d["text"], tuple(d["box"]), d["conf"], [tuple(c) for c in d["chars"]])


@runtime_checkable
class OcrEngine(Protocol):
    """An OCR engine: ``name`` plus ``fingerprint`` (models and parameters) key the OCR cache."""

    name: str

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Text lines of a grey (H, W) or BGR (H, W, 3) uint8 image, top to bottom."""
        ...


def engine_fingerprint(engine: OcrEngine) -> str:
    """What besides the image decides an engine's output; engines without one are keyed by name only."""
    return str(getattr(engine, "fingerprint", ""))


_ENGINES: dict[tuple, OcrEngine] = {}


def get_engine(settings: Settings) -> OcrEngine:
    """The engine ``settings.ocr_engine`` names, built once per process and configuration (models load slowly)."""
    if settings.ocr_engine == "paddleocr":
        key: tuple = (
            "paddleocr",
            settings.paddle_det_model_dir,
            settings.paddle_rec_model_dir,
            settings.paddle_engine,
            settings.ocr_threads,
            settings.cache_dir,
        )
    else:
        key = ("rapidocr", settings.ocr_threads)
    engine = _ENGINES.get(key)
    if engine is None:
        if settings.ocr_engine == "paddleocr":
            from pipeline.ocr.paddle import PaddleEngine

            engine = PaddleEngine(settings)
        else:
            from pipeline.ocr.rapid import RapidEngine

            engine = RapidEngine(settings)
        _ENGINES[key] = engine
    return engine
