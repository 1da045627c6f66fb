"""Fixtures and helpers for the service tests: real Redis, RabbitMQ and PostgreSQL on loopback, real workers.

Each test session gets its own queue names, its own PostgreSQL database (dropped after) and its own LLM
response cache (the joined model file is shared with the default cache, so it is not joined again).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

REDIS = ("127.0.0.1", 6379)
POSTGRES = ("127.0.0.1", 5432)
RABBITMQ = ("127.0.0.1", 5672)
SESSION = uuid.uuid4().hex[:10]

SMALL_REPORT = (
    "上海市某区某局2024年度部门决算\n\n"
    "第二部分 2024年度部门决算情况说明\n\n"
    "一、收入支出决算总体情况说明\n"
    "2024年度收入、支出决算总计1,234.56万元。与上年相比，收、支总计各增加100.00万元，增长8.8%。\n"
)


def port_open(addr: tuple[str, int]) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(addr) == 0


def require(addr: tuple[str, int], name: str) -> None:
    """Fail under CI (which starts the services), skip elsewhere when the service is not running."""
    if port_open(addr):
        return
    message = f"{name} is not running on {addr[0]}:{addr[1]}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pdf(path: Path, text: str = SMALL_REPORT, marker: str = "") -> Path:
    """A born-digital one-page report in PyMuPDF's built-in CJK font (a text layer, so no OCR, and no font
    to install): the pipeline takes seconds."""
    path.write_bytes(pdf_bytes(text, marker))
    return path


def pdf_bytes(text: str = SMALL_REPORT, marker: str = "") -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(50, 60, 545, 800), text, fontname="china-s", fontsize=12)
    if marker:
        doc.set_metadata({"subject": marker})  # different bytes, same text
    return doc.tobytes(garbage=4, deflate=True)


def fake_pdf(marker: str) -> bytes:
    """A real one-page PDF (the upload opens it) with no report text: for API tests where no worker runs."""
    doc = pymupdf.open()
    doc.new_page(width=595, height=842)
    doc.set_metadata({"subject": marker})
    return doc.tobytes()


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory) -> Path:
    """A fresh cache dir (LLM answers, OCR) whose models/ is the default cache's, already joined."""
    from pipeline.config import Settings
    from pipeline.llm.models import resolve_local_model

    model = resolve_local_model(Settings())  # joins the model into the default cache once, ever
    if os.environ.get("SERVICE_TEST_CACHE"):  # reuse LLM answers across sessions while iterating locally
        cache = Path(os.environ["SERVICE_TEST_CACHE"])
        cache.mkdir(parents=True, exist_ok=True)
        if (cache / "models").exists():
            return cache
    else:
        cache = tmp_path_factory.mktemp("service-cache")
    (cache / "models").symlink_to(model.path.parent, target_is_directory=True)
    return cache


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "small.pdf")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    require(POSTGRES, "PostgreSQL")
    import psycopg

    name = f"juesuan_test_{uuid.uuid4().hex[:12]}"  # each module importing this fixture gets its own
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    require(REDIS, "Redis")
    return "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def amqp_url() -> str:
    require(RABBITMQ, "RabbitMQ")
    return "amqp://guest:guest@127.0.0.1:5672//"


def drop_queue(broker_url: str, queue: str) -> None:
    """Remove a test queue (and Redis's bookkeeping keys for it) from a shared broker."""
    from kombu import Connection

    try:
        with Connection(broker_url, connect_timeout=2) as conn:
            channel = conn.channel()
            if broker_url.startswith("redis"):
                client = channel.client
                client.delete(queue, *(f"{queue}\x06\x16{p}" for p in range(10)))
            else:
                channel.queue_delete(queue)
    except Exception:  # cleanup only: never fail a test on it
        pass


