"""Re-validate extraction outputs with the current validator, beside the classification they were written with.

    .venv/bin/python bench/validate/revalidate.py OUT_DIR_OR_JSON... [--docs DIR] [--truth DIR...] [-v]

Each ``<stem>.json`` that ``juesuan extract`` wrote is validated again against its document, without calling
the model: the figures stay as read, only the judgement is new. The document is ``DIR/<stem>.doc.json`` (a
``Document`` as ``juesuan parse --json`` writes it) when ``--docs`` has one, else the source file (under
``--sources``, default ``../shared/corpus`` and ``../shared/seeds``) parsed now (slow for scans: run under
the heavy-job lock). With ``--truth`` (folders of gold files or defect truth lists, e.g. ``../shared/gold``
and ``../shared/findings``) each ``source`` finding is matched with the report's hand-checked
inconsistencies (``pipeline.evaluation.detection``): a finding that touches none is a likely misreading.

Per report it prints, before → after: status, ``source`` findings (errors/warnings) and how many of them touch
a truth entry, ``extraction`` findings, and amounts printed vs read in the standard tables; ``-v`` lists the
``source`` findings after, and why each ``extraction`` one is ours.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from pipeline.document import Document
from pipeline.evaluation.detection import unexpected
from pipeline.evaluation.loading import GoldInconsistency, load_gold
from pipeline.extract.run import verdict
from pipeline.record.io import read_record
from pipeline.validate import ValidationReport, validate
from pipeline.validate.textdoc import load_document

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def _outputs(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        out += sorted(q for q in p.glob("*.json") if not q.name.endswith(".doc.json")) if p.is_dir() else [p]
    return out


def _truth(folders: list[Path]) -> dict[str, list[GoldInconsistency]]:
    """Hand-checked inconsistencies by document stem, from gold files and defect truth lists (a truth list is
    a gold file without ``fields``)."""
    out: dict[str, list[GoldInconsistency]] = {}
    for folder in folders:
        for f in sorted(folder.glob("*.json")):
            data = json.loads(f.read_text(encoding="utf-8"))
            data.setdefault("fields", {})
            with tempfile.TemporaryDirectory() as tmp:
                gold = Path(tmp) / f.name
                gold.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                incs = load_gold(gold).inconsistencies
            out.setdefault(Path(data.get("document") or f.name).stem, []).extend(incs)
    return out


def _document(stem: str, source: str, docs: Path | None, sources: list[Path]) -> Document:
    cached = docs / f"{stem}.doc.json" if docs else None
    if cached and cached.exists():
        return Document.model_validate_json(cached.read_text(encoding="utf-8"))
    name = Path(source).name
    for folder in sources:
        if (folder / name).exists():
            return load_document(folder / name)
    raise SystemExit(f"{stem}: no document (give --docs with {stem}.doc.json, or --sources with {name})")


def _counts(violations: list[dict]) -> tuple[int, int, int]:
    src = [v for v in violations if v["cls"] == "source"]
    return (
        sum(v["severity"] == "error" for v in src),
        sum(v["severity"] != "error" for v in src),
        sum(v["cls"] == "extraction" for v in violations),
    )


def _printed(report: ValidationReport) -> str:
    core = [c for t, c in report.tables.items() if t in ("T1", "T2", "T3", "T4", "T5")]
    return f"{sum(c.mapped for c in core)}/{sum(c.printed for c in core)}" if core else "—"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outputs", nargs="+", type=Path)
    ap.add_argument("--docs", type=Path, help="folder of <stem>.doc.json documents")
    ap.add_argument("--sources", type=Path, nargs="*", default=[SHARED / "corpus", SHARED / "seeds"])
    ap.add_argument("--truth", type=Path, nargs="*", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    truth = _truth(args.truth)
    head = f"{'report':<36} {'status before → after':<40} {'source err/warn (on truth)':<30} {'extraction':<12} T1–T5 read"
    print(head)
    totals = {"before": [0, 0], "after": [0, 0]}  # source findings, of which touching no truth entry
    for path in _outputs(args.outputs):
        data = json.loads(path.read_text(encoding="utf-8"))
        record = read_record(path)
        doc = _document(path.stem, data.get("document") or path.name, args.docs, args.sources)
        report = validate(record, doc)
        status, reasons = verdict(report, [])
        before = _counts(data["validation"]["violations"])
        after = _counts([v.model_dump() for v in report.violations])
        incs = truth.get(path.stem)
        on = ""
        if incs is not None:
            old = ValidationReport.model_validate(data["validation"])
            stray = (len(unexpected(incs, old)), len(unexpected(incs, report)))
            n_old, n_new = before[0] + before[1], after[0] + after[1]
            on = f" ({n_old - stray[0]} → {n_new - stray[1]})"
            for key, n, s in (("before", n_old, stray[0]), ("after", n_new, stray[1])):
                totals[key][0] += n
                totals[key][1] += s
        print(
            f"{path.stem[:36]:<36} {data['status'] + ' → ' + status:<40} "
            f"{f'{before[0]}/{before[1]} → {after[0]}/{after[1]}{on}':<30} "
            f"{f'{before[2]} → {after[2]}':<12} {_printed(report)}"
        )
        if args.verbose:
            for v in report.by_class("source"):
                print(f"    source  {v.severity:<7} {v.rule} {v.subject}: {v.message[:100]}")
            for r in reasons[:8]:
                print(f"    why     {r[:120]}")
    if args.truth:
        for key, (n, stray) in totals.items():
            if n:
                print(f"{key}: {n} source findings on reports with truth, {stray} touch no hand-checked entry")


if __name__ == "__main__":
    main()
