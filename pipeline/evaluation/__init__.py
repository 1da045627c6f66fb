"""The evaluation harness: score predicted records against gold, field by field, and report it.

``score_documents(gold, predictions)`` is the in-process entry (``juesuan eval`` and ``juesuan eval run``);
``eval/README.md`` states the scoring rules.
"""

from pipeline.evaluation.loading import EvalInputError, load_gold_dir, load_pred_dir, prediction_from_record
from pipeline.evaluation.metrics import EvalResult
from pipeline.evaluation.scoring import score_document, score_documents

__all__ = [
    "EvalInputError",
    "EvalResult",
    "load_gold_dir",
    "load_pred_dir",
    "prediction_from_record",
    "score_document",
    "score_documents",
]
