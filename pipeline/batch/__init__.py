"""``juesuan extract`` over folders of reports: parallel, resumable, with tables and review pages.

discover (which files) → resume (what is done) → runner/pool (inline or worker processes sharing one LLM
endpoint) → job (one document) → outputs (jsonl/csv/xlsx) and pipeline.review (the HTML page per report);
progress shows and logs it all.
"""

from pipeline.batch.progress import print_summary
from pipeline.batch.runner import BatchOptions, BatchResult, run_batch

__all__ = ["BatchOptions", "BatchResult", "print_summary", "run_batch"]
