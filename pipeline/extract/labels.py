"""The label test of a number: is it the kind a field is, and does the field's own label name it?

A number is a field's when it is the field's kind (a % for a rate, not a % for money; a count's unit word
after a count) and stands after the field's own label words with no rival field's label nearer (收支总计
770.43 is no 本年收入合计: 收入合计 does not precede it). Pointer extraction keeps only the numbers that pass
as a field's candidates, so the model can point at no other. Also here: a number's value in the record's
unit (元 → 万元, 减少/下降 → negative) and its source (page, line, box, quote) from the text index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.extract.fields import FieldSpec, Kind, PartSpec, RowField, RowSpec
from pipeline.record.figure import Source, SourceKind
from pipeline.record.money import WAN
from pipeline.record.printed import Printed, direction_before, find_numbers
from pipeline.sentences import CLAUSE_END, SENTENCE_OR_EXCLAMATION_END
from pipeline.textindex import Span, TextIndex

_HEADING_MARK = re.compile(r"(?<![\u4e00-\u9fff\d])[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]")
SCOPE = 80  # characters before a number that its label may stand in


class Rejected(ValueError):
    """A number that could not be grounded: why, in words the repair prompt can show the model."""


@dataclass(frozen=True)
class Located:
    """Where a value is printed: the quote's span, the number in it (None: zero stated in words)."""

    span: Span
    printed: Printed | None
    number_at: int  # stream position of the number (or of the quote for a zero in words)


@dataclass(frozen=True)
class Check:
    """What a number must look like for one field: its kind, label words and count unit."""

    kind: Kind
    words: tuple[str, ...]
    rivals: dict[str, frozenset[str]]  # label word → fields it names, for the nearest-label test
    name: str
    exclude: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    generic: dict[str, frozenset[str]] = field(default_factory=dict)  # '决算为' → fields it may name

    @classmethod
    def of(cls, spec: FieldSpec, part: PartSpec) -> Check:
        rivals: dict[str, set[str]] = {}
        generic: dict[str, set[str]] = {}
        for f in part.fields:
            if _family(f.kind) != _family(spec.kind):
                continue  # a money label does not name a %: '占政府采购金额的57.11%' is a share
            for w in f.words:
                rivals.setdefault(w, set()).add(f.path)
            for w in f.generic:
                generic.setdefault(w, set()).add(f.path)
        return cls(
            spec.kind,
            spec.words,
            {k: frozenset(v) for k, v in rivals.items()},
            spec.path,
            spec.exclude,
            spec.after,
            {k: frozenset(v) for k, v in generic.items()},
        )


def _family(kind: Kind) -> str:
    return "pct" if kind == "pct" else "money" if kind == "money" else "count"


_COUNT_WORDS = ("批次", "人次", "辆", "个", "台", "套", "次", "人", "项", "分", "年", "月", "日", "天", "名")


def units_ok(kind: Kind, printed: Printed, after: str) -> bool:
    if kind == "pct":
        return printed.unit == "%"
    if kind == "money":
        return printed.unit != "%" and (printed.unit is not None or not after.startswith(_COUNT_WORDS))
    return printed.unit not in ("%", "万元", "元")


def numbers_in(index: TextIndex, span: Span) -> list[tuple[int, Printed]]:
    text = index.text[span[0] : span[1]]
    return [(span[0] + p.start, p) for p in find_numbers(text)]


def number_at_pos(index: TextIndex, pos: int) -> Printed | None:
    """The number that starts at stream position ``pos``, read with its unit from the text around it."""
    lo = max(0, pos - 12)
    for p in find_numbers(index.text[lo : pos + 40]):
        if lo + p.start == pos:
            return p
    return None


