"""Print a ValidationReport for a person: violations grouped by whose fault they are, with the quotes."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from pipeline.validate.report import CLASSES, ValidationReport, Violation

_TITLES = {
    "extraction": "extraction — our reading disagrees with the document (retry)",
    "source": "source — the report itself does not reconcile",
    "rounding": "rounding — within the rounding envelope",
}
_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def _figure_lines(v: Violation) -> list[str]:
    out = []
    for f in v.fields:
        loc = f"p.{f.page}" if f.page else f"l.{f.line}" if f.line else "—"
        mark = "" if f.grounded else "  [red]✗ ungrounded[/red]"
        quote = escape((f.quote or "")[:70])
        out.append(f"      {escape(f.path)} = {f.value}  [dim]{loc} “{quote}”[/dim]{mark}")
    return out


def print_report(report: ValidationReport, console: Console, verbose: bool = False) -> None:
    counts = report.counts()
    ground = (
        "grounded in the document" if report.grounded_document else "quotes not checked against a document"
    )
    console.print(
        f"[bold]{escape(report.document or 'record')}[/bold]: {report.figures} figures ({ground}); "
        f"{report.checked} checks, {report.not_checked} not checked"
    )
    for cls in CLASSES:
        items = report.by_class(cls)
        if not items:
            continue
        console.print(f"\n[bold]{_TITLES[cls]}[/bold] ({len(items)})")
        for v in items:
            style = _STYLE[v.severity]
            console.print(f"  [{style}]{v.severity:<7}[/] [bold]{v.rule}[/bold] {escape(v.title_zh)}")
            console.print(f"      {escape(v.subject)}: {escape(v.message)}")
            if verbose or cls != "rounding":
                for line in _figure_lines(v):
                    console.print(line)
            for e in v.evidence[: None if verbose else 2]:
                console.print(f"      [cyan]why ours:[/cyan] {escape(e.detail)}")
    suspects = report.suspect_tables()
    if suspects:
        console.print("\n[bold]tables to re-read[/bold]")
        for tid, reasons in suspects.items():
            console.print(f"  {tid}: {escape('; '.join(reasons[:2]))}")
    cov = report.coverage
    console.print(
        f"\ncoverage: {cov.ran} of {cov.rules} rules ran ({len(cov.passed)} passed, {len(cov.failed)} with findings); "
        f"{len(cov.not_run)} could not run for want of data — no finding means none among the rules that ran"
    )
    if verbose:
        for rule, lacked in cov.not_run.items():
            console.print(f"  [dim]{rule}: {escape(', '.join(lacked[:4]))}[/dim]")
    errors = report.errors("extraction")
    verdict = "[green]accepted[/green]" if report.ok else f"[red]{len(errors)} extraction error(s)[/red]"
    console.print(
        f"\n{verdict} · extraction {counts['extraction']} · source {counts['source']} · rounding {counts['rounding']}"
    )
