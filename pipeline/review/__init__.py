"""The review page of one report: page images with every number boxed, the record, each violation linked to
its boxes; and a reviewer's corrections."""

from pipeline.review.page import build_context, review_html, write_review

__all__ = ["build_context", "review_html", "write_review"]
