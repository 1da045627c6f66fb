"""Gold files and predictions read into one shape: contract path → value, list rows with their keys.

Predictions come as the extraction's output (``{document, record, status, validation, ledger}``), a bare
Record JSON, or a gold-format file (so gold scored against itself gives 1.0). Only contract paths are kept:
what a record states beyond them is neither credited nor penalized.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.evaluation.contract import TEXT_ROW_FIELDS
from pipeline.evaluation.values import WAN, Loc, Val, to_number
from pipeline.llm.ledger import Ledger
from pipeline.record.contract import IDENTITY, Contract
from pipeline.record.figure import Figure, Source
from pipeline.record.gold import unit_for
from pipeline.record.model import ListRow, Record
from pipeline.reports import ReportProfile, detect, get, kinds
from pipeline.validate.grounding import ground
from pipeline.validate.report import ValidationReport

STATUSES: tuple[str, ...] = ("reconciled", "source_inconsistent", "unresolved")
# Gold row keys that locate one field of a row (``share_quote``/``share_page`` …); the rest use the row's.
_LOC_PREFIX = {"share_pct": "share", "budget": "budget", "completion_pct": "budget", "score": "score"}
_NAME_VARIANTS = ("name_normalized", "narrative_name", "short_name")


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be read: the command reports it and exits 2."""


@dataclass
class Row:
    """One list row: its scored fields, its code, and every normalized name it may be matched by."""

    fields: dict[str, Val]
    code: str | None
    label: str


@dataclass
class Fields:
    scalars: dict[str, Val] = field(default_factory=dict)
    lists: dict[str, list[Row]] = field(default_factory=dict)


@dataclass(frozen=True)
class GoldInconsistency:
    description: str
    fields: tuple[str, ...]
    pages: tuple[int, ...]
    lines: tuple[int, ...]
    severity: str


@dataclass
class GoldDoc:
    stem: str
    path: Path | None
    document: str | None
    fields: Fields
    inconsistencies: list[GoldInconsistency]
    unknown_paths: list[str] = field(default_factory=list)
    profile: ReportProfile = field(default_factory=lambda: detect(None))  # the kind: its contract is what scores

    def match_keys(self) -> list[str]:
        return _keys(self.document, self.path)


@dataclass
class Prediction:
    stem: str
    path: Path | None
    document: str | None
    fields: Fields
    status: str | None = None
    validation: ValidationReport | None = None
    ledger: Ledger | None = None
    profile: ReportProfile = field(default_factory=lambda: detect(None))

    def match_keys(self) -> list[str]:
        return _keys(self.document, self.path)


def _keys(document: str | None, path: Path | None) -> list[str]:
    keys = [Path(document).stem] if document else []
    if path is not None and path.stem not in keys:
        keys.append(path.stem)
    return keys


def _read(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f, parse_float=Decimal)
    except (OSError, json.JSONDecodeError) as e:
        raise EvalInputError(f"{path}: cannot read JSON ({e})") from e


TRUTH_SUFFIX = ".truth.json"  # the samples' per-page ground truth, kept beside their gold: not a record


def _json_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise EvalInputError(f"{folder}: not a folder")
    return sorted(
        p for p in folder.glob("*.json") if not p.name.startswith(".") and not p.name.endswith(TRUTH_SUFFIX)
    )


# ---- gold format (also accepted as a prediction) ----


def _loc(obj: dict[str, Any], prefix: str = "") -> Loc | None:
    key = f"{prefix}_" if prefix else ""
    page, line, quote = obj.get(f"{key}page"), obj.get(f"{key}line"), obj.get(f"{key}quote")
    if page is None and line is None and quote is None:
        return None
    return Loc(page=_int(page), line=_int(line), quote=quote)


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, int | Decimal) and not isinstance(v, bool) else None


def _scalar(obj: Any) -> Val | None:
    """A figure object ``{value, page|line, quote, also, unit}`` or a plain value."""
    if isinstance(obj, dict):
        if obj.get("value") is None:
            return None
        number = to_number(obj["value"], obj.get("unit"))
        locs = [_loc(obj)] + [_loc(a) for a in obj.get("also") or [] if isinstance(a, dict)]
        value = number if number is not None else str(obj["value"])
        return Val(value, tuple(x for x in locs if x is not None))
    if obj is None:
        return None
    number = to_number(obj)
    return Val(number if number is not None else str(obj))


