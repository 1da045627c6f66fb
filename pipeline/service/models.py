"""Tables: uploaded documents, jobs (one per document and pipeline settings) and their records.

Uniqueness carries the guarantees: one document per sha256, one job per (document, settings key), one
record per job. A duplicate upload or a redelivered job therefore finds the row it would have made.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

JobStatus = Literal["queued", "running", "succeeded", "failed"]
JOB_STATUSES: tuple[str, ...] = ("queued", "running", "succeeded", "failed")


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Document(Base):
    """An uploaded file: its hash names it on disk; the client's filename is metadata only."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Job(Base):
    """One run of the pipeline on a document under one set of settings; ``attempts`` counts deliveries."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("document_id", "settings_key", name="uq_jobs_document_settings"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    settings_key: Mapped[str] = mapped_column(String(64), nullable=False)
    settings_json: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="queued", index=True)
    stage: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lost_deliveries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    retries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    worker: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the broker message last sent for (or running) this job, and until when its running delivery can be
    # alive (start + the hard time limit + grace): past that the job is re-queued (pipeline/service/reaper.py)
    message_id: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class RecordRow(Base):
    """The pipeline's answer for a job: the record, its validation report and ledger, as JSON."""

    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), unique=True, nullable=False)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), nullable=False, index=True)
    department: Mapped[str | None] = mapped_column(String(255), index=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    record_json: Mapped[str] = mapped_column(Text, nullable=False)
    validation_json: Mapped[str | None] = mapped_column(Text)
    ledger_json: Mapped[str | None] = mapped_column(Text)
    errors_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    # status_reasons and rejected, as in the record file (null for records stored before they were kept)
    details_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
