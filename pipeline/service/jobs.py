"""Job bookkeeping in the database: submit, each delivery's start and end, retry, and the read queries.

Every state change is one short transaction, so that what the API shows is what the workers did. A
delivery that finds its job still 'running' knows the delivery before it died mid-job (a killed worker);
those are counted, and a document that kills its worker every time ends 'failed' instead of looping.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import pipeline
from pipeline.config import Settings
from pipeline.service.models import Document, Job, RecordRow, utcnow
from pipeline.service.storage import StoredFile

# Settings that say where or how fast a machine runs, not what the pipeline answers: left out of the
# idempotency key and taken from each worker's own environment.
MACHINE_LOCAL = frozenset({
    "cache_dir", "use_cache", "ocr_threads", "paddle_det_model_dir", "paddle_rec_model_dir",
    "llm_base_url", "llm_api_key", "llm_threads", "llm_attempts", "llm_backoff_s", "llm_backoff_max_s",
    "llm_timeout_s", "llm_max_concurrency", "llm_start_timeout_s", "max_file_mb",
})


def pipeline_fingerprint(settings: Settings) -> tuple[str, dict]:
    """The settings that shape a record (plus the package version) and their hash: the idempotency key."""
    snapshot = {
        name: value
        for name, value in settings.model_dump(mode="json").items()
        if name not in MACHINE_LOCAL and not isinstance(getattr(settings, name), SecretStr)
    }
    keyed = {"version": pipeline.__version__, "settings": snapshot}
    key = hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()
    return key, snapshot


@dataclass(frozen=True)
class Submission:
    job: Job
    document: Document
    created: bool  # False: the same file under the same settings was submitted before


def submit(session: Session, stored: StoredFile, filename: str, settings_key: str, snapshot: dict) -> Submission:
    """The document and job for this file and settings, created only when they do not exist yet."""
    document, _ = _get_or_create(
        session,
        select(Document).where(Document.sha256 == stored.sha256),
        lambda: Document(sha256=stored.sha256, filename=filename, size=stored.size),
    )
    job, created = _get_or_create(
        session,
        select(Job).where(Job.document_id == document.id, Job.settings_key == settings_key),
        lambda: Job(document_id=document.id, settings_key=settings_key, settings_json=json.dumps(snapshot)),
    )
    return Submission(job=job, document=document, created=created)


def _get_or_create(session: Session, query, make) -> tuple:
    """(row, created): insert-or-find that survives a concurrent insert of the same row (the unique key
    decides who created it)."""
    found = session.scalars(query).first()
    if found is not None:
        return found, False
    row = make()
    try:
        with session.begin_nested():
            session.add(row)
        session.commit()
        return row, True
    except IntegrityError:
        session.rollback()
        return session.scalars(query).one(), False


def needs_enqueue(job: Job) -> bool:
    """A queued job whose message never reached the broker (it was down at submit time)."""
    return job.status == "queued" and job.enqueued_at is None


def claim_send(session: Session, job_id: str, message_id: str) -> bool:
    """Claim the one send of a queued job's message; True for exactly one of any number of racing callers.

    The claim is a conditional UPDATE (``enqueued_at IS NULL`` → now), so however many uploads of the same
    file arrive at once, one message reaches the broker; the others find the job already claimed.
    """
    claimed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued", Job.enqueued_at.is_(None))
        .values(enqueued_at=utcnow(), message_id=message_id, updated_at=utcnow())
    ).rowcount
    session.commit()
    return claimed == 1


def release_send(session: Session, job_id: str, message_id: str) -> None:
    """The claimed send failed (broker down): unclaim it, so the next upload, retry or the reaper sends it."""
    session.execute(
        update(Job).where(Job.id == job_id, Job.message_id == message_id).values(enqueued_at=None, message_id=None)
    )
    session.commit()


@dataclass(frozen=True)
class Delivery:
    """What a worker needs to run a job: the stored file's hash and the settings it was submitted under."""

    job_id: str
    sha256: str
    snapshot: dict
    attempt: int


def begin_delivery(session: Session, job_id: str, worker: str, max_lost: int, message_id: str | None = None,
                   lease_s: float | None = None) -> Delivery | None:
    """Mark the job running for this delivery; None when there is nothing to do (finished, poison, or a
    duplicate message while a live delivery holds the job).

    ``message_id`` names the broker message; ``lease_s`` bounds how long this delivery can be alive (the
    hard time limit kills it by then). A job found running under a live lease of another message is left to
    it; found running otherwise (the same message redelivered, or the lease over), its holder died.
    """
    job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()
    if job is None or job.status in ("succeeded", "failed"):
        session.rollback()
        return None  # a stale or duplicate message: the job is already settled
    now = utcnow()
    if job.status == "running":
        if message_id != job.message_id and job.lease_until is not None and job.lease_until > now:
            session.rollback()
            return None  # a duplicate message: the delivery running the job is alive
        job.lost_deliveries += 1  # the delivery before this one never finished: its worker died
    job.attempts += 1
    if job.lost_deliveries >= max_lost:
        job.status = "failed"
        job.stage = None
        job.error = (
            f"gave up after {job.lost_deliveries} deliveries died mid-job (worker killed or crashed; "
            f"last on {job.worker}): the document may crash the pipeline. Retry with POST /v1/jobs/{job.id}/retry"
        )
        job.finished_at = now
        job.lease_until = None
        session.commit()
        return None
    job.status = "running"
    job.stage = "starting"
    job.worker = worker
    job.started_at = now
    job.finished_at = None
    job.message_id = message_id
    job.lease_until = now + timedelta(seconds=lease_s) if lease_s is not None else None
    document = session.get(Document, job.document_id)
    assert document is not None
    delivery = Delivery(job_id=job.id, sha256=document.sha256, snapshot=json.loads(job.settings_json),
                        attempt=job.attempts)
    session.commit()
    return delivery


