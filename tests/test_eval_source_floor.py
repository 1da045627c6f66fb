"""The floor on the precision of source findings: a run that accuses a report of errors its gold does not
list fails CI, however good its F1."""

from __future__ import annotations

from types import SimpleNamespace

from pipeline.evaluation.floor import Floor, below_floor
from pipeline.evaluation.metrics import Detection


def _result(findings: int, unexplained: int) -> SimpleNamespace:
    detection = Detection(available=True, source_findings=findings, unexpected_source=unexplained)
    return SimpleNamespace(overall=SimpleNamespace(f1=1.0), sections={}, documents=[], detection=detection)


def test_misread_accusations_fail_the_floor():
    floor = Floor(source_precision=0.9)
    assert below_floor(_result(10, 1), floor) == []
    lines = below_floor(_result(10, 2), floor)
    assert lines == ["source findings precision 0.8000 is under the floor 0.9000 (2 of 10 not in the gold)"]


def test_no_accusation_is_no_failure():
    assert below_floor(_result(0, 0), Floor(source_precision=0.9)) == []
    assert Detection(source_findings=4, unexpected_source=1).source_precision == 0.75
