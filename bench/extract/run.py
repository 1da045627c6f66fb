"""Benchmark extraction end to end: field precision/recall against gold, status, LLM cost and time per stage.

    .venv/bin/python bench/extract/run.py                       # the committed samples (samples/*.pdf)
    .venv/bin/python bench/extract/run.py --seeds --corpus      # also the shared seeds and born-digital corpus
    .venv/bin/python bench/extract/run.py --only sample-01 --json bench/extract/result.json

Each report is extracted with one shared LLM server (as ``juesuan extract`` does) into ``--out``; the
predictions are scored by ``pipeline.evaluation`` against the gold of their folder (``eval/gold`` for the
samples, ``/work/shared/gold`` for seeds and corpus). See bench/extract/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.config import get_settings  # noqa: E402
from pipeline.extract.run import extract_path  # noqa: E402
from pipeline.files import atomic_write_text  # noqa: E402
from pipeline.llm.client import LLMClient, connect  # noqa: E402

SHARED = Path(os.environ.get("JUESUAN_SHARED") or ROOT.parent / "shared")


def write_json_atomic(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _inputs(args) -> list[tuple[Path, Path]]:
    """(report, gold folder) pairs."""
    out = [(p, ROOT / "eval" / "gold") for p in sorted((ROOT / "samples").glob("*.pdf"))]
    if args.seeds:
        out += [(p, SHARED / "gold") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    if args.corpus:  # every real report in the corpus (the blank template aside), gold or not
        out += [(p, SHARED / "gold") for p in sorted((SHARED / "corpus").glob("*.pdf")) if "template" not in p.stem]
    if args.only:
        out = [(p, g) for p, g in out if any(o in p.stem for o in args.only)]
    return out


def _score(pairs: list[tuple[Path, Path]], out_dir: Path) -> dict[str, dict]:
    """Precision/recall per document from pipeline.evaluation (None when it is not installed)."""
    try:
        from pipeline.evaluation import score_documents
        from pipeline.evaluation.loading import load_gold_dir
    except ImportError:
        return {}
    scores: dict[str, dict] = {}
    for gold_dir in sorted({g for _, g in pairs}):
        stems = {p.stem for p, g in pairs if g == gold_dir}
        golds = [g for g in load_gold_dir(gold_dir) if g.stem in stems]
        if not golds:
            continue
        result = score_documents(golds, out_dir, missing="empty")
        for doc in result.documents:
            c = doc.counts
            scores[Path(doc.document).stem] = {"precision": c.precision, "recall": c.recall, "f1": c.f1, "tp": c.tp,
                                    "fp": c.fp, "fn": c.fn}
    return scores


def _truth(stem: str) -> Path | None:
    """The defect truth of a real report: its findings file, else its gold (``source_inconsistencies``)."""
    for folder in (SHARED / "findings", SHARED / "gold"):
        for name in (f"{stem}.json", f"{stem.removesuffix('-scan')}.json"):
            if (folder / name).is_file():
                return folder / name
    return None


def _honesty(stem: str, output: dict) -> dict:
    """Gold-free measures of one output and, where a truth list exists, the precision of its findings."""
    from pipeline.evaluation.honesty import load_truth, measure

    truth = _truth(stem)
    h = measure(output, load_truth(truth) if truth else None)
    return {"cells": h.cells_share, "identities": h.identity_share, "source": h.source_findings,
            "true_source": h.true_findings, "source_precision": h.source_precision,
            "extraction": h.extraction_findings, "tables_read": h.tables_read}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", action="store_true", help="also the seeds (text, no OCR)")
    ap.add_argument("--corpus", action="store_true", help="also every real report of the corpus (scans and budgets too; scored where it has gold)")
    ap.add_argument("--only", nargs="*", help="substrings of the report names to run")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "extract" / "out", help="predictions folder")
    ap.add_argument("--json", type=Path, help="write the summary here")
    ap.add_argument("--repair-rounds", type=int)
    ap.add_argument("--score-only", action="store_true",
                    help="extract nothing: measure the outputs already in --out (e.g. an earlier run's)")
    args = ap.parse_args()

    console = Console(width=max(160, Console().width))
    settings = get_settings(extract_repair_rounds=args.repair_rounds)
    pairs = _inputs(args)
    if not pairs:
        console.print("[red]no reports to run[/red] (samples/*.pdf missing?)")
        return 2
    rows = []
    if args.score_only:
        for path, _ in pairs:
            f = args.out / f"{path.stem}.json"
            if not f.is_file():
                continue
            output = json.loads(f.read_text(encoding="utf-8"))
            led = output.get("ledger") or {}
            rows.append({"document": path.stem, "status": output.get("status", "?"),
                         "calls": led.get("calls", 0),
                         "tokens": led.get("prompt_tokens", 0) + led.get("completion_tokens", 0),
                         "seconds": 0.0, "stages": led.get("stage_seconds", {}),
                         "figures": None, "rejected": len(output.get("rejected") or []),
                         **_honesty(path.stem, output)})
        pairs = [(p, g) for p, g in pairs if (args.out / f"{p.stem}.json").is_file()]
    with contextlib.nullcontext() if args.score_only else connect(settings) as endpoint:
        client = LLMClient(endpoint, settings) if endpoint else None
        for path, _ in [] if args.score_only else pairs:
            start = time.perf_counter()
            try:
                result = extract_path(path, settings, client)
            except Exception as e:  # noqa: BLE001 - a benchmark reports and goes on
                console.print(f"[red]{path.name}: {e}[/red]")
                rows.append({"document": path.stem, "status": "failed", "error": str(e)})
                continue
            output = result.output()
            write_json_atomic(args.out / f"{path.stem}.json", output)
            led = result.ledger
            rows.append(
                {
                    "document": path.stem,
                    "status": result.status,
                    "seconds": round(time.perf_counter() - start, 1),
                    "stages": {k: round(v, 1) for k, v in led.stage_seconds.items()},
                    "calls": led.calls,
                    "failed_calls": led.failed_calls,
                    "cache_hits": led.cache_hits,
                    "tokens": led.total_tokens,
                    "repair_calls": sum(p.calls for k, p in led.parts.items() if k.startswith("repair:")),
                    "figures": sum(1 for _ in result.record.figures()),
                    "rejected": len(result.rejected),
                    "violations": result.validation.counts(),
                    "errors": len(result.errors),
                    **_honesty(path.stem, output),
                }
            )
            console.print(f"{path.name}: {result.status} in {rows[-1]['seconds']}s, {led.calls} calls")
    scores = _score(pairs, args.out)
    for row in rows:
        row.update(scores.get(row["document"], {}))
    done = [r for r in rows if r["status"] != "failed"]
    summary = {
        "documents": len(rows),
        "reconciled_share": sum(r["status"] == "reconciled" for r in rows) / len(rows),
        "ok_share": sum(r["status"] in ("reconciled", "source_inconsistent") for r in rows) / len(rows),
        "calls_per_document": sum(r["calls"] for r in done) / max(1, len(done)),
        "tokens_per_document": sum(r["tokens"] or 0 for r in done) / max(1, len(done)),
        "seconds_per_document": sum(r["seconds"] for r in done) / max(1, len(done)),
        "rows": rows,
    }
    table = Table(title="accuracy and honesty (cells: amounts read of those printed; ids held: table identities that hold; source/true: findings against the report and those a listed defect explains)")
    for col in ("document", "status", "P", "R", "F1", "cells", "ids held", "source", "true", "src P", "extr"):
        table.add_column(col, justify="left" if col in ("document", "status") else "right")
    cost = Table(title="cost (seconds per stage)")
    for col in ("document", "figures", "rejected", "calls", "repairs", "tokens",
                "ocr", "layout", "extract", "repair", "validate", "total"):
        cost.add_column(col, justify="left" if col == "document" else "right")
    for r in rows:
        st = r.get("stages", {})
        table.add_row(
            r["document"], r["status"],
            *(f"{r[k]:.2f}" if k in r else "-" for k in ("precision", "recall", "f1")),
            *(f"{r[k]:.0%}" if r.get(k) is not None else "-" for k in ("cells", "identities")),
            *(str(r[k]) if r.get(k) is not None else "-" for k in ("source", "true_source")),
            f"{r['source_precision']:.2f}" if r.get("source_precision") is not None else "-",
            str(r.get("extraction", "-")),
        )
        cost.add_row(
            r["document"],
            *(str(r[k]) if r.get(k) is not None else "-" for k in ("figures", "rejected", "calls", "repair_calls", "tokens")),
            *(f"{st.get(k, 0):.0f}" for k in ("ocr", "layout", "extract", "repair", "validate")),
            f"{r.get('seconds', 0):.0f}",
        )
    console.print(table)
    console.print(cost)
    console.print(
        f"reconciled {summary['reconciled_share']:.0%} · reconciled or source-inconsistent {summary['ok_share']:.0%}"
        f" · {summary['calls_per_document']:.1f} calls, {summary['tokens_per_document']:.0f} tokens,"
        f" {summary['seconds_per_document']:.0f} s per document"
    )
    src = [r for r in done if r.get("true_source") is not None]
    if src:
        n, t = sum(r["source"] for r in src), sum(r["true_source"] for r in src)
        console.print(f"source findings on reports with a truth list: {t} of {n} explained by a listed defect"
                      + (f" (precision {t / n:.2f})" if n else ""))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
