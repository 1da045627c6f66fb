"""The service end to end: the API in this process, real `juesuan worker` processes, real brokers and databases.

The first test is the happy path through the embedded model (pre-fill off: the total it checks is the model's
own answer). The others check delivery (restarts, kills, redelivery, poison, retries): their workers ask a
loopback stub that answers no figures after a second, so a job runs long enough to be killed mid-way and no
worker starts a llama.cpp server of its own.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_service_support import *  # noqa: F403  (the session's fixtures)
from test_service_support import PrivateRedis, drop_queue, free_port, make_pdf, service_env, wait_for

from pipeline.config import Settings
from pipeline.service.api import create_app
from pipeline.service.models import RecordRow
from pipeline.service.settings import ServiceSettings

try:
    from tests.llm_stub import StubServer, answer
except ImportError:  # run as plain `pytest` with tests/ itself on sys.path
    from llm_stub import StubServer, answer

STUB = {"llm_provider": "openai", "llm_model": "stub"}  # the job's settings (the endpoint is the worker's)
FIRST_RUN_S = 420  # an uncached run of the 0.5B model on two busy cores
CACHED_RUN_S = FIRST_RUN_S  # the same bound: a test run alone fills the cache itself


def make_client(broker: str, db: str, data: Path, queue: str, llm: dict | None = None) -> TestClient:
    settings = ServiceSettings(broker_url=broker, database_url=db, data_dir=data, queue=queue)
    return TestClient(create_app(settings, Settings(**(llm or {}))))


def job(client: TestClient, job_id: str) -> dict:
    r = client.get(f"/v1/jobs/{job_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(client: TestClient, job_id: str, want: set[str], timeout: float, workers=()) -> dict:
    def check():
        j = job(client, job_id)
        for w in workers:
            assert w.proc.poll() is None or w.proc.returncode in (0, -9, -15), f"worker died:\n{w.tail()}"
        return j if j["status"] in want else None

    try:
        return wait_for(check, timeout, f"job {job_id} to be {want}", interval=0.3)
    except AssertionError as e:
        logs = "\n".join(f"--- {w.name}\n{w.tail()}" for w in workers)
        raise AssertionError(f"{e}; job now {job(client, job_id)}\n{logs}") from None


def records_per_job(client: TestClient, job_ids: list[str]) -> dict[str, int]:
    with client.app.state.engine.connect() as conn:
        rows = conn.execute(select(RecordRow.job_id, func.count()).where(RecordRow.job_id.in_(job_ids))
                            .group_by(RecordRow.job_id)).all()
    return {job_id: n for job_id, n in rows}


@pytest.fixture
def stub_llm() -> StubServer:
    """The delivery tests' model: no figures, after a second (a job is visibly running, then done)."""
    with StubServer([answer({"figures": []}, delay=1.0)]) as stub:
        yield stub


def stub_env(stub: StubServer, **values) -> dict[str, str]:
    return service_env(llm_base_url=stub.url, llm_api_key="sk-test", **values)


def submit(client: TestClient, pdf: Path, name: str = "report.pdf"):
    with pdf.open("rb") as f:
        return client.post("/v1/documents", files={"file": (name, f, "application/pdf")})


