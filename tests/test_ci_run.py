"""`.ci/run` runs the README's two commands as written: it reads them out of the README's fences, so a change to
either shows here before CI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ci_reads_the_readmes_two_commands():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    awk = re.search(r"mapfile -t readme < <\((awk '[^']*' README\.md)\)", ci)
    assert awk, ".ci/run no longer reads the commands out of README.md"
    out = subprocess.run(["bash", "-c", awk.group(1)], cwd=REPO, capture_output=True, text=True, check=True)
    install, tests = out.stdout.splitlines()
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")
    assert "juesuan extract samples/ --out out/" in install
    assert tests == ".venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -q"
    assert 'bash -euo pipefail -c "${readme[0]}"' in ci and 'bash -euo pipefail -c "${readme[1]}"' in ci
