"""How a list of 科目 rows prints its codes, and the header over them.

Three layouts are in use: a 科目编码 column beside 科目名称; the code split over 类 | 款 | 项 columns under a
科目编码 header spanning them (the national 财政部 template; economic codes split over 类 | 款); the code in the
name cell ("2013901 行政运行"). A code may print with its parent's prefix ("20106") or without ("06"). The
value columns' header sits beside the label block; both are stretched to the same depth.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.samples.blocks import Cell, Row
from pipeline.samples.look import TableLook

FUNCTIONAL = ("类", "款", "项")  # 3 + 2 + 2 digits
ECONOMIC = ("类", "款")  # 3 + 2 digits

Heads = list[str | tuple[str, list[str]]]  # value columns: a header, or a group header over its columns


def h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align="c")


@dataclass
class Codes:
    """One list's code layout: ``style`` from ``look.CODE_STYLES``, ``levels`` FUNCTIONAL or ECONOMIC."""

    style: str
    levels: tuple[str, ...]
    short: bool = False
    fill: str = "repeat"
    kind: str = "功能分类"  # 经济分类 for T6

    @classmethod
    def functional(cls, look: TableLook) -> Codes:
        return cls(look.codes, FUNCTIONAL, look.short_codes, look.split_fill)

    @classmethod
    def economic(cls, look: TableLook) -> Codes:
        return cls(look.econ_codes, ECONOMIC, look.short_codes, look.split_fill, "经济分类")

    @property
    def n_cols(self) -> int:
        """Label columns: code and name, one per level and the name, or the name alone."""
        return {"column": 2, "split": len(self.levels) + 1, "in_name": 1}[self.style]

    def weights(self, code_w: float, name_w: float) -> list[float]:
        if self.style == "column":
            return [code_w, name_w]
        if self.style == "split":
            return [code_w * (0.75 if self.short else 1.0)] * len(self.levels) + [name_w]
        return [name_w + code_w * 0.7]

    # --- one row ----------------------------------------------------------------------------------------
    def shown(self, code: str) -> str:
        """The code as printed in a code column: whole, or only its own piece ("06")."""
        level = self.level(code)
        return code[_START[level] :] if self.short and level else code

    @staticmethod
    def level(code: str) -> int:
        return {3: 0, 5: 1, 7: 2}[len(code)]

    def cells(self, code: str, name: str) -> list[str]:
        """The label cells of a row."""
        if self.style == "column":
            return [self.shown(code), name]
        if self.style == "in_name":
            return [f"{self.shown(code)} {name}"]
        level = self.level(code)
        pieces = [""] * len(self.levels)
        if self.fill == "first":  # the whole code under 类, as some scans print it
            pieces[0] = code
        else:
            for k in range(level + 1):
                if k == level or self.fill == "repeat":
                    piece = code[_START[k] : _START[k + 1]] if self.short else code[: _START[k + 1]]
                    pieces[k] = piece
        return pieces + [name]

    # --- header -----------------------------------------------------------------------------------------
    def header_block(self, top: str | None = "项目") -> list[list[Cell | None]]:
        """The label columns' header rows (not yet stretched); ``top`` spans them all when given."""
        n = self.n_cols
        if self.style == "column":
            rows: list[list[Cell | None]] = [[h(f"{self.kind}科目编码"), h("科目名称")]]
        elif self.style == "split":
            k = len(self.levels)
            rows = [[h(f"{self.kind}科目编码", k)] + [None] * (k - 1) + [h("科目名称", rowspan=2)],
                    [h(x) for x in self.levels] + [None]]  # fmt: skip
        else:
            rows = [[h("科目编码及名称" if top is None else "科目名称")]]
        if top is not None and self.style != "in_name":
            rows.insert(0, [h(top, n)] + [None] * (n - 1))
        elif top is not None:
            rows = [[h(top)]]
        return rows


_START = (0, 3, 5, 7)


def header(label: list[list[Cell | None]], heads: Heads) -> list[Row]:
    """Header rows: the label block at left, the value ``heads`` beside it, both as deep as the deeper."""
    depth_v = 2 if any(isinstance(x, tuple) for x in heads) else 1
    depth = max(len(label), depth_v)
    n_label = len(label[0])
    rows = [list(r) for r in label] + [[None] * n_label for _ in range(depth - len(label))]
    for r, row in enumerate(label):  # cells reaching the block's bottom reach the header's bottom
        for cell in row:
            if cell is not None and r + cell.rowspan == len(label):
                cell.rowspan += depth - len(label)
    for head in heads:
        if isinstance(head, str):
            rows[0].append(h(head, rowspan=depth))
            for r in range(1, depth):
                rows[r].append(None)
            continue
        group, subs = head
        rows[0] += [h(group, len(subs), depth - 1)] + [None] * (len(subs) - 1)
        for r in range(1, depth - 1):
            rows[r] += [None] * len(subs)
        rows[depth - 1] += [h(s) for s in subs]
    return [Row(r) for r in rows]
