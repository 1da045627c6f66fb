"""The 决算 contract's field paths exist once (the final_accounts profile's contract), equal the contract
document's, and are what both the evaluation and the sample gold use."""

from __future__ import annotations

import re

import pytest
from conftest import SHARED

from pipeline.reports import get
from pipeline.reports.final_accounts import contract

CONTRACT = SHARED / "contract" / "record-fields.md"


def document_paths() -> list[str]:
    """Every path of the contract document's tables, in its order (a list field ends in ``[]``)."""
    text = CONTRACT.read_text(encoding="utf-8")
    return [
        p
        for line in text.splitlines()
        if line.startswith("| `")
        for p in re.findall(r"`([^`]+)`", line.split("|")[1])
    ]


@pytest.mark.skipif(not CONTRACT.exists(), reason="no shared contract")
def test_paths_equal_the_contract_document():
    paths = document_paths()
    assert [p.removesuffix("[]") for p in paths] == list(contract.PATHS)
    assert [p[:-2] for p in paths if p.endswith("[]")] == list(contract.LISTS)
    assert [p for p in paths if "." in p and not p.endswith("[]")] == list(contract.FIGURES)
    assert [p for p in paths if "." not in p] == list(contract.IDENTITY)
    lines = CONTRACT.read_text(encoding="utf-8").splitlines()
    for path, fields in contract.LISTS.items():
        row = next(line for line in lines if f"`{path}[]`" in line)
        assert re.findall(r"`(\w+)`", row.split("|")[2]) == list(fields)


def test_one_list_for_every_user():
    from pipeline.evaluation.loading import load_gold
    from pipeline.samples import gold

    scored = get("final_accounts").contract  # what the evaluation scores a 决算 by
    assert (scored.identity, scored.figures, scored.lists) == (contract.IDENTITY, contract.FIGURES, contract.LISTS)
    assert scored is contract.CONTRACT and gold.FIELD_PATHS is contract.FIELD_PATHS
    some_gold = next((SHARED / "gold").glob("*.json"), None)
    if some_gold is not None:  # a 决算 gold file is scored by that contract
        assert load_gold(some_gold).profile.contract is scored
    assert set(contract.FIELD_PATHS) == set(contract.FIGURES) | set(contract.LISTS)
    assert len(set(contract.PATHS)) == len(contract.PATHS)
