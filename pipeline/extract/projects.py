"""The projects of a performance self-evaluation: one row per 项目支出绩效自评表, read from its header's order.

Every 自评表 follows the same national form: 项目名称, then the funds block whose header names its columns
(年初预算数 | 全年预算数 or 调整后预算数 | 全年执行数 | 分值 or 权重 | 执行率 | 得分) above the 年度资金总额 (or 总额)
row, and at the end a 总分 (or 合计) row whose last number is the project's total score. Columns are
recognised by their header words, not by position in one report, and the row's numbers are laid under them
in order (cells left blank at the end of a row stay blank). Nothing is computed: a score the 合计 row leaves
blank stays empty. Figures are grounded in the row's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.extract.labels import Located, make_source
from pipeline.extract.tables import add_statement
from pipeline.record.figure import Figure
from pipeline.record.model import ProjectRow
from pipeline.record.money import parse_number, to_decimal
from pipeline.textindex import Span, TextIndex

_FORM = re.compile(r"项目支出绩效自评表|项目绩效自评表")
_NAME_LABEL = re.compile(r"项目名称\s*")
_NAME_STOP = re.compile(r"\s*(?:主管部门|实施单位|项目资金|预算执行情况|年度预算数|项目基本情况)")
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?%?$")
_PERCENT = {"%": Decimal(1)}
_BLANK = ("—", "-", "/", "－", "——", "/ ")
_ROW_LABELS = ("年度资金总额", "资金总额", "总额")
_SCORE_LABELS = ("总分", "合计")
_RULES = re.compile(r"(?:\s*[-—|]{3,})+\s*$")  # a text table's '------' rule after the name
SEGMENT_MAX = 6000  # characters of one form, at most (the last form ends at the next heading or here)


def _column(token: str) -> str | None:
    """The project field a header cell names (执行率 before 执行数: '预算执行率' holds both words)."""
    t = re.sub(r"[(（][^)）]*[)）]", "", token)
    if "执行率" in t:
        return "execution_rate_pct"
    if "执行数" in t:
        return "executed"
    if "调整" in t or "全年预算" in t:
        return "adjusted_budget"
    if "年初预算" in t:
        return "budget"
    if t in ("分值", "权重"):
        return "weight"
    if t == "得分":
        return "execution_score"
    return None


@dataclass
class _Tok:
    text: str
    span: Span


def _tokens(index: TextIndex, span: Span) -> list[_Tok]:
    s, e = span
    return [_Tok(m.group(0), (m.start(), m.end())) for m in _TOKEN.finditer(index.text, s, e)]


def forms(index: TextIndex) -> list[Span]:
    """The stream span of each 自评表 that has a 项目名称 (a caption repeating the title is not one)."""
    starts = [m.start() for m in _FORM.finditer(index.text)]
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else min(len(index.text), s + SEGMENT_MAX)
        if _NAME_LABEL.search(index.text, s, e):
            out.append((s, min(e, s + SEGMENT_MAX)))
    return out


def _name(index: TextIndex, span: Span) -> tuple[str, Span] | None:
    m = _NAME_LABEL.search(index.text, *span)
    if m is None:
        return None
    stop = _NAME_STOP.search(index.text, m.end(), span[1])
    end = stop.start() if stop else min(span[1], m.end() + 60)
    name = _RULES.sub("", index.original((m.end(), end))).strip()
    if not name or len(name) > 60:
        return None
    return name, (m.end(), end)


def _numbers_after(toks: list[_Tok], k: int) -> list[_Tok | None]:
    """The cells after token k that are numbers or blanks ('—', '/'), up to the first word."""
    out: list[_Tok | None] = []
    for t in toks[k + 1 :]:
        if _NUMBER.match(t.text):
            out.append(t)
        elif t.text in _BLANK:
            out.append(None)
        else:
            break
    return out


def _figure(index: TextIndex, tok: _Tok, quote: Span, field: str) -> Figure:
    value = parse_number(tok.text, units=_PERCENT)  # a _NUMBER: '99.96%', '1,234.50'
    unit = "%" if field == "execution_rate_pct" else "分" if field.endswith("score") else "万元"
    located = Located(quote, None, tok.span[0])
    src = make_source(index, located, None)
    src.printed = tok.text
    return Figure(value=value, unit=unit, sources=[src])


def read_form(index: TextIndex, span: Span) -> ProjectRow | None:
    """One 自评表: the project's name, its funds row under the header's columns, and its total score."""
    named = _name(index, span)
    if named is None:
        return None
    toks = _tokens(index, (named[1][1], span[1]))
    header: list[str] = []
    at = None
    for k, t in enumerate(toks):
        col = _column(t.text)
        if col is not None:
            header.append(col)
        elif len(header) >= 3:
            at = k
            break
        elif not re.fullmatch(r"[(（][^)）]*[)）]", t.text):
            header = []  # a header is a run of column words ('(A)' marks between them aside)
    if at is None:
        return None
    row = ProjectRow(name=named[0])
    label = next((k for k in range(at, len(toks)) if toks[k].text in _ROW_LABELS), None)
    if label is not None:
        cells = _numbers_after(toks, label)
        real = [c for c in cells if c is not None]
        if len(real) >= 3:
            quote = (toks[label].span[0], real[-1].span[1])
            for col, cell in zip(header, cells, strict=False):
                if cell is not None and col != "weight" and getattr(row, col, None) is None:
                    setattr(row, col, _figure(index, cell, quote, col))
    score = _score(index, toks, label or at)
    if score is not None:
        row.score = score
    weight = _weight(header, cells if label is not None else [])
    if row.execution_score is not None and (weight is None or row.execution_score.value > weight):
        row.execution_score = None  # past the weight column a blank cell may have shifted the row
    return row if any(isinstance(getattr(row, f), Figure) for f in type(row).model_fields) else None


def _weight(header: list[str], cells: list) -> Decimal | None:
    if "weight" not in header or header.index("weight") >= len(cells) or cells[header.index("weight")] is None:
        return None
    return parse_number(cells[header.index("weight")].text, units=_PERCENT)


def _score(index: TextIndex, toks: list[_Tok], after: int) -> Figure | None:
    """The last 总分 (else 合计) row of the form: its second number is the score (the first is the weight);
    a row with one number has its score left blank."""
    for labels in (("总分",), ("合计",)):
        rows = [k for k in range(after + 1, len(toks)) if toks[k].text in labels]
        if not rows:
            continue
        k = rows[-1]
        cells = [c for c in _numbers_after(toks, k) if c is not None]
        if len(cells) >= 2 and "%" not in cells[1].text:
            return _figure(index, cells[1], (toks[k].span[0], cells[1].span[1]), "score")
        return None
    return None


_SUMMARY = re.compile(r"自评结果汇总表|自评情况汇总表|绩效自评汇总表")
_SUMMARY_COLUMNS = ("全年预算数", "全年执行数", "执行率")


def _summary_figures(index: TextIndex, name: str) -> dict[str, Figure]:
    """A project's row in a 自评结果汇总表 ('项目 1: 名称 主管部门 90 90 0 89.97 99.96% 9.9'), read from its
    header: the first amount is 全年预算数, the % is 执行率, the amount before it 全年执行数, the one after 得分."""
    for m in _SUMMARY.finditer(index.text):
        region = (m.end(), min(len(index.text), m.end() + SEGMENT_MAX))
        head = index.text[region[0] : region[0] + 300].replace(" ", "")
        if not all(w in head for w in _SUMMARY_COLUMNS):
            continue
        hits = index.find(name, [region])
        if not hits:
            continue
        toks = _tokens(index, (hits[0][1], region[1]))
        start = next((k for k, t in enumerate(toks) if _NUMBER.match(t.text)), None)
        if start is None:
            continue
        cells = [c for c in _numbers_after(toks, start - 1) if c is not None]
        rate = next((k for k, c in enumerate(cells) if c.text.endswith("%")), None)
        if rate is None or rate < 2:
            continue
        quote = (hits[0][0], cells[min(rate + 1, len(cells) - 1)].span[1])
        out = {
            "adjusted_budget": _figure(index, cells[0], quote, "adjusted_budget"),
            "executed": _figure(index, cells[rate - 1], quote, "executed"),
            "execution_rate_pct": _figure(index, cells[rate], quote, "execution_rate_pct"),
        }
        if rate + 1 < len(cells) and "%" not in cells[rate + 1].text:
            out["execution_score"] = _figure(index, cells[rate + 1], quote, "execution_score")
        return out
    return {}


_SCORE_SENTENCE = re.compile(
    r"(?:^|(?<=[，,。；;：:\s]))([\u4e00-\u9fff“”\"]{2,30}?项目)(?:的)?(?:绩效)?自评(?:得分|总分|分数)为?\s*(\d+(?:\.\d+)?)\s*分"
)


def _stated_projects(index: TextIndex) -> list[ProjectRow]:
    """Projects a report without 自评表 names in a sentence: '雪亮工程项目绩效自评得分为100分'."""
    out = []
    for m in _SCORE_SENTENCE.finditer(index.text):
        name = m.group(1)
        if any(w in name for w in ("部门整体", "整体支出", "含部门", "所有", "各")):
            continue
        located = Located((m.start(1), m.end()), None, m.start(2))
        src = make_source(index, located, None)
        src.printed = m.group(2)
        out.append(ProjectRow(name=name, score=Figure(value=to_decimal(m.group(2)), unit="分", sources=[src])))
    return out


def read_projects(index: TextIndex) -> list[ProjectRow]:
    """Every project of the report's 自评表 forms, in order (one per name). Where a 自评结果汇总表 lists the
    project too, its row gives 全年预算数/执行数/执行率 (the results the report sums up) and a form that
    states them otherwise keeps its values as alternates, for the validator to report. A report without
    forms may still state each project's score in a sentence."""
    out: list[ProjectRow] = []
    seen: set[str] = set()
    for span in forms(index):
        row = read_form(index, span)
        if row is None or row.name in seen:
            continue
        seen.add(row.name)
        for path, fig in _summary_figures(index, row.name).items():
            form = getattr(row, path)
            setattr(row, path, fig)
            if form is not None:
                add_statement(fig, form)
        out.append(row)
    return out or _stated_projects(index)


__all__ = ["forms", "read_form", "read_projects"]
