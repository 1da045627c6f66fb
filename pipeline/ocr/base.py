"""What an OCR engine is and gives back, engine-independent, so ingestion, the cache and tests share one shape.

No engine is imported here: engines import this module (and register with pipeline/ocr/factory.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from pipeline.document import BBox
from pipeline.ocr.options import OcrOptions

# Lines below this recognition score are dropped by the engine. RapidOCR's default (0.5) silently loses faint
# figures; a kept low-confidence line carries its score and can be checked downstream. Both engines use it.
TEXT_SCORE = 0.3


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


class OcrEngine(ABC):
    """An OCR engine, built from its own options type only (pipeline/ocr/factory.py picks it by that type).

    ``name`` plus ``fingerprint`` (models and parameters) key the OCR cache, so a subclass sets both and
    changes its fingerprint whenever its output could change. Ingestion and the cache use only those and
    ``recognize``, so a wrapper (the tests' page counter) may stand in for an engine without subclassing.
    """

    name: ClassVar[str]
    options_type: ClassVar[type[OcrOptions]]
    fingerprint: str = ""

    def __init__(self, options: OcrOptions):
        if type(options) is not self.options_type:
            raise TypeError(
                f"{type(self).__name__} takes {self.options_type.__name__}, not {type(options).__name__}"
            )
        self.options = options

    @abstractmethod
    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Text lines of a grey (H, W) or BGR (H, W, 3) uint8 image, top to bottom."""


def engine_fingerprint(engine: OcrEngine) -> str:
    """What besides the image decides an engine's output; engines without one are keyed by name only."""
    return str(getattr(engine, "fingerprint", ""))
