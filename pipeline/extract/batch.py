"""``juesuan extract``: many files, one shared LLM server, one JSON per report, a summary line each.

A file that cannot be read (or whose extraction fails outright) is reported with its name and cause and the
batch goes on; the exit code says whether every record came out reconciled or source-inconsistent.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.config import Settings
from pipeline.errors import ConfigError, JuesuanError
from pipeline.extract.run import ExtractionResult, extract_path
from pipeline.llm.client import LLMClient, connect
from pipeline.llm.errors import LLMError

OK_STATUSES = ("reconciled", "source_inconsistent")
_STYLE = {"reconciled": "green", "source_inconsistent": "yellow", "unresolved": "red"}


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temp file beside the target and rename it over, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def summary_table(result: ExtractionResult, path: Path, seconds: float) -> Table:
    counts = result.validation.counts()
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("document", "status", "figures", "rejected", "extraction", "source", "rounding", "calls", "tokens", "s"):
        table.add_column(col, justify="left" if col in ("document", "status") else "right")
    figures = sum(1 for _ in result.record.figures())
    table.add_row(
        path.name,
        f"[{_STYLE[result.status]}]{result.status}[/]",
        str(figures),
        str(len(result.rejected)),
        str(counts["extraction"]),
        str(counts["source"]),
        str(counts["rounding"]),
        str(result.ledger.calls),
        str(result.ledger.total_tokens),
        f"{seconds:.0f}",
    )
    return table


def extract_files(files: list[Path], out_dir: Path, settings: Settings, console: Console, errors: Console) -> int:
    """Extract every file into ``out_dir/<stem>.json``; 0 when all are reconciled or source-inconsistent."""
    failed = False
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        errors.print(f"[red]error:[/red] cannot create {out_dir}: {e}")
        return 2
    try:
        with connect(settings) as endpoint:
            client = LLMClient(endpoint, settings)
            for path in files:
                start = time.perf_counter()
                try:
                    result = extract_path(Path(path), settings, client)
                except ConfigError:
                    raise
                except (JuesuanError, OSError, ValueError) as e:
                    errors.print(f"[red]error:[/red] {path}: {e}")
                    failed = True
                    continue
                target = out_dir / f"{Path(path).stem}.json"
                write_json_atomic(target, result.output())
                console.print(summary_table(result, Path(path), time.perf_counter() - start))
                for err in result.errors:
                    errors.print(f"  [red]{err.part}[/red] ({err.stage}): {err.error.splitlines()[0][:200]}")
                console.print(f"  wrote {target}")
                failed = failed or result.status not in OK_STATUSES
    except ConfigError as e:
        errors.print(f"[red]configuration error:[/red] {e}")
        return 2
    except LLMError as e:
        errors.print(f"[red]error:[/red] {e}")
        return 1
    return 1 if failed else 0
