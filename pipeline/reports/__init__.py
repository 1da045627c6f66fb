"""Report kinds. Each kind is one ``ReportProfile`` in a package of its own; the registry picks the profile
for a document (its detected type, or the one a user names) and callers pass it down: layout takes its table
titles, extract its parts, validate its rules and links, the evaluation its contract."""

from pipeline.reports.profile import ReportProfile
from pipeline.reports.registry import detect, get, kinds, pick

__all__ = ["ReportProfile", "detect", "get", "kinds", "pick"]
