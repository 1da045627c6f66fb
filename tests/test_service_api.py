"""The API in this process against real Redis and SQLite/PostgreSQL, with no worker: uploads, idempotency,
refusals, auth, listing, and the delivery bookkeeping that bounds poison documents."""

from __future__ import annotations

import io
import json
import subprocess
import time
import uuid
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select
from test_service_support import *  # noqa: F403  (the session's fixtures)
from test_service_support import (
    fake_pdf,
    free_port,
    juesuan_command,
    queued_messages,
    service_env,
    settings_for,
    wait_for,
)
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.service import jobs
from pipeline.service.api import create_app
from pipeline.service.auth import check_bind, is_loopback
from pipeline.service.db import make_engine, migrate, session_factory
from pipeline.service.models import Document, Job, RecordRow
from pipeline.service.settings import ServiceSettings
from pipeline.service.storage import FileStore, display_name


@pytest.fixture
def client(tmp_path, db_url, redis_url, queue) -> TestClient:
    return TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings()))


def upload(client: TestClient, data: bytes, name: str = "report.pdf", **kw) -> httpx.Response:
    return client.post("/v1/documents", files={"file": (name, data, "application/pdf")}, **kw)


def test_same_file_twice_is_one_job_and_one_message(client, tmp_path, redis_url, queue):
    data = fake_pdf(uuid.uuid4().hex)
    first = upload(client, data)
    assert first.status_code == 202
    body = first.json()
    assert body["status"] == "queued" and body["duplicate"] is False
    second = upload(client, data, name="renamed.pdf")
    assert second.status_code == 200
    assert second.json() == {**body, "duplicate": True}
    assert queued_messages(redis_url, queue) == 1

    job = client.get(f"/v1/jobs/{body['job_id']}").json()
    assert job["status"] == "queued" and job["attempts"] == 0 and job["enqueued_at"]
    doc = client.get(f"/v1/documents/{body['document_id']}").json()
    assert doc["filename"] == "report.pdf" and doc["size"] == len(data) and len(doc["jobs"]) == 1
    stored = FileStore(tmp_path / "data").path_for(doc["sha256"])
    assert stored.read_bytes() == data

    record = client.get(f"/v1/documents/{body['document_id']}/record")
    assert record.status_code == 409 and "queued" in record.json()["detail"]


def test_other_settings_make_a_second_job_for_the_same_document(tmp_path, db_url, redis_url, queue):
    data = fake_pdf(uuid.uuid4().hex)
    a = TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings()))
    b = TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings(render_dpi=300)))
    ra, rb = upload(a, data).json(), upload(b, data).json()
    assert ra["document_id"] == rb["document_id"] and ra["job_id"] != rb["job_id"]
    assert not rb["duplicate"]


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"", 400, "empty"),
        (b"PK\x03\x04 a zip, not a pdf" * 10, 415, "not a PDF"),
        (b"<html>" + fake_pdf("lead"), 200, ""),  # magic within the first 1024 bytes is a PDF header
        (b" " * 2000 + b"%PDF-1.7", 415, "not a PDF"),
        (b"<html>%PDF-" + b" " * 2000, 422, "unusable PDF: damaged or not a PDF"),  # magic, but no PDF
        (fake_pdf("cut")[:300], 422, "unusable PDF: damaged"),  # passes the %PDF- check, cannot be opened
    ],
)
def test_uploads_are_checked_by_their_bytes(client, tmp_path, data, status, words):
    r = upload(client, data + uuid.uuid4().hex.encode() if data else data)
    if status == 200:
        assert r.status_code == 202
        return
    assert r.status_code == status and words in r.json()["detail"] and str(tmp_path) not in r.json()["detail"]
    assert not list((tmp_path / "data" / "files").rglob("*")), "a refused upload left a file"
    assert not list((tmp_path / "data" / "tmp").glob("*"))


def test_too_large_is_refused_before_it_is_stored(tmp_path, db_url, redis_url, queue):
    settings = settings_for(tmp_path, db_url, redis_url, queue, max_upload_mb=0.01)  # 10 KiB
    client = TestClient(create_app(settings, Settings()))
    small = fake_pdf("ok" + uuid.uuid4().hex)
    assert upload(client, small).status_code == 202
    big = small + b"x" * 11_000
    r = upload(client, big)
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    huge = small + b"x" * 200_000  # over the limit plus the multipart slack: refused by its Content-Length
    r = upload(client, huge)
    assert r.status_code == 413
    files = list((tmp_path / "data" / "files").rglob("*.pdf"))
    assert len(files) == 1


