"""The `juesuan` command line. Each command is a thin shell over a library function."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.config import get_settings
from pipeline.errors import ConfigError, InputError
from pipeline.files import atomic_write_text

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # an error is one line, however long


def _version(value: bool) -> None:
    if value:
        from pipeline import __version__

        console.print(f"juesuan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出 / show the version and exit"),
    ] = None,
) -> None:
    """juesuan（决算）：把扫描的部门决算报告变成结构化、经过核对的记录。

    Scanned 部门决算 reports into structured, verified records: every figure with its page, box and quote."""


REPORT_TYPE_HELP = "报告类型：final_accounts（部门决算）或 budget（部门预算）；默认按标题判断 / read every report as this kind"


def _report_type(kind: str | None) -> str | None:
    """A ``--report-type`` a registered kind names (else a ValueError naming the known kinds: exit 2)."""
    if kind is None:
        return None
    from pipeline.reports import get

    return get(kind).kind


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="PDF, .txt or .md files, or folders (recursive)")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the full Document (with boxes) as JSON here; a folder for several files")
    ] = None,
    ocr: Annotated[str | None, typer.Option(help="OCR engine: rapidocr (default) or paddleocr")] = None,
    dpi: Annotated[int | None, typer.Option(help="render resolution for scanned pages")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="ignore the OCR cache")] = False,
    report_type: Annotated[str | None, typer.Option("--report-type", help=REPORT_TYPE_HELP)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress, errors only")] = False,
) -> None:
    """读取报告的页面、章节和表格并显示结果。Read reports into pages, sections and tables, and print what was found
    (exit 1 when a file failed)."""
    from pipeline.batch.discover import discover
    from pipeline.parse import parse_path
    from pipeline.render import print_document

    try:
        settings = get_settings(ocr_engine=ocr, render_dpi=dpi, use_cache=False if no_cache else None,
                                report_type=_report_type(report_type))
    except ValueError as e:
        err_console.print(f"[red]configuration error:[/red] {e}")
        raise typer.Exit(2) from e
    found = discover(list(files), exclude=json_out if json_out is not None and json_out.is_dir() else None)
    for pattern in found.unmatched:
        err_console.print(f"[yellow]warning:[/yellow] {pattern} matches no .pdf, .txt or .md file")
    if not found.inputs:
        err_console.print("[red]error:[/red] no input files (a folder holds no .pdf, .txt or .md file)")
        raise typer.Exit(2)
    failed = 0
    for item in found.inputs:
        try:
            doc = parse_path(item.path, settings, progress=None if quiet else err_console)
        except (InputError, ConfigError) as e:
            err_console.print(f"[red]error:[/red] {e}", highlight=False)
            failed += 1
            continue
        if json_out is not None:
            several = json_out.is_dir() or len(found.inputs) > 1
            target = json_out / f"{item.name}.json" if several else json_out
            try:
                atomic_write_text(target, doc.model_dump_json(indent=1))
            except OSError as e:
                err_console.print(f"[red]error:[/red] {item.path}: cannot write {target} ({e.strerror or e})",
                                  highlight=False)
                failed += 1
                continue
            if not quiet:
                err_console.print(f"wrote {target}")
        if not quiet or json_out is None:
            print_document(doc, console)
    if failed:
        raise typer.Exit(1)


class SampleKind(StrEnum):
    final_accounts = "final_accounts"
    budget = "budget"


# where each kind's samples go by default: the committed 决算 set, and beside it (not inside samples/, which
# the README's main command reads) the budgets
SAMPLE_DIRS = {
    SampleKind.final_accounts: (Path("samples"), Path("eval/gold")),
    SampleKind.budget: (Path("samples-budget"), Path("samples-budget/gold")),
}


@app.command()
def samples(
    out: Annotated[Path | None, typer.Option(
        help="folder for the scanned sample PDFs (default: samples; samples-budget for budgets)")] = None,
    gold: Annotated[Path | None, typer.Option(
        help="folder for their gold annotations (default: eval/gold; samples-budget/gold for budgets)")] = None,
    count: Annotated[int, typer.Option(help="how many reports")] = 3,
    seed: Annotated[int, typer.Option(help="random seed: the same seed makes the same reports")] = 2024,
    report_type: Annotated[SampleKind, typer.Option(
        "--report-type", help="部门决算 (final_accounts) or 部门预算 (budget) samples")] = SampleKind.final_accounts,
) -> None:  # fmt: skip
    """生成逼真的扫描版部门决算（或部门预算）样例及其标注。Generate realistic scanned 部门决算 (or, with
    --report-type budget, 部门预算) sample reports with their gold annotations."""
    from pipeline.samples.generate import generate_samples

    out_default, gold_default = SAMPLE_DIRS[report_type]
    written = generate_samples(out_dir=out or out_default, gold_dir=gold or gold_default, count=count, seed=seed,
                               report_type=report_type.value)  # fmt: skip
    for path in written:
        console.print(f"wrote {path}")


class Provider(StrEnum):
    local = "local"
    openai = "openai"


class LlmMode(StrEnum):
    json_schema = "json_schema"
    json = "json"


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


class LangChoice(StrEnum):
    zh = "zh"
    en = "en"


def config_message(e: Exception) -> str:
    """One line for a configuration error (pydantic's multi-line report folded to 'field: reason; …')."""
    errors = getattr(e, "errors", None)
    if callable(errors):
        try:
            return "; ".join(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in errors())
        except (TypeError, KeyError):
            pass
    return " ".join(str(e).split())


@app.command("extract")
def extract_command(
    files: Annotated[list[Path], typer.Argument(help="报告：PDF、.txt、.md 文件，文件夹（递归）或通配符 / reports, folders, globs")],
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="输出文件夹；'-' 把单份报告的 JSON 打印到标准输出 / output folder; '-' prints one report's JSON"),
    ] = None,
    llm: Annotated[Provider | None, typer.Option("--llm", help="local（内置 llama.cpp）或 openai（任何兼容接口）")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="openai 接口地址 / endpoint URL, e.g. https://api.deepseek.com")] = None,
    api_key: Annotated[str | None, typer.Option("--api-key", help="openai 接口密钥（也可用 JUESUAN_LLM_API_KEY） / API key")] = None,
    llm_mode: Annotated[LlmMode | None, typer.Option("--llm-mode", help="结构化输出方式：json_schema（默认）或 json（DeepSeek 需要）")] = None,
    model: Annotated[str | None, typer.Option("--model", help="本地模型别名或 GGUF 路径；openai 模型名 / model")] = None,
    ocr: Annotated[str | None, typer.Option(help="OCR 引擎：rapidocr（默认）或 paddleocr")] = None,
    pages: Annotated[str | None, typer.Option("--pages", help="只读这些页，例如 1-5,9 / pages to read")] = None,
    report_type: Annotated[str | None, typer.Option("--report-type", help=REPORT_TYPE_HELP)] = None,
    output_format: Annotated[
        list[OutputFormat] | None,
        typer.Option("--output-format", "-f", help="json|jsonl|csv|xlsx，可重复；默认全部（<stem>.json 总会写出） / repeatable, default all"),
    ] = None,
    lang: Annotated[LangChoice | None, typer.Option("--lang", help="表头与信息的语言：zh 或 en（默认：中文报告用中文）")] = None,
    repair_rounds: Annotated[int | None, typer.Option("--repair-rounds", help="重问轮数（默认 2） / re-ask rounds")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="同时处理的报告数（各一进程） / documents at once")] = 1,
    force: Annotated[bool, typer.Option("--force", help="重做已有记录的报告（保留人工更正） / redo done reports")] = False,
    review: Annotated[bool, typer.Option("--review/--no-review", help="写 <stem>.html 复核页面 / review pages")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 / no progress display")] = False,
    log_json: Annotated[bool, typer.Option("--log-json", help="事件以 JSON 行输出到标准输出 / events as JSON lines")] = False,
) -> None:
    """从每份报告提取经过核对的记录；可续跑。Extract a validated record from each report; resumable.

    退出码 exit: 0 全部一致或报告自身不一致 (all reconciled or source-inconsistent), 1 有待复核或失败
    (some unresolved or failed), 2 用法或配置错误 (usage or configuration), 130/143 被中断 (interrupted)."""
    from pipeline.api import preflight
    from pipeline.batch import BatchOptions, print_summary, run_batch

    try:
        settings = get_settings(
            llm_provider=llm, llm_model=model, llm_base_url=base_url, llm_api_key=api_key, llm_mode=llm_mode,
            ocr_engine=ocr, extract_repair_rounds=repair_rounds, pages=pages, report_type=_report_type(report_type),
        )  # fmt: skip
        preflight(settings)
    except (ValueError, ConfigError) as e:
        err_console.print(f"[red]配置错误 configuration error:[/red] {config_message(e)}", soft_wrap=True)
        raise typer.Exit(2) from e
    if out is None:
        err_console.print("[red]用法错误 usage:[/red] --out DIR is required (or -o - for one report's JSON on stdout)")
        raise typer.Exit(2)
    if out == "-":
        raise typer.Exit(_extract_to_stdout(files, settings, quiet))
    formats = [f.value for f in output_format] if output_format else None
    options = BatchOptions(
        out_dir=Path(out), jobs=jobs, force=force, review=review, quiet=quiet,
        log_json=sys.stdout if log_json else None, lang=lang.value if lang else None, formats=formats,
    )  # fmt: skip
    result = run_batch(list(files), settings, options, err_console)
    if result.message:
        err_console.print(f"[red]{result.message}[/red]" if result.exit_code else result.message)
    if result.entries and not log_json:
        print_summary(result, Path(out), err_console, brief=quiet, lang=lang.value if lang else "zh")
    raise typer.Exit(result.exit_code)