def sentence_start(index: TextIndex, pos: int) -> int:
    """Where the sentence of ``pos`` starts: after the last 。；…, or at a heading's number ('二、', '（三）')
    when that comes later: a heading without a full stop must not join the previous section's words."""
    lo = max(0, pos - SCOPE)
    ends = [m.end() for m in SENTENCE_OR_EXCLAMATION_END.finditer(index.text, lo, pos)]
    ends += [m.start() for m in _HEADING_MARK.finditer(index.text, lo, pos)]
    return max(ends) if ends else lo


def unit_len(index: TextIndex, pos: int) -> int:
    rest = index.text[pos : pos + 4]
    stripped = rest.lstrip(" ")
    for unit in ("万元", "元", "%", "个", "辆", "批次", "人次", "台", "分"):
        if stripped.startswith(unit):
            return len(rest) - len(stripped) + len(unit)
    return 0


def check_label(index: TextIndex, located: Located, check: Check) -> None:
    """Raise Rejected unless the number is of the field's kind and stands after the field's own label."""
    pos = located.number_at
    if located.printed is None:  # zero in words: the sentence must name the field
        sentence = index.text[sentence_start(index, pos) : located.span[1] + 20]
        if not any(w in sentence for w in check.words):
            raise Rejected(f"“{index.quote(located.span)}”没有提到“{check.words[0]}”")
        return
    p = located.printed
    after = index.text[pos + len(p.text) : pos + len(p.text) + 4].lstrip(" ")
    if not units_ok(check.kind, p, after):
        kinds = {"pct": "百分比", "money": "金额", "count": "个数", "score": "得分"}
        raise Rejected(f"{p.text}{p.unit or ''} 不是{kinds[check.kind]}")
    before = index.text[sentence_start(index, pos) : pos]
    squeezed = before.replace(" ", "")
    if not check.words:
        return
    near = near_scope(before).replace(" ", "")  # the words since the previous number name this one
    if check.after:
        if not after.startswith(check.after):
            raise Rejected(f"{p.text} 后面不是“{check.after[0]}”")
        # a count is named before it or right after its unit word ('对机关9个项目开展了绩效自评')
        clause = CLAUSE_END.split(index.text[pos + len(p.text) : pos + len(p.text) + 30], maxsplit=1)[0]
        if not any(w in squeezed or w in clause.replace(" ", "") for w in check.words):
            raise Rejected(f"{p.text} 前后没有“{check.words[0]}”等字样")
        _refuse_excluded(p, near, check)
        return
    own = [w for w in check.words if w in squeezed]
    if not own:
        raise Rejected(f"{p.text} 前面没有“{check.words[0]}”等字样")
    # a generic word (决算为) names it only where no specific one stands nearer
    nearest = _nearest(near, check.rivals)
    if nearest is None:
        generic = _nearest(near, check.generic)
        if generic is not None:
            if check.name not in check.generic[generic]:
                raise Rejected(f"{p.text} 紧跟在“{generic}”后面，不是“{check.words[-1]}”")
            return
        nearest = _nearest(squeezed, check.rivals)
    if nearest is not None and check.name not in check.rivals[nearest]:
        raise Rejected(f"{p.text} 紧跟在“{nearest}”后面，不是“{check.words[-1]}”")
    _refuse_excluded(p, near, check)


_PARENS = re.compile(r"[（(][^（()）]*[)）]")


def outside_parens(text: str) -> str:
    """The text without its asides: '部门整体（含部门预算项目）绩效自评得分' is not about a 项目."""
    return _PARENS.sub("", text)


def _refuse_excluded(p: Printed, near: str, check: Check) -> None:
    """An exclude word since the previous number (平均得分, 公务用车…) names another quantity."""
    near = outside_parens(near)
    for w in check.exclude:
        if w in near:
            raise Rejected(f"{p.text} 前面是“{w}”，不是“{check.words[-1]}”")


