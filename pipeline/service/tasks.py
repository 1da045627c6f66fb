"""The Celery task: one delivery of one job, with its outcome written to the database before the ack.

The message carries only the job id; the file and the settings come from the database, so a redelivered
or retried message runs exactly what was submitted. Nothing here raises to Celery except ``Retry`` and
``Reject``: every ending is written to the job row (succeeded, or failed with the reason) and the message is
then acked; when the database cannot take that write (or the start of the delivery), the message is
rejected back to the queue instead, so the job is never left queued or running with no message behind it.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from typing import NoReturn

from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery import Task, shared_task, signals
from celery.exceptions import Reject
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipeline.errors import ConfigError, InputError
from pipeline.service import jobs
from pipeline.service.celery_app import TASK_NAME
from pipeline.service.db import make_engine, session_factory
from pipeline.service.jobs import Outcome
from pipeline.service.settings import ServiceSettings
from pipeline.service.storage import FileStore
from pipeline.service.work import EndpointPool, LLMUnavailable, pipeline_settings, run_pipeline

log = logging.getLogger(__name__)

SETTLE_ATTEMPTS = 4  # over about 5 s: a database blip or failover does not cost a finished job
SETTLE_ERRORS = (SQLAlchemyError, SoftTimeLimitExceeded)  # the soft limit may strike while the row is written
GIVE_BACK_PAUSE_S = 5.0


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


@dataclass(frozen=True)
class Ending:
    """How a delivery ends, to be written to the job row: a record (``outcome``) or a failure (``reason``)."""

    outcome: Outcome | None = None
    reason: str | None = None


@shared_task(bind=True, name=TASK_NAME, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(self: Task, job_id: str) -> str:
    ctx = context()
    delivery = _begin(self, ctx, job_id)
    if delivery is None:
        return "skipped"
    return _settle(ctx, job_id, _run(self, ctx, job_id, delivery))


def _begin(task: Task, ctx: WorkerContext, job_id: str) -> jobs.Delivery | None:
    """Mark the job running for this message; a database error gives the message back to the broker rather
    than acknowledging it (which would leave the job 'queued' with no message, forever)."""
    worker = task.request.hostname or f"pid {os.getpid()}"
    try:
        with ctx.sessions() as s:
            return jobs.begin_delivery(s, job_id, worker, ctx.settings.max_lost_deliveries,
                                       message_id=task.request.id, lease_s=ctx.settings.lease_s)
    except SQLAlchemyError as e:
        _give_back(job_id, f"could not start it: database error: {_first_line(e)}")


def _run(task: Task, ctx: WorkerContext, job_id: str, delivery: jobs.Delivery) -> Ending:
    def on_stage(stage: str) -> None:
        try:
            with ctx.sessions() as s:
                jobs.set_stage(s, job_id, stage)
        except SQLAlchemyError as e:  # the stage is for display: a blip must not cost the job
            log.warning("job %s: could not show stage %s: %s", job_id, stage, _first_line(e))

    try:
        settings = pipeline_settings(delivery.snapshot)
        run = run_pipeline(ctx.store.path_for(delivery.sha256), settings, ctx.endpoints, on_stage)
    except LLMUnavailable as e:
        return _llm_down(task, ctx, job_id, str(e))
    except SoftTimeLimitExceeded:
        return Ending(reason=f"time limit of {ctx.settings.job_time_limit_s}s exceeded (job_time_limit_s)")
    except (InputError, ConfigError, ValueError) as e:
        return Ending(reason=str(e))
    except Exception as e:  # a bug or an unexpected fault: recorded, not redelivered forever
        log.exception("job %s failed", job_id)
        return Ending(reason=f"{type(e).__name__}: {e}")
    if run.unavailable is not None and (task.request.retries < ctx.settings.llm_retries or not run.answered):
        return _llm_down(task, ctx, job_id, run.unavailable)
    # retries spent but the model answered for some parts: keep that record; its errors name what is missing
    return Ending(outcome=run.outcome)


def _llm_down(task: Task, ctx: WorkerContext, job_id: str, reason: str) -> Ending:
    """Re-queue with exponential backoff while retries last (raises Retry), then fail with the reason."""
    retries = task.request.retries
    if retries < ctx.settings.llm_retries:
        delay = min(ctx.settings.llm_retry_backoff_max_s, ctx.settings.llm_retry_backoff_s * 2**retries)
        try:
            with ctx.sessions() as s:
                jobs.wait_for_retry(s, job_id, f"LLM unavailable: {reason}", delay)
        except SQLAlchemyError as e:
            _give_back(job_id, f"could not mark it for a retry: database error: {_first_line(e)}")
        raise task.retry(countdown=delay, max_retries=ctx.settings.llm_retries)
    return Ending(reason=f"LLM unavailable after {retries + 1} tries: {reason}")


def _settle(ctx: WorkerContext, job_id: str, ending: Ending) -> str:
    """Write the ending to the job row, riding out a short database outage; if it cannot be written the
    message goes back to the broker, so the job is run again rather than left 'running' forever."""
    try:
        for attempt in Retrying(stop=stop_after_attempt(SETTLE_ATTEMPTS), wait=wait_exponential(0.5, max=5),
                                retry=retry_if_exception_type(SETTLE_ERRORS), reraise=True):
            with attempt, ctx.sessions() as s:
                if ending.outcome is not None:
                    jobs.succeed(s, job_id, ending.outcome)
                else:
                    jobs.fail(s, job_id, ending.reason or "failed")
    except SETTLE_ERRORS as e:
        _give_back(job_id, f"could not record its end after {SETTLE_ATTEMPTS} tries: {_first_line(e)}")
    return "succeeded" if ending.outcome is not None else "failed"


def _give_back(job_id: str, why: str) -> NoReturn:
    """Requeue this message (not acknowledged) after a pause, so a database outage is not a busy loop."""
    log.warning("job %s: %s; the message goes back to the queue", job_id, why)
    time.sleep(GIVE_BACK_PAUSE_S)
    raise Reject(why, requeue=True)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


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
    try:
        _fail(ctx, args[0], f"killed at the hard time limit of {ctx.settings.job_time_limit_s}s")
    except SQLAlchemyError as e:  # the reaper re-queues it once its lease is over
        log.warning("job %s: could not record the hard time limit: %s", args[0], _first_line(e))