def _extract_to_stdout(files: list[Path], settings, quiet: bool) -> int:
    """``-o -``: one report's record file JSON on stdout (progress and errors on stderr); the exit code."""
    import json

    from pipeline.api import Extractor

    if len(files) != 1 or not Path(files[0]).is_file():
        err_console.print("[red]用法错误 usage:[/red] -o - takes exactly one report file")
        return 2
    try:
        with Extractor(settings) as extractor:
            result = extractor.extract(files[0])
    except (InputError, ConfigError) as e:
        err_console.print(f"[red]error:[/red] {e}")
        return 2 if isinstance(e, ConfigError) else 1
    sys.stdout.write(json.dumps(result.output(), ensure_ascii=False, indent=1) + "\n")
    if not quiet:
        err_console.print(f"{files[0]}: {result.status}")
    return 0 if result.status in ("reconciled", "source_inconsistent") else 1


def main() -> None:  # pragma: no cover - console entry
    try:
        app()
    except BrokenPipeError:
        sys.exit(0)


@app.command("schema")
def schema_command(
    out: Annotated[Path | None, typer.Option("--out", help="write the JSON Schema here instead of printing it")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="exit 1 if schemas/record.schema.json differs from the models")
    ] = False,
) -> None:
    """输出记录的 JSON Schema。Print the JSON Schema of the disclosure record (the checked-in copy is schemas/record.schema.json)."""
    from pipeline.record.schema import SCHEMA_FILE, schema_json

    text = schema_json()
    if check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            err_console.print(f"[red]{SCHEMA_FILE} is out of date:[/red] run `juesuan schema --out {SCHEMA_FILE}`")
            raise typer.Exit(1)
        return
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, text)
        err_console.print(f"wrote {out}")
    else:
        sys.stdout.write(text)


