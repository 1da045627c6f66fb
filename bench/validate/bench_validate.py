"""Benchmark: validation speed on a 30-page record (goal: under 50 ms per record).

    .venv/bin/python bench/validate/bench_validate.py [--runs 50] [--gold]

A synthetic 30-page 部门决算 (nine tables, ~55 budget items, the 说明) is validated with its document:
``cold`` builds the document's text index as a first call does, ``warm`` reuses it as the extraction loop
does on a retry. With ``--gold`` the PDF gold report (putuo) is timed too.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pipeline.reports.final_accounts.rules import RULES
from pipeline.validate import validate
from pipeline.validate.synthetic import synthetic_report


def _time(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (CPU time is what a busy machine does not inflate)."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def _line(name: str, times: tuple[list[float], list[float]], checks: int) -> str:
    wall, cpu = times
    med, med_cpu = statistics.median(wall), statistics.median(cpu)
    return (
        f"{name:<28} median {med:6.1f} ms/record (cpu {med_cpu:5.1f} ms)  p90 {sorted(wall)[int(len(wall) * 0.9)]:6.1f} ms"
        f"  {len(RULES) / med * 1000:7.0f} rules/s  {checks / med * 1000:8.0f} checks/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument(
        "--gold", action="store_true", help="also time the putuo gold report (needs /work/shared)"
    )
    args = ap.parse_args()

    record, document = synthetic_report(seed=0)
    report = validate(record, document)
    pages = len(document.pages)
    print(
        f"synthetic record: {pages} pages, {report.figures} figures, {len(RULES)} rules, "
        f"{report.checked} checks ({report.not_checked} not checked), {len(report.violations)} violations"
    )
    cold = _time(lambda: validate(record, document.model_copy()), args.runs)
    warm = _time(lambda: validate(record, document), args.runs)
    print(_line("cold (new document index)", cold, report.checked))
    print(_line("warm (index reused)", warm, report.checked))
    wall, cpu = statistics.median(cold[0]), statistics.median(cold[1])
    print(
        f"goal < 50 ms per record: {'met' if wall < 50 else 'NOT met'} ({wall:.1f} ms wall, {cpu:.1f} ms cpu, cold)"
    )

    if args.gold:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
        from test_validate_docs import GOLD, gold_document, gold_record

        gold = next(g for g in GOLD if g.stem.startswith("putuo"))
        rec, doc = gold_record(gold), gold_document(gold)
        rep = validate(rec, doc)
        ms = _time(lambda: validate(rec, doc.model_copy()), args.runs)
        print(f"putuo gold: {len(doc.pages)} pages, {rep.figures} figures, {rep.checked} checks")
        print(_line("putuo cold", ms, rep.checked))
        print(_line("putuo warm (document reused)", _time(lambda: validate(rec, doc), args.runs), rep.checked))


if __name__ == "__main__":
    main()
