"""Draw a laid-out page as a clean 8-bit grey image at the scan resolution (the 'original' before scanning)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from pipeline.samples.flow import PageOut, RuleOp, TextOp
from pipeline.samples.fonts import TIGHT, Fonts


def draw_page(page: PageOut, fonts: Fonts) -> Image.Image:
    w_pt, h_pt = page.size
    s = fonts.scale
    img = Image.new("L", (round(w_pt * s), round(h_pt * s)), 255)
    d = ImageDraw.Draw(img)
    for op in page.ops:
        if isinstance(op, RuleOp):
            width = max(1, round(op.width * s))
            d.line([(op.x0 * s, op.y0 * s), (op.x1 * s, op.y1 * s)], fill=0, width=width)
        elif isinstance(op, TextOp):
            _text(d, op, fonts)
    return img


def _text(d: ImageDraw.ImageDraw, op: TextOp, fonts: Fonts) -> None:
    """Draw a line of text run by run, so narrowed characters sit exactly where layout measured them."""
    s = fonts.scale
    font = fonts.get(op.face, op.size)
    total = fonts.width(op.text, op.face, op.size)
    x = op.x - {"l": 0.0, "m": total / 2, "r": total}[op.anchor[0]]
    run = ""
    for ch in op.text + "\0":
        if ch in TIGHT or ch == "\0":
            if run:
                d.text((x * s, op.y * s), run, fill=0, font=font, anchor="ls")
                x += fonts.width(run, op.face, op.size)
                run = ""
            if ch in TIGHT:
                shift = (
                    fonts.natural_width(ch, op.face, op.size) - fonts.char_width(ch, op.face, op.size)
                ) / 2
                d.text(((x - shift) * s, op.y * s), ch, fill=0, font=font, anchor="ls")
                x += fonts.char_width(ch, op.face, op.size)
        else:
            run += ch
