"""The gold record (format of shared/gold/README.md) and the per-page ground truth of a generated sample.

The gold is assembled from the statements the layout recorded, so every page and quote is where the
figure was actually drawn. Where sources disagree, the value most of them print is recorded and the
others go to ``alternates`` (a planted misprint is the odd one out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from pipeline.reports.final_accounts.contract import FIELD_PATHS
from pipeline.samples import catalog as cat
from pipeline.samples.flow import PageOut, Stmt, TableTruth
from pipeline.samples.model import Report
from pipeline.samples.money import money

LIST_PREFIXES = ("by_class:", "by_class_share:", "item:", "item_budget:", "extra:")


def number(v: Any) -> Any:
    """JSON form of a figure: Decimal → float (0 for zero, as the hand-made gold writes it)."""
    if isinstance(v, Decimal):
        return 0 if v == 0 else float(v)
    return v


def _figure(stmts: list[Stmt]) -> dict[str, Any]:
    counts = Counter(_norm(s.value) for s in stmts)
    best = max(
        counts, key=lambda v: (counts[v], -next(i for i, s in enumerate(stmts) if _norm(s.value) == v))
    )
    main = next(s for s in stmts if _norm(s.value) == best)
    out: dict[str, Any] = {"value": number(main.value), "page": main.page, "quote": main.quote}
    also, alternates, seen = [], [], {(main.page, main.quote)}
    for s in stmts:
        if (s.page, s.quote) in seen:
            continue
        seen.add((s.page, s.quote))
        if _norm(s.value) == best:
            also.append({"page": s.page, "quote": s.quote})
        else:
            alternates.append({"value": number(s.value), "page": s.page, "quote": s.quote})
    if also:
        out["also"] = also
    if alternates:
        out["alternates"] = alternates
        out["note"] = (
            "the sources disagree; the value most of them state is recorded (see source_inconsistencies)"
        )
    return out


def _norm(v: Any) -> Any:
    return Decimal(v).normalize() if isinstance(v, (Decimal, int)) else v


def build_gold(r: Report, document: str, stmts: list[Stmt]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "department": r.name,
        "fiscal_year": cat.YEAR,
        "report_type": "final_accounts",
        "unit": "万元",
    }
    scalars, extras, by_key = group_statements(stmts, LIST_PREFIXES)
    found: dict[str, Any] = {key: _figure(group) for key, group in scalars.items()}
    found["general_budget.by_class"] = _by_class(by_key)
    found["general_budget.items"] = _items(r, by_key)
    return assemble(document, fields, found, FIELD_PATHS, extras, _inconsistencies(r, stmts))


def group_statements(
    stmts: list[Stmt], list_prefixes: tuple[str, ...]
) -> tuple[dict[str, list[Stmt]], dict[str, list[Stmt]], dict[str, list[Stmt]]]:
    """The statements by key: single figures, ``extra:`` figures (prefix dropped), and list rows (keys
    starting with one of ``list_prefixes``), each in the order they were laid out."""
    scalars: dict[str, list[Stmt]] = {}
    extras: dict[str, list[Stmt]] = {}
    by_key: dict[str, list[Stmt]] = {}
    for s in stmts:
        if s.key.startswith("extra:"):
            extras.setdefault(s.key[len("extra:") :], []).append(s)
        elif s.key.startswith(list_prefixes):
            by_key.setdefault(s.key, []).append(s)
        else:
            scalars.setdefault(s.key, []).append(s)
    return scalars, extras, by_key


def assemble(document: str, fields: dict[str, Any], found: dict[str, Any], order: tuple[str, ...],
             extras: dict[str, list[Stmt]], inconsistencies: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """The gold file: identity ``fields``, then ``found`` in the contract's ``order`` (a gold file reads like it)."""
    rank = {k: n for n, k in enumerate(order)}
    for key in sorted(found, key=lambda k: rank.get(k, len(rank))):
        fields[key] = found[key]
    return {
        "document": document,
        "fields": fields,
        "extra_fields": {k: _figure(v) for k, v in extras.items()},
        "source_inconsistencies": inconsistencies,
    }


def _by_class(by_key: dict[str, list[Stmt]]) -> list[dict[str, Any]]:
    out = []
    for key, (s, *_) in by_key.items():
        if not key.startswith("by_class:"):
            continue
        code = key.split(":", 1)[1]
        amount, basic, project = s.value
        row: dict[str, Any] = {"code": code, "name": cat.FUNC_NAMES[code], "amount": number(amount)}
        share = by_key.get(f"by_class_share:{code}")
        if share:
            row["share_pct"] = number(share[0].value)
        if basic:
            row["basic"] = number(basic)
        if project:
            row["project"] = number(project)
        row |= {"page": s.page, "quote": s.quote}
        if share:
            row |= {"share_page": share[0].page, "share_quote": share[0].quote}
        out.append(row)
    return out


def _items(r: Report, by_key: dict[str, list[Stmt]]) -> list[dict[str, Any]]:
    out = []
    for key, (s, *_) in by_key.items():
        if not key.startswith("item:"):
            continue
        code = key.split(":", 1)[1]
        amount, basic, project = s.value
        row: dict[str, Any] = {"code": code, "name": cat.FUNC_NAMES[code], "amount": number(amount)}
        b = by_key.get(f"item_budget:{code}")
        if b:
            row["budget"] = number(b[0].value["budget"])
            if b[0].value["completion_pct"] is not None:
                row["completion_pct"] = number(b[0].value["completion_pct"])
        if basic:
            row["basic"] = number(basic)
        if project:
            row["project"] = number(project)
        row["budget_basis"] = "年初预算"
        row["narrative_name"] = (
            f"{cat.FUNC_NAMES[code[:3]]}（类）{cat.FUNC_NAMES[code[:5]]}（款）{cat.FUNC_NAMES[code]}（项）"
        )
        row |= {"page": s.page, "quote": s.quote}
        if b:
            row |= {"budget_page": b[0].page, "budget_quote": b[0].quote}
        out.append(row)
    return out


def _inconsistencies(r: Report, stmts: list[Stmt]) -> list[dict[str, Any]]:
    out = []
    for p in r.planted:
        pages: set[int] = set()
        for ref in p.refs:
            key, _, value = ref.partition("=")
            pages |= {s.page for s in stmts if s.key == key and (not value or money(s.value) == value)}
        out.append(
            {"description": p.description, "pages": sorted(pages), "fields": p.fields, "severity": p.severity}
        )
    return out


def build_truth(document: str, dpi: int, pages: list[PageOut], skews: list[float],
                tables: list[TableTruth]) -> dict[str, Any]:  # fmt: skip
    """Text lines per page as drawn (reading order; a table row's cells left to right, a wrapped cell
    line by line) and every ruled table as a stitched grid, for OCR CER and cell accuracy."""
    return {
        "document": document,
        "dpi": dpi,
        "pages": [
            {
                "number": p.number,
                "width_pt": round(p.size[0], 2),
                "height_pt": round(p.size[1], 2),
                "landscape": p.landscape,
                "skew_deg": round(skew, 3),
                "lines": p.lines,
            }
            for p, skew in zip(pages, skews, strict=True)
        ],
        "tables": [{"id": f"t{n}", **asdict(t)} for n, t in enumerate(tables, 1)],
    }