@app.command("rules")
def rules_command(
    report_type: Annotated[
        str | None, typer.Option("--report-type", help="报告类型（默认 final_accounts 部门决算） / the report kind")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出 / print the rules as JSON")] = False,
) -> None:
    """列出一类报告的全部核对规则。List every rule the validator checks on a report kind: id, severity,
    title, the identity as printed and the fields it reads."""
    import json

    from pipeline.reports import get, kinds

    try:
        profile = get(report_type or kinds()[0])
    except ValueError as e:
        err_console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    if json_out:
        described = [r.describe() for r in profile.rules]
        sys.stdout.write(json.dumps(described, ensure_ascii=False, indent=1) + "\n")
        return
    console.print(f"{profile.name} ({profile.kind}): {len(profile.rules)} rules")
    for r in profile.rules:
        console.print(f"[bold]{r.id}[/bold] [{r.severity}, {r.tolerance}] {r.title_zh} / {r.title_en}", soft_wrap=True)
        console.print(f"    {r.identity}", soft_wrap=True, markup=False, highlight=False)
        console.print(f"    reads: {', '.join(r.reads)}", soft_wrap=True, markup=False, highlight=False)


@app.command("validate")
def validate_command(
    record: Annotated[Path, typer.Argument(help="a record JSON (or a gold annotation)")],
    json_out: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    document: Annotated[
        Path | None, typer.Option("--document", "-d", help="the report (PDF/.txt) to ground every quote in")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="show the figures of rounding gaps too")] = False,
    corrections: Annotated[
        Path | None,
        typer.Option("--corrections", help="人工更正文件（默认：记录旁的 <stem>.corrections.json） / reviewer's corrections"),
    ] = None,
) -> None:
    """检查记录的数字是否对得上；人工更正会先应用。Check that a record's figures add up (a reviewer's
    <stem>.corrections.json beside it is applied first); exit 1 when an error is ours (extraction), 0 otherwise."""
    from pipeline.record.io import read_record
    from pipeline.review.corrections import apply_corrections, corrections_path, load_corrections
    from pipeline.validate import validate
    from pipeline.validate.render import print_report
    from pipeline.validate.textdoc import load_document

    try:
        rec = read_record(record)
        fixes_file = corrections or corrections_path(record)
        fixes = load_corrections(fixes_file)
        if corrections is not None and fixes is None:
            raise InputError(corrections, "no such corrections file")
        if fixes is not None:
            rec = apply_corrections(rec, fixes, fixes_file)
            err_console.print(f"applied {len(fixes.corrections)} correction(s) from {fixes_file}")
        doc = load_document(document) if document is not None else None
    except (InputError, ConfigError) as e:
        err_console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    report = validate(rec, doc)
    if json_out:
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
    else:
        print_report(report, console, verbose=verbose)
        console.print(_verdict_zh(report))
    raise typer.Exit(report.exit_code)


