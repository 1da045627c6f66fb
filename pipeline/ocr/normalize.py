"""Text normalisation that keeps every character's box.

Reports mix full-width and ASCII forms (２０２４, ％, （）) and wrap figures across lines ("下降5" / ".2%").
Extraction and quoting want one form and whole numbers, but each character must still point at its place
on the page, so every step here moves (text, box) pairs, never bare strings, and never adds or drops a digit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pipeline.document import BBox, Line, Word
from pipeline.ocr.charboxes import split_box

CharBox = tuple[str, BBox]

_WS = re.compile(r"\s+")


def normalize_text(s: str) -> str:
    """NFKC and collapsed whitespace: the form quotes are compared in."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", s)).strip()


def nfkc_chars(chars: Iterable[CharBox]) -> list[CharBox]:
    """NFKC per character; a character that expands ("…" → "...") shares its box out evenly."""
    out: list[CharBox] = []
    for c, box in chars:
        n = unicodedata.normalize("NFKC", c)
        if n == c:
            out.append((c, box))
        elif n:
            out.extend(zip(n, split_box(box, len(n)), strict=True))
    return out


def union(boxes: Iterable[BBox]) -> BBox:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _word(chars: Sequence[CharBox], conf: float | None) -> Word:
    text = "".join(c for c, _ in chars)
    boxes = [_round(b) for _, b in chars]
    return Word(text=text, bbox=union(boxes), chars=boxes, conf=conf)


def _chars(w: Word) -> list[CharBox]:
    boxes = w.chars if w.chars and len(w.chars) == len(w.text) else split_box(w.bbox, len(w.text))
    return list(zip(w.text, boxes, strict=True))


def _round(b: BBox) -> BBox:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def make_line(
    chars: Iterable[CharBox],
    *,
    source: str,
    conf: float | None = None,
    bbox: BBox | None = None,
    source_line: int | None = None,
) -> Line | None:
    """A normalised Line from characters with boxes; words split at whitespace; None if nothing is left.

    ``Line.text`` is its words joined by single spaces, so a word's characters sit at known offsets.
    """
    words: list[Word] = []
    run: list[CharBox] = []
    for c, box in [*nfkc_chars(chars), (" ", (0.0, 0.0, 0.0, 0.0))]:
        if c.isspace():
            if run:
                words.append(_word(run, conf))
                run = []
        else:
            run.append((c, box))
    if not words:
        return None
    return Line(
        text=" ".join(w.text for w in words),
        bbox=_round(bbox) if bbox is not None else union(w.bbox for w in words),
        words=words,
        source=source,
        source_line=source_line,
    )


def normalize_line(line: Line) -> Line | None:
    """Re-normalise a Line built elsewhere (idempotent on lines from :func:`make_line`)."""
    chars: list[CharBox] = []
    for w in line.words:
        chars.extend(_chars(w))
        chars.append((" ", w.bbox))
    conf = line.words[0].conf if line.words else None
    return make_line(chars, source=line.source, conf=conf, bbox=line.bbox, source_line=line.source_line)


# A number cut by a line wrap: what may start the next line, given how the previous line ends.
_AFTER_DIGIT = re.compile(r"^(?:\.\d+%?|%)")
_AFTER_DIGIT_DOT = re.compile(r"^\d+%?")
_AFTER_DIGIT_WIDE = re.compile(r"^\d[\d,]*(?:\.\d+)?%?")


def _is_wrap(prev: Line, nxt: Line) -> bool:
    """``nxt`` is the visual line after ``prev`` in the same paragraph: just below it, starting to its left."""
    px0, py0, px1, py1 = prev.bbox
    nx0, ny0, _, _ = nxt.bbox
    h = py1 - py0
    if h <= 0 or px1 <= px0:
        return False  # plain-text lines (no geometry): a line break there is not a wrap
    return 0.5 * h < ny0 - py0 < 2.5 * h and nx0 < px0 + 2 * h and nx0 < px1


def _fragment(prev: Line, nxt: Line) -> int:
    """How many leading characters of ``nxt`` finish the number ``prev`` ends with (0 = none)."""
    p, n = prev.text, nxt.text
    if not p or not n or not _is_wrap(prev, nxt):
        return 0
    if p[-1].isdigit():
        m = _AFTER_DIGIT.match(n)
        if m:
            return m.end()
        # digit | digit is also how two table cells meet, so only across a long paragraph line
        wide = (prev.bbox[2] - prev.bbox[0]) >= 12 * (prev.bbox[3] - prev.bbox[1])
        m = _AFTER_DIGIT_WIDE.match(n) if wide else None
        return m.end() if m else 0
    if p[-1] == "." and len(p) > 1 and p[-2].isdigit():
        m = _AFTER_DIGIT_DOT.match(n)
        return m.end() if m else 0
    return 0


def rejoin_split_numbers(lines: Sequence[Line]) -> list[Line]:
    """Move the head of a number wrapped onto the next line back onto the line it started on.

    "下降5" + ".2%，主要…" → "下降5.2%" + "，主要…". Moved characters keep their own boxes (on the next line),
    so the previous line's ``bbox`` stays the visual line while its words hold the exact character boxes.
    """
    out = [line.model_copy(deep=True) for line in lines]
    i = 0
    while i < len(out) - 1:
        prev, nxt = out[i], out[i + 1]
        k = _fragment(prev, nxt)
        first = nxt.words[0] if nxt.words else None
        if k and first is not None and k <= len(first.text):
            head = _chars(first)
            prev.words[-1] = _word(_chars(prev.words[-1]) + head[:k], prev.words[-1].conf)
            prev.text = " ".join(w.text for w in prev.words)
            nxt.words = ([_word(head[k:], first.conf)] if head[k:] else []) + nxt.words[1:]
            if not nxt.words:
                del out[i + 1]
                continue
            nxt.text = " ".join(w.text for w in nxt.words)
            nxt.bbox = union(w.bbox for w in nxt.words)
        i += 1
    return out
