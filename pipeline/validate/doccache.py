"""What the validator derives from a document alone (its text index, its printed tables), kept per document.

The extraction loop validates the same Document object again and again while the record changes; anything
that depends on the document only is computed once per document object and per key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pipeline.document import Document

T = TypeVar("T")
_CACHE: dict[int, tuple[Document, dict[str, object]]] = {}
_DOCUMENTS = 16  # documents kept (a batch works on a few at a time)


def per_document(document: Document, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per document object and key (the object itself, not an equal copy)."""
    hit = _CACHE.get(id(document))
    if hit is None or hit[0] is not document:
        if len(_CACHE) >= _DOCUMENTS:
            _CACHE.clear()
        hit = (document, {})
        _CACHE[id(document)] = hit
    if key not in hit[1]:
        hit[1][key] = compute()
    return hit[1][key]  # type: ignore[return-value]
