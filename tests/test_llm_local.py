"""The embedded server for real: xllamacpp + the packaged Qwen2.5-Coder-0.5B, schema-constrained output.

One server for the whole module (loading takes seconds and these machines have two cores), a handful of
short calls, and checks that no server process survives its parent however the parent ends.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from pipeline.config import Settings
from pipeline.llm import LLMClient, LLMError, ResponseCache, connect
from pipeline.llm.models import resolve_local_model
from pipeline.llm.server import shared_server

ROOT = Path(__file__).resolve().parents[1]
TEXT = "2024年度收入、支出总计均为770.43万元。"


class Total(BaseModel):
    total: Decimal
    quote: str


def local_settings(**over) -> Settings:
    """Default cache_dir (JUESUAN_CACHE_DIR or the user cache) so the joined model is reused across runs."""
    values: dict = dict(
        llm_provider="local", llm_model="qwen2.5-coder-0.5b", llm_max_tokens=96, llm_n_ctx=2048
    )
    values.update(over)
    return Settings(**values)


def proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, ppid) from /proc, or None when the process no longer exists."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields[0], int(fields[1])


def gone(pid: int, within: float = 15.0) -> bool:
    """True once pid no longer runs (a zombie awaiting its reaper counts as gone)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        stat = proc_stat(pid)
        if stat is None or stat[0] == "Z":
            return True
        time.sleep(0.2)
    return False


def listening_addresses(pid: int) -> set[str]:
    """IPv4 addresses pid listens on (its socket inodes matched against /proc/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if cols[3] == "0A" and cols[9] in inodes:  # 0A = LISTEN
            ip = bytes.fromhex(cols[1].split(":")[0])[::-1]
            addresses.add(".".join(str(b) for b in ip))
    for line in (
        Path("/proc/net/tcp6").read_text().splitlines()[1:] if Path("/proc/net/tcp6").exists() else []
    ):
        cols = line.split()
        if cols[3] == "0A" and cols[9] in inodes:
            addresses.add("ipv6:" + cols[1].split(":")[0])
    return addresses


@pytest.fixture(scope="module")
def endpoint():
    settings = local_settings()
    with connect(settings) as ep:
        pid = ep.server.pid
        yield ep
    assert gone(pid), "server process survived the end of the session"


@pytest.fixture
def client(endpoint, tmp_path):
    return LLMClient(endpoint, local_settings(), cache=ResponseCache(tmp_path / "llm"))


def test_health_and_loopback_only(endpoint):
    assert endpoint.base_url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(endpoint.base_url.removesuffix("/v1") + "/health", timeout=5) as resp:
        assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
    assert listening_addresses(endpoint.server.pid) == {"127.0.0.1"}


def test_schema_constrained_extraction_then_cache_hit(client):
    messages = [
        {"role": "system", "content": "从文本中提取总计金额（万元），并原样引用金额所在的句子。只输出JSON。"},
        {"role": "user", "content": TEXT},
    ]
    result = client.complete(Total, messages, part="totals")
    assert result.total == Decimal("770.43")
    assert result.quote.strip() and result.quote.strip() in TEXT
    ledger = client.ledger
    assert (ledger.calls, ledger.failed_calls, ledger.cache_hits) == (1, 0, 0)
    assert ledger.prompt_tokens > 20 and 0 < ledger.completion_tokens <= 96

    def no_http(**_kwargs):
        raise AssertionError("a cached answer must not reach the server")

    client._openai.chat.completions.create = no_http  # type: ignore[method-assign]
    again = client.for_document().complete(Total, messages, part="totals")
    assert again == result
    assert client.ledger.calls == 1


def test_one_shared_server_per_process(endpoint):
    settings = local_settings()
    with shared_server(resolve_local_model(settings), settings) as second:
        assert second is endpoint.server
    # still held by the fixture
    assert endpoint.server.proc is not None and endpoint.server.proc.poll() is None


PARENT = textwrap.dedent(
    """
    import signal, sys, time
    # Ctrl-C as in a terminal: a signal ignored in the test process would be inherited and ignored here too
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pipeline.config import Settings
    from pipeline.llm import connect
    with connect(Settings(llm_n_ctx=1024)) as ep:
        print(ep.server.pid, flush=True)
        time.sleep(120)
    """
)


@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill", "term", "ctrl-c"]
)
def test_no_orphan_server_when_the_parent_ends(sig, endpoint):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, env=dict(os.environ), text=True
    )
    try:
        line = parent.stdout.readline()
        assert line.strip().isdigit(), f"parent did not start a server (exit {parent.poll()})"
        server_pid = int(line)
        assert proc_stat(server_pid)[1] == parent.pid
        parent.send_signal(sig)
        try:
            parent.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the parent did not end within 20 s of {sig.name} (this process's SIGINT handler: "
                        f"{signal.getsignal(signal.SIGINT)!r})")
        assert gone(server_pid), f"server {server_pid} outlived its parent after {sig.name}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_a_model_that_cannot_load_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\0" * 200)
    settings = Settings(cache_dir=tmp_path, llm_model=str(bad))
    expected = r"(?s)exited with code 1 while loading.*failed to load model"
    with pytest.raises(LLMError, match=expected), connect(settings):
        pass
