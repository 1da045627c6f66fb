"""Re-validate extraction outputs with the current validator, beside the classification they were written with.

    .venv/bin/python bench/validate/revalidate.py OUT_DIR_OR_JSON... [--docs DIR] [--truth DIR...] [-v]

Each ``<stem>.json`` that ``juesuan extract`` wrote is validated again against its document, without calling
the model: the figures stay as read, only the judgement is new. The document is ``DIR/<stem>.doc.json`` (a
``Document`` as ``juesuan parse --json`` writes it) when ``--docs`` has one, else the source file (under
``--sources``, default ``../shared/corpus`` and ``../shared/seeds``) parsed now (slow for scans: run under
the heavy-job lock). ``--truth`` folders hold hand-checked defect lists (``../shared/findings``) and gold
files (``../shared/gold``): each ``source`` error is matched with them by ``pipeline.evaluation.honesty``,
and one that no listed defect explains is most likely a misreading.

Per report it prints, before → after: status, ``source`` errors (explained by a listed defect), ``source``
warnings, ``extraction`` errors, and the amounts of T1–T5 read out of those printed; ``-v`` adds the
``source`` findings after and why the record is unresolved.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.document import Document
from pipeline.evaluation.honesty import load_truth, measure
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


def _truth_file(stem: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        for name in (f"{stem}.json", f"{stem.removesuffix('-scan')}.json"):
            if (folder / name).is_file():
                return folder / name
    return None


def _document(stem: str, source: str, docs: Path | None, sources: list[Path]) -> Document:
    cached = docs / f"{stem}.doc.json" if docs else None
    if cached and cached.exists():
        return Document.model_validate_json(cached.read_text(encoding="utf-8"))
    name = Path(source).name
    for folder in sources:
        if (folder / name).exists():
            return load_document(folder / name)
    raise SystemExit(f"{stem}: no document (give --docs with {stem}.doc.json, or --sources with {name})")


def _warnings(report: ValidationReport) -> int:
    return sum(v.cls == "source" and v.severity != "error" for v in report.violations)


def _core(report: ValidationReport) -> str:
    core = [c for t, c in report.tables.items() if t in ("T1", "T2", "T3", "T4", "T5")]
    return f"{sum(c.mapped for c in core)}/{sum(c.printed for c in core)}" if core else "—"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outputs", nargs="+", type=Path)
    ap.add_argument("--docs", type=Path, help="folder of <stem>.doc.json documents")
    ap.add_argument("--sources", type=Path, nargs="*", default=[SHARED / "corpus", SHARED / "seeds"])
    ap.add_argument("--truth", type=Path, nargs="*", default=[SHARED / "findings", SHARED / "gold"])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    print(f"{'report':<34} {'status before → after':<40} {'source err (explained)':<24} {'src warn':<9} "
          f"{'extraction err':<15} T1–T5 read")
    for path in _outputs(args.outputs):
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = _document(path.stem, data.get("document") or path.name, args.docs, args.sources)
        report = validate(read_record(path), doc)
        status, reasons = verdict(report, [])
        truth_file = _truth_file(path.stem, args.truth)
        truth = load_truth(truth_file) if truth_file else None
        old = measure(data, truth)
        new = measure({**data, "status": status, "validation": report.model_dump(mode="json")}, truth)
        explained = f" ({old.true_findings} → {new.true_findings})" if truth is not None else ""
        warn = f"{_warnings(ValidationReport.model_validate(data['validation']))} → {_warnings(report)}"
        print(
            f"{path.stem[:34]:<34} {old.status + ' → ' + new.status:<40} "
            f"{f'{old.source_findings} → {new.source_findings}{explained}':<24} {warn:<9} "
            f"{f'{old.extraction_findings} → {new.extraction_findings}':<15} {_core(report)}"
        )
        if args.verbose:
            for v in report.by_class("source"):
                print(f"    source  {v.severity:<7} {v.rule} {v.subject}: {v.message[:100]}")
            for r in reasons[:8]:
                print(f"    why     {r[:120]}")


if __name__ == "__main__":
    main()
