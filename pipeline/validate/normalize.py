"""Text normalization shared by grounding and OCR output: NFKC, markers dropped, whitespace collapsed.

A quote and the page it came from are compared only after both pass through ``normalize_text``, so that
full-width punctuation, line breaks inside a sentence and converter markers never decide whether a figure
is grounded.
"""

from __future__ import annotations

import re
import unicodedata

_MARKERS = re.compile(r"\[(?:bookmark|image):[^\]]*\]")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC, ``[bookmark: …]``/``[image: …]`` markers removed, runs of whitespace collapsed to one space."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKERS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Normalized text with no whitespace at all, for layouts that break or space words arbitrarily."""
    return _SPACE.sub("", normalize_text(text))
