"""The API against hostile or unlucky clients and operators, over real Redis and SQLite/PostgreSQL (no worker):
racing uploads send one message, parameters never cause a 500, the token is checked before any body is read,
left-behind jobs are re-sent, /docs works offline, and a misconfigured start is one line and exit 2."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import update
from test_service_support import *  # noqa: F403  (the session's fixtures)
from test_service_support import (
    LiveServer,
    fake_pdf,
    free_port,
    juesuan_command,
    queued_messages,
    race_uploads,
    service_env,
    settings_for,
    wait_for,
)

from pipeline.config import Settings
from pipeline.service import jobs
from pipeline.service.api import create_app
from pipeline.service.db import make_engine, migrate, session_factory
from pipeline.service.models import Document, Job, utcnow


def test_racing_uploads_of_one_new_file_send_one_message(tmp_path, db_url, redis_url, queue):
    """12 clients upload the same new file at once: one document, one job, and one broker message (the send
    is claimed in the database before it is made; before, every upload that saw it unsent sent it)."""
    app = create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings())
    data = fake_pdf(uuid.uuid4().hex)
    with LiveServer(app) as live:
        answers = race_uploads(live.url, data)
    assert len({a["job_id"] for a in answers}) == 1
    assert sum(not a["duplicate"] for a in answers) == 1
    assert queued_messages(redis_url, queue) == 1


@pytest.mark.parametrize("params", [
    {"offset": "9223372036854775808"},  # past a 64-bit integer: both databases failed with a 500
    {"offset": str(2**31)},
    {"offset": "-1"},
    {"limit": "0"},
    {"limit": "100000"},
    {"year": "99999999999999999999"},
    {"department": "a\x00b"},  # PostgreSQL refuses NUL in text: a 500
    {"department": "x" * 300},
    {"status": "running"},
])
def test_record_listing_refuses_bad_parameters_with_422(tmp_path, db_url, redis_url, queue, params):
    client = TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings()))
    r = client.get("/v1/records", params=params)
    assert r.status_code == 422, r.text


def test_job_id_query_parameter_is_checked(tmp_path, db_url, redis_url, queue):
    client = TestClient(create_app(settings_for(tmp_path, db_url, redis_url, queue), Settings()))
    doc = client.post("/v1/documents", files={"file": ("a.pdf", fake_pdf(uuid.uuid4().hex), "application/pdf")})
    document_id = doc.json()["document_id"]
    for path in ("record", "validation", "review", "figures.csv"):
        assert client.get(f"/v1/documents/{document_id}/{path}", params={"job_id": "a\x00b"}).status_code == 422
        assert client.get(f"/v1/documents/{document_id}/{path}",
                          params={"job_id": uuid.uuid4().hex}).status_code == 409  # well-formed, no such record
    assert client.get("/v1/records", params={"department": "某局", "offset": 2**31 - 1}).json()["items"] == []


def raw_request(port: int, head: str, body: bytes = b"", wait: float = 5.0) -> bytes:
    """Send ``head`` (and ``body``) over a socket and read what comes back within ``wait`` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_token_is_checked_before_the_upload_body_is_read(tmp_path, db_url, redis_url, queue):
    """A client without the token announces 50 MB and sends none of it: the answer is 401 at once (before,
    the server waited for the body to parse the form, and only then checked the token)."""
    settings = settings_for(tmp_path, db_url, redis_url, queue, api_token=SecretStr("s3cret"))
    with LiveServer(create_app(settings, Settings())) as live:
        head = (f"POST /v1/documents HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=b\n"
                f"Content-Length: {50 * 2**20}\n")
        t0 = time.monotonic()
        answer = raw_request(live.port, head)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
        assert time.monotonic() - t0 < 3
        assert b"www-authenticate: Bearer" in answer.lower().replace(b"bearer", b"Bearer")
        open_paths = [httpx.get(f"{live.url}{p}").status_code for p in ("/health", "/docs", "/openapi.json")]
        assert open_paths == [200, 200, 200]
        assert httpx.get(f"{live.url}/v1/records").status_code == 401