def _gold_row(obj: dict[str, Any], names: tuple[str, ...]) -> Row:
    fields: dict[str, Val] = {}
    row_loc = _loc(obj)
    for name in names:
        raw = obj.get(name)
        if raw is None or raw == "":
            continue
        if name in TEXT_ROW_FIELDS:
            variants = [obj.get(k) for k in _NAME_VARIANTS] + list(obj.get("aliases") or [])
            fields[name] = Val(
                str(raw), variants=tuple(str(v) for v in variants if v) if name == "name" else ()
            )
            continue
        val = _scalar(raw)
        if val is None:
            continue
        if not val.locs:
            own = _loc(obj, _LOC_PREFIX[name]) if name in _LOC_PREFIX else None
            val.locs = tuple(x for x in (own, row_loc) if x is not None)
        fields[name] = val
    code = str(obj["code"]).strip() if obj.get("code") not in (None, "") else None
    return Row(fields, code, code or str(obj.get("name", "")))


def kind_of(raw_fields: dict[str, Any]) -> ReportProfile:
    """The profile of the kind a gold (or prediction) ``fields`` object names: its contract scores it."""
    value = raw_fields.get("report_type")
    if isinstance(value, dict):
        value = value.get("value")
    return detect(value if isinstance(value, str) else None)


@cache
def any_kind() -> Contract:
    """Every kind's paths at once, for reading a prediction: it is scored by its gold's contract, so a report
    the pipeline took for another kind still shows the figures it did read."""
    contracts = [get(k).contract for k in kinds()]
    lists: dict[str, tuple[str, ...]] = {}
    for c in contracts:
        for path, names in c.lists.items():
            lists[path] = tuple(dict.fromkeys((*lists.get(path, ()), *names)))
    paths = tuple(dict.fromkeys(p for c in contracts for p in c.field_paths))
    return Contract(identity=IDENTITY, field_paths=paths, lists=lists)


def fields_from_gold(
    raw_fields: dict[str, Any], extra: dict[str, Any] | None = None, contract: Contract | None = None
) -> tuple[Fields, list[str]]:
    """Contract paths of a gold ``fields`` object; the second value lists keys that are not contract paths.
    ``contract``: the kind's (by default the kind the object names)."""
    contract = contract or kind_of(raw_fields).contract
    lists, scalars = contract.lists, {*contract.identity, *contract.figures}
    out = Fields()
    unknown = []
    aliases = (extra or {}).get("department_aliases") or raw_fields.get("department_aliases") or []
    if isinstance(aliases, dict):
        aliases = aliases.get("value") or []
    for key, obj in raw_fields.items():
        if key in lists:
            out.lists[key] = [_gold_row(r, lists[key]) for r in obj or [] if isinstance(r, dict)]
        elif key in scalars:
            val = _scalar(obj)
            if val is not None:
                if key == "department":
                    val.variants = tuple(str(a) for a in aliases)
                out.scalars[key] = val
        elif key != "department_aliases":
            unknown.append(key)
    return out, unknown


def load_gold(path: str | Path) -> GoldDoc:
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise EvalInputError(f"{path}: not a gold file (no 'fields' object)")
    profile = kind_of(data["fields"])
    fields, unknown = fields_from_gold(data["fields"], data.get("extra_fields"), profile.contract)
    incs = [
        GoldInconsistency(
            description=str(s.get("description", "")),
            fields=tuple(s.get("fields") or ()),
            pages=tuple(int(p) for p in s.get("pages") or ()),
            lines=tuple(int(n) for n in s.get("lines") or ()),
            severity=str(s.get("severity", "error")),
        )
        for s in data.get("source_inconsistencies") or []
    ]
    doc = data.get("document")
    stem = Path(doc).stem if doc else path.stem
    return GoldDoc(stem, path, doc, fields, incs, unknown, profile)


def load_gold_dir(folder: str | Path) -> list[GoldDoc]:
    """Every ``*.json`` gold file of a folder (hidden files and ``*.truth.json`` are not gold)."""
    docs = [load_gold(p) for p in _json_files(Path(folder))]
    if not docs:
        raise EvalInputError(f"{folder}: no gold files (*.json)")
    return docs


# ---- records ----


def _fig_val(fig: Figure) -> Val:
    locs = tuple(Loc(s.page, s.line, s.quote) for s in fig.sources)
    return Val(fig.value, locs, grounded=ground(fig, None).ok)


def _record_row(row: ListRow, names: tuple[str, ...]) -> Row:
    fields: dict[str, Val] = {}
    for name in names:
        value = getattr(row, name, None)
        if isinstance(value, Figure):
            fields[name] = _fig_val(value)
        elif value not in (None, ""):
            variants: list[str] = []
            if name == "name":
                variants = [v for k in _NAME_VARIANTS if (v := getattr(row, k, None))]
                variants += list(getattr(row, "aliases", []) or [])
            fields[name] = Val(str(value), variants=tuple(variants))
    code = getattr(row, "code", None) or None
    return Row(fields, code, code or str(getattr(row, "name", "")))


