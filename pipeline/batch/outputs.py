"""The batch's tables for analysts: records.jsonl, summary.csv (a row per report), the long tables
figures.csv, tables.csv and violations.csv, and all four as sheets of summary.xlsx.

All are rebuilt at the end of every run (also an interrupted one) from the record files on disk, which are
the truth: a resumed batch's tables cover the documents of earlier runs too. The long tables come from the
shared writer (``pipeline.export``), the same the service uses; headers are Chinese unless ``lang='en'``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.batch.resume import atomic_open
from pipeline.export.columns import SHEETS, Column
from pipeline.export.labels import STATUSES, Lang, field_label, has_cjk, word
from pipeline.export.rows import ReportView, figure_count, number
from pipeline.export.write import TableWriter

KEY_TOTALS = (
    "summary.total",
    "income.total",
    "expenditure.total",
    "general_budget.total",
    "three_public.total",
)
CLASSES = ("extraction", "source", "rounding")
SUMMARY: tuple[Column, ...] = (
    Column("file", "输入文件"),
    Column("document", "文件"),
    Column("department", "部门"),
    Column("fiscal_year", "年度", True),
    Column("report_type", "报告类型"),
    *(Column(p, field_label(p), True) for p in KEY_TOTALS),
    Column("status", "状态"),
    Column("violations_extraction", "识别错误数", True),
    Column("violations_source", "报告自身不一致数", True),
    Column("violations_rounding", "舍入差异数", True),
    Column("part_errors", "失败部分数", True),
    Column("figures", "数字个数", True),
    Column("pages", "页数", True),
    Column("seconds", "用时(秒)", True),
    Column("llm_calls", "模型调用次数", True),
    Column("review", "复核页面", False, True),
    Column("warnings", "读取警告"),
    Column("error", "错误"),
)
SUMMARY_COLUMNS = tuple(c.key for c in SUMMARY)
FORMATS = ("json", "jsonl", "csv", "xlsx")
"""What ``--output-format`` chooses from; <stem>.json is always written (a re-run resumes from it)."""


@dataclass
class Entry:
    """One input's place in the tables: its record file (read when the tables are written), or why none.

    Only the status and violation counts are kept in memory, so a batch of thousands of reports does not hold
    thousands of records at once.
    """

    file: str
    name: str
    record_path: Path | None = None
    status: str = "failed"  # a record's status, or failed | pending (not reached before an interrupt)
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of_record(cls, file: str, name: str, path: Path, data: dict[str, Any]) -> Entry:
        counts = (data.get("validation") or {}).get("summary") or {}
        return cls(
            file, name, path, str(data.get("status")), counts={c: int(counts.get(c, 0)) for c in CLASSES}
        )

    def load(self) -> dict[str, Any] | None:
        if self.record_path is None:
            return None
        try:
            return json.loads(self.record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def _figure(record: dict[str, Any], path: str) -> Any:
    head, _, field = path.partition(".")
    fig = (record.get(head) or {}).get(field)
    return number(fig.get("value")) if isinstance(fig, dict) else None


def summary_row(entry: Entry, data: dict[str, Any] | None, review: bool, lang: Lang = "en",
                figures: int | None = None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS)
    row.update(file=entry.file, document=entry.name)
    if data is None:
        status = entry.status if entry.status in ("failed", "pending") else "failed"
        row.update(status=word(STATUSES, status, lang), error=entry.error)
        return row
    record = data.get("record") or {}
    counts = (data.get("validation") or {}).get("summary") or {}
    batch = data.get("batch") or {}
    ledger = data.get("ledger") or {}
    row.update(
        department=record.get("department"),
        fiscal_year=record.get("fiscal_year"),
        report_type=record.get("report_type"),
        status=word(STATUSES, data.get("status"), lang),
        part_errors=len(data.get("errors") or []),
        figures=figures if figures is not None else figure_count(data),
        pages=batch.get("pages"),
        seconds=number(batch.get("seconds")),
        llm_calls=ledger.get("calls"),
        review=f"{entry.name}.html" if review else None,
        warnings="; ".join(record.get("warnings") or []) or None,  # damaged pages, unreadable images
    )
    for path in KEY_TOTALS:
        row[path] = _figure(record, path)
    for c in CLASSES:
        row[f"violations_{c}"] = counts.get(c, 0)
    return row


def pick_lang(entries: list[Entry]) -> Lang:
    """Chinese where the reports are Chinese: the first record whose text (names, quotes) has any CJK."""
    for entry in entries:
        data = entry.load()
        if data is None:
            continue
        text = json.dumps([data.get("record"), data.get("document"), entry.name], ensure_ascii=False)
        return "zh" if has_cjk(text) else "en"
    return "zh"


def write_outputs(
    out_dir: Path,
    entries: list[Entry],
    review: bool = True,
    lang: Lang | None = None,
    formats: Iterable[str] = FORMATS,
) -> dict[str, Path]:
    """records.jsonl, summary.csv, figures/tables/violations.csv and summary.xlsx for these entries, in order.

    Each report is loaded once and streamed into every table, so memory stays one record deep however many
    reports there are. ``formats`` picks jsonl, csv and xlsx (json, the record files, is always there).
    """
    formats = set(formats)
    lang = lang or pick_lang(entries)
    tables = {"summary": ("汇总", SUMMARY), **SHEETS}
    paths: dict[str, Path] = {}
    workbook = out_dir / "summary.xlsx" if "xlsx" in formats else None
    with TableWriter(out_dir, tables, lang, csv_files="csv" in formats, workbook=workbook) as writer:
        records = atomic_open(out_dir / "records.jsonl") if "jsonl" in formats else nullcontext()
        with records as jsonl:
            for entry in entries:
                data = entry.load()
                if data is None:
                    writer.write("summary", summary_row(entry, data, review, lang))
                    continue
                if jsonl is not None:
                    jsonl.write((json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
                view = ReportView(entry.name, data, f"{entry.name}.html" if review else None, lang)
                count = writer.write_all("figures", view.figure_rows())
                writer.write("summary", summary_row(entry, data, review, lang, figures=count))
                writer.write_all("tables", view.table_rows())
                writer.write_all("violations", view.violation_rows())
        if "jsonl" in formats:
            paths["records"] = out_dir / "records.jsonl"
    paths.update({f"{k}_csv" if k == "summary" else k: v for k, v in writer.paths.items()})
    if "workbook" in paths:
        paths["summary_xlsx"] = paths.pop("workbook")
    return paths