def test_submit_survives_broker_restart_then_completes_once(tmp_path, small_pdf, session_cache, start_worker):
    """SQLite + Redis with persistence: two jobs queued before any worker exists, the broker is killed and
    restarted, the API enqueues a third over a new connection, a worker then completes all three once each;
    a second upload of the same file returns the same job and record."""
    redis = PrivateRedis(tmp_path).start()
    try:
        queue = f"q-{uuid.uuid4().hex[:8]}"
        db = f"sqlite:///{tmp_path / 'service.db'}"
        client = make_client(redis.url, db, tmp_path / "data", queue, {"extract_prefill": False})

        r = submit(client, small_pdf)
        assert r.status_code == 202, r.text
        sub = r.json()
        assert sub["status"] == "queued" and not sub["duplicate"]
        other = submit(client, make_pdf(tmp_path / "before.pdf", marker="before-restart"))
        assert other.status_code == 202, other.text

        redis.kill()  # SIGKILL: nothing is saved at shutdown, only the append-only file
        redis.start()
        after = submit(client, make_pdf(tmp_path / "after.pdf", marker="after-restart"))  # the API reconnects
        assert after.status_code == 202, after.text

        env = service_env(broker_url=redis.url, database_url=db, data_dir=tmp_path / "data", queue=queue,
                          cache_dir=session_cache)
        worker = start_worker(env, "one")
        done = wait_status(client, sub["job_id"], {"succeeded", "failed"}, FIRST_RUN_S, [worker])
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 1 and done["lost_deliveries"] == 0
        assert done["started_at"] and done["finished_at"] and done["worker"] == "one@test"
        for r in (other, after):
            d = wait_status(client, r.json()["job_id"], {"succeeded", "failed"}, FIRST_RUN_S, [worker])
            assert d["status"] == "succeeded" and d["attempts"] == 1, d
        job_ids = [sub["job_id"], other.json()["job_id"], after.json()["job_id"]]
        assert records_per_job(client, job_ids) == dict.fromkeys(job_ids, 1)

        again = submit(client, small_pdf, name="another-name.pdf")
        assert again.status_code == 200
        assert again.json() == {**sub, "status": "succeeded", "duplicate": True}

        doc = sub["document_id"]
        record = client.get(f"/v1/documents/{doc}/record").json()
        assert record["fiscal_year"] == 2024
        assert record["summary"]["total"]["value"] == pytest.approx(1234.56)
        assert record["summary"]["total"]["sources"][0]["page"] == 1
        validation = client.get(f"/v1/documents/{doc}/validation").json()
        assert "violations" in validation and validation["grounded_document"] is True

        review = client.get(f"/v1/documents/{doc}/review")
        assert review.status_code == 200 and "text/html" in review.headers["content-type"]
        assert "summary.total" in review.text and "1234.56" in review.text

        rows = list(csv.DictReader(io.StringIO(client.get(f"/v1/documents/{doc}/figures.csv").text.lstrip("\ufeff"))))
        total = next(r for r in rows if r["字段路径"] == "summary.total")  # Chinese headers by default
        assert total["数值"] == "1234.56" and total["页码"] == "1" and "1,234.56" in total["原文"]
        assert total["指标"] == "收支总计" and total["页宽"] and total["复核"].endswith("/review#f1")
        en = client.get(f"/v1/documents/{doc}/violations.csv", params={"lang": "en"}).text.lstrip("\ufeff")
        assert en.startswith("document,department,fiscal_year")

        listing = client.get("/v1/records", params={"year": 2024}).json()
        assert listing["total"] == 3 and doc in {item["document_id"] for item in listing["items"]}
        assert client.get("/v1/records", params={"year": 2023}).json()["total"] == 0
        engine = client.app.state.engine
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(RecordRow)) == 3
    finally:
        redis.kill()


