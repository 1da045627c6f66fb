"""Rich tables of an evaluation: overall, per section, per document, worst fields, LLM cost.

``print_comparison`` puts several results side by side, one column per configuration (``eval run``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table

from pipeline.evaluation.metrics import Counts, EvalResult, FieldScore, Rate, Side

QUOTE_WIDTH = 40


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def rate(r: Rate) -> str:
    return "—" if r.rate is None else f"{pct(r.rate)} ({r.hits}/{r.total})"


def _value(side: Side | None) -> str:
    return "—" if side is None or side.value is None else str(side.value)


def _quote(side: Side | None) -> str:
    if side is None or not side.quote:
        return ""
    where = f"p{side.page} " if side.page else (f"L{side.line} " if side.line else "")
    q = side.quote if len(side.quote) <= QUOTE_WIDTH else side.quote[: QUOTE_WIDTH - 1] + "…"
    return where + q


def _prf(table: Table, label: str, c: Counts, *extra: str) -> None:
    table.add_row(label, str(c.tp), str(c.fp), str(c.fn), pct(c.precision), pct(c.recall), pct(c.f1), *extra)


def _counts_table(title: str, first: str) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column(first)
    for name in ("TP", "FP", "FN", "P", "R", "F1"):
        t.add_column(name, justify="right")
    return t


def overall_table(result: EvalResult) -> Table:
    t = Table(title="Overall", title_justify="left", show_header=False)
    t.add_column("metric")
    t.add_column("value")
    c = result.overall
    t.add_row("documents", str(len(result.documents)))
    t.add_row(
        "fields scored",
        f"{c.tp + c.fp + c.fn - c.wrong} (wrong {c.wrong}, missing {c.missing}, extra {c.extra})",
    )
    t.add_row("precision / recall", f"{pct(c.precision)} / {pct(c.recall)}")
    t.add_row("F1 (micro)", f"[bold]{pct(c.f1)}[/bold]")
    t.add_row("F1 (macro over documents)", pct(result.macro_f1))
    t.add_row("page agreement", rate(result.location))
    t.add_row(f"grounding ({result.grounding.method})", rate(result.grounding))
    t.add_row(
        "status", ", ".join(f"{k} {v}" for k, v in result.statuses.items() if v or k in ("reconciled",))
    )
    d = result.detection
    if d.available:
        t.add_row(
            "source inconsistencies found",
            f"{rate(d.found)}; {d.unexpected_source} source violations not in the gold; {d.notes} notes not counted",
        )
    else:
        t.add_row("source inconsistencies found", "— (no validation reports in the predictions)")
    return t


def sections_table(result: EvalResult) -> Table:
    t = _counts_table("By section", "section")
    for name, c in result.sections.items():
        _prf(t, name, c)
    return t


def documents_table(result: EvalResult) -> Table:
    t = _counts_table("By document", "document")
    for name in ("status", "pages", "grounded", "inconsistencies"):
        t.add_column(name, justify="right")
    for d in result.documents:
        det = rate(d.detection.found) if d.detection.available else "—"
        _prf(t, d.document, d.counts, d.status, pct(d.location.rate), pct(d.grounding.rate), det)
    return t


def worst_table(result: EvalResult, limit: int = 15) -> Table:
    t = Table(title="Worst fields (an example of each)", title_justify="left")
    t.add_column("field / example document", no_wrap=True)
    t.add_column("w/m/e", justify="right", no_wrap=True)
    t.add_column("F1", justify="right", no_wrap=True)
    for name in ("gold", "pred", "gold quote", "pred quote"):
        t.add_column(name, overflow="fold")
    for stat in result.worst_fields[:limit]:
        c = stat.counts
        ex: FieldScore | None = stat.examples[0] if stat.examples else None
        t.add_row(
            stat.shape + (f"\n[dim]{ex.document}[/dim]" if ex else ""),
            f"{c.wrong}/{c.missing}/{c.extra}",
            pct(c.f1),
            _value(ex.gold) if ex else "",
            _value(ex.pred) if ex else "",
            _quote(ex.gold) if ex else "",
            _quote(ex.pred) if ex else "",
        )
    return t


def cost_table(result: EvalResult) -> Table | None:
    cost = result.cost
    if not cost.documents:
        return None
    t = Table(title=f"LLM cost ({cost.documents} documents with ledgers)", title_justify="left")
    for name in (
        "part / stage",
        "calls",
        "failed",
        "invalid",
        "cache hits",
        "prompt tok",
        "completion tok",
        "cached tok",
        "seconds",
    ):
        t.add_column(name, justify="right" if name != "part / stage" else "left")
    for part, p in sorted(cost.parts.items()):
        t.add_row(
            part,
            str(p.calls),
            str(p.failed_calls),
            str(p.invalid_outputs),
            str(p.cache_hits),
            str(p.prompt_tokens),
            str(p.completion_tokens),
            str(p.cached_prompt_tokens),
            "",
        )
    for stage, secs in cost.stage_seconds.items():
        t.add_row(f"[italic]{stage}[/italic]", "", "", "", "", "", "", "", f"{secs:.1f}")
    t.add_row(
        "[bold]total[/bold]",
        str(cost.calls),
        str(cost.failed_calls),
        str(cost.invalid_outputs),
        str(cost.cache_hits),
        str(cost.prompt_tokens),
        str(cost.completion_tokens),
        str(cost.cached_prompt_tokens),
        f"{sum(cost.stage_seconds.values()):.1f}",
    )
    return t


def print_result(result: EvalResult, console: Console, worst: int = 15) -> None:
    console.print(overall_table(result))
    console.print(sections_table(result))
    console.print(documents_table(result))
    if result.worst_fields:
        console.print(worst_table(result, worst))
    cost = cost_table(result)
    if cost is not None:
        console.print(cost)
    if result.unmatched_gold:
        console.print(f"[yellow]no prediction for:[/yellow] {', '.join(result.unmatched_gold)}")
    if result.unmatched_predictions:
        console.print(
            f"[yellow]predictions with no gold (not scored):[/yellow] {', '.join(result.unmatched_predictions)}"
        )


def _per_doc(total: int, result: EvalResult) -> str:
    n = result.cost.documents
    return f"{total / n:,.0f}" if n else "—"


def _after_ocr(stages: Mapping[str, float]) -> str:
    """Everything after OCR (layout, extract, repair, validate) as a multiple of the OCR stage's seconds."""
    ocr = stages.get("ocr", 0.0)
    after = sum(v for k, v in stages.items() if k != "ocr")
    return f"{after / ocr:.2f}×" if ocr > 0 else "—"


