"""The columns of each output table, with their Chinese and English headers, in order.

English headers are the row keys themselves (stable names for scripts); Chinese headers are what a person
reads in Excel. Columns that hold numbers are marked, so the workbook stores them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.export.labels import Lang


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    numeric: bool = False
    link: bool = False  # a relative link to the review page: a hyperlink in the workbook

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.key


def _cols(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


IDENTITY = _cols(("document", "文件"), ("department", "部门"), ("fiscal_year", "年度", True),
                 ("report_type", "报告类型"))
CODES = _cols(("level", "层级"), ("code", "科目编码"), ("name", "科目名称"), ("class_code", "类编码"),
              ("class_name", "类名称"))
PLACE = _cols(("page", "页码", True), ("line", "行号", True), ("quote", "原文"), ("row_text", "整行原文"),
              ("bbox", "位置(x0,y0,x1,y1)"), ("page_width", "页宽", True), ("page_height", "页高", True))

FIGURES = (
    *IDENTITY,
    *_cols(("path", "字段路径"), ("label", "指标"), ("item", "数据项")),
    *CODES,
    *_cols(("table", "表号"), ("table_title", "表名"), ("row_header", "行"), ("column_header", "列"),
           ("value", "数值", True), ("unit", "单位")),
    *PLACE,
    *_cols(("sources", "出处数", True), ("alternates", "其他说法数", True), ("review", "复核", False, True)),
)
TABLES = (
    *IDENTITY,
    *_cols(("path", "单元格"), ("table", "表号"), ("table_title", "表名"), ("side", "收支"),
           ("row_key", "行键"), ("row_header", "行")),
    *CODES,
    *_cols(("column", "列键"), ("column_header", "列"), ("value", "数值", True), ("unit", "单位")),
    *PLACE,
    *_cols(("printed", "印刷数字"), ("review", "复核", False, True)),
)
VIOLATIONS = (
    *IDENTITY,
    *_cols(("rule", "规则"), ("title", "问题"), ("class", "类别"), ("severity", "严重程度"), ("subject", "对象"),
           ("message", "说明"), ("expected", "应为", True), ("found", "实为", True), ("difference", "差额", True),
           ("tolerance", "容差", True), ("figures", "涉及数字"), ("labels", "涉及指标"), ("pages", "页码"),
           ("quotes", "原文"), ("review", "复核", False, True)),
)
SHEETS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "figures": ("数字", FIGURES),
    "tables": ("表格", TABLES),
    "violations": ("问题", VIOLATIONS),
}
"""Long tables: file stem → (sheet name in Chinese, columns)."""
