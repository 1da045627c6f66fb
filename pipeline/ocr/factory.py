"""Which engine reads with which options: a registry keyed by the options type (as docling's OCR factory).

Engines register themselves (``@register``) when their module is imported. This module imports none of them
by name: a built-in engine's module is imported the first time its options are asked for, so PaddleOCR's
optional extra costs nothing until it is chosen, and a missing one gives a ConfigError saying what to install.
"""

from __future__ import annotations

import importlib
from typing import TypeVar

from pipeline.errors import ConfigError
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.options import OcrOptions, PaddleOcrOptions, RapidOcrOptions

E = TypeVar("E", bound=type[OcrEngine])

_CLASSES: dict[type[OcrOptions], type[OcrEngine]] = {}
# the module that registers each built-in engine, and the extra that installs its needs (None: base install)
_BUILTIN: dict[type[OcrOptions], tuple[str, str | None]] = {
    RapidOcrOptions: ("pipeline.ocr.rapid", None),
    PaddleOcrOptions: ("pipeline.ocr.paddle", "paddleocr"),
}
_LOADED: dict[OcrOptions, OcrEngine] = {}


def register(engine_cls: E) -> E:
    """Class decorator: ``engine_cls`` reads with options of type ``engine_cls.options_type``.

    One engine per options type; the same class registered again (its module reloaded) replaces itself.
    """
    options_type = engine_cls.options_type
    known = _CLASSES.get(options_type)
    if known is not None and _qualified(known) != _qualified(engine_cls):
        raise ValueError(f"{options_type.__name__} already belongs to {known.__qualname__}")
    _CLASSES[options_type] = engine_cls
    return engine_cls


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def engine_class(options: OcrOptions) -> type[OcrEngine]:
    """The engine class registered for ``type(options)``, importing a built-in engine's module on first use."""
    options_type = type(options)
    if options_type not in _CLASSES and options_type in _BUILTIN:
        module, extra = _BUILTIN[options_type]
        try:
            importlib.import_module(module)
        except ImportError as e:
            hint = f"; run: pip install -e '.[{extra}]'" if extra else ""
            raise ConfigError(f"OCR engine {options.kind!r} cannot be loaded ({e}){hint}") from e
    try:
        return _CLASSES[options_type]
    except KeyError:
        known = ", ".join(sorted(t.__name__ for t in {*_CLASSES, *_BUILTIN}))
        raise ConfigError(f"no OCR engine for options of type {options_type.__name__}; known: {known}") from None


def get_engine(options: OcrOptions) -> OcrEngine:
    """The engine for ``options``, built once per process and options (models load slowly)."""
    cls = engine_class(options)  # first: an unknown type is a ConfigError, even if it cannot be hashed
    engine = _LOADED.get(options)
    if engine is None:
        engine = _LOADED[options] = cls(options)
    return engine
