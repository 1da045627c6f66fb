"""Text normalization for grounding: the OCR stage's (NFKC, whitespace collapsed), markers dropped.

A quote and the page it came from are compared only after both pass through ``normalize_text``, so that
full-width punctuation, line breaks inside a sentence and converter markers never decide whether a figure
is grounded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKERS = re.compile(r"\[(?:bookmark|image):[^\]]*\]")
_SPACE = re.compile(r"\s+")


def _nfkc_collapsed(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


try:  # the OCR stage's own normalization, so quotes and OCR text are compared in the very same form
    from pipeline.ocr.normalize import normalize_text as _ocr_normalize
except ImportError:  # pragma: no cover - OCR package not installed
    _ocr_normalize = _nfkc_collapsed


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """OCR's normalization (NFKC, whitespace collapsed), with ``[bookmark: …]``/``[image: …]`` markers removed."""
    return _ocr_normalize(_MARKERS.sub("", text))


@lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """Normalized text with no whitespace at all, for layouts that break or space words arbitrarily."""
    return _SPACE.sub("", normalize_text(text))