def fields_from_record(record: Record, contract: Contract) -> Fields:
    """The ``contract``'s paths of a Record; a contract path kept in ``record.extra`` counts too."""
    out = Fields()
    for key in contract.identity:
        value = getattr(record, key)
        if value is not None:
            number = to_number(value) if key == "fiscal_year" else None
            out.scalars[key] = Val(number if number is not None else str(value))
    for path in contract.figures:
        section, _, name = path.partition(".")
        fig = getattr(record.section(section), name, None)
        if not isinstance(fig, Figure):
            fig = record.extra.get(path)
        if isinstance(fig, Figure):
            out.scalars[path] = _fig_val(fig)
    for path, names in contract.lists.items():
        section, _, name = path.partition(".")
        rows = getattr(record.section(section), name, [])
        if rows:
            out.lists[path] = [_record_row(r, names) for r in rows]
    return out


def _in_wan(obj: Any) -> Any:
    """Figures a producer wrote in 元 (``{"value": 3078200, "unit": "元"}``) on the record's 万元 scale."""
    if isinstance(obj, dict):
        out = {k: _in_wan(v) for k, v in obj.items()}
        if out.get("unit") == "元" and "value" in out:
            number = to_number(out["value"])
            if number is not None:
                out["value"], out["unit"] = number / WAN, "万元"
        return out
    if isinstance(obj, list):
        return [_in_wan(v) for v in obj]
    return obj


def _gold_figures_grounded(fields: Fields) -> None:
    """Quote-level grounding of a gold-format prediction's figures: the first quote prints the value."""

    def mark(path: str, val: Val) -> None:
        if not val.is_number:
            return
        first = val.loc
        sources = (
            [Source(page=first.page, line=first.line, quote=first.quote)] if first and first.quote else []
        )
        fig = Figure(value=val.value, unit=unit_for(path), sources=sources)
        val.grounded = ground(fig, None).ok

    for path, val in fields.scalars.items():
        if path not in IDENTITY:
            mark(path, val)
    for path, rows in fields.lists.items():
        for row in rows:
            for name, val in row.fields.items():
                mark(f"{path}.{name}", val)


def derive_status(report: ValidationReport) -> str:
    """The status the extraction would give, for predictions that carry a report but no status."""
    if report.errors("extraction"):
        return "unresolved"
    if report.errors("source"):
        return "source_inconsistent"
    return "reconciled"


def prediction_from_record(
    record: Record,
    *,
    stem: str | None = None,
    status: str | None = None,
    validation: ValidationReport | None = None,
    ledger: Ledger | None = None,
    path: Path | None = None,
) -> Prediction:
    """A prediction made in-process (``eval run``): no file round trip."""
    stem = stem or (Path(record.document).stem if record.document else None) or (path.stem if path else "")
    if status is None and validation is not None:
        status = derive_status(validation)
    profile = detect(record.report_type)
    return Prediction(stem, path, record.document, fields_from_record(record, any_kind()), status, validation,
                      ledger, profile)


def load_prediction(path: str | Path) -> Prediction:
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise EvalInputError(f"{path}: a prediction must be a JSON object")
    if isinstance(data.get("fields"), dict):
        profile = kind_of(data["fields"])
        fields, _ = fields_from_gold(data["fields"], data.get("extra_fields"), any_kind())
        if "department" in fields.scalars:  # a predicted name must be the gold's name or one of its aliases
            fields.scalars["department"].variants = ()
        _gold_figures_grounded(fields)
        doc = data.get("document")
        return Prediction(Path(doc).stem if doc else path.stem, path, doc, fields, data.get("status"),
                          profile=profile)
    wrapped = isinstance(data.get("record"), dict)
    raw_record = data["record"] if wrapped else data
    try:
        record = Record.model_validate(_in_wan(raw_record))
        validation = (
            ValidationReport.model_validate(data["validation"])
            if wrapped and data.get("validation")
            else None
        )
        ledger = Ledger.model_validate(data["ledger"]) if wrapped and data.get("ledger") else None
    except ValidationError as e:
        raise EvalInputError(
            f"{path}: not a prediction ({e.error_count()} problems: {e.errors()[0]['msg']})"
        ) from e
    if wrapped and data.get("document") and not record.document:
        record.document = data["document"]
    status = data.get("status") if wrapped else None
    return prediction_from_record(
        record, stem=None, status=status, validation=validation, ledger=ledger, path=path
    )


def load_pred_dir(folder: str | Path) -> list[Prediction]:
    files = _json_files(Path(folder))
    if not files:
        raise EvalInputError(f"{folder}: no predictions (*.json)")
    return [load_prediction(p) for p in files]
