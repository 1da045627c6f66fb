"""The OCR engines' structure: no import cycle in pipeline.ocr, one engine per options type, each engine built
from its own options only, and Settings mapping every configuration onto the options it meant before."""

from __future__ import annotations

import ast
import importlib.util
import inspect
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Literal

import pytest

import pipeline.ocr
from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.ocr import factory
from pipeline.ocr.base import OcrEngine, OcrLine
from pipeline.ocr.factory import engine_class, get_engine, register
from pipeline.ocr.options import OcrOptions, PaddleOcrOptions, RapidOcrOptions
from pipeline.ocr.paddle import PaddleEngine
from pipeline.ocr.rapid import RapidEngine

OCR_DIR = Path(pipeline.ocr.__file__).parent
PACKAGE = "pipeline.ocr"


def _sources() -> dict[str, str]:
    return {
        PACKAGE if p.stem == "__init__" else f"{PACKAGE}.{p.stem}": p.read_text(encoding="utf-8")
        for p in OCR_DIR.glob("*.py")
    }


def _package_imports(module: str, source: str, modules: set[str]) -> set[str]:
    """The pipeline.ocr modules ``source`` imports anywhere (top level, in functions, under TYPE_CHECKING)."""
    is_package = module == PACKAGE
    here = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}  # `from pipeline.ocr import rapid`
    return {m for m in found if m in modules and m != module}


def _graph(sources: dict[str, str]) -> dict[str, set[str]]:
    modules = set(sources)
    return {m: _package_imports(m, src, modules) for m, src in sources.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as e:
        return list(e.args[1])
    return None


def test_ocr_package_has_no_import_cycle():
    graph = _graph(_sources())
    assert {"pipeline.ocr.base", "pipeline.ocr.rapid", "pipeline.ocr.factory"} <= set(graph)
    assert "pipeline.ocr.base" in graph["pipeline.ocr.rapid"]  # the parser sees the imports that exist
    assert _cycle(graph) is None, f"import cycle in pipeline.ocr: {' → '.join(_cycle(graph) or [])}"


@pytest.mark.parametrize(
    "line", ["from pipeline.ocr.rapid import TEXT_SCORE", "from pipeline.ocr import paddle", "from . import rapid"]
)
def test_the_cycle_check_catches_an_engine_imported_by_base(line):
    sources = _sources()
    sources["pipeline.ocr.base"] += f"\n\ndef _late():\n    {line}\n"
    assert _cycle(_graph(sources)) is not None


def test_each_options_type_gets_its_engine(tmp_path):
    assert engine_class(RapidOcrOptions()) is RapidEngine
    assert engine_class(PaddleOcrOptions(cache_dir=tmp_path)) is PaddleEngine  # without the paddleocr extra too


def test_an_unknown_options_type_is_a_clear_error():
    class TesseractOptions(OcrOptions):
        kind: Literal["tesseract"] = "tesseract"

    with pytest.raises(ConfigError, match="for options of type TesseractOptions; known: .*RapidOcrOptions"):
        get_engine(TesseractOptions())
    with pytest.raises(ConfigError, match="no OCR engine for options of type Settings"):
        get_engine(Settings())  # the old call, with the whole settings


def test_a_missing_engine_module_names_its_extra(monkeypatch):
    class GoneOptions(OcrOptions):
        kind: Literal["gone"] = "gone"

    monkeypatch.setitem(factory._BUILTIN, GoneOptions, ("pipeline.ocr._not_installed", "gone"))
    with pytest.raises(ConfigError, match=r"'gone' cannot be loaded .*pip install -e '\.\[gone\]'"):
        get_engine(GoneOptions())


class FakeOptions(OcrOptions):
    kind: Literal["fake"] = "fake"
    word: str = "九十"


class FakeEngine(OcrEngine):
    name = "fake"
    options_type = FakeOptions

    def recognize(self, image):
        return [OcrLine(self.options.word, (0, 0, 1, 1), 1.0, [(0, 0, 0.5, 1), (0.5, 0, 1, 1)])]


@pytest.fixture
def registry(monkeypatch):
    """The factory's registry and loaded engines, restored after the test."""
    monkeypatch.setattr(factory, "_CLASSES", dict(factory._CLASSES))
    monkeypatch.setattr(factory, "_LOADED", {})


def test_a_registered_engine_is_built_once_from_its_own_options(registry):
    assert register(FakeEngine) is FakeEngine
    options = FakeOptions(word="〇六", threads=2)
    engine = get_engine(options)
    assert type(engine) is FakeEngine and engine.options is options
    assert get_engine(FakeOptions(word="〇六", threads=2)) is engine  # equal options: the same engine
    assert get_engine(FakeOptions()) is not engine
    assert engine.recognize(None)[0].text == "〇六"


def test_one_engine_per_options_type(registry):
    register(FakeEngine)

    class OtherEngine(FakeEngine):
        pass

    with pytest.raises(ValueError, match="FakeOptions already belongs to FakeEngine"):
        register(OtherEngine)


def test_an_engine_takes_only_its_own_options(tmp_path):
    for cls in (RapidEngine, PaddleEngine):
        assert list(inspect.signature(cls.__init__).parameters) == ["self", "options"]
    with pytest.raises(TypeError, match="RapidEngine takes RapidOcrOptions, not PaddleOcrOptions"):
        RapidEngine(PaddleOcrOptions(cache_dir=tmp_path))
    with pytest.raises(TypeError, match="PaddleEngine takes PaddleOcrOptions, not Settings"):
        PaddleEngine(Settings())


def test_settings_map_onto_the_options_they_meant(monkeypatch, tmp_path):
    assert Settings(ocr_threads=3).ocr_options() == RapidOcrOptions(threads=3)
    assert Settings(ocr_engine="paddleocr", paddle_det_model_dir=tmp_path).ocr_options() == PaddleOcrOptions(
        det_model_dir=tmp_path, cache_dir=Settings().cache_dir
    )
    monkeypatch.setenv("JUESUAN_OCR_ENGINE", "paddleocr")
    monkeypatch.setenv("JUESUAN_OCR_THREADS", "2")
    monkeypatch.setenv("JUESUAN_PADDLE_ENGINE", "onnxruntime")
    monkeypatch.setenv("JUESUAN_PADDLE_REC_MODEL_DIR", str(tmp_path / "rec"))
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path / "cache"))
    assert Settings().ocr_options() == PaddleOcrOptions(
        threads=2, engine="onnxruntime", rec_model_dir=tmp_path / "rec", cache_dir=tmp_path / "cache"
    )