def set_stage(session: Session, job_id: str, stage: str) -> None:
    job = session.get(Job, job_id)
    if job is not None and job.status == "running":
        job.stage = stage[:64]
        session.commit()


@dataclass(frozen=True)
class Outcome:
    """The pipeline's answer for one document, serialized for storage."""

    status: str
    department: str | None
    fiscal_year: int | None
    record_json: str
    validation_json: str | None
    ledger_json: str | None
    errors: list[dict]
    details: dict = field(default_factory=dict)  # status_reasons, rejected: what the review page lists


def succeed(session: Session, job_id: str, outcome: Outcome) -> None:
    """Store the record and settle the job in one transaction; a second delivery stores nothing more."""
    job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).one()
    existing = session.scalars(select(RecordRow).where(RecordRow.job_id == job_id)).first()
    if existing is None:
        session.add(RecordRow(
            job_id=job.id, document_id=job.document_id, department=outcome.department,
            fiscal_year=outcome.fiscal_year, status=outcome.status, record_json=outcome.record_json,
            validation_json=outcome.validation_json, ledger_json=outcome.ledger_json,
            errors_json=json.dumps(outcome.errors, ensure_ascii=False),
            details_json=json.dumps(outcome.details, ensure_ascii=False),
        ))
    job.status = "succeeded"
    job.stage = None
    job.error = None
    job.finished_at = utcnow()
    job.lease_until = None
    try:
        session.commit()
    except IntegrityError:  # a concurrent delivery stored it first: that record stands
        session.rollback()
        job = session.get(Job, job_id)
        if job is not None and job.status != "succeeded":
            job.status, job.stage, job.error, job.finished_at = "succeeded", None, None, utcnow()
            session.commit()


def fail(session: Session, job_id: str, reason: str) -> None:
    job = session.get(Job, job_id)
    if job is None or job.status == "succeeded":
        return
    job.status = "failed"
    job.stage = None
    job.error = reason[:4000]
    job.finished_at = utcnow()
    job.lease_until = None
    session.commit()


def wait_for_retry(session: Session, job_id: str, reason: str, delay_s: float) -> None:
    """Back to 'queued' while a delayed re-delivery waits (so it is not mistaken for a lost one)."""
    job = session.get(Job, job_id)
    if job is None or job.status != "running":
        return
    job.status = "queued"
    job.stage = f"retry in {delay_s:.0f}s"
    job.error = reason[:4000]
    job.lease_until = None
    job.enqueued_at = utcnow()  # the retry's message is sent now: the reaper's "queued too long" counts from here
    session.commit()


class NotRetryable(ValueError):
    pass


def retry(session: Session, job_id: str) -> Job:
    """Put a failed job back in the queue with a fresh delivery budget; the caller enqueues it."""
    job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()
    if job is None:
        raise KeyError(job_id)
    if job.status != "failed":
        session.rollback()
        raise NotRetryable(f"job {job_id} is {job.status}; only failed jobs can be retried")
    job.status = "queued"
    job.stage = None
    job.attempts = 0
    job.lost_deliveries = 0
    job.retries += 1
    job.enqueued_at = None
    job.message_id = None
    job.started_at = None
    job.finished_at = None
    session.commit()
    return job


# --- read side -----------------------------------------------------------------------------------------


def record_for_document(session: Session, document_id: str, job_id: str | None = None) -> RecordRow | None:
    """The newest record of a document (or the one of ``job_id``)."""
    query = select(RecordRow).where(RecordRow.document_id == document_id)
    if job_id is not None:
        query = query.where(RecordRow.job_id == job_id)
    return session.scalars(query.order_by(RecordRow.created_at.desc())).first()


def latest_job(session: Session, document_id: str) -> Job | None:
    return session.scalars(
        select(Job).where(Job.document_id == document_id).order_by(Job.created_at.desc())
    ).first()


def list_records(
    session: Session, *, department: str | None, year: int | None, status: str | None, limit: int, offset: int
) -> tuple[list[tuple[RecordRow, Document]], int]:
    """Records newest first, filtered by department (substring, any case), fiscal year and status."""
    query = select(RecordRow, Document).join(Document, Document.id == RecordRow.document_id)
    if department:
        query = query.where(func.lower(RecordRow.department).contains(department.lower(), autoescape=True))
    if year is not None:
        query = query.where(RecordRow.fiscal_year == year)
    if status:
        query = query.where(RecordRow.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(RecordRow.created_at.desc(), RecordRow.id).limit(limit).offset(offset))
    return [(r, d) for r, d in rows.all()], total

