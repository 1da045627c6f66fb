"""The API's request and response models (what /docs shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from pipeline.service.models import Document, Job, RecordRow


class SubmitOut(BaseModel):
    job_id: str
    document_id: str
    status: str
    duplicate: bool = Field(description="the same file under the same settings was submitted before")


class JobOut(BaseModel):
    id: str
    document_id: str
    status: Literal["queued", "running", "succeeded", "failed"]
    stage: str | None = Field(None, description="while running: llm, ocr, layout, extract, validate, repair, storing")
    error: str | None = Field(None, description="why it failed (or why a retry is pending)")
    attempts: int = Field(description="deliveries of this job to a worker since it was (re)submitted")
    lost_deliveries: int = Field(description="deliveries whose worker died mid-job")
    retries: int = Field(description="times it was put back by POST /v1/jobs/{id}/retry")
    worker: str | None = None
    created_at: datetime
    enqueued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls.model_validate(job, from_attributes=True)


class DocumentOut(BaseModel):
    id: str
    sha256: str
    filename: str = Field(description="as the client named it; metadata only")
    size: int
    created_at: datetime
    jobs: list[JobOut] = Field(default_factory=list)

    @classmethod
    def of(cls, document: Document, jobs: list[Job]) -> DocumentOut:
        return cls(id=document.id, sha256=document.sha256, filename=document.filename, size=document.size,
                   created_at=document.created_at, jobs=[JobOut.of(j) for j in jobs])


class RecordSummary(BaseModel):
    id: str
    document_id: str
    job_id: str
    filename: str
    department: str | None
    fiscal_year: int | None
    status: str
    created_at: datetime

    @classmethod
    def of(cls, row: RecordRow, document: Document) -> RecordSummary:
        return cls(id=row.id, document_id=row.document_id, job_id=row.job_id, filename=document.filename,
                   department=row.department, fiscal_year=row.fiscal_year, status=row.status,
                   created_at=row.created_at)


class RecordPage(BaseModel):
    items: list[RecordSummary]
    total: int
    limit: int
    offset: int


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(default_factory=dict)
