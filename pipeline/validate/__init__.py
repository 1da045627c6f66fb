"""The reconciliation validator: a declarative rule catalog over a record, grounded in the document text.

``validate(record, document=None, settings=None) -> ValidationReport`` is what the extraction loop calls;
``juesuan validate RECORD.json`` is the same from the command line. A finding is ``source`` (the report's
own error) only when nothing points at our reading; otherwise it is ``extraction`` with its ``evidence``.
``report.suspect_tables()`` names the tables to re-read and why, ``report.unresolved_reasons()`` what an
``unresolved`` record tells the user, ``report.coverage`` which rules ran and which lacked data, and
``report.tables`` the amounts each printed table shows against those read from it.
"""

from pipeline.textindex import normalize_text
from pipeline.validate.engine import validate
from pipeline.validate.report import ValidationReport, Violation
from pipeline.validate.settings import ValidationSettings

__all__ = ["ValidationReport", "ValidationSettings", "Violation", "normalize_text", "validate"]
