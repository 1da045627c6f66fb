"""Draw a laid-out page as a clean 8-bit grey image at the scan resolution (the 'original' before scanning)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from pipeline.samples.flow import PageOut, RuleOp, TextOp
from pipeline.samples.fonts import Fonts


def draw_page(page: PageOut, fonts: Fonts) -> Image.Image:
    w_pt, h_pt = page.size
    s = fonts.scale
    img = Image.new("L", (round(w_pt * s), round(h_pt * s)), 255)
    d = ImageDraw.Draw(img)
    for op in page.ops:
        if isinstance(op, RuleOp):
            d.line(
                [(op.x0 * s, op.y0 * s), (op.x1 * s, op.y1 * s)], fill=0, width=max(1, round(op.width * s))
            )
        elif isinstance(op, TextOp):
            d.text((op.x * s, op.y * s), op.text, fill=0, font=fonts.get(op.face, op.size), anchor=op.anchor)
    return img
