"""Child process that hosts llama.cpp's HTTP server (xllamacpp) for the parent pipeline process.

Run as `python -m pipeline.llm._serve`; arguments come as one JSON object on argv[1] and the API key in
JUESUAN_LLM_SERVER_KEY. It prints one JSON line {"address": ...} when the model is loaded, then serves until
stdin reaches EOF, the parent disappears, or a signal arrives: it never outlives the pipeline.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int, use_pdeathsig: bool) -> None:
    """Kernel-level tie to the parent (Linux), then a pipe and a ppid watch for everything else."""
    if use_pdeathsig and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the tie was made
        os._exit(3)

    def watch_stdin() -> None:
        try:
            while sys.stdin.buffer.read(1):
                pass
        finally:
            os._exit(0)  # EOF: the parent closed the pipe or died

    def watch_ppid() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_ppid, daemon=True).start()


def main() -> None:
    args = json.loads(sys.argv[1])
    _die_with_parent(args["parent_pid"], args["pdeathsig"])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop

    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args["model"]
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the kernel picks a free port; we report it
    params.n_parallel = args["n_parallel"]
    params.n_ctx = args["n_ctx"] * args["n_parallel"]  # llama.cpp splits n_ctx across slots
    params.n_predict = args["n_predict"]
    params.sampling.temp = 0.0
    params.warmup = False
    params.ui = False
    if args["threads"] > 0:
        params.cpuparams.n_threads = args["threads"]
        params.cpuparams_batch.n_threads = args["threads"]
    key = os.environ.get("JUESUAN_LLM_SERVER_KEY")
    if key:
        params.api_keys = [key]

    server = xlc.Server(params)
    sys.stdout.write(json.dumps({"address": server.listening_address, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    while True:  # serve until a watcher or a signal ends the process
        time.sleep(3600)


if __name__ == "__main__":
    try:
        main()
    except BaseException:  # report, then leave at once: the watcher threads must not block shutdown
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
