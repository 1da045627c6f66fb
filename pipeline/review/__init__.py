"""The review page of one report: page images with every figure boxed, the record, and each violation."""

from pipeline.review.page import build_context, write_review

__all__ = ["build_context", "write_review"]
