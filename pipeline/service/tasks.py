"""The Celery task: one delivery of one job, with its outcome written to the database before the ack.

The message carries only the job id; the file and the settings come from the database, so a redelivered
or retried message runs exactly what was submitted. Nothing here raises to Celery except ``Retry``: every
ending is written to the job row (succeeded, or failed with the reason) and the message is then acked.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery import Task, shared_task, signals
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pipeline.errors import ConfigError, InputError
from pipeline.service import jobs
from pipeline.service.celery_app import TASK_NAME
from pipeline.service.db import make_engine, session_factory
from pipeline.service.settings import ServiceSettings
from pipeline.service.storage import FileStore
from pipeline.service.work import EndpointPool, LLMUnavailable, pipeline_settings, run_pipeline

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    """What a worker process holds between jobs; built lazily in each process (after a prefork fork)."""

    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    store: FileStore
    endpoints: EndpointPool = field(default_factory=EndpointPool)
    pid: int = field(default_factory=os.getpid)


_context: WorkerContext | None = None


def context() -> WorkerContext:
    global _context
    if _context is None or _context.pid != os.getpid():
        settings = ServiceSettings()
        engine = make_engine(settings.db_url)
        _context = WorkerContext(settings, engine, session_factory(engine), FileStore(settings.data_dir))
    return _context


@signals.worker_process_shutdown.connect
def _close_endpoints(**_kwargs) -> None:
    if _context is not None and _context.pid == os.getpid():
        _context.endpoints.close()


@shared_task(bind=True, name=TASK_NAME, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(self: Task, job_id: str) -> str:
    ctx = context()
    worker = self.request.hostname or f"pid {os.getpid()}"
    with ctx.sessions() as s:
        delivery = jobs.begin_delivery(s, job_id, worker, ctx.settings.max_lost_deliveries)
    if delivery is None:
        return "skipped"

    def on_stage(stage: str) -> None:
        with ctx.sessions() as s:
            jobs.set_stage(s, job_id, stage)

    try:
        settings = pipeline_settings(delivery.snapshot)
        run = run_pipeline(ctx.store.path_for(delivery.sha256), settings, ctx.endpoints, on_stage)
    except LLMUnavailable as e:
        return _llm_down(self, ctx, job_id, str(e))
    except SoftTimeLimitExceeded:
        return _fail(ctx, job_id, f"time limit of {ctx.settings.job_time_limit_s}s exceeded (job_time_limit_s)")
    except (InputError, ConfigError, ValueError) as e:
        return _fail(ctx, job_id, str(e))
    except Exception as e:  # a bug or an unexpected fault: recorded, not redelivered forever
        log.exception("job %s failed", job_id)
        return _fail(ctx, job_id, f"{type(e).__name__}: {e}")
    if run.unavailable is not None and (self.request.retries < ctx.settings.llm_retries or not run.answered):
        return _llm_down(self, ctx, job_id, run.unavailable)
    # retries spent but the model answered for some parts: keep that record; its errors name what is missing
    with ctx.sessions() as s:
        jobs.succeed(s, job_id, run.outcome)
    return "succeeded"


def _llm_down(task: Task, ctx: WorkerContext, job_id: str, reason: str) -> str:
    """Re-queue with exponential backoff while retries last (raises Retry), then fail with the reason."""
    retries = task.request.retries
    if retries < ctx.settings.llm_retries:
        delay = min(ctx.settings.llm_retry_backoff_max_s, ctx.settings.llm_retry_backoff_s * 2**retries)
        with ctx.sessions() as s:
            jobs.wait_for_retry(s, job_id, f"LLM unavailable: {reason}", delay)
        raise task.retry(countdown=delay, max_retries=ctx.settings.llm_retries)
    return _fail(ctx, job_id, f"LLM unavailable after {retries + 1} tries: {reason}")


def _fail(ctx: WorkerContext, job_id: str, reason: str) -> str:
    with ctx.sessions() as s:
        jobs.fail(s, job_id, reason)
    return "failed"


@signals.task_failure.connect
def _hard_time_limit(sender=None, task_id=None, exception=None, args=None, **_kwargs) -> None:
    """The pool killed a job at the hard time limit: its code never got to say so, the parent does."""
    if getattr(sender, "name", None) != TASK_NAME or not isinstance(exception, TimeLimitExceeded) or not args:
        return
    ctx = context()
    _fail(ctx, args[0], f"killed at the hard time limit of {ctx.settings.job_time_limit_s}s")
