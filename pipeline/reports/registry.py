"""The registered report kinds, and which one a document is.

Registering a kind is one line in ``_PACKAGES``: the package's ``PROFILE``. Packages are imported on first use,
so a kind's data costs nothing until a document needs it.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from pipeline.reports.profile import ReportProfile

# kind → the package whose ``PROFILE`` it is; the first is the default for a document whose type is not known
_PACKAGES: dict[str, str] = {
    "final_accounts": "pipeline.reports.final_accounts",
    "budget": "pipeline.reports.budget",
}


def kinds() -> tuple[str, ...]:
    """The registered kinds, the default first."""
    return tuple(_PACKAGES)


@cache
def get(kind: str) -> ReportProfile:
    """The profile of ``kind``; an unknown kind is a clear error naming the known ones."""
    if kind not in _PACKAGES:
        raise ValueError(f"unknown report type {kind!r}: known types are {', '.join(_PACKAGES)}")
    profile = import_module(_PACKAGES[kind]).PROFILE
    if profile.kind != kind:
        raise ValueError(f"{_PACKAGES[kind]} registers kind {profile.kind!r}, not {kind!r}")
    return profile


def detect(report_type: str | None) -> ReportProfile:
    """The profile for a detected report type: its own where registered, else the default's (a 绩效自评 or a
    report whose type nothing states is read as a 决算, as it always was)."""
    return get(report_type) if report_type in _PACKAGES else get(next(iter(_PACKAGES)))


def pick(requested: str | None, detected: str | None) -> ReportProfile:
    """The user's ``--report-type`` where given, else the detected type's profile."""
    return get(requested) if requested else detect(detected)
