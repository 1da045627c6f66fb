"""Pair gold and predicted values path by path, list rows by code and else by name, and judge each pair.

Each scored path ends in one outcome: ``tp`` (both, equal), ``wrong`` (both, not equal: a false positive
and a false negative), ``missing`` (gold only: a false negative) or ``extra`` (prediction only: a false
positive). A gold value the report does not state is absent, so predicting it is ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pipeline.evaluation.contract import IDENTITY, section_of, shape
from pipeline.evaluation.loading import Fields, Row
from pipeline.evaluation.values import Val, difference, equal, norm_text, text_forms
from pipeline.record.contract import Contract

Outcome = Literal["tp", "wrong", "missing", "extra"]


@dataclass
class Pair:
    """One scored path with both sides and the verdict."""

    path: str
    outcome: Outcome
    gold: Val | None
    pred: Val | None

    @property
    def section(self) -> str:
        return section_of(self.path)

    @property
    def shape(self) -> str:
        return shape(self.path)

    @property
    def tp(self) -> int:
        return int(self.outcome == "tp")

    @property
    def fp(self) -> int:
        return int(self.outcome in ("wrong", "extra"))

    @property
    def fn(self) -> int:
        return int(self.outcome in ("wrong", "missing"))

    @property
    def difference(self) -> Decimal | None:
        return difference(self.gold, self.pred) if self.gold and self.pred else None

    def location_check(self) -> bool | None:
        """Whether the predicted figure's first source is on a page (else line) the gold states it on.

        None where not checkable: not both present, not a figure, or a gold without a location.
        """
        if self.gold is None or self.pred is None or not self.gold.is_number or self.path in IDENTITY:
            return None
        pages = {x.page for x in self.gold.locs if x.page is not None}
        lines = {x.line for x in self.gold.locs if x.line is not None}
        where = self.pred.loc
        if pages:
            return where is not None and where.page in pages
        if lines:
            return where is not None and where.line in lines
        return None


def _judge(path: str, gold: Val | None, pred: Val | None) -> Pair | None:
    if gold is None and pred is None:
        return None
    if gold is None:
        return Pair(path, "extra", None, pred)
    if pred is None:
        return Pair(path, "missing", gold, None)
    return Pair(path, "tp" if equal(gold, pred) else "wrong", gold, pred)


def match_rows(gold: list[Row], pred: list[Row]) -> list[tuple[int | None, int | None]]:
    """Index pairs (gold, pred): first by equal code, then by a common normalized name where at least one
    of the two rows prints no code (two different printed codes are two different rows). Unmatched rows
    come out paired with None, gold rows first, in their order."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for gi, g in enumerate(gold):
        if g.code is None:
            continue
        for pi, p in enumerate(pred):
            if pi not in used and p.code is not None and norm_text(p.code) == norm_text(g.code):
                pairs[gi] = pi
                used.add(pi)
                break
    for gi, g in enumerate(gold):
        if gi in pairs or "name" not in g.fields:
            continue
        names = text_forms(g.fields["name"])
        for pi, p in enumerate(pred):
            if pi in used or "name" not in p.fields or (g.code is not None and p.code is not None):
                continue
            if names & text_forms(p.fields["name"]):
                pairs[gi] = pi
                used.add(pi)
                break
    out: list[tuple[int | None, int | None]] = [(gi, pairs.get(gi)) for gi in range(len(gold))]
    out += [(None, pi) for pi in range(len(pred)) if pi not in used]
    return out


def _labels(rows: list[Row]) -> list[str]:
    """Row keys for paths: the code, else the name; a repeated key gets ``#2``, ``#3`` as in the record."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        seen[row.label] = seen.get(row.label, 0) + 1
        out.append(row.label if seen[row.label] == 1 else f"{row.label}#{seen[row.label]}")
    return out


def compare(gold: Fields, pred: Fields, contract: Contract) -> list[Pair]:
    """Every path the kind's ``contract`` scores in one document, in its order (identity, figures, list rows)."""
    out: list[Pair] = []
    for path in (*contract.identity, *contract.figures):
        pair = _judge(path, gold.scalars.get(path), pred.scalars.get(path))
        if pair:
            out.append(pair)
    for list_path, names in contract.lists.items():
        grows, prows = gold.lists.get(list_path, []), pred.lists.get(list_path, [])
        glabels, plabels = _labels(grows), _labels(prows)
        for gi, pi in match_rows(grows, prows):
            g = grows[gi] if gi is not None else None
            p = prows[pi] if pi is not None else None
            label = glabels[gi] if gi is not None else plabels[pi]  # type: ignore[index]
            for name in names:
                pair = _judge(
                    f"{list_path}[{label}].{name}",
                    g.fields.get(name) if g else None,
                    p.fields.get(name) if p else None,
                )
                if pair:
                    out.append(pair)
    return out
