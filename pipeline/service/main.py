"""Process entry points behind ``juesuan serve`` and ``juesuan worker``."""

from __future__ import annotations

import socket

from pipeline.service.auth import check_bind
from pipeline.service.settings import ServiceSettings


def serve(host: str, port: int, log_level: str = "info") -> None:
    """Run the API under uvicorn; refuses a non-loopback address without a token (ConfigError)."""
    import uvicorn

    from pipeline.service.api import create_app

    settings = ServiceSettings()
    check_bind(host, settings.api_token)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=False)


def worker(concurrency: int = 1, pool: str = "prefork", name: str | None = None, log_level: str = "INFO") -> None:
    """Run a Celery worker on the service queue, after bringing the database schema up to date."""
    from pipeline.service.celery_app import app
    from pipeline.service.db import make_engine, migrate

    settings = ServiceSettings()
    engine = make_engine(settings.db_url)
    migrate(engine)
    engine.dispose()  # forked pool processes open their own connections
    argv = [
        "worker", f"--loglevel={log_level}", f"--concurrency={concurrency}", f"--pool={pool}",
        "--queues", settings.queue, "--hostname", name or f"juesuan@{socket.gethostname()}",
        # no broadcast chatter between workers: jobs are coordinated through the queue and the database
        "--without-gossip", "--without-mingle",
    ]
    app.worker_main(argv)
