"""Ruling segments into table grids, in whatever units the caller measures (PDF points or pixels).

Both table paths end here: the text-layer path feeds the page's vector strokes, the scanned path the lines
found in the image, so merged-cell logic is written (and tested) once. A merged cell is where a ruling
segment between two grid slots is missing; the slots joined that way become one cell with a span.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seg:
    """A ruling line: ``pos`` is y for a horizontal line (x for a vertical), ``a``..``b`` its extent."""

    pos: float
    a: float
    b: float

    @property
    def length(self) -> float:
        return self.b - self.a


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    """Column boundaries ``xs`` and row boundaries ``ys`` (ascending) and the cells, spans included."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_box(self, cell: GridCell) -> tuple[float, float, float, float]:
        return (
            self.xs[cell.col],
            self.ys[cell.row],
            self.xs[cell.col + cell.colspan],
            self.ys[cell.row + cell.rowspan],
        )


@dataclass(frozen=True)
class GridParams:
    """Tolerances in the caller's units. ``gap``: the largest break in one line still bridged (scan noise);
    ``min_cell``: the smallest row height / column width a real table has."""

    tol: float
    gap: float
    min_cell: float


def merge_segments(segs: list[Seg], tol: float, gap: float) -> list[Seg]:
    """Join collinear pieces: same ``pos`` within ``tol`` and at most ``gap`` apart along the line."""
    out: list[Seg] = []
    for group in _cluster(sorted(segs, key=lambda s: s.pos), tol):
        pos = sum(s.pos * max(s.length, 1.0) for s in group) / sum(max(s.length, 1.0) for s in group)
        pieces = sorted(group, key=lambda s: s.a)
        a, b = pieces[0].a, pieces[0].b
        for s in pieces[1:]:
            if s.a <= b + gap:
                b = max(b, s.b)
            else:
                out.append(Seg(pos, a, b))
                a, b = s.a, s.b
        out.append(Seg(pos, a, b))
    return out


def _cluster(segs: list[Seg], tol: float) -> list[list[Seg]]:
    groups: list[list[Seg]] = []
    for s in segs:
        if groups and s.pos - groups[-1][-1].pos <= tol:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def _crosses(h: Seg, v: Seg, tol: float) -> bool:
    return v.a - tol <= h.pos <= v.b + tol and h.a - tol <= v.pos <= h.b + tol


# covered(horizontal, pos, a, b): is there a ruling line at ``pos`` over most of ``a``..``b``?
Coverage = Callable[[bool, float, float, float], bool]


def build_grids(hsegs: list[Seg], vsegs: list[Seg], p: GridParams, covered: Coverage | None = None) -> list[Grid]:
    """All table grids the segments form, top to bottom. ``covered`` decides where a boundary between two
    slots is drawn (default: the segments cover half of it); the scanned path looks at the pixels."""
    hs = merge_segments(hsegs, p.tol, p.gap)
    vs = merge_segments(vsegs, p.tol, p.gap)
    # A ruling line of a table meets at least two lines of the other direction; underlines and rules don't.
    for _ in range(2):
        hs = [h for h in hs if sum(_crosses(h, v, 2 * p.tol) for v in vs) >= 2]
        vs = [v for v in vs if sum(_crosses(h, v, 2 * p.tol) for h in hs) >= 2]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _crosses(h, v, 2 * p.tol):
                parent[find(i)] = find(len(hs) + j)
    comps: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        comps.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        comps.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = [g for ch, cv in comps.values() if (g := _grid(ch, cv, p, covered)) is not None]
    return sorted(grids, key=lambda g: (g.ys[0], g.xs[0]))


def _boundaries(segs: list[Seg], lo: float, hi: float, p: GridParams) -> list[float]:
    """Distinct line positions, plus the outer edges of an open-sided table, closer pairs fused."""
    pos = sorted(s.pos for s in segs)
    if pos and pos[0] - lo >= p.min_cell:
        pos.insert(0, lo)
    if pos and hi - pos[-1] >= p.min_cell:
        pos.append(hi)
    out: list[list[float]] = []
    for x in pos:
        if out and x - out[-1][-1] < max(p.tol, p.min_cell / 2):
            out[-1].append(x)
        else:
            out.append([x])
    return [sum(g) / len(g) for g in out]


def _covered(segs: list[Seg], pos: float, a: float, b: float, tol: float) -> bool:
    """Whether lines at ``pos`` cover at least half of ``a``..``b``."""
    spans = sorted((max(s.a, a), min(s.b, b)) for s in segs if abs(s.pos - pos) <= tol and s.b > a and s.a < b)
    total, end = 0.0, a
    for s, e in spans:
        s = max(s, end)
        if e > s:
            total += e - s
            end = e
    return total >= 0.5 * (b - a)


def _grid(hs: list[Seg], vs: list[Seg], p: GridParams, covered: Coverage | None) -> Grid | None:
    if len(hs) < 2 or len(vs) < 2:
        return None
    xs = _boundaries(vs, min(h.a for h in hs), max(h.b for h in hs), p)
    ys = _boundaries(hs, min(v.a for v in vs), max(v.b for v in vs), p)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc < 2:
        return None
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = max(p.tol, p.min_cell / 4)

    def drawn(horizontal: bool, pos: float, a: float, b: float) -> bool:
        if _covered(hs if horizontal else vs, pos, a, b, tol):
            return True
        return covered is not None and covered(horizontal, pos, a, b)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not drawn(False, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not drawn(True, ys[r + 1], xs[c], xs[c + 1]):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            regions.setdefault(find(r * nc + c), []).append((r, c))
    taken = [[False] * nc for _ in range(nr)]
    cells: list[GridCell] = []
    for slots in sorted(regions.values()):
        r0, c0 = slots[0]
        if taken[r0][c0]:
            continue
        r1 = max(r for r, _ in slots)
        c1 = max(c for _, c in slots)
        c0 = min(c for _, c in slots)
        # A non-rectangular region (a line lost to noise) becomes its bounding box, minus slots already used.
        while any(taken[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            if r1 > r0:
                r1 -= 1
            elif c1 > c0:
                c1 -= 1
            else:
                break
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                taken[r][c] = True
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    for r in range(nr):
        for c in range(nc):
            if not taken[r][c]:
                cells.append(GridCell(r, c))
    if len(cells) < 2:
        return None
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(xs=xs, ys=ys, cells=cells)