class PrivateRedis:
    """A Redis of our own on a free port with append-only persistence, to kill and restart at will."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", "redis.log"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_for(lambda: port_open(("127.0.0.1", self.port)), 10, "private redis to listen")
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown save; only what the append-only file already holds survives."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def rabbitmq_server() -> str | None:
    """The rabbitmq-server script that runs the node as the calling user. Debian's /usr/sbin one is a
    wrapper that switches to the rabbitmq user (which could not write our temporary folder)."""
    for candidate in ("/usr/lib/rabbitmq/bin/rabbitmq-server", shutil.which("rabbitmq-server")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class PrivateRabbitMQ:
    """A RabbitMQ node of our own (own name, ports, data folder, cookie) to SIGKILL and restart at will,
    without touching the shared one on 5672 that other test runs may be using."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.dist_port = free_port()
        self.node = f"jt{uuid.uuid4().hex[:8]}@localhost"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _env(self) -> dict[str, str]:
        f = self.folder
        f.mkdir(parents=True, exist_ok=True)
        (f / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (f / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq's, which names the shared node
        (f / "enabled_plugins").write_text("[].\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update({
            "HOME": str(f),  # the Erlang cookie is made here
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(f / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(f / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(f / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(f / "mnesia"),  # kept across restarts: the durable state
            "RABBITMQ_LOG_BASE": str(f / "log"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        })
        return env

    def start(self, timeout: float = 120) -> PrivateRabbitMQ:
        server = rabbitmq_server()
        assert server, "rabbitmq-server not found"
        self.starts += 1
        log = self.folder / f"start-{self.starts}.log"
        env = self._env()
        with log.open("wb") as out:
            self.proc = subprocess.Popen([server], env=env, cwd=self.folder, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

        def accepting() -> bool:
            assert self.proc.poll() is None, f"rabbitmq exited {self.proc.returncode}:\n{log.read_text()[-3000:]}"
            return port_open(("127.0.0.1", self.port)) and self.connects()

        wait_for(accepting, timeout, f"private rabbitmq on {self.port} to accept connections", interval=0.5)
        return self

    def connects(self) -> bool:
        from kombu import Connection

        try:
            with Connection(self.url, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1)
            return True
        except Exception:
            return False

    def queue_depth(self, queue: str) -> int:
        """Messages ready in ``queue`` (a passive declare: fails if the queue does not exist)."""
        from kombu import Connection

        with Connection(self.url, connect_timeout=5) as conn:
            return conn.default_channel.queue_declare(queue, passive=True).message_count

    def kill(self) -> None:
        """SIGKILL the node's whole process group: no clean shutdown, only what is on disk survives."""
        if self.proc and self.proc.poll() is None:
            with _suppress():
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            wait_for(lambda: not port_open(("127.0.0.1", self.port)), 10, "private rabbitmq to stop")


@pytest.fixture
def private_rabbitmq(tmp_path) -> Iterator[PrivateRabbitMQ]:
    """A started RabbitMQ node of our own, killed after the test (its data folder goes with tmp_path)."""
    if rabbitmq_server() is None:
        message = "rabbitmq-server is not installed: this test needs a RabbitMQ node of its own to kill"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    mq = PrivateRabbitMQ(tmp_path / "rabbitmq")
    try:
        yield mq.start()
    finally:
        mq.kill()


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen
    log: Path

    def kill9(self) -> None:
        """SIGKILL the whole worker (main process and pool children) at once, as a machine dying would."""
        with _suppress():
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with _suppress():
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                with _suppress():
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:]) if self.log.exists() else ""


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return exc[0] is not None and issubclass(exc[0], ProcessLookupError)


def juesuan_command() -> list[str]:
    script = Path(sys.executable).parent / "juesuan"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from pipeline.cli import app; app()"]


def service_env(**values: str | Path) -> dict[str, str]:
    """This process's environment without any JUESUAN_* of the developer's, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUESUAN_")}
    env.update({f"JUESUAN_{k.upper()}": str(v) for k, v in values.items()})
    return env


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start real `juesuan worker` processes (prefork, concurrency 1); all are stopped after the test."""
    started: list[Worker] = []

    def start(env: dict[str, str], name: str) -> Worker:
        log = tmp_path / f"worker-{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*juesuan_command(), "worker", "--name", f"{name}@test", "--log-level", "INFO"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        worker = Worker(name=f"{name}@test", proc=proc, log=log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(check: Callable[[], object], timeout: float, what: str, interval: float = 0.2):
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


class LiveServer:
    """An app under a real uvicorn in a thread of this process: real sockets, real concurrency."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_for(lambda: self.server.started, 20, "uvicorn to start", interval=0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Each API test on both databases: a SQLite file of its own, and the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def queue(redis_url):
    """A queue of this test's own on the shared Redis, removed after."""
    name = f"q-{uuid.uuid4().hex[:8]}"
    yield name
    drop_queue(redis_url, name)


def settings_for(tmp_path: Path, db_url: str, broker: str, queue: str, **over):
    from pipeline.service.settings import ServiceSettings

    return ServiceSettings(broker_url=broker, database_url=db_url, data_dir=tmp_path / "data", queue=queue, **over)


def queued_messages(redis_url: str, queue: str) -> int:
    import redis

    return redis.Redis.from_url(redis_url).llen(queue)


def race_uploads(url: str, data: bytes, clients: int = 12) -> list[dict]:
    """``clients`` HTTP clients upload ``data`` to a live API at the same instant; their answers."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx2 as httpx

    barrier = threading.Barrier(clients)

    def one(_: int) -> dict:
        with httpx.Client(base_url=url, timeout=60) as http:
            barrier.wait()
            r = http.post("/v1/documents", files={"file": ("race.pdf", data, "application/pdf")})
            assert r.status_code in (200, 202), r.text
            return r.json()

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(clients)))