def _nearest(text: str, rivals: dict[str, frozenset[str]]) -> str | None:
    """The label word ending closest before the end of ``text`` (the longest where several end there)."""
    best: tuple[int, int, str] | None = None
    for w in rivals:
        i = text.rfind(w)
        if i < 0:
            continue
        key = (i + len(w), len(w), w)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def label_window(index: TextIndex, located: Located) -> str:
    """The words about this number: its sentence since the number before the previous one (the subject of
    '公务用车…决算为10.90万元，完成预算的83.08%' is two numbers back), spaces removed."""
    before = index.text[sentence_start(index, located.number_at) : located.number_at]
    numbers = [p for p in find_numbers(before) if p.role == "number"]  # a year is not a break
    cut = numbers[-2].end if len(numbers) >= 2 else 0
    return before[cut:].replace(" ", "")


def near_scope(before: str) -> str:
    """Text since the previous number: the words that name this one."""
    numbers = [p for p in find_numbers(before)]
    return before[numbers[-1].end :] if numbers else before


def signed(value: Decimal, index: TextIndex, located: Located) -> Decimal:
    """A change's sign from the 增加/减少/持平 word nearest before it (the model's sign where none is printed)."""
    sign = direction_before(index.text, located.number_at)
    return value if not sign else abs(value) * sign


def to_record_value(value: Decimal, located: Located, kind: Kind) -> tuple[Decimal, str | None]:
    """(value in the record's unit, printed unit): a number printed in 元 becomes 万元."""
    p = located.printed
    if p is None:
        return Decimal(0), None
    if kind == "money" and p.unit == "元":
        return (p.value / WAN) * (-1 if value < 0 else 1), "元"
    return p.value * (-1 if value < 0 else 1), ("万元" if kind == "money" else None)


def make_source(index: TextIndex, located: Located, section: str | None) -> Source:
    page, line, bbox = index.place(located.span)
    p = located.printed
    unit = p.unit if p is not None and p.unit in ("万元", "元") else None
    return Source(
        page=page,
        line=line,
        quote=index.quote(located.span),
        bbox=bbox,
        kind=SourceKind.NARRATIVE,
        section=section,
        printed=p.text if p is not None else None,
        printed_unit=unit,
    )


# ---- list rows ----

_LIST_NO = re.compile(r"^\s*(\d{1,2})\s*[.、．]\s*")


def row_check(number: RowField, row: RowSpec) -> Check:
    rivals: dict[str, set[str]] = {}
    for n in row.numbers:
        for w in n.keywords:
            rivals.setdefault(w, set()).add(n.name)
    return Check(number.kind, number.keywords, {k: frozenset(v) for k, v in rivals.items()}, number.name)


def row_name(index: TextIndex, region: list[Span], model_name: str, located: Located, words: tuple[str, ...]) -> str:
    """The row's name as printed before its first number (the whole 类/款/项 wording where there is one);
    the model's own name where the text before the number names something else."""
    name = _LIST_NO.sub("", "".join(unicodedata.normalize("NFKC", model_name).split()))
    derived = _printed_name(index, located, words)
    if derived and (name in derived or len(name) < 2 or not index.find(name, region)):
        return derived
    return name


def _printed_name(index: TextIndex, located: Located, words: tuple[str, ...]) -> str | None:
    start = sentence_start(index, located.number_at)
    before = index.original((start, located.number_at))
    pieces = [p.strip() for p in CLAUSE_END.split(before) if p.strip()]
    for piece in reversed(pieces):
        if re.search(r"[（(][类项][）)]", piece):
            return _LIST_NO.sub("", "".join(piece.split()))
    for piece in reversed(pieces):
        if not any(w in piece for w in (*words, "其中", "主要用于", "决算为", "预算为")):
            return _LIST_NO.sub("", "".join(piece.split()))
    return None


def budget_basis(index: TextIndex, located: Located) -> str | None:
    before = index.text[max(0, located.number_at - 10) : located.number_at]
    for basis in ("年初预算", "全年预算", "调整预算", "预算"):
        if basis in before:
            return basis
    return None
