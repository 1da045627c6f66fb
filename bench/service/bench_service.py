"""Service throughput: documents per minute with 1 and 2 worker processes, and queue latency.

Each run is cold and alike: a Redis of its own on a free port, a fresh SQLite database and data directory,
a fresh OCR/LLM cache (the joined model file is shared), `juesuan serve` and N `juesuan worker` processes.
All files are submitted at once over HTTP; the run ends when every job has settled.

    .venv/bin/python bench/service/bench_service.py [--workers 1 2] [FILES ...]   (default: samples/*.pdf)

Throughput = documents / (last job finished − first submit). Queue latency = job started (running) −
its submit; with more documents than workers it includes the wait behind earlier jobs, so the first job's
latency (an idle worker picking it up) is given apart.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def juesuan() -> list[str]:
    script = Path(sys.executable).parent / "juesuan"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from pipeline.cli import app; app()"]


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.2)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def first_pages(path: Path, pages: int, folder: Path) -> Path:
    import pymupdf

    with pymupdf.open(path) as src, pymupdf.open() as out:
        out.insert_pdf(src, from_page=0, to_page=min(pages, src.page_count) - 1)
        target = folder / f"{path.stem}-p{pages}.pdf"
        out.save(target, garbage=3, deflate=True)
    return target


def run(files: list[Path], workers: int, model_dir: Path, timeout_s: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        cache.mkdir()
        (cache / "models").symlink_to(model_dir, target_is_directory=True)
        redis_port, api_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
        env.update({
            "JUESUAN_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "JUESUAN_DATA_DIR": str(tmp_path / "data"),
            "JUESUAN_CACHE_DIR": str(cache),
            "JUESUAN_QUEUE": "bench",
        })
        procs: list[subprocess.Popen] = []

        def spawn(args: list[str], log: str) -> subprocess.Popen:
            with (tmp_path / log).open("wb") as out:
                p = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            procs.append(p)
            return p

        try:
            spawn(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(tmp_path)], "redis.log")
            wait_until(lambda: port_open(redis_port), 10, "redis")
            spawn([*juesuan(), "serve", "--port", str(api_port), "--log-level", "warning"], "api.log")
            base = f"http://127.0.0.1:{api_port}"
            wait_until(lambda: port_open(api_port), 60, "api")
            for i in range(workers):
                spawn([*juesuan(), "worker", "--name", f"w{i}@bench", "--log-level", "WARNING"], f"w{i}.log")
            time.sleep(3)  # let the workers connect, so the first submit does not measure their start

            client = httpx.Client(base_url=base, timeout=60)
            submitted: dict[str, float] = {}
            t0 = time.time()
            for f in files:
                with f.open("rb") as fh:
                    r = client.post("/v1/documents", files={"file": (f.name, fh, "application/pdf")})
                r.raise_for_status()
                submitted[r.json()["job_id"]] = time.time()
            settled: dict[str, dict] = {}
            deadline = time.monotonic() + timeout_s
            while len(settled) < len(submitted):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(submitted) - len(settled)} job(s) still open after {timeout_s:.0f}s")
                for job_id in submitted.keys() - settled.keys():
                    j = client.get(f"/v1/jobs/{job_id}").json()
                    if j["status"] in ("succeeded", "failed"):
                        settled[job_id] = j
                time.sleep(1)
        finally:
            for p in reversed(procs):
                stop(p)

    def ts(value: str) -> float:
        return datetime.fromisoformat(value).timestamp()

    finished = max(ts(j["finished_at"]) for j in settled.values())
    latencies = sorted(ts(j["started_at"]) - submitted[k] for k, j in settled.items())
    first = min(submitted, key=submitted.get)
    wall = finished - t0
    return {
        "workers": workers,
        "documents": len(files),
        "failed": sum(j["status"] == "failed" for j in settled.values()),
        "wall_s": round(wall, 1),
        "docs_per_min": round(len(files) / wall * 60, 3),
        "queue_latency_first_s": round(ts(settled[first]["started_at"]) - submitted[first], 2),
        "queue_latency_median_s": round(statistics.median(latencies), 2),
        "queue_latency_max_s": round(latencies[-1], 2),
        "job_s": sorted(round(ts(j["finished_at"]) - ts(j["started_at"]), 1) for j in settled.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--pages", type=int, help="submit only the first N pages of each file (a shorter run)")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.pdf"))
    # stop our servers and workers (finally blocks) on SIGTERM too, and on Ctrl-C even when started with &
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.pages:
        files = [first_pages(f, args.pages, Path(tempfile.mkdtemp(prefix="bench-pages-"))) for f in files]

    sys.path.insert(0, str(ROOT))
    from pipeline.config import Settings
    from pipeline.llm.models import resolve_local_model

    model_dir = resolve_local_model(Settings()).path.parent
    results = []
    for n in args.workers:
        result = run(files, n, model_dir, args.timeout)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if len(results) >= 2:
        base = results[0]["docs_per_min"]
        for r in results[1:]:
            print(f"{r['workers']} vs {results[0]['workers']} worker(s): x{r['docs_per_min'] / base:.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
