"""The CJK faces the samples are set in, loaded once per size, and text widths in PDF points."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# Song/Ming for body text, Hei and Kai for headings: the faces real 决算 reports are set in.
FACES: dict[str, tuple[str, int]] = {
    "song": ("arphic/uming.ttc", 0),  # AR PL UMing CN
    "kai": ("arphic/ukai.ttc", 0),  # AR PL UKai CN
    "hei": ("wqy/wqy-zenhei.ttc", 0),  # WenQuanYi Zen Hei
}
# UMing sets Latin in half-width cells, so '4381.87' shows a gap around the point that OCR reads as a space
# ('4381 .87'); printed reports use a proportional face there. Points are set this many em wide instead.
TIGHT = {".": 0.27}
FONT_ROOTS = [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


def font_file(face: str) -> tuple[Path, int]:
    rel, index = FACES[face]
    for root in FONT_ROOTS:
        for candidate in (root / rel, *root.rglob(Path(rel).name)):
            if candidate.is_file():
                return candidate, index
    raise FileNotFoundError(
        f"font for '{face}' ({Path(rel).name}) not found; install fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei"
    )


class Fonts:
    """Fonts at a fixed resolution; widths are measured at the size they are drawn, so layout matches pixels."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.scale = dpi / 72.0
        self._widths: dict[tuple[str, float, str], float] = {}

    def px(self, size_pt: float) -> int:
        return max(1, round(size_pt * self.scale))

    def get(self, face: str, size_pt: float) -> ImageFont.FreeTypeFont:
        return _load(face, self.px(size_pt))

    def natural_width(self, ch: str, face: str, size_pt: float) -> float:
        return self.get(face, size_pt).getlength(ch) / self.scale

    def char_width(self, ch: str, face: str, size_pt: float) -> float:
        """Advance of one character as set: the decimal point is narrowed (see ``TIGHT``)."""
        key = (face, size_pt, ch)
        w = self._widths.get(key)
        if w is None:
            w = self.natural_width(ch, face, size_pt)
            if ch in TIGHT:
                w = min(w, TIGHT[ch] * size_pt)
            self._widths[key] = w
        return w

    def width(self, text: str, face: str, size_pt: float) -> float:
        return sum(self.char_width(ch, face, size_pt) for ch in text)


@lru_cache(maxsize=64)
def _load(face: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = font_file(face)
    return ImageFont.truetype(str(path), px, index=index)
