"""Score predictions against gold: one document, or a whole folder, in-process.

``score_documents`` is what both ``juesuan eval`` (predictions read from a folder) and ``juesuan eval run``
(records extracted in the same process, one result per configuration) call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from pipeline.evaluation.detection import detected_by, unexpected
from pipeline.evaluation.loading import (
    STATUSES,
    EvalInputError,
    Fields,
    GoldDoc,
    Prediction,
    derive_status,
    load_gold_dir,
    load_pred_dir,
    prediction_from_record,
)
from pipeline.evaluation.matching import Pair, compare
from pipeline.evaluation.metrics import (
    Cost,
    Counts,
    Detection,
    DocumentScore,
    EvalResult,
    FieldScore,
    FieldStat,
    Grounding,
    InconsistencyScore,
    PartCost,
    Rate,
    Side,
)
from pipeline.evaluation.values import TOLERANCE, Val
from pipeline.llm.ledger import Ledger
from pipeline.record.model import Record

Missing = Literal["empty", "skip"]


def _side(val: Val | None) -> Side | None:
    if val is None:
        return None
    loc = val.loc
    return Side(
        value=val.json_value(),
        page=loc.page if loc else None,
        line=loc.line if loc else None,
        quote=loc.quote if loc else None,
    )


def _field_score(document: str, pair: Pair) -> FieldScore:
    diff = pair.difference
    return FieldScore(
        document=document,
        path=pair.path,
        section=pair.section,
        shape=pair.shape,
        outcome=pair.outcome,
        gold=_side(pair.gold),
        pred=_side(pair.pred),
        difference=float(diff) if diff is not None else None,
        location_agrees=pair.location_check(),
    )


def _grounding(pred: Prediction) -> Grounding:
    if pred.validation is not None and pred.validation.figures:
        v = pred.validation
        return Grounding(hits=v.figures - v.ungrounded, total=v.figures, method="validator")
    vals = list(pred.fields.scalars.values()) + [
        val for rows in pred.fields.lists.values() for row in rows for val in row.fields.values()
    ]
    marks = [v.grounded for v in vals if v.grounded is not None]
    return Grounding(hits=sum(marks), total=len(marks), method="quotes")


def _detection(gold: GoldDoc, pred: Prediction) -> Detection:
    out = Detection(available=pred.validation is not None)
    for inc in gold.inconsistencies:
        entry = InconsistencyScore(
            description=inc.description, severity=inc.severity, fields=list(inc.fields)
        )
        if inc.severity not in ("error", "rounding"):
            out.notes += 1
        elif pred.validation is not None:
            hits = detected_by(inc, pred.validation, gold.profile)
            entry.detected = bool(hits)
            entry.rules = sorted({v.rule for v in hits})
            out.found.total += 1
            out.found.hits += int(entry.detected)
        out.entries.append(entry)
    if pred.validation is not None:
        out.source_findings = len(pred.validation.by_class("source"))
        out.unexpected_source = len(unexpected(gold.inconsistencies, pred.validation, gold.profile))
    return out


def _cost(ledger: Ledger | None) -> Cost | None:
    if ledger is None:
        return None
    base = {name: getattr(ledger, name) for name in PartCost.model_fields}
    return Cost(
        documents=1,
        stage_seconds=dict(ledger.stage_seconds),
        parts={k: PartCost(**v.model_dump()) for k, v in ledger.parts.items()},
        **base,
    )


def score_document(gold: GoldDoc, pred: Prediction | None) -> DocumentScore:
    """Every contract path of one document judged, with its page agreement, grounding and detection."""
    name = gold.document or gold.stem
    pairs = compare(gold.fields, pred.fields if pred else Fields(), gold.profile.contract)
    score = DocumentScore(
        document=name,
        gold_file=str(gold.path) if gold.path else None,
        pred_file=str(pred.path) if pred and pred.path else None,
        predicted=pred is not None,
    )
    for pair in pairs:
        score.counts.add(pair)
        score.sections.setdefault(pair.section, Counts()).add(pair)
        agrees = pair.location_check()
        if agrees is not None:
            score.location.total += 1
            score.location.hits += int(agrees)
        score.fields.append(_field_score(name, pair))
    score.sections = {s: score.sections[s] for s in gold.profile.contract.sections if s in score.sections}
    if pred is None:
        score.status = "missing"
        score.detection = Detection(
            notes=sum(i.severity not in ("error", "rounding") for i in gold.inconsistencies)
        )
        return score
    score.grounding = _grounding(pred)
    status = pred.status or (derive_status(pred.validation) if pred.validation else None)
    score.status = status or "unknown"
    score.detection = _detection(gold, pred)
    if pred.validation is not None:
        score.violations = pred.validation.counts()
    score.cost = _cost(pred.ledger)
    return score


def _worst(docs: list[DocumentScore], limit: int) -> list[FieldStat]:
    stats: dict[str, FieldStat] = {}
    for doc in docs:
        for f in doc.fields:
            stat = stats.setdefault(f.shape, FieldStat(shape=f.shape, section=f.section, counts=Counts()))
            pair_counts = Counts(
                tp=int(f.outcome == "tp"),
                fp=int(f.outcome in ("wrong", "extra")),
                fn=int(f.outcome in ("wrong", "missing")),
                **({f.outcome: 1} if f.outcome != "tp" else {}),
            )
            stat.counts.merge(pair_counts)
            if f.outcome != "tp" and len(stat.examples) < 3:
                stat.examples.append(f)
    bad = [s for s in stats.values() if s.counts.errors]
    bad.sort(key=lambda s: (-s.counts.errors, s.counts.f1, s.shape))
    return bad[:limit]


def _pair_up(
    golds: list[GoldDoc], preds: list[Prediction]
) -> tuple[list[tuple[GoldDoc, Prediction | None]], list[str]]:
    by_key: dict[str, int] = {}
    for i, g in enumerate(golds):
        for k in g.match_keys():
            by_key.setdefault(k, i)
    matched: dict[int, Prediction] = {}
    stray: list[str] = []
    for p in preds:
        gi = next((by_key[k] for k in p.match_keys() if k in by_key and by_key[k] not in matched), None)
        if gi is None:
            stray.append(str(p.path or p.stem))
        else:
            matched[gi] = p
    return [(g, matched.get(i)) for i, g in enumerate(golds)], stray


def _predictions(
    preds: str | Path | Iterable[Prediction] | Mapping[str, Record | Prediction],
) -> list[Prediction]:
    if isinstance(preds, str | Path):
        return load_pred_dir(preds)
    if isinstance(preds, Mapping):
        return [
            p if isinstance(p, Prediction) else prediction_from_record(p, stem=stem)
            for stem, p in preds.items()
        ]
    return list(preds)


def _section_order(golds: list[GoldDoc]) -> list[str]:
    """The sections of every kind scored, in each kind's report order (a 决算's first where both are)."""
    return list(dict.fromkeys(s for g in golds for s in g.profile.contract.sections))


def score_documents(
    gold: str | Path | Iterable[GoldDoc],
    preds: str | Path | Iterable[Prediction] | Mapping[str, Record | Prediction],
    *,
    missing: Missing = "empty",
    worst: int = 25,
) -> EvalResult:
    """Score predictions (a folder, Prediction objects, or ``{stem: Record}``) against gold documents.

    A gold document without a prediction scores as an empty prediction (recall 0) unless ``missing="skip"``:
    a document the pipeline failed on must cost something. Raises EvalInputError when nothing matches.
    """
    golds = load_gold_dir(gold) if isinstance(gold, str | Path) else list(gold)
    pairs, stray = _pair_up(golds, _predictions(preds))
    if not any(p for _, p in pairs):
        raise EvalInputError(
            "no prediction matches a gold document (matched by the gold's document stem or file stem); gold: "
            + ", ".join(sorted(g.stem for g in golds))
            + (f"; predictions: {', '.join(sorted(stray))}" if stray else "")
        )
    unmatched = [g.stem for g, p in pairs if p is None]
    if missing == "skip":
        pairs = [(g, p) for g, p in pairs if p is not None]
    docs = [score_document(g, p) for g, p in pairs]

    overall, location, grounding = Counts(), Rate(), Grounding()
    detection, cost = Detection(), Cost()
    sections: dict[str, Counts] = {}
    statuses = dict.fromkeys(STATUSES, 0)
    violations: dict[str, int] = {}
    for d in docs:
        overall.merge(d.counts)
        for s, c in d.sections.items():
            sections.setdefault(s, Counts()).merge(c)
        location.merge(d.location)
        grounding.merge(d.grounding)
        detection.merge(d.detection)
        if d.cost:
            cost.merge(d.cost)
        statuses[d.status] = statuses.get(d.status, 0) + 1
        for cls, n in d.violations.items():
            violations[cls] = violations.get(cls, 0) + n
    methods = {d.grounding.method for d in docs if d.grounding.total}
    grounding.method = methods.pop() if len(methods) == 1 else ("mixed" if methods else "none")
    return EvalResult(
        tolerance=float(TOLERANCE),
        documents=docs,
        overall=overall,
        macro_f1=sum(d.counts.f1 for d in docs) / len(docs),
        sections={s: sections[s] for s in _section_order(golds) if s in sections},
        location=location,
        grounding=grounding,
        statuses=statuses,
        violations=violations,
        detection=detection,
        cost=cost,
        worst_fields=_worst(docs, worst),
        unmatched_gold=unmatched,
        unmatched_predictions=stray,
        unknown_gold_paths={g.stem: g.unknown_paths for g in golds if g.unknown_paths},
    )
