"""Chinese (and English) names for what the outputs show: record paths, tables, columns, statuses, classes.

A record path's Chinese label comes from the record schema's own field descriptions (one place says what a
field means); the few fields without one are named from their base field (``personnel_change`` → 人员经费
增减额). Headers and words of the outputs are kept here too, in both languages, so the CSVs, the workbook and
the review page say the same thing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pipeline.record.codes import code_level
from pipeline.record.model import SECTIONS, ClassRow, ItemRow, ProjectRow
from pipeline.record.tables import COLUMNS, EXPENDITURE_ROWS, INCOME_ROWS
from pipeline.reports import get, kinds

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")

SECTION_NAMES: dict[str, str] = {
    "summary": "收支总计",
    "income": "收入",
    "expenditure": "支出",
    "appropriation": "财政拨款收支",
    "general_budget": "一般公共预算财政拨款支出",
    "basic_expenditure": "一般公共预算财政拨款基本支出",
    "three_public": "“三公”经费",
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
    "operating_costs": "机关运行经费",
    "procurement": "政府采购",
    "assets": "国有资产占用",
    "performance": "绩效自评",
    "extra": "其他",
}
LIST_NAMES: dict[str, str] = {
    "general_budget.by_class": "一般公共预算财政拨款支出按类",
    "general_budget.items": "一般公共预算财政拨款支出按项",
    "performance.projects": "项目绩效自评",
}
ROW_FIELDS: dict[str, str] = {
    "amount": "决算数",
    "share_pct": "占比(%)",
    "basic": "基本支出",
    "project": "项目支出",
    "budget": "预算数",
    "completion_pct": "完成预算(%)",
    "adjusted_budget": "全年预算数",
    "executed": "全年执行数",
    "execution_rate_pct": "执行率(%)",
    "score": "自评得分",
    "execution_score": "预算执行得分",
}
"""A list row's figure fields: short names (the row's own name goes beside them, in 科目名称)."""

_SUFFIXES = (
    ("_completion_pct", "完成预算(%)"),
    ("_change_pct", "增减率(%)"),
    ("_share_pct", "占比(%)"),
    ("_change", "增减额"),
    ("_budget", "预算数"),
)
_BARE = {
    "change": "与上年相比增减额",
    "change_pct": "与上年相比增减率(%)",
    "expenditure_change": "支出增减额",
    "expenditure_change_pct": "支出增减率(%)",
}
_PERFORMANCE = {
    "projects_evaluated_budget": "绩效自评项目预算数",
    "projects_avg_score": "项目平均得分",
    "budget_report_income": "预算报表收入",
    "approved_budget": "批复预算数",
    "initial_budget": "年初预算数",
    "overall_execution_score": "整体预算执行得分",
    "projects_total_score": "项目自评总分",
    "projects_total_adjusted_budget": "项目全年预算数合计",
    "projects_total_executed": "项目全年执行数合计",
    "projects_total_execution_rate_pct": "项目执行率(%)",
}
_PREFIXED = {
    "appropriation": "财政拨款收入支出总计",
    "general_budget": "一般公共预算财政拨款支出",
    "three_public": "“三公”经费",
    "government_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "operating_costs": "机关运行经费",
}
"""Sections whose field descriptions need the section's name to stand alone ('年初预算' of what?)."""
_OVERRIDES = {
    "summary": {"total": "收支总计"},
    # T8/T9's own columns (本年收入, 本年支出), told apart from T1's rows of the same names (income.government_fund)
    "government_fund": {"income": "政府性基金预算财政拨款本年收入", "expenditure": "政府性基金预算财政拨款本年支出"},
    "state_capital": {"income": "国有资本经营预算财政拨款本年收入", "expenditure": "国有资本经营预算财政拨款本年支出"},
}
_LATIN_PAREN = re.compile(r"\s*[(（][^()（）]*[A-Za-z][^()（）]*[)）]")
_PATH = re.compile(r"^(?P<section>\w+)\.(?:(?P<list>\w+)\[(?P<key>[^\]]*)\]\.)?(?P<field>\w+)$")


def _clean(description: str | None) -> str:
    """A schema description without its English asides: '基本支出 (T5 合计)' → '基本支出'."""
    if not description:
        return ""
    text = _LATIN_PAREN.sub("", description).strip().replace(" (", "(")
    return text[:-1] + "(%)" if text.endswith("%") and not text.endswith("(%)") else text


