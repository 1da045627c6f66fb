"""Process entry points behind ``juesuan serve`` and ``juesuan worker``."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pipeline.errors import ConfigError, validation_summary
from pipeline.service.auth import check_bind
from pipeline.service.settings import ServiceSettings


def load_settings() -> ServiceSettings:
    """The service settings from JUESUAN_*, or one ConfigError line naming what is wrong."""
    try:
        return ServiceSettings()
    except ValidationError as e:
        raise ConfigError(f"service settings (JUESUAN_*): {validation_summary(e)}") from e


@contextmanager
def startup_errors(settings: ServiceSettings) -> Iterator[None]:
    """Turn what a misconfigured service fails with at start-up (an unparseable or unreachable database,
    a data folder it cannot write) into one ConfigError line naming the setting, instead of a traceback."""
    check_data_dir(settings.data_dir)
    try:
        yield
    except ArgumentError as e:
        raise ConfigError(f"database_url: cannot use {settings.db_url!r} ({_first_line(e)}); e.g. "
                          "postgresql+psycopg://user@host/juesuan (JUESUAN_DATABASE_URL)") from e
    except (SQLAlchemyError, ImportError) as e:
        raise ConfigError(f"database_url: cannot open the database at {_safe_url(settings.db_url)} "
                          f"({_first_line(e)}) (JUESUAN_DATABASE_URL)") from e


def check_data_dir(folder: Path) -> None:
    """The data folder exists (or can be made) and takes a file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise ConfigError(f"data_dir: {folder} is not a folder the service can write ({e.strerror or e}) "
                          "(JUESUAN_DATA_DIR)") from e


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def serve(host: str, port: int, log_level: str = "info") -> None:
    """Run the API under uvicorn; refuses a non-loopback address without a token (ConfigError)."""
    settings = load_settings()  # before importing the API: its Celery app reads the settings at import
    check_bind(host, settings.api_token)
    import uvicorn

    from pipeline.service.api import create_app

    with startup_errors(settings):
        app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)


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
    from pipeline.service.db import make_engine, migrate

    settings = load_settings()
    with startup_errors(settings):
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
    from pipeline.service.celery_app import app  # reads the settings checked above

    app.worker_main(argv)
