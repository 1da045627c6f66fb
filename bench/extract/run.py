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
import json
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

SHARED = Path("/work/shared")


def write_json_atomic(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _inputs(args) -> list[tuple[Path, Path]]:
    """(report, gold folder) pairs."""
    out = [(p, ROOT / "eval" / "gold") for p in sorted((ROOT / "samples").glob("*.pdf"))]
    if args.seeds:
        out += [(p, SHARED / "gold") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    if args.corpus:
        out += [(SHARED / "corpus" / "putuo-shehuigongzuobu-2024-final.pdf", SHARED / "gold")]
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", action="store_true", help="also the seeds (text, no OCR)")
    ap.add_argument("--corpus", action="store_true", help="also the born-digital putuo report")
    ap.add_argument("--only", nargs="*", help="substrings of the report names to run")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "extract" / "out", help="predictions folder")
    ap.add_argument("--json", type=Path, help="write the summary here")
    ap.add_argument("--repair-rounds", type=int)
    args = ap.parse_args()

    console = Console(width=max(160, Console().width))
    settings = get_settings(extract_repair_rounds=args.repair_rounds)
    pairs = _inputs(args)
    if not pairs:
        console.print("[red]no reports to run[/red] (samples/*.pdf missing?)")
        return 2
    rows = []
    with connect(settings) as endpoint:
        client = LLMClient(endpoint, settings)
        for path, _ in pairs:
            start = time.perf_counter()
            try:
                result = extract_path(path, settings, client)
            except Exception as e:  # noqa: BLE001 - a benchmark reports and goes on
                console.print(f"[red]{path.name}: {e}[/red]")
                rows.append({"document": path.stem, "status": "failed", "error": str(e)})
                continue
            write_json_atomic(args.out / f"{path.stem}.json", result.output())
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
        "tokens_per_document": sum(r["tokens"] for r in done) / max(1, len(done)),
        "seconds_per_document": sum(r["seconds"] for r in done) / max(1, len(done)),
        "rows": rows,
    }
    table = Table(title="extraction benchmark")
    for col in ("document", "status", "P", "R", "F1", "figures", "rejected", "calls", "repairs", "tokens",
                "ocr s", "layout s", "extract s", "repair s", "validate s", "total s"):
        table.add_column(col, justify="left" if col in ("document", "status") else "right")
    for r in rows:
        st = r.get("stages", {})
        table.add_row(
            r["document"], r["status"],
            *(f"{r[k]:.2f}" if k in r else "-" for k in ("precision", "recall", "f1")),
            *(str(r.get(k, "-")) for k in ("figures", "rejected", "calls", "repair_calls", "tokens")),
            *(f"{st.get(k, 0):.0f}" for k in ("ocr", "layout", "extract", "repair", "validate")),
            f"{r.get('seconds', 0):.0f}",
        )
    console.print(table)
    console.print(
        f"reconciled {summary['reconciled_share']:.0%} · reconciled or source-inconsistent {summary['ok_share']:.0%}"
        f" · {summary['calls_per_document']:.1f} calls, {summary['tokens_per_document']:.0f} tokens,"
        f" {summary['seconds_per_document']:.0f} s per document"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
