"""Delivery under faults, with real `juesuan worker` processes, real brokers and PostgreSQL: racing uploads run
once, a database that fails at the start or the end of a delivery does not strand the job, and a job whose
worker died unnoticed is re-sent by the reaper.

These test delivery, not reading: the LLM is the scripted stub (tests/llm_stub.py), so a job takes seconds.
Faults are injected in the real database with a trigger that raises, and taken away again.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from llm_stub import Step, StubServer
from sqlalchemy import func, select
from test_service_support import *  # noqa: F403  (the session's fixtures)
from test_service_support import (
    LiveServer,
    Worker,
    drop_queue,
    pdf_bytes,
    race_uploads,
    service_env,
    wait_for,
)

from pipeline.config import Settings
from pipeline.service.api import create_app
from pipeline.service.models import RecordRow
from pipeline.service.settings import ServiceSettings

JOB_S = 180  # worker start-up and a stubbed pipeline run on two busy cores
LLM = Settings(llm_provider="openai", llm_model="stub", extract_repair_rounds=0)  # what jobs are submitted under


@pytest.fixture
def stub():
    with StubServer([Step(content="{}")]) as server:  # answers at once, nothing useful: delivery, not reading
        yield server


def worker_env(stub: StubServer, broker: str, db: str, data: Path, queue: str, tmp_path: Path, **more) -> dict:
    return service_env(broker_url=broker, database_url=db, data_dir=data, queue=queue,
                       cache_dir=tmp_path / "cache", use_cache="false", llm_base_url=stub.url,
                       llm_api_key="sk-test", llm_attempts=1, **more)


def job(client: TestClient, job_id: str) -> dict:
    r = client.get(f"/v1/jobs/{job_id}")
    assert r.status_code == 200, r.text
    return r.json()


def settled(client: TestClient, job_id: str, timeout: float, workers: list[Worker]) -> dict:
    try:
        return wait_for(lambda: (j := job(client, job_id))["status"] in ("succeeded", "failed") and j,
                        timeout, f"job {job_id} to settle", interval=0.3)
    except AssertionError as e:
        logs = "\n".join(f"--- {w.name}\n{w.tail(60)}" for w in workers)
        raise AssertionError(f"{e}; job now {job(client, job_id)}\n{logs}") from None


def records(client: TestClient, job_id: str) -> int:
    with client.app.state.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(RecordRow).where(RecordRow.job_id == job_id))


def received(workers: list[Worker]) -> int:
    """Messages the workers took, from their logs ("Task juesuan.run_job[…] received")."""
    return sum(len(re.findall(r"Task juesuan\.run_job\[[^\]]+\] received", w.log.read_text(errors="replace")))
               for w in workers)


def upload(client: TestClient, data: bytes) -> dict:
    r = client.post("/v1/documents", files={"file": ("report.pdf", data, "application/pdf")})
    assert r.status_code in (200, 202), r.text
    return r.json()


class Fault:
    """A trigger on the jobs table that makes matching updates fail, as a database outage would."""

    def __init__(self, pg_url: str, when: str):
        self.url = pg_url.replace("postgresql+psycopg://", "postgresql://")
        self.name = f"fault_{uuid.uuid4().hex[:8]}"
        self.when = when

    def __enter__(self) -> Fault:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS "
                         f"$$ BEGIN RAISE EXCEPTION 'injected fault {self.name}'; END $$")
            conn.execute(f"CREATE TRIGGER {self.name} BEFORE UPDATE ON jobs FOR EACH ROW WHEN ({self.when}) "
                         f"EXECUTE FUNCTION {self.name}()")
        return self

    def clear(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER IF EXISTS {self.name} ON jobs")
            conn.execute(f"DROP FUNCTION IF EXISTS {self.name}()")

    def __exit__(self, *exc) -> None:
        self.clear()

    def hit(self, workers: list[Worker]) -> bool:
        return any(self.name in w.log.read_text(errors="replace") for w in workers)


def test_racing_uploads_run_once_with_two_workers(tmp_path, stub, start_worker, pg_url, amqp_url):
    """12 concurrent uploads of one new file, 2 workers on RabbitMQ: one message, one run, one record."""
    queue = f"q-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    app = create_app(ServiceSettings(broker_url=amqp_url, database_url=pg_url, data_dir=data, queue=queue), LLM)
    env = worker_env(stub, amqp_url, pg_url, data, queue, tmp_path)
    workers = [start_worker(env, "race-a"), start_worker(env, "race-b")]
    pdf = pdf_bytes(marker=f"race-{uuid.uuid4().hex}")
    try:
        with LiveServer(app) as live:
            answers = race_uploads(live.url, pdf)
        (job_id,) = {a["job_id"] for a in answers}
        client = TestClient(app)
        done = settled(client, job_id, JOB_S, workers)
        assert done["status"] == "succeeded", done
        assert done["attempts"] == 1 and done["lost_deliveries"] == 0
        assert records(client, job_id) == 1
        wait_for(lambda: received(workers) >= 1, 10, "the workers' logs")
        assert received(workers) == 1, "more than one message was sent for one job"
    finally:
        drop_queue(amqp_url, queue)


def run_through_fault(tmp_path: Path, stub: StubServer, start_worker, pg_url: str, broker: str, when: str,
                      stuck_as: str, **worker_settings) -> dict:
    """Submit a job while updates of its row matching ``when`` fail; check it is ``stuck_as`` while they do,
    take the fault away, and return the job once settled (with exactly one record if it succeeded)."""
    queue = f"q-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    client = TestClient(create_app(
        ServiceSettings(broker_url=broker, database_url=pg_url, data_dir=data, queue=queue), LLM))
    worker = start_worker(worker_env(stub, broker, pg_url, data, queue, tmp_path, **worker_settings), "fault")
    try:
        with Fault(pg_url, when) as fault:
            sub = upload(client, pdf_bytes(marker=f"fault-{uuid.uuid4().hex}"))
            wait_for(lambda: fault.hit([worker]), JOB_S, "the worker to meet the fault")
            assert job(client, sub["job_id"])["status"] == stuck_as
        done = settled(client, sub["job_id"], JOB_S, [worker])
        if done["status"] == "succeeded":
            assert records(client, sub["job_id"]) == 1
        return done
    finally:
        drop_queue(broker, queue)


def test_database_failing_as_a_delivery_starts_does_not_strand_the_job(tmp_path, stub, start_worker, pg_url,
                                                                       amqp_url):
    """The update that marks the job running fails: the message goes back to the queue (before, it was
    acknowledged and the job stayed 'queued' forever); once the database works the job runs, once."""
    done = run_through_fault(tmp_path, stub, start_worker, pg_url, amqp_url,
                             "OLD.status = 'queued' AND NEW.status = 'running'", stuck_as="queued")
    assert done["status"] == "succeeded" and done["attempts"] == 1, done


def test_database_failing_as_a_job_ends_does_not_leave_it_running(tmp_path, stub, start_worker, pg_url, amqp_url):
    """Writing the job's end (record or failure) fails: the delivery retries the write, then gives the
    message back (before, the job stayed 'running' forever); once the database works it ends, with one
    record."""
    done = run_through_fault(tmp_path, stub, start_worker, pg_url, amqp_url,
                             "OLD.status = 'running' AND NEW.status IN ('succeeded', 'failed')", stuck_as="running",
                             max_lost_deliveries=20)
    assert done["status"] == "succeeded", done


def test_reaper_resends_a_job_whose_worker_died_unnoticed(tmp_path, start_worker, pg_url, redis_url):
    """Redis keeps a dead worker's unacknowledged message for hours (visibility timeout): the job would stay
    'running'. The API's reaper sees its lease run out (hard time limit + grace) and sends it again; the
    other worker runs it, and the loss is counted."""
    queue = f"q-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    limits = {"job_time_limit_s": 10, "lease_grace_s": 1, "visibility_timeout_s": 3600}
    settings = ServiceSettings(broker_url=redis_url, database_url=pg_url, data_dir=data, queue=queue,
                               reap_interval_s=1, **limits)
    with StubServer([Step(content="{}", delay=300), Step(content="{}")]) as stub:  # the first call hangs
        env = worker_env(stub, redis_url, pg_url, data, queue, tmp_path, llm_max_concurrency=1, **limits)
        first = start_worker(env, "dies")
        # submitted with pre-fill off: the small template report would need no model call, and the call hangs
        asks_the_model = LLM.model_copy(update={"extract_prefill": False})
        try:
            with TestClient(create_app(settings, asks_the_model)) as client:  # its lifespan runs the reaper
                sub = upload(client, pdf_bytes(marker=f"reap-{uuid.uuid4().hex}"))
                wait_for(lambda: stub.requests, JOB_S, "the first worker to call the LLM")
                assert job(client, sub["job_id"])["status"] == "running"
                first.kill9()
                second = start_worker(env, "lives")
                done = settled(client, sub["job_id"], JOB_S, [second])
                assert done["status"] == "succeeded" and done["worker"] == "lives@test", done
                assert done["attempts"] == 2 and done["lost_deliveries"] == 1
                assert records(client, sub["job_id"]) == 1
        finally:
            drop_queue(redis_url, queue)
