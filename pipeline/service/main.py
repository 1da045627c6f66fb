"""Process entry points behind ``juesuan serve`` and ``juesuan worker``."""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping

from pipeline.service.auth import check_bind
from pipeline.service.settings import ServiceSettings


def serve(host: str, port: int, log_level: str = "info") -> None:
    """Run the API under uvicorn; refuses a non-loopback address without a token (ConfigError)."""
    import uvicorn

    from pipeline.service.api import create_app

    settings = ServiceSettings()
    check_bind(host, settings.api_token)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=False)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split_cores(concurrency: int, environ: MutableMapping[str, str] | None = None) -> None:
    """With N jobs at once, give each job's llama.cpp server and OCR cores / N threads, unless the thread
    settings are given. Left at "all cores" each, the jobs' threads spin-wait on cores the other jobs hold:
    on 2 cores, 2 jobs at once took several times longer each than one after the other (bench/service)."""
    environ = os.environ if environ is None else environ
    if concurrency > 1:
        share = str(max(1, usable_cores() // concurrency))
        environ.setdefault("JUESUAN_LLM_THREADS", share)
        environ.setdefault("JUESUAN_OCR_THREADS", share)


def worker(concurrency: int = 1, pool: str = "prefork", name: str | None = None, log_level: str = "INFO") -> None:
    """Run a Celery worker on the service queue, after bringing the database schema up to date."""
    from pipeline.service.celery_app import app
    from pipeline.service.db import make_engine, migrate

    settings = ServiceSettings()
    engine = make_engine(settings.db_url)
    migrate(engine)
    engine.dispose()  # forked pool processes open their own connections
    split_cores(concurrency)  # inherited by the pool processes, read by their pipeline settings
    argv = [
        "worker", f"--loglevel={log_level}", f"--concurrency={concurrency}", f"--pool={pool}",
        "--queues", settings.queue, "--hostname", name or f"juesuan@{socket.gethostname()}",
        # no broadcast chatter between workers: jobs are coordinated through the queue and the database
        "--without-gossip", "--without-mingle",
    ]
    app.worker_main(argv)
