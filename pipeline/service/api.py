"""The HTTP API (v1): take PDF uploads, queue them, and serve jobs, records and their review.

Order of a submission: the bytes are stored and fsynced, the document and job rows committed, and only then
is the job id sent to the broker, so a queued message always has its file and its row. A broker that is
down leaves a committed, queued job that the next identical upload (or a retry) enqueues.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

from celery import Celery
from fastapi import Depends, FastAPI, File, HTTPException, Path, Query, Request, UploadFile, status
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import pipeline
from pipeline.config import Settings
from pipeline.record import Record
from pipeline.service import jobs
from pipeline.service.auth import BearerAuth
from pipeline.service.celery_app import TASK_NAME, make_celery
from pipeline.service.db import make_engine, migrate, ping, session_factory
from pipeline.service.models import Document, Job, RecordRow
from pipeline.service.review import output_of, review_html, table_csv, workbook
from pipeline.service.schemas import DocumentOut, Health, JobOut, RecordPage, RecordSummary, SubmitOut
from pipeline.service.settings import ServiceSettings
from pipeline.service.storage import FileStore, UploadRejected, display_name
from pipeline.validate import ValidationReport

log = logging.getLogger(__name__)

Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="a 32-hex-digit id")]
Lang = Annotated[str, Query(pattern="^(zh|en)$", description="headers and words: zh (default) or en")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART_SLACK = 64 * 1024  # room for the multipart envelope around the file itself


class BodyLimit:
    """Refuse request bodies over the upload limit before they are spooled to disk (HTTP 413)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "request body too large")
            return message

        await self.app(scope, counted, send)


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


DB = Annotated[Session, Depends(_session)]