@cache
def _section_labels(section: str) -> dict[str, str]:
    model = SECTIONS[section]
    described = {name: _clean(f.description) for name, f in model.model_fields.items()}
    out: dict[str, str] = {}
    for name in model.model_fields:
        label = described[name]
        if not label and section == "performance":
            label = _PERFORMANCE.get(name, "")
        if not label and name in _BARE:
            base = described.get("total") or described.get("expenditure") or SECTION_NAMES[section]
            label = f"{base}{_BARE[name]}" if name.startswith("change") else _BARE[name]
        if not label:
            for suffix, word in _SUFFIXES:
                if name.endswith(suffix) and described.get(name.removesuffix(suffix)):
                    label = described[name.removesuffix(suffix)] + word
                    break
        out[name] = label
    if section in _PREFIXED:
        prefix = _PREFIXED[section]
        out = {k: v if not v or v.startswith(prefix.strip("“”")) or prefix in v else f"{prefix}{v}"
               for k, v in out.items()}
    return out | _OVERRIDES.get(section, {})


def _row_field(list_path: str, name: str) -> str:
    model = {"by_class": ClassRow, "items": ItemRow, "projects": ProjectRow}[list_path.split(".")[1]]
    field = model.model_fields.get(name)
    return ROW_FIELDS.get(name) or _clean(field.description if field else None) or name


def path_parts(path: str) -> tuple[str, str | None, str | None, str] | None:
    """(section, list field, row key, field) of a record path; None for paths of another shape."""
    m = _PATH.match(path)
    if not m:
        return None
    return m.group("section"), m.group("list"), m.group("key"), m.group("field")


def field_label(path: str) -> str:
    """The Chinese name of a record path: 本年收入合计; a list row's field: 一般公共预算财政拨款支出按项·决算数."""
    parts = path_parts(path)
    if parts is None or parts[0] not in SECTIONS:
        return path.removeprefix("extra.")
    section, list_field, _, name = parts
    if list_field:
        list_path = f"{section}.{list_field}"
        return f"{LIST_NAMES.get(list_path, list_path)}·{_row_field(list_path, name)}"
    return _section_labels(section).get(name) or name


def item_label(path: str) -> str:
    """The figure's own item, short: a list row's field (决算数, 占比(%)), else the field's label."""
    parts = path_parts(path)
    if parts and parts[1] and parts[0] in SECTIONS:
        return _row_field(f"{parts[0]}.{parts[1]}", parts[3])
    return field_label(path)


def level_name(code: str | None) -> str | None:
    """类 / 款 / 项 of a functional classification code."""
    return {1: "类", 2: "款", 3: "项"}.get(code_level(code)) if code and code.isdigit() else None


def table_title(tid: str | None) -> str | None:
    """The official title of a table by its id (ids are unique across the registered kinds: T5, B5)."""
    return _table_names().get(tid) if tid else None


@cache
def _table_names() -> dict[str, str]:
    return {tid: name for kind in kinds() for tid, name in get(kind).table_names.items()}


def column_header(tid: str | None, column: str | None) -> str | None:
    """A table column's Chinese header (T2 'appropriation' → 财政拨款收入); the key where none is known."""
    if not column:
        return None
    known = COLUMNS.get(tid or "", {})
    if column in known:
        return known[column]
    base = column.removesuffix("_budget")
    if base != column and base in known:
        return f"{known[base]} 预算数"  # T7 prints a 预算数 beside each 决算数
    return {"budget": "预算数", "actual": "决算数"}.get(column, column)


def row_header(key: str) -> str | None:
    """A summary row's printed name from its key ('in:total' → 本年收入合计); None for coded rows."""
    side, _, rest = key.partition(":")
    if side == "in":
        return INCOME_ROWS.get(rest.split(".")[0])
    if side == "out":
        return EXPENDITURE_ROWS.get(rest)
    return None


SIDES = {"income": {"zh": "收入", "en": "income"}, "expenditure": {"zh": "支出", "en": "expenditure"}}
STATUSES: dict[str, dict[str, str]] = {
    "reconciled": {"zh": "已核对一致", "en": "reconciled"},
    "source_inconsistent": {"zh": "报告自身不一致", "en": "source_inconsistent"},
    "unresolved": {"zh": "待复核", "en": "unresolved"},
    "failed": {"zh": "失败", "en": "failed"},
    "pending": {"zh": "未完成", "en": "pending"},
}
CLASS_NAMES: dict[str, dict[str, str]] = {
    "extraction": {"zh": "识别错误（我们读错）", "en": "extraction (our reading)"},
    "source": {"zh": "报告自身不一致", "en": "source (the report itself)"},
    "rounding": {"zh": "舍入差异", "en": "rounding"},
}
SEVERITIES: dict[str, dict[str, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}
REPORT_TYPES: dict[str, dict[str, str]] = {
    "final_accounts": {"zh": "部门决算", "en": "final_accounts"},
    "budget": {"zh": "部门预算", "en": "budget"},
    "performance_report": {"zh": "绩效自评报告", "en": "performance_report"},
}


def word(table: dict[str, dict[str, str]], key: str | None, lang: Lang) -> str | None:
    """``key`` in the language (the key itself where the table does not know it)."""
    if key is None:
        return None
    return table.get(key, {}).get(lang, key)


def has_cjk(text: str | None) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)
