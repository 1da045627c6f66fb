"""A synthetic, fully reconciling 部门决算 record with its document, for benchmarks and property tests.

Every figure is printed in a quote on a page of a generated document (nine tables, then the 说明), and every
identity of the catalog holds exactly as printed: amounts are whole cents, percentages are rounded from the
printed amounts. ``document_for(record)`` rebuilds the pages from the record's quotes, so a test can change a
figure (and its quote) and still have it grounded.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from pipeline.document import Document, Line, Page, PageKind
from pipeline.record.codes import FUNCTION_CLASSES
from pipeline.record.figure import Figure, Source, SourceKind
from pipeline.record.model import ClassRow, ItemRow, ProjectRow, Record
from pipeline.record.tables import StandardTable, TableRow

_C = Decimal("0.01")
_ITEM_NAMES = ("行政运行", "一般行政管理事务", "机关服务", "事业运行", "专项业务", "其他支出")
_ECON = {
    "301": [
        ("30101", "基本工资"),
        ("30102", "津贴补贴"),
        ("30103", "奖金"),
        ("30108", "养老保险缴费"),
        ("30113", "住房公积金"),
    ],
    "302": [
        ("30201", "办公费"),
        ("30211", "差旅费"),
        ("30212", "因公出国（境）费用"),
        ("30217", "公务接待费"),
        ("30231", "公务用车运行维护费"),
        ("30299", "其他商品和服务支出"),
    ],
    "303": [("30302", "退休费"), ("30305", "生活补助")],
    "310": [("31002", "办公设备购置"), ("31013", "公务用车购置")],
}


def _p(d: Decimal) -> str:
    return f"{d:.2f}"


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(_C, rounding=ROUND_HALF_UP)


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def cents(self, lo: int, hi: int) -> Decimal:
        return Decimal(self.rng.randint(lo, hi)) / 100

    def split(self, total: Decimal, n: int) -> list[Decimal]:
        """n non-negative amounts that sum to total exactly."""
        cuts = sorted(self.rng.randint(0, int(total * 100)) for _ in range(n - 1))
        bounds = [0, *cuts, int(total * 100)]
        return [Decimal(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]


def _fig(value: Decimal, quote: str, page: int, unit: str = "万元", **src) -> Figure:
    kind = SourceKind.TABLE if "table" in src else SourceKind.NARRATIVE
    return Figure(value=value, unit=unit, sources=[Source(page=page, quote=quote, kind=kind, **src)])


def _row(
    tid: str,
    key: str,
    label: str,
    page: int,
    values: dict[str, Decimal],
    code: str | None = None,
    side: str | None = None,
    quote_label: str | None = None,
) -> TableRow:
    quote = " ".join([quote_label or label, *(_p(v) for v in values.values())])
    return TableRow(
        key=key,
        label=label,
        code=code,
        side=side,
        values={c: _fig(v, quote, page, table=tid, row=label, column=c) for c, v in values.items()},
    )


def synthetic_report(
    seed: int = 0, classes: int = 6, kuan: int = 2, items: int = 3
) -> tuple[Record, Document]:
    """A reconciling record of ``classes`` × ``kuan`` × ``items`` budget items, and its 30-page document."""
    b = _Builder(seed)
    codes = b.rng.sample([c for c in FUNCTION_CLASSES if c not in ("223", "227", "234")], classes)
    leaves: list[tuple[str, str, Decimal, Decimal]] = []  # code, name, basic, project
    for cls in sorted(codes):
        for k in range(kuan):
            for i in range(items):
                basic = b.cents(0, 30000) if b.rng.random() < 0.8 else Decimal(0)
                project = b.cents(0, 20000) if b.rng.random() < 0.5 else Decimal(0)
                if basic + project == 0:
                    basic = b.cents(100, 5000)
                leaves.append(
                    (f"{cls}{k + 1:02d}{i + 1:02d}", _ITEM_NAMES[i % len(_ITEM_NAMES)], basic, project)
                )

    def sums(prefix: str) -> tuple[Decimal, Decimal]:
        rows = [leaf for leaf in leaves if leaf[0].startswith(prefix)]
        return sum((r[2] for r in rows), Decimal(0)), sum((r[3] for r in rows), Decimal(0))

    basic, project = sums("")
    total = basic + project
    record = Record(
        document="synthetic.pdf",
        department="某某部门",
        fiscal_year=2024,
        report_type="final_accounts",
        unit="万元",
    )
    class_rows = []
    for cls in sorted(codes):
        cb, cp = sums(cls)
        class_rows.append((cls, FUNCTION_CLASSES[cls][0], cb, cp))

    # T5 (pages 8–9), T3 (4–5), T2 (2–3): the same code tree
    def tree_rows(tid: str, first_page: int, columns) -> list[TableRow]:
        rows = []
        for cls, name, cb, cp in class_rows:
            rows.append(
                _row(tid, cls, name, first_page, columns(cb, cp), code=cls, quote_label=f"{cls} {name}")
            )
            for k in range(kuan):
                kc = f"{cls}{k + 1:02d}"
                kb, kp = sums(kc)
                rows.append(
                    _row(tid, kc, f"款{kc}", first_page, columns(kb, kp), code=kc, quote_label=f"{kc} 款{kc}")
                )
                for code, iname, ib, ip in (leaf for leaf in leaves if leaf[0].startswith(kc)):
                    page = first_page + (1 if len(rows) > 30 else 0)
                    rows.append(
                        _row(
                            tid, code, iname, page, columns(ib, ip), code=code, quote_label=f"{code} {iname}"
                        )
                    )
        rows.append(_row(tid, "total", "合计", first_page + 1, columns(basic, project)))
        return rows

    t5 = tree_rows("T5", 8, lambda x, y: {"total": x + y, "basic": x, "project": y})
    t3 = tree_rows("T3", 4, lambda x, y: {"total": x + y, "basic": x, "project": y})
    t2 = tree_rows("T2", 2, lambda x, y: {"total": x + y, "appropriation": x + y})

    # T1 (page 1) and T4 (pages 6–7)
    t1 = [
        _row("T1", "in:general_budget", "一般公共预算财政拨款收入", 1, {"amount": total}, side="income"),
        *(
            _row("T1", f"out:{c}", n, 1, {"amount": x + y}, code=c, side="expenditure")
            for c, n, x, y in class_rows
        ),
        _row("T1", "in:total", "本年收入合计", 1, {"amount": total}, side="income"),
        _row("T1", "out:total", "本年支出合计", 1, {"amount": total}, side="expenditure"),
        _row("T1", "in:grand_total", "收入总计", 1, {"amount": total}, side="income"),
        _row("T1", "out:grand_total", "支出总计", 1, {"amount": total}, side="expenditure"),
    ]
    t4 = [
        _row("T4", "in:general_budget", "一般公共预算财政拨款", 6, {"amount": total}, side="income"),
        *(
            _row(
                "T4", f"out:{c}", n, 6, {"total": x + y, "general_budget": x + y}, code=c, side="expenditure"
            )
            for c, n, x, y in class_rows
        ),
        _row("T4", "in:total", "本年收入合计", 7, {"amount": total}, side="income"),
        _row(
            "T4",
            "out:total",
            "本年支出合计",
            7,
            {"total": total, "general_budget": total},
            side="expenditure",
        ),
        _row("T4", "in:grand_total", "收入总计", 7, {"amount": total}, side="income"),
        _row(
            "T4",
            "out:grand_total",
            "支出总计",
            7,
            {"total": total, "general_budget": total},
            side="expenditure",
        ),
    ]

    # T6 (pages 10–11): basic expenditure by economic class
    shares = b.split(basic, 4)
    personnel_classes, public_classes = {"301": shares[0] + shares[1], "303": shares[2]}, {"302": shares[3]}
    public_classes["310"] = Decimal(0)
    t6: list[TableRow] = []
    econ_values: dict[str, Decimal] = {}
    for cls, amount in sorted({**personnel_classes, **public_classes}.items()):
        parts = b.split(amount, len(_ECON[cls]))
        t6.append(
            _row(
                "T6",
                cls,
                f"经济分类{cls}",
                10,
                {"amount": amount},
                code=cls,
                quote_label=f"{cls} 经济分类{cls}",
            )
        )
        for (code, name), v in zip(_ECON[cls], parts, strict=True):
            econ_values[code] = v
            t6.append(
                _row(
                    "T6",
                    code,
                    name,
                    10 if cls < "303" else 11,
                    {"amount": v},
                    code=code,
                    quote_label=f"{code} {name}",
                )
            )
    personnel = sum(personnel_classes.values(), Decimal(0))
    public = sum(public_classes.values(), Decimal(0))
    t6 += [
        _row("T6", "personnel_total", "人员经费合计", 11, {"amount": personnel}),
        _row("T6", "public_total", "公用经费合计", 11, {"amount": public}),
    ]

    # T7 (page 12): 三公, budget and actual; each actual ≥ its T6 line
    overseas = econ_values["30212"] + b.cents(0, 500)
    purchase = econ_values["31013"] + b.cents(0, 500)
    operation = econ_values["30231"] + b.cents(0, 500)
    reception = econ_values["30217"] + b.cents(0, 500)
    actual = {
        "total": overseas + purchase + operation + reception,
        "overseas": overseas,
        "vehicles": purchase + operation,
        "vehicle_purchase": purchase,
        "vehicle_operation": operation,
        "reception": reception,
    }
    budget_parts = {
        k: v + b.cents(0, 300)
        for k, v in (
            ("overseas", overseas),
            ("vehicle_purchase", purchase),
            ("vehicle_operation", operation),
            ("reception", reception),
        )
    }
    budget = {
        "total": sum(budget_parts.values(), Decimal(0)),
        "overseas": budget_parts["overseas"],
        "vehicles": budget_parts["vehicle_purchase"] + budget_parts["vehicle_operation"],
        **budget_parts,
    }
    t7 = [_row("T7", "budget", "预算数", 12, budget), _row("T7", "actual", "决算数", 12, actual)]

    def table(tid: str, pages: list[int], rows: list[TableRow]) -> StandardTable:
        return StandardTable(id=tid, pages=pages, rows=rows)

    note8 = Source(page=13, quote="说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。")
    note9 = Source(page=14, quote="说明：本部门本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。")
    record.tables = {
        "T1": table("T1", [1], t1),
        "T2": table("T2", [2, 3], t2),
        "T3": table("T3", [4, 5], t3),
        "T4": table("T4", [6, 7], t4),
        "T5": table("T5", [8, 9], t5),
        "T6": table("T6", [10, 11], t6),
        "T7": table("T7", [12], t7),
        "T8": StandardTable(id="T8", pages=[13], empty_note=note8),
        "T9": StandardTable(id="T9", pages=[14], empty_note=note9),
    }
    _narrative(record, b, total, basic, project, personnel, public, class_rows, leaves, actual, budget)
    return record, document_for(record)


def _change(current: Decimal, prior: Decimal, what: str, page: int, section) -> tuple[Figure, Figure]:
    change = current - prior
    pct = _pct(change, prior)
    up = change >= 0
    q = f"{what}{'增加' if up else '减少'}{_p(abs(change))}万元，{'增长' if up else '下降'}{_p(abs(pct))}%"
    return _fig(change, q, page, section=section), _fig(pct, q, page, unit="%", section=section)


def _narrative(
    record: Record, b: _Builder, total, basic, project, personnel, public, class_rows, leaves, actual, budget
) -> None:
    r = record
    q = f"本年度收入、支出总计均为{_p(total)}万元"
    r.summary.total = _fig(total, q, 15, section="一")
    r.summary.total_change, r.summary.total_change_pct = _change(
        total, total - b.cents(-20000, 20000), "收入、支出总计", 15, "一"
    )
    q = f"本年收入合计{_p(total)}万元，其中：财政拨款收入{_p(total)}万元，占100.00%"
    r.income.total = _fig(total, q, 16, section="二")
    r.income.appropriation = _fig(total, q, 16, section="二")
    r.income.appropriation_share_pct = _fig(Decimal(100), q, 16, unit="%", section="二")
    q = (
        f"本年支出合计{_p(total)}万元，其中：基本支出{_p(basic)}万元，占{_p(_pct(basic, total))}%；"
        f"项目支出{_p(project)}万元，占{_p(_pct(project, total))}%"
    )
    r.expenditure.total = _fig(total, q, 17, section="三")
    r.expenditure.basic = _fig(basic, q, 17, section="三")
    r.expenditure.project = _fig(project, q, 17, section="三")
    r.expenditure.basic_share_pct = _fig(_pct(basic, total), q, 17, unit="%", section="三")
    r.expenditure.project_share_pct = _fig(_pct(project, total), q, 17, unit="%", section="三")
    q = f"财政拨款收入、支出总计均为{_p(total)}万元"
    r.appropriation.total = _fig(total, q, 18, section="四")
    r.appropriation.total_change, r.appropriation.total_change_pct = _change(
        total, total - b.cents(-20000, 20000), "财政拨款收入支出总计", 18, "四"
    )
    gb = r.general_budget
    q = f"一般公共预算财政拨款支出{_p(total)}万元，占本年支出合计的100.00%"
    gb.total = _fig(total, q, 19, section="五(一)")
    gb.share_pct = _fig(Decimal(100), q, 19, unit="%", section="五(一)")
    gb.change, gb.change_pct = _change(
        total, total + b.cents(-20000, 20000), "一般公共预算财政拨款支出", 19, "五(一)"
    )
    q = f"其中基本支出{_p(basic)}万元，项目支出{_p(project)}万元"
    gb.basic, gb.project = _fig(basic, q, 19), _fig(project, q, 19)
    budget_total = total + b.cents(-10000, 10000)
    q = f"年初预算为{_p(budget_total)}万元，支出决算为{_p(total)}万元，完成年初预算的{_p(_pct(total, budget_total))}%"
    gb.budget = _fig(budget_total, q, 20, section="五(三)")
    gb.completion_pct = _fig(_pct(total, budget_total), q, 20, unit="%", section="五(三)")
    for i, (code, name, cb, cp) in enumerate(class_rows):
        amount = cb + cp
        q = f"{name}（类）{_p(amount)}万元，占{_p(_pct(amount, total))}%"
        page = 20 + i // 3
        gb.by_class.append(
            ClassRow(
                code=code,
                name=name,
                amount=_fig(amount, q, page),
                share_pct=_fig(_pct(amount, total), q, page, unit="%"),
            )
        )
    for i, (code, name, ib, ip) in enumerate(leaves):
        amount = ib + ip
        item_budget = amount + b.cents(0, 3000)
        pct = _pct(amount, item_budget)
        q = f"{i + 1}.{name}（项）{code}：年初预算为{_p(item_budget)}万元，支出决算为{_p(amount)}万元，完成年初预算的{_p(pct)}%"
        page = 22 + i // 12
        gb.items.append(
            ItemRow(
                code=code,
                name=name,
                printed_no=i + 1,
                amount=_fig(amount, q, page),
                budget=_fig(item_budget, q, page),
                completion_pct=_fig(pct, q, page, unit="%"),
            )
        )
    be = r.basic_expenditure
    q = f"一般公共预算财政拨款基本支出{_p(basic)}万元，其中：人员经费{_p(personnel)}万元，公用经费{_p(public)}万元"
    be.total, be.personnel, be.public = _fig(basic, q, 25), _fig(personnel, q, 25), _fig(public, q, 25)
    tp = r.three_public
    q = (
        f"“三公”经费财政拨款支出预算为{_p(budget['total'])}万元，支出决算为{_p(actual['total'])}万元，"
        f"完成预算的{_p(_pct(actual['total'], budget['total']))}%"
    )
    tp.total, tp.budget = _fig(actual["total"], q, 26), _fig(budget["total"], q, 26)
    tp.completion_pct = _fig(_pct(actual["total"], budget["total"]), q, 26, unit="%")
    tp.change, tp.change_pct = _change(
        actual["total"], actual["total"] + b.cents(1, 3000), "“三公”经费支出", 26, "七"
    )
    for key, label in (
        ("overseas", "因公出国（境）费"),
        ("vehicles", "公务用车购置及运行维护费"),
        ("vehicle_purchase", "公务用车购置费"),
        ("vehicle_operation", "公务用车运行维护费"),
        ("reception", "公务接待费"),
    ):
        q = f"{label}支出决算为{_p(actual[key])}万元"
        setattr(tp, key, _fig(actual[key], q, 27))
    q = "本年度没有政府性基金预算财政拨款收入和支出"
    r.government_fund.income, r.government_fund.expenditure = _fig(Decimal(0), q, 28), _fig(Decimal(0), q, 28)
    q = "本年度没有国有资本经营预算财政拨款收入和支出"
    r.state_capital.income, r.state_capital.expenditure = _fig(Decimal(0), q, 28), _fig(Decimal(0), q, 28)
    oc = r.operating_costs
    q = f"机关运行经费支出{_p(public)}万元"
    oc.total = _fig(public, q, 29, section="十一(一)")
    oc.change, oc.change_pct = _change(public, public + b.cents(-500, 500), "机关运行经费", 29, "十一(一)")
    goods, works, services = b.cents(0, 5000), b.cents(0, 3000), b.cents(0, 3000)
    proc = goods + works + services
    sme = (proc * Decimal("0.8")).quantize(_C)
    q = (
        f"政府采购支出总额{_p(proc)}万元，其中：政府采购货物支出{_p(goods)}万元、政府采购工程支出{_p(works)}万元、"
        f"政府采购服务支出{_p(services)}万元。授予中小企业合同金额{_p(sme)}万元，占政府采购支出总额的"
        f"{_p(_pct(sme, proc))}%"
    )
    p = r.procurement
    p.total, p.goods, p.works, p.services = (_fig(v, q, 29) for v in (proc, goods, works, services))
    p.sme_awarded, p.sme_share_pct = _fig(sme, q, 29), _fig(_pct(sme, proc), q, 29, unit="%")
    q = "共有车辆3辆"
    r.assets.vehicles = _fig(Decimal(3), q, 30, unit="辆")
    for i in range(3):
        adj = b.cents(1000, 9000)
        done = adj - b.cents(0, 500)
        q = f"项目{i + 1} 全年预算数 {_p(adj)} 全年执行数 {_p(done)} 执行率 {_p(_pct(done, adj))}% 得分 9{i}"
        r.performance.projects.append(
            ProjectRow(
                name=f"项目{i + 1}",
                adjusted_budget=_fig(adj, q, 30),
                executed=_fig(done, q, 30),
                execution_rate_pct=_fig(_pct(done, adj), q, 30, unit="%"),
                score=_fig(Decimal(90 + i), q, 30, unit="分"),
            )
        )


def document_for(record: Record, pages: int = 30) -> Document:
    """A Document whose pages print every quote of the record (each once, one per line) on its page."""
    quotes: dict[int, list[str]] = {}

    def put(src: Source) -> None:
        if src.page is not None and src.quote not in quotes.setdefault(src.page, []):
            quotes[src.page].append(src.quote)

    for _, fig in record.figures():
        for src in fig.sources:
            put(src)
    for table in record.tables.values():
        for row in table.rows:
            for fig in row.values.values():
                for src in fig.sources:
                    put(src)
        if table.empty_note:
            put(table.empty_note)
    n = max([pages, *quotes])
    doc_pages = [
        Page(
            number=i,
            width=595,
            height=842,
            kind=PageKind.TEXT,
            lines=[Line(text=t, bbox=(0, 0, 0, 0)) for t in quotes.get(i, [])],
        )
        for i in range(1, n + 1)
    ]
    return Document(source="synthetic.pdf", sha256="0" * 64, pages=doc_pages)