def test_body_over_the_limit_is_refused_while_it_streams(tmp_path, db_url, redis_url, queue):
    """A chunked upload (no Content-Length) that runs past the limit gets 413 and is not stored."""
    settings = settings_for(tmp_path, db_url, redis_url, queue, max_upload_mb=0.05)
    with LiveServer(create_app(settings, Settings())) as live:
        def chunks():
            yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n%PDF-1.7\n"
            for _ in range(64):
                yield b"x" * 8192
            yield b"\r\n--b--\r\n"

        r = httpx.post(f"{live.url}/v1/documents", content=chunks(),
                       headers={"content-type": "multipart/form-data; boundary=b"}, timeout=30)
        assert r.status_code == 413, r.text
    assert not list((tmp_path / "data" / "files").rglob("*.pdf"))


def test_docs_load_without_the_internet(tmp_path, redis_url, queue):
    """/docs and /redoc reference only the server's own assets, and those are served."""
    client = TestClient(create_app(settings_for(tmp_path, f"sqlite:///{tmp_path / 'db'}", redis_url, queue)))
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html) + re.findall(r"url: *'([^']+)'", html)
        assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def one_job(sessions, status: str = "queued", **values) -> str:
    with sessions() as s:
        doc = Document(sha256=uuid.uuid4().hex * 2, filename="left.pdf", size=1)
        s.add(doc)
        s.flush()
        job = Job(document_id=doc.id, settings_key="k", settings_json="{}", status=status, **values)
        s.add(job)
        s.commit()
        return job.id


def test_reaper_sends_jobs_left_behind_and_fails_poison(tmp_path, db_url, redis_url, queue):
    """At start-up the API re-sends: a job never sent (broker down at upload), one sent long ago and never
    started (its message lost), one running past its lease (its worker died unnoticed); a dead job at its
    last allowed loss fails as poison instead. Jobs with a live delivery, settled or freshly sent are left."""
    settings = settings_for(tmp_path, db_url, redis_url, queue, job_time_limit_s=60, visibility_timeout_s=120,
                            requeue_queued_after_s=100, llm_retry_backoff_max_s=30, max_lost_deliveries=3)
    engine = make_engine(settings.db_url)
    migrate(engine)
    sessions = session_factory(engine)
    now = utcnow()
    ago = lambda s: now - timedelta(seconds=s)  # noqa: E731
    left = {
        "unsent": one_job(sessions),
        "lost message": one_job(sessions, enqueued_at=ago(500), message_id="m-lost"),
        "dead delivery": one_job(sessions, "running", enqueued_at=ago(900), started_at=ago(800),
                                 lease_until=ago(10), message_id="m-dead", worker="w@gone"),
    }
    poison = one_job(sessions, "running", started_at=ago(800), lease_until=ago(10), lost_deliveries=2,
                     worker="w@gone")
    kept = [
        one_job(sessions, enqueued_at=ago(5), message_id="m-fresh"),
        one_job(sessions, "running", started_at=ago(30), lease_until=now + timedelta(seconds=60), message_id="m"),
        one_job(sessions, "succeeded", started_at=ago(800)),
    ]
    app = create_app(settings, Settings())
    with TestClient(app):  # the lifespan starts the reaper; its first round runs at once
        wait_for(lambda: queued_messages(redis_url, queue) == 3, 20, "three re-sent messages")
    assert queued_messages(redis_url, queue) == 3
    with sessions() as s:
        for why, job_id in left.items():
            job = s.get(Job, job_id)
            assert job.status == "queued" and job.enqueued_at > now and job.message_id, why
        dead = s.get(Job, left["dead delivery"])
        assert dead.lost_deliveries == 1 and "did not finish within its time limit" in dead.error
        failed = s.get(Job, poison)
        assert failed.status == "failed" and failed.lost_deliveries == 3 and "gave up after 3" in failed.error
        assert [s.get(Job, j).status for j in kept] == ["queued", "running", "succeeded"]
        assert s.get(Job, kept[0]).message_id == "m-fresh"
    engine.dispose()


