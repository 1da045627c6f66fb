"""Extraction: a parsed report into a validated record, part by part, with a bounded repair loop.

``extract_document(document, client, settings)`` and ``extract_path(path, settings, client)`` return an
``ExtractionResult`` (record, status, validation, ledger, errors); ``juesuan extract`` writes it as JSON.
"""

from pipeline.extract.run import ExtractionResult, PartError, extract_document, extract_path, status_of

__all__ = ["ExtractionResult", "PartError", "extract_document", "extract_path", "status_of"]