def test_missing_file_field_and_bad_ids(client):
    assert client.post("/v1/documents", data={"x": "1"}).status_code == 422
    assert client.get(f"/v1/jobs/{uuid.uuid4().hex}").status_code == 404
    assert client.get("/v1/jobs/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    assert client.get("/v1/jobs/not-an-id").status_code == 422
    assert client.get(f"/v1/documents/{uuid.uuid4().hex}/record").status_code == 404


def test_client_filename_never_becomes_a_path(client, tmp_path):
    data = fake_pdf(uuid.uuid4().hex)
    body = upload(client, data, name="../../../../tmp/evil.pdf").json()
    doc = client.get(f"/v1/documents/{body['document_id']}").json()
    assert doc["filename"] == "evil.pdf"
    assert display_name("..\\..\\evil\x00name.pdf") == "evilname.pdf" and display_name("../") == "upload.pdf"
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file() and p.suffix == ".pdf"]
    assert [p.name for p in files] == [f"{doc['sha256']}.pdf"]
    assert not Path("/tmp/evil").exists()


def test_records_listing_filters_and_pages(client, db_url):
    engine = client.app.state.engine
    sessions = session_factory(engine)
    tag = uuid.uuid4().hex[:6]  # the PostgreSQL database is shared by the session's tests
    made = []
    with sessions() as s:
        for i, (dept, year, status) in enumerate([
            (f"甲{tag}局", 2023, "reconciled"), (f"甲{tag}局", 2024, "unresolved"), (f"乙{tag}委", 2024, "reconciled"),
        ]):
            doc = Document(sha256=f"{uuid.uuid4().hex}{uuid.uuid4().hex}", filename=f"r{i}.pdf", size=1)
            s.add(doc)
            s.flush()
            job = Job(document_id=doc.id, settings_key="k", settings_json="{}")
            s.add(job)
            s.commit()
            jobs.succeed(s, job.id, jobs.Outcome(status=status, department=dept, fiscal_year=year,
                                                 record_json="{}", validation_json=None, ledger_json=None, errors=[]))
            made.append(doc.id)
    page = client.get("/v1/records", params={"department": f"甲{tag}"}).json()
    assert page["total"] == 2 and {i["fiscal_year"] for i in page["items"]} == {2023, 2024}
    page = client.get("/v1/records", params={"department": tag, "year": 2024, "status": "reconciled"}).json()
    assert page["total"] == 1 and page["items"][0]["department"] == f"乙{tag}委"
    first = client.get("/v1/records", params={"department": tag, "limit": 2}).json()
    rest = client.get("/v1/records", params={"department": tag, "limit": 2, "offset": 2}).json()
    assert first["total"] == rest["total"] == 3 and len(first["items"]) == 2 and len(rest["items"]) == 1
    seen = {i["document_id"] for i in first["items"] + rest["items"]}
    assert seen == set(made)
    assert client.get("/v1/records", params={"status": "bogus"}).status_code == 422


def test_token_required_when_configured(tmp_path, db_url, redis_url, queue):
    settings = settings_for(tmp_path, db_url, redis_url, queue, api_token=SecretStr("s3cret-token"))
    client = TestClient(create_app(settings, Settings()))
    data = fake_pdf(uuid.uuid4().hex)
    assert upload(client, data).status_code == 401
    assert upload(client, data, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/v1/records").status_code == 401
    ok = upload(client, data, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 202
    assert client.get("/v1/records", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/health").status_code == 200  # probes need no token


def test_off_loopback_needs_a_token():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host)
        check_bind(host, None)
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org", ""):
        assert not is_loopback(host)
        with pytest.raises(ConfigError, match="JUESUAN_API_TOKEN"):
            check_bind(host, None)
        with pytest.raises(ConfigError):
            check_bind(host, SecretStr(""))
        check_bind(host, SecretStr("t"))
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0"], env={"JUESUAN_API_TOKEN": ""})
    assert result.exit_code == 2 and "JUESUAN_API_TOKEN" in result.output


def test_broker_down_keeps_the_job_and_a_later_upload_enqueues_it(tmp_path, db_url, redis_url, queue):
    down = TestClient(create_app(settings_for(tmp_path, db_url, f"redis://127.0.0.1:{free_port()}/0", queue),
                                 Settings()))
    data = fake_pdf(uuid.uuid4().hex)
    r = upload(down, data)
    assert r.status_code == 503 and "queue is unreachable" in r.json()["detail"]
    ready = down.get("/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["broker"].startswith("unreachable")
    assert ready.json()["checks"]["database"] == "ok"

    up = TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings()))
    assert up.get("/ready").json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    again = upload(up, data)
    assert again.status_code == 200 and again.json()["duplicate"]
    assert queued_messages(redis_url, queue) == 1
    assert up.get(f"/v1/jobs/{again.json()['job_id']}").json()["enqueued_at"]


def test_poison_document_fails_after_bounded_deliveries(tmp_path, db_url):
    """Deliveries that die mid-job are counted; at the limit the job fails instead of looping forever."""
    engine = make_engine(db_url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as s:
        doc = Document(sha256=uuid.uuid4().hex * 2, filename="poison.pdf", size=1)
        s.add(doc)
        s.flush()
        job = Job(document_id=doc.id, settings_key="k", settings_json=json.dumps({"render_dpi": 150}))
        s.add(job)
        s.commit()
        job_id = job.id
    for n in (1, 2, 3):  # each delivery starts and dies (nothing settles the job)
        with sessions() as s:
            d = jobs.begin_delivery(s, job_id, f"w{n}", max_lost=3)
        assert d is not None and d.attempt == n and d.snapshot == {"render_dpi": 150}
    with sessions() as s:
        assert jobs.begin_delivery(s, job_id, "w4", max_lost=3) is None
        job = s.get(Job, job_id)
        assert job.status == "failed" and job.attempts == 4 and job.lost_deliveries == 3
        assert "died mid-job" in job.error and "w3" in job.error
        assert jobs.begin_delivery(s, job_id, "w5", max_lost=3) is None  # stays settled
        assert s.get(Job, job_id).attempts == 4
        job = jobs.retry(s, job_id)
        assert (job.status, job.attempts, job.lost_deliveries, job.retries) == ("queued", 0, 0, 1)
        d = jobs.begin_delivery(s, job_id, "w6", max_lost=3)
        assert d is not None
        outcome = jobs.Outcome(status="reconciled", department=None, fiscal_year=None, record_json="{}",
                               validation_json=None, ledger_json=None, errors=[])
        jobs.succeed(s, job_id, outcome)
        jobs.succeed(s, job_id, outcome)  # a duplicate delivery finishing too: still one record
        assert s.scalar(select(func.count()).select_from(RecordRow).where(RecordRow.job_id == job_id)) == 1
        with pytest.raises(jobs.NotRetryable):
            jobs.retry(s, job_id)
    engine.dispose()


def test_concurrent_submissions_of_one_file_make_one_job(tmp_path, db_url):
    """Uploads racing on the unique keys: every caller gets the same document and job."""
    from concurrent.futures import ThreadPoolExecutor

    engine = make_engine(db_url)
    migrate(engine)
    sessions = session_factory(engine)
    stored = FileStore(tmp_path).save(io.BytesIO(fake_pdf(uuid.uuid4().hex)), 10_000)

    def one(_: int) -> tuple[str, str, bool]:
        with sessions() as s:
            sub = jobs.submit(s, stored, "race.pdf", "key", {})
            return sub.document.id, sub.job.id, sub.created

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(8)))
    assert len({(d, j) for d, j, _ in results}) == 1
    assert sum(created for _, _, created in results) == 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Job).where(Job.document_id == results[0][0])) == 1
    engine.dispose()