async def _too_large(send: Send, limit: int) -> None:
    body = b'{"detail":"request body larger than the upload limit"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: ServiceSettings | None = None, pipeline_config: Settings | None = None,
               celery: Celery | None = None) -> FastAPI:
    """The API for these settings; migrates the database first. ``pipeline_config``: the pipeline
    settings jobs are submitted under (default: from JUESUAN_* like the CLI)."""
    settings = settings or ServiceSettings()
    engine = make_engine(settings.db_url)
    migrate(engine)
    sessions = session_factory(engine)
    store = FileStore(settings.data_dir)
    celery = celery or make_celery(settings)
    settings_key, snapshot = jobs.pipeline_fingerprint(pipeline_config or Settings())
    auth = Depends(BearerAuth(settings.api_token))

    app = FastAPI(
        title="juesuan",
        version=pipeline.__version__,
        description="Scanned 部门决算 reports in, verified records out: upload a PDF, poll its job, read the record.",
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + MULTIPART_SLACK)
    app.state.engine = engine
    app.state.sessions = sessions

    def enqueue(session: Session, job: Job) -> None:
        celery.send_task(TASK_NAME, args=[job.id], queue=settings.queue)
        jobs.mark_enqueued(session, job.id)

    @app.post("/v1/documents", response_model=SubmitOut, status_code=status.HTTP_202_ACCEPTED,
              dependencies=[auth], responses={200: {"model": SubmitOut, "description": "already submitted"},
                                              413: {}, 415: {}, 503: {}})
    def submit_document(
        session: DB, response: Response,
        file: Annotated[UploadFile, File(description="the report, a PDF")],
    ) -> SubmitOut:
        """Store a PDF and queue it. The same file under the same settings returns the same job."""
        try:
            stored = store.save(file.file, settings.max_upload_bytes)
        except UploadRejected as e:
            raise HTTPException(e.status, e.reason) from e
        sub = jobs.submit(session, stored, display_name(file.filename), settings_key, snapshot)
        if sub.created or jobs.needs_enqueue(sub.job):
            try:
                enqueue(session, sub.job)
            except Exception as e:  # broker down: the job stays committed and queued
                log.warning("could not enqueue job %s: %s", sub.job.id, e)
                raise HTTPException(
                    status.HTTP_503_SERVICE_UNAVAILABLE,
                    f"stored as job {sub.job.id} but the queue is unreachable; submit again to enqueue it",
                ) from e
        if not sub.created:
            response.status_code = status.HTTP_200_OK
        return SubmitOut(job_id=sub.job.id, document_id=sub.document.id, status=sub.job.status,
                         duplicate=not sub.created)

    @app.get("/v1/jobs/{job_id}", response_model=JobOut, dependencies=[auth])
    def get_job(job_id: Id, session: DB) -> JobOut:
        """A job's status (queued, running with its stage, succeeded, failed with the reason)."""
        return JobOut.of(_job(session, job_id))

    @app.post("/v1/jobs/{job_id}/retry", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED,
              dependencies=[auth], responses={409: {}})
    def retry_job(job_id: Id, session: DB) -> JobOut:
        """Queue a failed job again, with a fresh delivery budget."""
        try:
            job = jobs.retry(session, job_id)
        except KeyError as e:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no job {job_id}") from e
        except jobs.NotRetryable as e:
            raise HTTPException(status.HTTP_409_CONFLICT, str(e)) from e
        try:
            enqueue(session, job)
        except Exception as e:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                                "the queue is unreachable; the job is queued and will be sent on the next retry"
                                ) from e
        return JobOut.of(job)

    @app.get("/v1/documents/{document_id}", response_model=DocumentOut, dependencies=[auth])
    def get_document(document_id: Id, session: DB) -> DocumentOut:
        document = _document(session, document_id)
        rows = session.scalars(select(Job).where(Job.document_id == document_id).order_by(Job.created_at))
        return DocumentOut.of(document, list(rows))

    @app.get("/v1/documents/{document_id}/record", dependencies=[auth],
             responses={200: {"model": Record, "description": "the record"}, 409: {}})
    def get_record(document_id: Id, session: DB, job_id: Annotated[str | None, Query()] = None) -> Response:
        """The newest record of the document (or the one of ``job_id``)."""
        row = _record(session, document_id, job_id)
        return Response(row.record_json, media_type="application/json")

    @app.get("/v1/documents/{document_id}/validation", dependencies=[auth],
             responses={200: {"model": ValidationReport, "description": "the validation report"}, 409: {}})
    def get_validation(document_id: Id, session: DB, job_id: Annotated[str | None, Query()] = None) -> Response:
        row = _record(session, document_id, job_id)
        return Response(row.validation_json or "null", media_type="application/json")

    def _output(document_id: str, session: Session, job_id: str | None) -> tuple[Document, dict]:
        row = _record(session, document_id, job_id)
        document = _document(session, document_id)
        return document, output_of(row, store.path_for(document.sha256))

    @app.get("/v1/documents/{document_id}/review", response_class=HTMLResponse, dependencies=[auth])
    def get_review(document_id: Id, session: DB, job_id: Annotated[str | None, Query()] = None) -> HTMLResponse:
        """The review page: page images with a box on every number read, the violations linked to their
        boxes, refused numbers and empty fields; one self-contained HTML file (the CLI draws the same)."""
        document, output = _output(document_id, session, job_id)
        return HTMLResponse(review_html(document.filename, store.path_for(document.sha256), output))

    def _table(kind: str):
        def get_table(document_id: Id, session: DB, job_id: Annotated[str | None, Query()] = None,
                      lang: Lang = "zh") -> Response:
            document, output = _output(document_id, session, job_id)
            text = table_csv(kind, document.filename, output, f"/v1/documents/{document_id}/review", lang)  # type: ignore[arg-type]
            return Response(text, media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{document_id}-{kind}.csv"'})

        get_table.__doc__ = {
            "figures": "One row per figure: identity, Chinese label, table cell, value, page, quote, box (CSV).",
            "tables": "Every cell of T1–T9 with its row, column, page and box (CSV).",
            "violations": "One row per violation with its figures and a link to the review page (CSV).",
        }[kind]
        app.get(f"/v1/documents/{{document_id}}/{kind}.csv", dependencies=[auth], name=f"get_{kind}_csv",
                responses={200: {"content": {"text/csv": {}}}})(get_table)

    for kind in ("figures", "tables", "violations"):
        _table(kind)

    @app.get("/v1/documents/{document_id}/tables.xlsx", dependencies=[auth],
             responses={200: {"content": {XLSX: {}}}})
    def get_workbook(document_id: Id, session: DB, job_id: Annotated[str | None, Query()] = None,
                     lang: Lang = "zh") -> Response:
        """figures, tables and violations as three sheets of one workbook."""
        document, output = _output(document_id, session, job_id)
        data = workbook(document.filename, output, f"/v1/documents/{document_id}/review", lang)  # type: ignore[arg-type]
        return Response(data, media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{document_id}.xlsx"'})

    @app.get("/v1/records", response_model=RecordPage, dependencies=[auth])
    def list_records(
        session: DB,
        department: Annotated[str | None, Query(max_length=200, description="part of the name, any case")] = None,
        year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
        status_: Annotated[str | None, Query(alias="status",
                                             pattern="^(reconciled|source_inconsistent|unresolved)$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> RecordPage:
        rows, total = jobs.list_records(session, department=department, year=year, status=status_,
                                        limit=limit, offset=offset)
        return RecordPage(items=[RecordSummary.of(r, d) for r, d in rows], total=total, limit=limit, offset=offset)

    @app.get("/health", response_model=Health)
    def health() -> Health:
        """The process is up (no dependency is checked)."""
        return Health(status="ok")

    @app.get("/ready", response_model=Health, responses={503: {"model": Health}})
    def ready() -> Response:
        """The database and the broker both answer."""
        checks: dict[str, str] = {}
        try:
            ping(engine)
            checks["database"] = "ok"
        except Exception as e:
            checks["database"] = f"unreachable: {type(e).__name__}"
        try:
            with celery.connection_for_write(connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=3)
            checks["broker"] = "ok"
        except Exception as e:
            checks["broker"] = f"unreachable: {type(e).__name__}"
        ok = all(v == "ok" for v in checks.values())
        body = Health(status="ok" if ok else "unavailable", checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    return app


def _job(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no job {job_id}")
    return job


def _document(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no document {document_id}")
    return document


def _record(session: Session, document_id: str, job_id: str | None) -> RecordRow:
    _document(session, document_id)
    row = jobs.record_for_document(session, document_id, job_id)
    if row is None:
        job = session.get(Job, job_id) if job_id else jobs.latest_job(session, document_id)
        state = f"job {job.id} is {job.status}" if job else "no job"
        if job is not None and job.status == "failed":
            state += f": {job.error}"
        raise HTTPException(status.HTTP_409_CONFLICT, f"no record yet ({state})")
    return row


__all__ = ["create_app"]
