"""Every figure a record can hold has a Chinese name in the tables (from the schema's descriptions)."""

from __future__ import annotations

import re

from pipeline.export.labels import column_header, field_label
from pipeline.record.model import SECTIONS, ClassRow, ItemRow, ProjectRow
from pipeline.record.tables import COLUMNS


def _figure_fields(model) -> list[str]:
    return [n for n, f in model.model_fields.items() if "Figure" in str(f.annotation)]


def test_every_record_figure_has_a_chinese_label():
    labels = {}
    for section, model in SECTIONS.items():
        for name in _figure_fields(model):
            labels[f"{section}.{name}"] = field_label(f"{section}.{name}")
    for list_path, model in (("general_budget.by_class[201]", ClassRow), ("general_budget.items[2070102]", ItemRow),
                             ("performance.projects[某项目]", ProjectRow)):
        for name in _figure_fields(model):
            labels[f"{list_path}.{name}"] = field_label(f"{list_path}.{name}")
    bad = {p: label for p, label in labels.items() if not re.search(r"[\u4e00-\u9fff]", label)
           or re.search(r"[A-Za-z]", label)}
    assert not bad, bad
    singles = [label for p, label in labels.items() if "[" not in p]
    assert len(set(singles)) == len(singles), "two fields share a name"
    assert labels["summary.total"] == "收支总计" and labels["income.total"] == "本年收入合计"
    assert labels["general_budget.items[2070102].amount"] == "一般公共预算财政拨款支出按项·决算数"


def test_every_table_column_has_its_printed_header():
    for tid, columns in COLUMNS.items():
        for key, header in columns.items():
            assert column_header(tid, key) == header
