"""Benchmark ``juesuan extract`` as a batch: documents per minute with --jobs 1 and --jobs 2, and peak memory.

    .venv/bin/python bench/batch/run.py                        # samples/*.pdf, --jobs 1 then 2
    .venv/bin/python bench/batch/run.py --jobs 1 2 4 --json bench/batch/result.json
    .venv/bin/python bench/batch/run.py --cold-llm             # model answers not cached either (slow on CPU)

Each run is a fresh process tree (the CLI, its workers, the embedded llama.cpp server) on a fresh cache, so
OCR is always done for real. By default the LLM answers come from the user's cache (JUESUAN_CACHE_DIR or the
platform cache), warmed first by a batch over the same files: what ``--jobs`` parallelises is the CPU-bound
OCR and layout, and a small CPU model's answer time would otherwise drown it (``--cold-llm`` measures that). Memory is the peak of the whole tree's resident set (sampled every 0.2 s from /proc) and
the peak of its largest process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.llm.models import resolve_local_model  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d.name))
    return kids


def _tree_rss(root: int) -> tuple[int, int]:
    """(sum, max) resident bytes of root and all its descendants."""
    kids, todo, total, largest = _children(), [root], 0, 0
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run_batch(files: list[Path], jobs: int, cache: Path, out: Path, model: Path) -> dict:
    env = dict(os.environ, JUESUAN_CACHE_DIR=str(cache), JUESUAN_LLM_MODEL=str(model))
    cmd = [sys.executable, "-c", "from pipeline.cli import app; app()", "extract", *map(str, files),
           "--out", str(out), "--jobs", str(jobs), "--force", "--quiet"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_total = peak_one = 0
    while proc.poll() is None:
        total, one = _tree_rss(proc.pid)
        peak_total, peak_one = max(peak_total, total), max(peak_one, one)
        time.sleep(0.2)
    wall = time.perf_counter() - start
    output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]
    ledger_calls = sum(r["ledger"]["calls"] for r in records)
    return {
        "jobs": jobs,
        "documents": len(files),
        "records": len(records),
        "exit_code": proc.returncode,
        "wall_s": round(wall, 1),
        "docs_per_min": round(60 * len(records) / wall, 2) if wall else None,
        "peak_rss_tree_mb": round(peak_total / 2**20),
        "peak_rss_process_mb": round(peak_one / 2**20),
        "llm_calls": ledger_calls,
        "statuses": {s: sum(r["status"] == s for r in records) for s in {r["status"] for r in records}},
        "tail": output.strip().splitlines()[-3:],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, help="reports (default samples/*.pdf)")
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--cold-llm", action="store_true", help="do not warm the LLM answer cache first")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.pdf"))
    model = resolve_local_model(Settings()).path
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    warm = Settings().cache_dir
    results = {"cpus": os.cpu_count(), "load_before": os.getloadavg(), "files": [f.name for f in files], "runs": []}
    try:
        if not args.cold_llm:
            print(f"warming the LLM answer cache in {warm} on {len(files)} documents …", flush=True)
            results["warmup"] = run_batch(files, 2, warm, work / "out-warm", model)
            print(json.dumps({k: v for k, v in results["warmup"].items() if k != "tail"}), flush=True)
        for jobs in args.jobs:
            cache = work / f"cache-{jobs}"
            if not args.cold_llm:
                shutil.copytree(warm / "llm", cache / "llm", ignore=shutil.ignore_patterns("server.log"))
            run = run_batch(files, jobs, cache, work / f"out-{jobs}", model)
            run["load_after"] = os.getloadavg()
            results["runs"].append(run)
            print(json.dumps({k: v for k, v in run.items() if k != "tail"}), flush=True)
        base = next((r for r in results["runs"] if r["jobs"] == 1), None)
        for r in results["runs"]:
            if base and r["docs_per_min"] and base["docs_per_min"]:
                r["speedup_vs_jobs1"] = round(r["docs_per_min"] / base["docs_per_min"], 2)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps([{k: r.get(k) for k in ("jobs", "wall_s", "docs_per_min", "speedup_vs_jobs1",
                                                 "peak_rss_tree_mb", "peak_rss_process_mb")}
                          for r in results["runs"]], indent=1))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