def test_paddle_settings_without_a_model_folder_name_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="JUESUAN_PADDLE_DET_MODEL_DIR"):
        get_engine(Settings(cache_dir=tmp_path, ocr_engine="paddleocr").ocr_options())


@pytest.mark.skipif(importlib.util.find_spec("paddleocr") is not None, reason="the paddleocr extra is installed")
def test_paddle_chosen_without_its_extra_says_what_to_install(tmp_path, monkeypatch):
    for name in ("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "PADDLE_PDX_CACHE_HOME", "HF_HUB_OFFLINE",
                 "MODELSCOPE_OFFLINE"):
        monkeypatch.delenv(name, raising=False)  # the engine sets them; restored after the test
    det, rec = tmp_path / "det", tmp_path / "rec"
    for d in (det, rec):
        d.mkdir()
        (d / "inference.onnx").write_bytes(b"")
        (d / "inference.yml").write_text("Global:\n  model_name: m\n", encoding="utf-8")
    settings = Settings(
        cache_dir=tmp_path, ocr_engine="paddleocr", paddle_engine="onnxruntime",
        paddle_det_model_dir=det, paddle_rec_model_dir=rec,
    )
    with pytest.raises(ConfigError, match=r"PaddleOCR is not installed .*pip install -e '\.\[paddleocr\]'"):
        get_engine(settings.ocr_options())


def test_rapid_fingerprint_is_unchanged(rapid):
    """The OCR cache is keyed by name and fingerprint: a change here would orphan every cached page."""
    from rapidocr._version import __version__

    assert isinstance(rapid, RapidEngine) and rapid.name == "rapidocr"
    assert rapid.fingerprint == (
        f"rapidocr-{__version__}|PP-OCRv6_det_small.onnx|PP-OCRv6_rec_small.onnx|score0.3|side3000"
    )
