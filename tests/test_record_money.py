"""The one number parser (``pipeline.record.money.parse_number``) reads every input as the four parsers it
replaced did: ``to_decimal`` (record figures), ``parse_amount`` (table cells), the extraction's
``parse_value`` (the model's values), the evaluation's ``to_number`` (scored values, with each ``unit``) and
the 自评表 cell reading of ``pipeline.extract.projects``.

Each row was written down from the old functions (commit 4fd158e) before they were replaced: the input, then
what each call site gave (the Decimal as ``str``, None, ``"raise"`` for ValueError; ``"-"`` where the call
site never sees such a text).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pipeline.evaluation.values import to_number
from pipeline.extract.parts import parse_value
from pipeline.record.money import parse_amount, parse_number, to_decimal

UNITS = (None, "元", "万元", "%", "分", "")

# (input, to_decimal, parse_amount, parse_value, to_number(input, unit) for each of UNITS, projects' cell)
CASES = [
    ('', 'raise', None, None, (None, None, None, None, None, None), '-'),
    (' ', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('-', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('－', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('—', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('--', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('+', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('++', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('.', 'raise', None, None, (None, None, None, None, None, None), '-'),
    (',', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('0', '0', '0', '0', ('0', '0', '0', '0', '0', '0'), '0'),
    ('0.00', '0.00', '0.00', '0.00', ('0.00', '0.00', '0.00', '0.00', '0.00', '0.00'), '0.00'),
    ('-0', '-0', '-0', '-0', ('-0', '-0', '-0', '-0', '-0', '-0'), '-0'),
    ('00012', '12', '12', '12', ('12', '0.0012', '12', '12', '12', '12'), '12'),
    ('100', '100', '100', '100', ('100', '0.01', '100', '100', '100', '100'), '100'),
    ('100.', '100', None, '100', ('100', '0.01', '100', '100', '100', '100'), '-'),
    ('.5', '0.5', None, '0.5', ('0.5', '0.00005', '0.5', '0.5', '0.5', '0.5'), '-'),
    ('5.', '5', None, '5', ('5', '0.0005', '5', '5', '5', '5'), '-'),
    ('1,237.72', '1237.72', '1237.72', '1237.72', ('1237.72', '0.123772', '1237.72', '1237.72', '1237.72', '1237.72'), '1237.72'),
    ('1，237.72', '1237.72', None, '1237.72', ('1237.72', '0.123772', '1237.72', '1237.72', '1237.72', '1237.72'), '-'),
    ('1,2345', '12345', None, '12345', ('12345', '1.2345', '12345', '12345', '12345', '12345'), '-'),
    ('12,34', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1,23', 'raise', None, None, (None, None, None, None, None, None), '-'),
    (',123', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('123,', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1,234,567.891', '1234567.891', '1234567.891', '1234567.891', ('1234567.891', '123.4567891', '1234567.891', '1234567.891', '1234567.891', '1234567.891'), '1234567.891'),
    ('1234,567', '1234567', None, '1234567', ('1234567', '123.4567', '1234567', '1234567', '1234567', '1234567'), '1234567'),
    ('1 ,234', 'raise', '1234', '1234', (None, None, None, None, None, None), '-'),
    ('1, 234', 'raise', '1234', '1234', (None, None, None, None, None, None), '-'),
    (' 1 237.72 ', 'raise', '1237.72', '1237.72', (None, None, None, None, None, None), '-'),
    ('1 237.72', 'raise', '1237.72', '1237.72', (None, None, None, None, None, None), '-'),
    ('1\u3000234', 'raise', '1234', '1234', (None, None, None, None, None, None), '-'),
    ('\t12\n', '12', '12', '12', ('12', '0.0012', '12', '12', '12', '12'), '-'),
    ('1,000.00 ', '1000.00', '1000.00', '1000.00', ('1000.00', '0.10', '1000.00', '1000.00', '1000.00', '1000.00'), '-'),
    ('-3.50', '-3.50', '-3.50', '-3.50', ('-3.50', '-0.00035', '-3.50', '-3.50', '-3.50', '-3.50'), '-3.50'),
    ('−3.50', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('－3.50', 'raise', None, '-3.50', ('-3.50', '-0.00035', '-3.50', '-3.50', '-3.50', '-3.50'), '-'),
    ('- 3.50', 'raise', '-3.50', '-3.50', (None, None, None, None, None, None), '-'),
    ('＋3', 'raise', None, '3', ('3', '0.0003', '3', '3', '3', '3'), '-'),
    ('+3', '3', None, '3', ('3', '0.0003', '3', '3', '3', '3'), '-'),
    ('++3', 'raise', None, '3', (None, None, None, None, None, None), '-'),
    ('+-3', 'raise', None, '-3', (None, None, None, None, None, None), '-'),
    ('-+3', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('3.50-', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('(3.50)', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('（3.50）', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('１２３', '123', '123', '123', ('123', '0.0123', '123', '123', '123', '123'), '123'),
    ('１，２３４.５', '1234.5', None, '1234.5', ('1234.5', '0.12345', '1234.5', '1234.5', '1234.5', '1234.5'), '-'),
    ('１．５', 'raise', None, None, ('1.5', '0.00015', '1.5', '1.5', '1.5', '1.5'), '-'),
    ('１２３．４５', 'raise', None, None, ('123.45', '0.012345', '123.45', '123.45', '123.45', '123.45'), '-'),
    ('١٢٣', '123', '123', '123', ('123', '0.0123', '123', '123', '123', '123'), '123'),
    ('１,２３４', '1234', '1234', '1234', ('1234', '0.1234', '1234', '1234', '1234', '1234'), '1234'),
    ('1.5万元', 'raise', None, '1.5', ('1.5', '0.00015', '1.5', '1.5', '1.5', '1.5'), '-'),
    ('1.5 万元', 'raise', None, '1.5', ('1.5', '0.00015', '1.5', '1.5', '1.5', '1.5'), '-'),
    ('1,234.50万元', 'raise', None, '1234.50', ('1234.50', '0.12345', '1234.50', '1234.50', '1234.50', '1234.50'), '-'),
    ('3,078,200.00元', 'raise', None, '3078200.00', ('307.82', '307.82', '3078200.00', '3078200.00', '3078200.00', '307.82'), '-'),
    ('7,704,300.00 元', 'raise', None, '7704300.00', ('770.43', '770.43', '7704300.00', '7704300.00', '7704300.00', '770.43'), '-'),
    ('3万', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1,000元元', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1,234 万元', 'raise', None, '1234', ('1234', '0.1234', '1234', '1234', '1234', '1234'), '-'),
    ('-12.5万元', 'raise', None, '-12.5', ('-12.5', '-0.00125', '-12.5', '-12.5', '-12.5', '-12.5'), '-'),
    ('＋12.5万元', 'raise', None, '12.5', ('12.5', '0.00125', '12.5', '12.5', '12.5', '12.5'), '-'),
    ('12.5 万 元', 'raise', None, '12.5', (None, None, None, None, None, None), '-'),
    ('86.05%', 'raise', None, '86.05', ('86.05', '0.008605', '86.05', '86.05', '86.05', '86.05'), '86.05'),
    ('86.05％', 'raise', None, '86.05', ('86.05', '0.008605', '86.05', '86.05', '86.05', '86.05'), '-'),
    ('86.05 %', 'raise', None, '86.05', ('86.05', '0.008605', '86.05', '86.05', '86.05', '86.05'), '-'),
    ('88.89%', 'raise', None, '88.89', ('88.89', '0.008889', '88.89', '88.89', '88.89', '88.89'), '88.89'),
    ('-5.2%', 'raise', None, '-5.2', ('-5.2', '-0.00052', '-5.2', '-5.2', '-5.2', '-5.2'), '-5.2'),
    ('%', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('3个', 'raise', None, '3', (None, None, None, None, None, None), '-'),
    ('2辆', 'raise', None, '2', (None, None, None, None, None, None), '-'),
    ('1台（套）', 'raise', None, '1', (None, None, None, None, None, None), '-'),
    ('1台(套)', 'raise', None, '1', (None, None, None, None, None, None), '-'),
    ('1台', 'raise', None, '1', (None, None, None, None, None, None), '-'),
    ('2套', 'raise', None, '2', (None, None, None, None, None, None), '-'),
    ('5批次', 'raise', None, '5', (None, None, None, None, None, None), '-'),
    ('10人次', 'raise', None, '10', (None, None, None, None, None, None), '-'),
    ('3次', 'raise', None, '3', (None, None, None, None, None, None), '-'),
    ('4人', 'raise', None, '4', (None, None, None, None, None, None), '-'),
    ('95分', 'raise', None, '95', (None, None, None, None, None, None), '-'),
    ('95.5 分', 'raise', None, '95.5', (None, None, None, None, None, None), '-'),
    ('无', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('没有', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('零', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('零元', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('+无', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('未发生', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('无 ', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    (' 没有', 'raise', None, '0', (None, None, None, None, None, None), '-'),
    ('-无', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('n/a', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('NaN', 'NaN', None, None, (None, None, None, None, None, None), '-'),
    ('nan', 'NaN', None, None, (None, None, None, None, None, None), '-'),
    ('-NaN', '-NaN', None, None, (None, None, None, None, None, None), '-'),
    ('sNaN', 'sNaN', None, None, (None, None, None, None, None, None), '-'),
    ('Infinity', 'Infinity', None, None, (None, None, None, None, None, None), '-'),
    ('-inf', '-Infinity', None, None, (None, None, None, None, None, None), '-'),
    ('inf%', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1e5', '1E+5', None, '1E+5', ('1E+5', '1E+1', '1E+5', '1E+5', '1E+5', '1E+5'), '-'),
    ('1E-3', '0.001', None, '0.001', ('0.001', '1E-7', '0.001', '0.001', '0.001', '0.001'), '-'),
    ('1e+999999', '1E+999999', None, '1E+999999', ('1E+999999', '1E+999995', '1E+999999', '1E+999999', '1E+999999', '1E+999999'), '-'),
    ('1_000', '1000', None, '1000', ('1000', '0.1', '1000', '1000', '1000', '1000'), '-'),
    ('1_000万元', 'raise', None, '1000', ('1000', '0.1', '1000', '1000', '1000', '1000'), '-'),
    ('12a', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('O12', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('l23', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('3.5e', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('0x10', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('1.2.3', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('2024年', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('abc', 'raise', None, None, (None, None, None, None, None, None), '-'),
    ('一百', 'raise', None, None, (None, None, None, None, None, None), '-'),
    (0, '0', '-', '0', ('0', '0', '0', '0', '0', '0'), '-'),
    (1, '1', '-', '1', ('1', '0.0001', '1', '1', '1', '1'), '-'),
    (-3, '-3', '-', '-3', ('-3', '-0.0003', '-3', '-3', '-3', '-3'), '-'),
    (30000, '30000', '-', '30000', ('30000', '3', '30000', '30000', '30000', '30000'), '-'),
    (1.5, '1.5', '-', '1.5', ('1.5', '0.00015', '1.5', '1.5', '1.5', '1.5'), '-'),
    (0.30000000000000004, '0.30000000000000004', '-', '0.30000000000000004', ('0.30000000000000004', '0.000030000000000000004', '0.30000000000000004', '0.30000000000000004', '0.30000000000000004', '0.30000000000000004'), '-'),
    (1e+20, '1E+20', '-', '1E+20', ('1E+20', '1E+16', '1E+20', '1E+20', '1E+20', '1E+20'), '-'),
    (-0.0, '-0.0', '-', '-0.0', ('-0.0', '-0.0', '-0.0', '-0.0', '-0.0', '-0.0'), '-'),
    (float('nan'), 'NaN', '-', None, (None, None, None, None, None, None), '-'),
    (float('inf'), 'Infinity', '-', None, (None, None, None, None, None, None), '-'),
    (True, 'raise', '-', None, (None, None, None, None, None, None), '-'),
    (False, 'raise', '-', None, (None, None, None, None, None, None), '-'),
    (None, 'raise', '-', None, (None, None, None, None, None, None), '-'),
    (Decimal('1.50'), '1.50', '-', '1.50', ('1.50', '0.00015', '1.50', '1.50', '1.50', '1.50'), '-'),
    (Decimal('NaN'), 'NaN', '-', None, (None, None, None, None, None, None), '-'),
    (Decimal('-0'), '-0', '-', '-0', ('-0', '-0', '-0', '-0', '-0', '-0'), '-'),
    (Decimal('1E+3'), '1E+3', '-', '1E+3', ('1E+3', '0.1', '1E+3', '1E+3', '1E+3', '1E+3'), '-'),
    (Decimal('Infinity'), 'Infinity', '-', None, (None, None, None, None, None, None), '-'),
    ([1], 'raise', '-', None, (None, None, None, None, None, None), '-'),
    ({'a': 1}, 'raise', '-', None, (None, None, None, None, None, None), '-'),
]


def _result(f, *args):
    try:
        d = f(*args)
    except ValueError:
        return "raise"
    return None if d is None else str(d)


_FORM_NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?%?$")  # pipeline.extract.projects._NUMBER


@pytest.mark.parametrize(("value", "decimal", "amount", "model", "scored", "form"), CASES, ids=repr)
def test_every_call_site_reads_as_before(value, decimal, amount, model, scored, form):
    assert _result(to_decimal, value) == decimal
    if isinstance(value, str):
        assert _result(parse_amount, value) == amount
    assert _result(parse_value, value) == model
    assert tuple(_result(to_number, value, u) for u in UNITS) == scored
    if isinstance(value, str) and _FORM_NUMBER.match(value):
        assert _result(lambda t: parse_number(t, units={"%": Decimal(1)}), value) == form


def test_options_named_for_what_differs():
    assert parse_number(" 1 237.72 ") is None and parse_number(" 1 237.72 ", spaces="drop") == Decimal("1237.72")
    assert parse_number("1e5") == Decimal("1E+5") and parse_number("1e5", amount_only=True) is None
    assert parse_number("１．５") is None and parse_number("１．５", forms="nfkc") == Decimal("1.5")
    assert parse_number("－3") is None and parse_number("－3", forms="signs") == Decimal(-3)
    assert parse_number("无") is None and parse_number("无", zero_words=("无",)) == 0
    assert parse_number("30000元", units={"元": Decimal(10000)}) == 3
    assert parse_number(30000, units={"元": Decimal(10000)}, unit="元") == 3
    assert parse_number("NaN") is None and parse_number("NaN", finite=False).is_nan()
    assert parse_number("-") is None and parse_number("") is None and parse_number(None) is None
