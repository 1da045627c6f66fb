"""The reconciliation validator: a declarative rule catalog over a record, grounded in the document text.

``validate(record, document=None, settings=None) -> ValidationReport`` is what the extraction loop calls;
``juesuan validate RECORD.json`` is the same from the command line.
"""

from pipeline.validate.engine import validate
from pipeline.validate.normalize import normalize_text
from pipeline.validate.report import ValidationReport, Violation
from pipeline.validate.settings import ValidationSettings

__all__ = ["ValidationReport", "ValidationSettings", "Violation", "normalize_text", "validate"]