def _verdict_zh(report) -> str:
    """The validator's verdict in Chinese, under its English report."""
    counts = report.counts()
    head = "[green]结论：通过，没有识别错误[/green]" if report.ok else (
        f"[red]结论：有 {len(report.errors('extraction'))} 个识别错误（我们读错，请复核）[/red]")
    return f"{head} · 识别错误 {counts['extraction']} · 报告自身不一致 {counts['source']} · 舍入差异 {counts['rounding']}"


eval_app = typer.Typer(help="评分：逐字段与标注对比。Score extracted records against gold annotations, field by field.")
app.add_typer(eval_app, name="eval")


@eval_app.callback(invoke_without_command=True)
def eval_command(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Option(help="folder of gold files (one JSON per document)")] = Path("eval/gold"),
    pred: Annotated[Path | None, typer.Option(help="folder of predictions (extraction output or records)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print the full metrics as JSON instead of tables")] = False,
    html: Annotated[Path | None, typer.Option(help="write a self-contained HTML report with plots here")] = None,
    floor: Annotated[Path | None, typer.Option(help="exit 1 when F1 is under this floor (eval/floor.json)")] = None,
    only_predicted: Annotated[
        bool, typer.Option("--only-predicted", help="skip gold documents with no prediction (else scored empty)")
    ] = False,
    worst: Annotated[int, typer.Option(help="how many worst fields to list")] = 15,
) -> None:
    """与标注对比评分。Precision, recall and F1 over the contract paths, page agreement, grounding, status and detection."""
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.evaluation import EvalInputError, score_documents
    from pipeline.evaluation.floor import below_floor, load_floor
    from pipeline.evaluation.report_terminal import print_result

    if pred is None:
        err_console.print("[red]error:[/red] --pred DIR is required (a folder of predictions)")
        raise typer.Exit(2)
    try:
        limit = load_floor(floor) if floor is not None else None
        result = score_documents(gold, pred, missing="skip" if only_predicted else "empty", worst=max(worst, 25))
    except EvalInputError as e:
        err_console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    if json_out:
        sys.stdout.write(result.model_dump_json(indent=1) + "\n")
    else:
        print_result(result, console, worst=worst)
    if html is not None:
        from pipeline.evaluation.report_html import write_html

        err_console.print(f"wrote {write_html(html, result)}")
    failures = below_floor(result, limit) if limit is not None else []
    for line in failures:
        err_console.print(f"[red]below the floor:[/red] {line}")
    if failures:
        raise typer.Exit(1)


