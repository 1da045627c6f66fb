"""juesuan（决算）: scanned 部门决算 reports into structured, verified records.

    >>> import juesuan
    >>> result = juesuan.extract("samples/sample-01-jiading-wenhualvyouju.pdf")
    >>> result.record.income.total.value, result.status
    >>> with juesuan.Extractor() as ex:          # one model server for many reports
    ...     results = [ex.extract(p) for p in paths]
    >>> doc = juesuan.parse("report.pdf")       # pages, sections, tables with boxes (no model)

Settings are keyword arguments: the fields of ``Settings`` (``llm_provider``, ``ocr_engine``, ``pages`` …) or
the CLI's short names (``base_url``, ``api_key``, ``model``, ``mode``). This package is the public face of the
implementation in ``pipeline``.
"""

from pipeline import __version__
from pipeline.api import Extractor, Result, extract, parse
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.errors import ConfigError, InputError, JuesuanError
from pipeline.record.model import Record

__all__ = [
    "ConfigError",
    "Document",
    "Extractor",
    "InputError",
    "JuesuanError",
    "Record",
    "Result",
    "Settings",
    "__version__",
    "extract",
    "parse",
]
