"""What `juesuan parse` prints: the pages and their kind, the section tree, and the tables found."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table as RichTable
from rich.tree import Tree

from pipeline.document import Document, Section, Table

_PREVIEW_ROWS = 4
_CELL_WIDTH = 18


def print_document(doc: Document, console: Console) -> None:
    console.rule(f"[bold]{doc.source}")
    _pages(doc, console)
    _sections(doc, console)
    _tables(doc, console)
    for w in doc.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def _pages(doc: Document, console: Console) -> None:
    kinds = Counter(p.kind.value for p in doc.pages)
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    console.print(f"[bold]{len(doc.pages)} page(s)[/bold] ({summary})")
    if len(doc.pages) > 1 or doc.pages and doc.pages[0].kind.value != "none":
        line = "  ".join(f"{p.number}:{p.kind.value}" for p in doc.pages)
        console.print(f"  {line}", highlight=False)
    for p in doc.pages:
        for w in p.warnings:
            console.print(f"  [yellow]page {p.number}:[/yellow] {w}")


def _label(s: Section, spans: dict[str, tuple[int, int] | None]) -> str:
    number = f"{s.number} " if s.number and s.number not in s.title else ""
    span = spans.get(s.block_ids[0]) if s.block_ids else None
    where = f"line {span[0]}" if span else f"p{s.page}"
    return f"{number}{s.title} [dim]({where})[/dim]"


def _sections(doc: Document, console: Console) -> None:
    if not doc.sections:
        console.print("[dim]no sections found[/dim]")
        return
    tree = Tree("[bold]sections[/bold]")
    spans = {b.id: b.line_span for b in doc.blocks}

    def add(node: Tree, s: Section) -> None:
        child = node.add(_label(s, spans))
        for c in s.children:
            add(child, c)

    for s in doc.sections:
        add(tree, s)
    console.print(tree)


def _clip(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"


def _tables(doc: Document, console: Console) -> None:
    if not doc.tables:
        console.print("[dim]no tables found[/dim]")
        return
    console.print(f"[bold]{len(doc.tables)} table(s)[/bold]")
    for t in doc.tables:
        console.print(_caption(t), highlight=False)
        console.print(_table_view(t))


def _caption(t: Table) -> str:
    pages = "–".join(str(p) for p in (t.pages[0], t.pages[-1])) if len(t.pages) > 1 else str(t.pages[0])
    sid = f"[bold green]{t.standard_id}[/bold green] " if t.standard_id else ""
    unit = f", {t.unit}" if t.unit else ""
    return (f"{sid}{t.id} · {t.title or '(untitled)'} · p{pages} · {t.n_rows}×{t.n_cols}"
            f" · {t.header_rows} header row(s){unit}")


def _table_view(t: Table) -> RichTable:
    view = RichTable(show_header=False, show_lines=False)
    grid = t.grid()
    shown = grid[: max(_PREVIEW_ROWS, t.header_rows + 2)]
    for r, row in enumerate(shown):
        style = "bold" if r < t.header_rows else None
        view.add_row(*(_clip(c) for c in row), style=style)
    if len(grid) > len(shown):
        view.add_row(*(["…"] + [""] * (t.n_cols - 1)), style="dim")
    return view
