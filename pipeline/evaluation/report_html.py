"""One self-contained HTML report: tables and matplotlib plots (PNG, base64-embedded) via a jinja2 template.

The Agg canvas is used directly (no pyplot), so rendering needs no display and keeps no global state.
Several results (one per configuration) share each plot as grouped bars.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from pipeline.evaluation.metrics import EvalResult
from pipeline.evaluation.report_terminal import comparison_rows, pct, rate
from pipeline.files import atomic_write_text

ERROR_KINDS = ("wrong", "missing", "extra")
VIOLATION_CLASSES = ("extraction", "source", "rounding")
COLORS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860")


def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _grouped(
    title: str, labels: list[str], series: dict[str, list[float]], xlabel: str, horizontal: bool = True
) -> str:
    """Bars per label, one colour per series (configuration or error kind)."""
    height = max(2.5, 0.32 * len(labels) * max(1, len(series)) + 1) if horizontal else 3.5
    fig = Figure(figsize=(7.5, height))
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        pos = [j + (i - (len(series) - 1) / 2) * width for j in range(len(labels))]
        color = COLORS[i % len(COLORS)]
        if horizontal:
            ax.barh(pos, values, height=width, label=name, color=color)
        else:
            ax.bar(pos, values, width=width, label=name, color=color)
    if horizontal:
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
    else:
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        ax.set_ylabel(xlabel)
    if xlabel == "F1":
        ax.set_xlim(0, 1.0)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize="small")
    ax.grid(axis="x" if horizontal else "y", alpha=0.3)
    return _png(fig)


def _stacked(title: str, labels: list[str], parts: dict[str, list[int]]) -> str:
    fig = Figure(figsize=(7.5, max(2.5, 0.32 * len(labels) + 1)))
    ax = fig.add_subplot()
    left = [0] * len(labels)
    for i, (name, values) in enumerate(parts.items()):
        ax.barh(range(len(labels)), values, left=left, label=name, color=COLORS[i % len(COLORS)])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("fields")
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def plots(results: Mapping[str, EvalResult]) -> list[tuple[str, str]]:
    """(caption, base64 PNG) pairs: F1 by section, errors by kind and by validator class, time by stage."""
    out: list[tuple[str, str]] = []
    sections = list(dict.fromkeys(s for r in results.values() for s in r.sections))
    f1 = {n: [r.sections[s].f1 if s in r.sections else 0.0 for s in sections] for n, r in results.items()}
    out.append(("F1 by section", _grouped("F1 by section", sections, f1, "F1")))
    for name, r in results.items():
        errs = {
            k: [getattr(r.sections[s], k) if s in r.sections else 0 for s in sections] for k in ERROR_KINDS
        }
        suffix = f" ({name})" if len(results) > 1 else ""
        out.append(
            (f"Field errors by kind{suffix}", _stacked(f"Field errors by kind{suffix}", sections, errs))
        )
    if any(r.violations for r in results.values()):
        series = {n: [float(r.violations.get(c, 0)) for c in VIOLATION_CLASSES] for n, r in results.items()}
        out.append(
            (
                "Validator violations by class",
                _grouped(
                    "Validator violations by class", list(VIOLATION_CLASSES), series, "violations", False
                ),
            )
        )
    stages = list(dict.fromkeys(s for r in results.values() for s in r.cost.stage_seconds))
    if stages:
        series = {n: [r.cost.stage_seconds.get(s, 0.0) for s in stages] for n, r in results.items()}
        out.append(("Time by stage", _grouped("Time by stage", stages, series, "seconds", False)))
    return out


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.evaluation", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    env.filters["rate"] = rate
    return env


def render_html(
    results: EvalResult | Mapping[str, EvalResult],
    title: str = "juesuan evaluation",
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> str:
    """The report; several results (one per configuration) get a side-by-side table first (``extra`` rows
    appended to it) and share each plot."""
    if isinstance(results, EvalResult):
        results = {"result": results}
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            title=title, results=results, plots=plots(results), comparison=comparison_rows(results, extra)
        )
    )


def write_html(
    path: str | Path,
    results: EvalResult | Mapping[str, EvalResult],
    title: str = "juesuan evaluation",
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, render_html(results, title, extra))
    return path