def test_reaper_sends_a_job_stuck_queued_once_the_broker_is_back(tmp_path, db_url, redis_url, queue):
    """The broker is down at upload (503, the job kept unsent); nobody uploads the file again: the reaper
    sends it once the broker answers."""
    down = settings_for(tmp_path, db_url, f"redis://127.0.0.1:{free_port()}/0", queue)
    r = TestClient(create_app(down, Settings())).post(
        "/v1/documents", files={"file": ("a.pdf", fake_pdf(uuid.uuid4().hex), "application/pdf")})
    assert r.status_code == 503
    up = create_app(settings_for(tmp_path, db_url, redis_url, queue, reap_interval_s=0.2), Settings())
    with TestClient(up) as client:
        wait_for(lambda: client.get(f"/v1/jobs/{r.json()['detail'].split()[3]}").json()["enqueued_at"], 20,
                 "the reaper to send the job")
    assert queued_messages(redis_url, queue) == 1


def test_a_delivery_leaves_a_job_to_the_live_delivery_running_it(tmp_path, db_url):
    """A duplicate message while the job runs under a live lease does nothing; the same message redelivered
    (its worker died) or any message after the lease takes the job over and counts the loss."""
    engine = make_engine(db_url)
    migrate(engine)
    sessions = session_factory(engine)
    job_id = one_job(sessions)
    with sessions() as s:
        assert jobs.begin_delivery(s, job_id, "w1", max_lost=5, message_id="A", lease_s=600) is not None
        assert jobs.begin_delivery(s, job_id, "w2", max_lost=5, message_id="B", lease_s=600) is None
        job = s.get(Job, job_id)
        assert (job.worker, job.attempts, job.lost_deliveries, job.message_id) == ("w1", 1, 0, "A")
        assert jobs.begin_delivery(s, job_id, "w2", max_lost=5, message_id="A", lease_s=600) is not None
        job = s.get(Job, job_id)
        assert (job.worker, job.attempts, job.lost_deliveries) == ("w2", 2, 1)
        s.execute(update(Job).where(Job.id == job_id).values(lease_until=utcnow() - timedelta(seconds=1)))
        s.commit()
        assert jobs.begin_delivery(s, job_id, "w3", max_lost=5, message_id="C", lease_s=600) is not None
        job = s.get(Job, job_id)
        assert (job.worker, job.attempts, job.lost_deliveries, job.message_id) == ("w3", 3, 2, "C")
    engine.dispose()


@pytest.mark.parametrize(("command", "env", "words"), [
    ("serve", {"database_url": "postgresql+psycopg://postgres@127.0.0.1:{port}/x"}, "cannot open the database"),
    ("worker", {"database_url": "postgresql+psycopg://postgres@127.0.0.1:{port}/x"}, "cannot open the database"),
    ("serve", {"database_url": "not a url"}, "database_url: cannot use 'not a url'"),
    ("serve", {"database_url": "mysql+nodriver://u@h/db"}, "database_url: cannot use"),
    ("serve", {"data_dir": "{file}"}, "data_dir:"),
    ("worker", {"data_dir": "{file}"}, "data_dir:"),
    ("serve", {"visibility_timeout_s": "30", "job_time_limit_s": "60"}, "visibility_timeout_s (30) must exceed"),
    ("worker", {"max_upload_mb": "lots"}, "max_upload_mb: Input should be a valid number"),
])
def test_misconfigured_start_is_one_line_and_exit_2(tmp_path, command, env, words):
    afile = tmp_path / "a-file"
    afile.write_text("")
    values = {k: v.format(port=free_port(), file=afile / "data") for k, v in env.items()}
    values.setdefault("data_dir", str(tmp_path / "data"))
    run = subprocess.run([*juesuan_command(), command], env=service_env(broker_url="memory://", **values),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("configuration error: ") and words in lines[0], run.stderr
    assert "Traceback" not in run.stdout + run.stderr