@eval_app.command("run")
def eval_run_command(
    docs: Annotated[
        list[str], typer.Option("--docs", help="reports to extract: folders, files, globs (repeatable)")
    ],
    gold: Annotated[Path, typer.Option(help="folder of gold files; only documents with a gold are run")] = Path(
        "eval/gold"
    ),
    config: Annotated[
        list[str] | None,
        typer.Option(
            "--config",
            "-c",
            help="NAME or NAME:key=value,key=value (Settings fields, e.g. ocr_engine=paddleocr); repeatable, "
            "one column each",
        ),
    ] = None,
    config_file: Annotated[
        list[Path] | None, typer.Option("--config-file", help="TOML file: one table of settings per configuration, named by its header")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="outputs, one subfolder per configuration")] = Path("eval-out"),
    json_out: Annotated[bool, typer.Option("--json", help="print every configuration's metrics as JSON")] = False,
    html: Annotated[Path | None, typer.Option(help="write the HTML report (configurations side by side) here")] = None,
    floor: Annotated[
        Path | None, typer.Option(help="exit 1 when the FIRST configuration's F1 is under this floor")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="documents at once, one process each")] = 1,
    force: Annotated[bool, typer.Option("--force", help="extract again even where a record is already there")] = False,
    review: Annotated[bool, typer.Option("--review/--no-review", help="write <stem>.html review pages")] = True,
    details: Annotated[
        bool | None,
        typer.Option("--details/--no-details", help="full tables per configuration (default: with one config)"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress display (for logs)")] = False,
    worst: Annotated[int, typer.Option(help="how many worst fields to list in the details")] = 15,
) -> None:
    """按各配置提取并评分、并排比较。Extract --docs with each configuration, score against --gold, and compare them side by side.

    Outputs go to OUT/NAME/ per configuration (resumable, as juesuan extract). Exit 0 scored, 1 the first
    configuration under --floor, 2 usage or configuration error, 128 + signal when stopped (130 Ctrl-C)."""
    from pipeline.evaluation import EvalInputError
    from pipeline.evaluation.configs import ConfigSpecError, resolve
    from pipeline.evaluation.floor import below_floor, load_floor
    from pipeline.evaluation.report_terminal import print_comparison, print_result
    from pipeline.evaluation.run import extra_rows, run_config, select

    try:
        configs = resolve(config, config_file)
        limit = load_floor(floor) if floor is not None else None
        selection = select(gold, list(docs), exclude=out.resolve())
    except (ConfigSpecError, EvalInputError) as e:
        err_console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    for path in selection.no_gold:
        err_console.print(f"[yellow]no gold, not run:[/yellow] {path}")
    if selection.no_document:
        err_console.print(f"[yellow]gold with no document in --docs (not scored):[/yellow] {', '.join(selection.no_document)}")
    runs = []
    for c in configs:
        err_console.rule(f"{c.name}: {c.describe()} → {out / c.name}")
        try:
            run = run_config(c, selection, out, err_console, jobs=jobs, force=force, review=review, quiet=quiet)
        except EvalInputError as e:
            err_console.print(f"[red]error:[/red] {c.name}: {e}")
            raise typer.Exit(2) from e
        runs.append(run)
        if run.error:
            err_console.print(f"[red]{c.name}: {run.error}[/red]")
        if run.interrupted:
            break
    scored = [r for r in runs if r.result is not None]
    results = {r.config.name: r.result for r in scored}
    if json_out:
        import json

        data = {
            "gold": str(gold),
            "documents": [str(p) for p in selection.paths],
            "configs": [r.summary() for r in runs],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif scored:
        if details if details is not None else len(configs) == 1:
            for r in scored:
                console.rule(f"{r.config.name}: {r.config.describe()}")
                print_result(r.result, console, worst=worst)
        print_comparison(results, console, extra_rows(scored))
    if html is not None and scored:
        from pipeline.evaluation.report_html import write_html

        title = "juesuan evaluation: " + " vs ".join(results)
        err_console.print(f"wrote {write_html(html, results, title, extra_rows(scored))}")
    if runs[-1].interrupted:
        raise typer.Exit(runs[-1].exit_code)  # 128 + the signal, as juesuan extract
    if any(r.error for r in runs):
        raise typer.Exit(2)
    failures = below_floor(runs[0].result, limit) if limit is not None and runs[0].result is not None else []
    for line in failures:
        err_console.print(f"[red]below the floor ({runs[0].config.name}):[/red] {line}")
    if failures:
        raise typer.Exit(1)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="address to bind; beyond loopback JUESUAN_API_TOKEN is required")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """运行 HTTP 服务。Run the HTTP API (OpenAPI docs at /docs); broker, database and data dir come from JUESUAN_* (docs/service.md)."""
    from pipeline.service.main import serve

    try:
        serve(host, port, log_level=log_level)
    except (ConfigError, ValueError) as e:
        err_console.print(f"[red]configuration error:[/red] {e}")
        raise typer.Exit(2) from e


@app.command("worker")
def worker_command(
    concurrency: Annotated[int, typer.Option(help="jobs run at once by this worker (one process each)")] = 1,
    pool: Annotated[str, typer.Option(help="Celery pool: prefork (time limits enforced) or solo")] = "prefork",
    name: Annotated[str | None, typer.Option(help="worker name (default juesuan@HOSTNAME)")] = None,
    log_level: Annotated[str, typer.Option(help="Celery log level")] = "INFO",
) -> None:
    """运行处理队列任务的 worker。Run a Celery worker that takes jobs from the queue and runs the pipeline on them."""
    from pipeline.service.main import worker

    try:
        worker(concurrency=concurrency, pool=pool, name=name, log_level=log_level)
    except (ConfigError, ValueError) as e:
        err_console.print(f"[red]configuration error:[/red] {e}")
        raise typer.Exit(2) from e