def comparison_rows(
    results: Mapping[str, EvalResult], extra: Sequence[tuple[str, Sequence[str]]] = ()
) -> list[tuple[str, list[str]]]:
    """The side-by-side rows (label, one cell per configuration), shared by the terminal and the HTML report.

    ``extra`` rows (e.g. wall seconds of this run) are appended as given.
    """
    rs = list(results.values())
    rows: list[tuple[str, list[str]]] = [
        ("documents", [str(len(r.documents)) for r in rs]),
        ("F1 (micro)", [pct(r.overall.f1) for r in rs]),
        ("precision", [pct(r.overall.precision) for r in rs]),
        ("recall", [pct(r.overall.recall) for r in rs]),
        ("F1 (macro over documents)", [pct(r.macro_f1) for r in rs]),
        ("wrong / missing / extra", [f"{r.overall.wrong}/{r.overall.missing}/{r.overall.extra}" for r in rs]),
    ]
    for s in dict.fromkeys(s for r in rs for s in r.sections):
        rows.append((f"F1 {s}", [pct(r.sections[s].f1) if s in r.sections else "—" for r in rs]))
    rows += [
        ("page agreement", [pct(r.location.rate) for r in rs]),
        ("grounding", [pct(r.grounding.rate) for r in rs]),
        ("inconsistencies found", [pct(r.detection.found.rate) for r in rs]),
    ]
    for status in dict.fromkeys(k for r in rs for k, v in r.statuses.items() if v or k == "reconciled"):
        rows.append((f"status {status}", [str(r.statuses.get(status, 0)) for r in rs]))
    rows += [
        ("LLM calls", [str(r.cost.calls) for r in rs]),
        ("LLM cache hits", [str(r.cost.cache_hits) for r in rs]),
        ("LLM failed / invalid", [f"{r.cost.failed_calls}/{r.cost.invalid_outputs}" for r in rs]),
        ("LLM tokens", [str(r.cost.prompt_tokens + r.cost.completion_tokens) for r in rs]),
        ("LLM calls per document", [_per_doc(r.cost.calls, r) for r in rs]),
        (
            "prompt / completion / cached tokens per document",
            [
                f"{_per_doc(r.cost.prompt_tokens, r)} / {_per_doc(r.cost.completion_tokens, r)} / "
                f"{_per_doc(r.cost.cached_prompt_tokens, r)}"
                for r in rs
            ],
        ),
        ("seconds after OCR ÷ OCR", [_after_ocr(r.cost.stage_seconds) for r in rs]),
    ]
    for stage in dict.fromkeys(s for r in rs for s in r.cost.stage_seconds):
        rows.append((f"seconds {stage}", [f"{r.cost.stage_seconds.get(stage, 0.0):.1f}" for r in rs]))
    rows.append(("seconds (stages)", [f"{sum(r.cost.stage_seconds.values()):.1f}" for r in rs]))
    rows += [(label, list(cells)) for label, cells in extra]
    return rows


def print_comparison(
    results: Mapping[str, EvalResult],
    console: Console,
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> None:
    """F1 overall and by section, P/R, page agreement, grounding, detection, statuses, LLM cost and seconds
    per stage: one column per configuration (``eval run``)."""
    t = Table(title="Configurations side by side", title_justify="left")
    t.add_column("")
    for name in results:
        t.add_column(name, justify="right")
    for label, cells in comparison_rows(results, extra):
        t.add_row(label, *cells)
    console.print(t)