def test_rabbitmq_killed_with_jobs_queued_keeps_them_and_everyone_reconnects(tmp_path, session_cache, start_worker,
                                                                             pg_url, private_rabbitmq, stub_llm):
    """PostgreSQL + a RabbitMQ node of our own. Three jobs are queued with no worker running; the node is
    SIGKILLed (no clean shutdown: only what it fsynced survives) and started again on the same data. The
    queue is still there with its three messages (durable queue, persistent messages, publisher confirms).
    While it was down a submit answered 503 and kept its job; after the restart the same API process
    enqueues that one and a new one over fresh connections. A worker started then completes all five, each
    exactly once. A second kill and restart under the idle worker: it reconnects and takes a sixth job."""
    mq = private_rabbitmq
    queue = f"q-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    client = make_client(mq.url, pg_url, data, queue, STUB)
    pdfs = [make_pdf(tmp_path / f"mq-{i}.pdf", marker=f"mq-restart-{i}") for i in range(6)]

    queued = []
    for pdf in pdfs[:3]:
        r = submit(client, pdf)
        assert r.status_code == 202, r.text
        queued.append(r.json()["job_id"])
    assert mq.queue_depth(queue) == 3

    mq.kill()
    down = submit(client, pdfs[3])
    assert down.status_code == 503, down.text
    assert "queue is unreachable" in down.json()["detail"]
    ready = client.get("/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["broker"].startswith("unreachable")
    mq.start()

    assert mq.queue_depth(queue) == 3  # a non-durable queue would be gone, transient messages dropped
    assert client.get("/ready").status_code == 200
    again = submit(client, pdfs[3])  # the job kept at the 503 is enqueued now
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["status"] == "queued"
    fresh = submit(client, pdfs[4])
    assert fresh.status_code == 202, fresh.text
    jobs = [*queued, again.json()["job_id"], fresh.json()["job_id"]]
    assert len(set(jobs)) == 5
    assert mq.queue_depth(queue) == 5

    env = stub_env(stub_llm, broker_url=mq.url, database_url=pg_url, data_dir=data, queue=queue,
                   cache_dir=session_cache)
    worker = start_worker(env, "mq")
    for job_id in jobs:
        done = wait_status(client, job_id, {"succeeded", "failed"}, FIRST_RUN_S, [worker])
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 1 and done["lost_deliveries"] == 0 and done["worker"] == "mq@test"
    assert records_per_job(client, jobs) == dict.fromkeys(jobs, 1)
    assert mq.queue_depth(queue) == 0

    # the worker is idle and connected; the broker dies under it and comes back
    mq.kill()
    mq.start()
    last = submit(client, pdfs[5])
    assert last.status_code == 202, last.text
    done = wait_status(client, last.json()["job_id"], {"succeeded", "failed"}, FIRST_RUN_S, [worker])
    assert done["status"] == "succeeded" and done["worker"] == "mq@test" and done["attempts"] == 1, done
    assert worker.proc.poll() is None
    assert records_per_job(client, [*jobs, last.json()["job_id"]]) == dict.fromkeys([*jobs, last.json()["job_id"]], 1)


def kill_running_worker_and_recover(client: TestClient, env: dict, pdf: Path, start_worker,
                                    recover_s: float) -> None:
    """Two workers; SIGKILL the one that is visibly running the job; the other must finish it, once."""
    workers = {w.name: w for w in (start_worker(env, "a"), start_worker(env, "b"))}
    sub = submit(client, pdf).json()
    running = wait_status(client, sub["job_id"], {"running", "succeeded", "failed"}, FIRST_RUN_S, workers.values())
    assert running["status"] == "running", f"finished before it could be killed: {running}"
    assert running["stage"] in {"starting", "llm", "ocr", "layout", "extract", "validate", "repair", "storing"}
    victim = workers.pop(running["worker"])
    victim.kill9()

    (survivor,) = workers.values()
    done = wait_status(client, sub["job_id"], {"succeeded", "failed"}, recover_s + FIRST_RUN_S, [survivor])
    assert done["status"] == "succeeded", done
    assert done["worker"] == survivor.name
    assert done["attempts"] == 2 and done["lost_deliveries"] == 1
    with client.app.state.engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(RecordRow).where(RecordRow.job_id == sub["job_id"]))
    assert n == 1


def test_worker_killed_mid_job_rabbitmq_postgres(tmp_path, session_cache, start_worker, pg_url, amqp_url, stub_llm):
    """RabbitMQ redelivers as soon as the dead worker's connection drops."""
    queue = f"q-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    pdf = make_pdf(tmp_path / "kill.pdf", marker="kill")  # its own document in the shared session database
    client = make_client(amqp_url, pg_url, data, queue, STUB)
    env = stub_env(stub_llm, broker_url=amqp_url, database_url=pg_url, data_dir=data, queue=queue,
                   cache_dir=session_cache)
    try:
        kill_running_worker_and_recover(client, env, pdf, start_worker, recover_s=0)
    finally:
        drop_queue(amqp_url, queue)


def test_worker_killed_mid_job_redis_sqlite(tmp_path, small_pdf, session_cache, start_worker, stub_llm):
    """Redis redelivers an unacknowledged job once its visibility timeout passes (short here, hours in use)."""
    redis = PrivateRedis(tmp_path).start()
    try:
        queue = f"q-{uuid.uuid4().hex[:8]}"
        db = f"sqlite:///{tmp_path / 'service.db'}"
        client = make_client(redis.url, db, tmp_path / "data", queue, STUB)
        env = stub_env(stub_llm, broker_url=redis.url, database_url=db, data_dir=tmp_path / "data", queue=queue,
                       cache_dir=session_cache, job_time_limit_s=25, visibility_timeout_s=30,
                       llm_retry_backoff_max_s=20)
        kill_running_worker_and_recover(client, env, small_pdf, start_worker, recover_s=30 + 10)
    finally:
        redis.kill()