def test_fingerprint_ignores_machine_settings_and_secrets():
    base, snap = jobs.pipeline_fingerprint(Settings())
    local = Settings(cache_dir="/elsewhere", llm_threads=7, llm_base_url="http://x/v1", llm_api_key="sk-secret",
                     llm_max_concurrency=5, use_cache=False)
    assert jobs.pipeline_fingerprint(local)[0] == base
    assert jobs.pipeline_fingerprint(Settings(render_dpi=300))[0] != base
    assert jobs.pipeline_fingerprint(Settings(llm_model="qwen2.5-coder-1.5b"))[0] != base
    assert "llm_api_key" not in snap and "cache_dir" not in snap and snap["render_dpi"] == 200


def test_settings_refuse_a_visibility_timeout_shorter_than_a_job():
    with pytest.raises(ValueError, match="visibility_timeout_s"):
        ServiceSettings(job_time_limit_s=600, visibility_timeout_s=300)


def test_store_names_files_by_hash_only(tmp_path):
    store = FileStore(tmp_path)
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
    a = store.save(io.BytesIO(b"%PDF-1.4 same"), 1000)
    b = store.save(io.BytesIO(b"%PDF-1.4 same"), 1000)
    assert a == b and a.path.parent.parent == tmp_path / "files"


def test_serve_runs_under_uvicorn_with_docs(tmp_path, redis_url, queue):
    """`juesuan serve` as a process: /health, /ready, the OpenAPI docs."""
    port = free_port()
    env = service_env(broker_url=redis_url, data_dir=tmp_path / "data", queue=queue)
    proc = subprocess.Popen([*juesuan_command(), "serve", "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        def up():
            try:
                return httpx.get(f"{base}/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stdout.read().decode()
                return False

        wait_for(up, 60, "the API to answer")
        assert httpx.get(f"{base}/ready").json()["status"] == "ok"
        assert "swagger" in httpx.get(f"{base}/docs").text.lower()
        paths = httpx.get(f"{base}/openapi.json").json()["paths"]
        for path in ("/v1/documents", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/retry", "/v1/records",
                     "/v1/documents/{document_id}/review", "/v1/documents/{document_id}/figures.csv",
                     "/v1/documents/{document_id}/tables.csv", "/v1/documents/{document_id}/violations.csv",
                     "/v1/documents/{document_id}/tables.xlsx"):
            assert path in paths
        assert (tmp_path / "data" / "juesuan.db").exists()  # the default database: SQLite in the data dir
    finally:
        proc.terminate()
        t0 = time.monotonic()
        proc.wait(15)
        assert time.monotonic() - t0 < 15
