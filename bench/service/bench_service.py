"""Service throughput: documents per minute with 1 and 2 worker processes, queue latency, worker memory.

Each run is cold and alike: a Redis of its own on a free port, a fresh SQLite database and data directory,
a fresh OCR/LLM cache (the joined model file is shared), `juesuan serve` and N `juesuan worker` processes.
All files are submitted at once over HTTP; the run ends when every job has settled. The runs for each worker
count follow one another in the same invocation, so their ratio is taken on the same machine and load.

    .venv/bin/python bench/service/bench_service.py [--workers 1 2] [--pages N] [--threads auto|0|N] [FILES ...]
    (default: the full samples/*.pdf; --pages N submits only the first N pages of each, for a quick run)

Each worker's llama.cpp server and OCR get cores / workers threads (--threads auto, what `juesuan worker
--concurrency N` does by itself); --threads 0 leaves every worker at every core, the libraries' default.

Throughput = documents / (last job finished − first submit). Queue latency = job started (running) − the
start of its upload; with more documents than workers it includes the wait behind earlier jobs, so the first
job's latency (an idle worker picking it up) is given apart. Worker memory = the peak, sampled every 0.5 s,
of the proportional set size (PSS: shared pages split between the processes sharing them) of each worker's
whole process tree: the Celery main process, its pool process and the llama.cpp server under it.
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
import threading
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


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (through /proc/<pid>/task/*/children)."""
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return tree


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class MemorySampler(threading.Thread):
    """Peak PSS of each worker's process tree, and of all workers together, sampled every ``interval`` s."""

    def __init__(self, workers: dict[str, int], interval: float = 0.5):
        super().__init__(daemon=True)
        self.workers = workers
        self.interval = interval
        self.peak = dict.fromkeys(workers, 0)
        self.peak_total = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            total = 0
            for name, pid in self.workers.items():
                kib = sum(pss_kib(p) for p in process_tree(pid))
                self.peak[name] = max(self.peak[name], kib)
                total += kib
            self.peak_total = max(self.peak_total, total)

    def stop(self) -> None:
        self.done.set()
        if self.is_alive():
            self.join(5)


class LoadSampler(threading.Thread):
    """The 1-minute load average, sampled every ``interval`` s while a run lasts."""

    def __init__(self, interval: float = 5.0):
        super().__init__(daemon=True)
        self.interval = interval
        self.samples = [os.getloadavg()[0]]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> None:
        self.done.set()
        if self.is_alive():
            self.join(10)


def first_pages(path: Path, pages: int, folder: Path) -> Path:
    import pymupdf

    with pymupdf.open(path) as src, pymupdf.open() as out:
        out.insert_pdf(src, from_page=0, to_page=min(pages, src.page_count) - 1)
        target = folder / f"{path.stem}-p{pages}.pdf"
        out.save(target, garbage=3, deflate=True)
    return target