def pool_children(pid: int) -> list[int]:
    """The worker's pool processes (the LLM server runs in a session of its own under them)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def test_poison_document_ends_failed_after_bounded_deliveries(tmp_path, small_pdf, session_cache, start_worker,
                                                             stub_llm):
    """A job whose pool process dies every time (as on a document that crashes the pipeline) is redelivered
    (task_reject_on_worker_lost), counted, and failed after max_lost_deliveries instead of looping."""
    redis = PrivateRedis(tmp_path).start()
    try:
        queue = f"q-{uuid.uuid4().hex[:8]}"
        db = f"sqlite:///{tmp_path / 'service.db'}"
        client = make_client(redis.url, db, tmp_path / "data", queue, STUB)
        env = stub_env(stub_llm, broker_url=redis.url, database_url=db, data_dir=tmp_path / "data", queue=queue,
                       cache_dir=session_cache, max_lost_deliveries=2)
        worker = start_worker(env, "crashy")
        sub = submit(client, make_pdf(tmp_path / "poison.pdf", marker="poison")).json()
        for attempt in (1, 2):
            wait_for(lambda a=attempt: job(client, sub["job_id"])["attempts"] == a
                     and job(client, sub["job_id"])["status"] == "running", FIRST_RUN_S, f"delivery {attempt}")
            for child in pool_children(worker.proc.pid):
                os.kill(child, signal.SIGKILL)
        done = wait_status(client, sub["job_id"], {"succeeded", "failed"}, 120, [worker])
        assert done["status"] == "failed", done
        assert done["attempts"] == 3 and done["lost_deliveries"] == 2
        assert "died mid-job" in done["error"]
        assert worker.proc.poll() is None  # the worker itself lives on and takes the next job
        ok = submit(client, small_pdf).json()
        assert wait_status(client, ok["job_id"], {"succeeded", "failed"}, FIRST_RUN_S, [worker])["status"] == "succeeded"
    finally:
        redis.kill()


def test_llm_down_retries_then_fails_with_reason_and_can_be_retried(tmp_path, small_pdf, start_worker,
                                                                     session_cache):
    """An unreachable OpenAI-compatible endpoint: re-queued with backoff, then failed with the reason;
    POST /retry puts it back and it runs again."""
    redis = PrivateRedis(tmp_path).start()
    try:
        queue = f"q-{uuid.uuid4().hex[:8]}"
        db = f"sqlite:///{tmp_path / 'service.db'}"
        dead = f"http://127.0.0.1:{free_port()}/v1"
        # submitted with pre-fill off: else the template's 说明 is read without any model call
        llm = {"llm_provider": "openai", "llm_model": "qwen2.5-coder-0.5b", "extract_prefill": False}
        client = make_client(redis.url, db, tmp_path / "data", queue, llm)
        env = service_env(broker_url=redis.url, database_url=db, data_dir=tmp_path / "data", queue=queue,
                          cache_dir=session_cache, llm_base_url=dead, llm_attempts=2, llm_backoff_s=0.05,
                          llm_retries=1, llm_retry_backoff_s=1)
        worker = start_worker(env, "down")
        sub = submit(client, small_pdf).json()
        failed = wait_status(client, sub["job_id"], {"succeeded", "failed"}, CACHED_RUN_S, [worker])
        assert failed["status"] == "failed", failed
        assert "LLM unavailable after 2 tries" in failed["error"] and "connection" in failed["error"].lower()
        assert failed["attempts"] == 2 and failed["lost_deliveries"] == 0

        record = client.get(f"/v1/documents/{sub['document_id']}/record")
        assert record.status_code == 409 and "failed" in record.json()["detail"]
        assert client.post(f"/v1/jobs/{uuid.uuid4().hex}/retry").status_code == 404

        r = client.post(f"/v1/jobs/{sub['job_id']}/retry")
        assert r.status_code == 202 and r.json()["status"] == "queued" and r.json()["retries"] == 1
        assert client.post(f"/v1/jobs/{sub['job_id']}/retry").status_code == 409  # not failed (yet)
        again = wait_status(client, sub["job_id"], {"succeeded", "failed"}, CACHED_RUN_S, [worker])
        assert again["status"] == "failed" and again["retries"] == 1 and again["attempts"] == 2
    finally:
        redis.kill()
