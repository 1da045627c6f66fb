"""The README's pandas snippet, exactly as printed there, pivots figures.csv of the samples by department
and 类 without a merge. The figures.csv is written by the real writer from the samples' records (their
gold annotations, hand-checked against the PDFs), so the test needs no model."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from pipeline.batch.outputs import Entry, write_outputs
from pipeline.batch.resume import write_record
from pipeline.record.gold import record_from_gold

ROOT = Path(__file__).resolve().parents[1]


def readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"<!-- pandas-pivot -->\s*```python\n(.*?)```", text, re.S).group(1)


def test_readme_pivot_by_department_and_class(tmp_path, monkeypatch):
    pytest.importorskip("pandas", reason="pandas is in the test extra")
    out = tmp_path / "out"
    entries = []
    for gold in sorted((ROOT / "eval" / "gold").glob("sample-*[0-9a-z].json")):
        if gold.name.endswith(".truth.json"):
            continue
        record = record_from_gold(gold)
        data = {"record": record.model_dump(mode="json"), "status": "reconciled", "validation": {}}
        write_record(out / f"{gold.stem}.json", data)
        entries.append(Entry.of_record(str(gold), gold.stem, out / f"{gold.stem}.json", data))
    assert len(entries) == 3
    write_outputs(out, entries)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_snippet(), "README.md", "exec"), scope)  # the README's own code, as printed
    pivot = scope["pivot"]
    departments = {e.load()["record"]["department"] for e in entries}
    assert set(pivot.index) == departments  # one row per report's department, straight from figures.csv
    for entry in entries:
        record = entry.load()["record"]
        for row in record["general_budget"]["by_class"]:
            if row.get("amount") is not None:
                got = pivot.loc[record["department"], row["name"]]
                assert abs(got - row["amount"]["value"]) < 1e-6, (row["name"], got)
    assert all(d in printed.getvalue() for d in departments)  # and it prints the table