def thread_env(threads: str, workers: int) -> dict[str, str]:
    """JUESUAN_LLM_THREADS / JUESUAN_OCR_THREADS for each worker: "auto" = cores / workers, "0" = the
    libraries' defaults (every core, for each worker), N = N."""
    n = max(1, len(os.sched_getaffinity(0)) // workers) if threads == "auto" else int(threads)
    return {"JUESUAN_LLM_THREADS": str(n), "JUESUAN_OCR_THREADS": str(n)}


def run(files: list[Path], workers: int, model_dir: Path, timeout_s: float, threads: str = "auto") -> dict:
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
            **thread_env(threads, workers),
        })
        procs: list[subprocess.Popen] = []
        memory, load = MemorySampler({}), LoadSampler()

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
            worker_pids = {}
            for i in range(workers):
                w = spawn([*juesuan(), "worker", "--name", f"w{i}@bench", "--log-level", "WARNING"], f"w{i}.log")
                worker_pids[f"w{i}"] = w.pid
            time.sleep(3)  # let the workers connect, so the first submit does not measure their start
            memory = MemorySampler(worker_pids)
            memory.start()
            load.start()

            client = httpx.Client(base_url=base, timeout=60)
            submitted: dict[str, float] = {}
            t0 = time.time()
            for f in files:
                with f.open("rb") as fh:
                    sent = time.time()  # the upload's start: latency includes the API's own work
                    r = client.post("/v1/documents", files={"file": (f.name, fh, "application/pdf")})
                r.raise_for_status()
                submitted[r.json()["job_id"]] = sent
            settled: dict[str, dict] = {}
            deadline = time.monotonic() + timeout_s
            while len(settled) < len(submitted):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(submitted) - len(settled)} job(s) still open after {timeout_s:.0f}s")
                for job_id in submitted.keys() - settled.keys():
                    j = client.get(f"/v1/jobs/{job_id}").json()
                    if j["status"] in ("succeeded", "failed"):
                        settled[job_id] = j
                        print(f"  {workers} worker(s): {len(settled)}/{len(submitted)} settled at "
                              f"+{time.time() - t0:.0f}s ({j['status']} on {j['worker']})", flush=True)
                time.sleep(1)
        finally:
            memory.stop()
            load.stop()
            for p in reversed(procs):
                stop(p)

    def ts(value: str) -> float:
        return datetime.fromisoformat(value).timestamp()

    finished = max(ts(j["finished_at"]) for j in settled.values())
    latencies = sorted(ts(j["started_at"]) - submitted[k] for k, j in settled.items())
    mib = 1024
    first = min(submitted, key=submitted.get)
    wall = finished - t0
    return {
        "workers": workers,
        "threads_per_worker": int(env["JUESUAN_LLM_THREADS"]) or "all cores",
        "documents": len(files),
        "failed": sum(j["status"] == "failed" for j in settled.values()),
        "wall_s": round(wall, 1),
        "docs_per_min": round(len(files) / wall * 60, 3),
        "queue_latency_first_s": round(ts(settled[first]["started_at"]) - submitted[first], 2),
        "queue_latency_p50_s": round(statistics.median(latencies), 2),
        "queue_latency_p90_s": round(percentile(latencies, 90), 2),
        "queue_latency_max_s": round(latencies[-1], 2),
        "job_s": sorted(round(ts(j["finished_at"]) - ts(j["started_at"]), 1) for j in settled.values()),
        "errors": sorted({j["error"] for j in settled.values() if j.get("error")}),
        "peak_pss_mib_per_worker": {k: round(v / mib) for k, v in memory.peak.items()},
        "peak_pss_mib_all_workers": round(memory.peak_total / mib),
        "load_avg_1m": {"min": round(min(load.samples), 2), "mean": round(statistics.mean(load.samples), 2),
                        "max": round(max(load.samples), 2)},
    }


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.rstrip()
    except (OSError, subprocess.CalledProcessError):
        return " load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--pages", type=int, help="submit only the first N pages of each file (a quick run)")
    parser.add_argument("--threads", default="auto",
                        help="LLM and OCR threads per worker: auto = cores / workers (default), 0 = every core "
                             "for each worker (the libraries' default), or a number")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.pdf"))
    # stop our servers and workers (finally blocks) on SIGTERM too, and on Ctrl-C even when started with &
    def terminated(*_) -> None:
        print("stopped by SIGTERM", file=sys.stderr, flush=True)
        sys.exit(143)

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.pages:
        files = [first_pages(f, args.pages, Path(tempfile.mkdtemp(prefix="bench-pages-"))) for f in files]

    sys.path.insert(0, str(ROOT))
    from pipeline.config import Settings
    from pipeline.llm.models import resolve_local_model

    model_dir = resolve_local_model(Settings()).path.parent
    print(f"{len(files)} file(s), worker counts {args.workers}; uptime:{uptime()}", flush=True)
    results = []
    for n in args.workers:
        result = run(files, n, model_dir, args.timeout, args.threads)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if len(results) >= 2:
        base = results[0]["docs_per_min"]
        for r in results[1:]:
            print(f"{r['workers']} vs {results[0]['workers']} worker(s): x{r['docs_per_min'] / base:.2f}")
    print(f"at the end, on {os.cpu_count()} cores; uptime:{uptime()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
