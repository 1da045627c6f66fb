"""The one sentence splitter (pipeline.sentences): where sentences and clauses end, for every reader."""

from __future__ import annotations

import re

import pytest

from pipeline.sentences import CLAUSE_END, SENTENCE_OR_EXCLAMATION_END, sentences

TEXT = "收入544.24万元；支出770.43万元。。结余0"


def _pieces(text: str, **kw) -> list[str]:
    return [text[a:b] for a, b in sentences(text, **kw)]


def test_sentences_keep_their_marks_and_cover_the_text():
    assert _pieces(TEXT) == ["收入544.24万元；", "支出770.43万元。", "。", "结余0"]
    assert "".join(_pieces(TEXT)) == TEXT


def test_sentences_without_marks_leave_no_empty_ones():
    assert _pieces(TEXT, keep_marks=False) == ["收入544.24万元", "支出770.43万元", "结余0"]


def test_a_part_of_the_text_and_clauses():
    start = TEXT.index("支出")
    assert sentences(TEXT, start, start + 6) == [(start, start + 6)]
    assert _pieces("一般公共服务支出（类）30万元，占30%：其中", keep_marks=False, marks=CLAUSE_END) == [
        "一般公共服务支出（类）30万元", "占30%", "其中"
    ]


@pytest.mark.parametrize("text", ["", "；", "。。", "a;b;", "没有标点", "问？答！", TEXT])
def test_the_same_cut_as_a_split_after_each_mark(text):
    """What the extraction's chunking did before: re.split after each 。；; with the empty pieces left out."""
    assert _pieces(text) == [p for p in re.split(r"(?<=[。；;])", text) if p]


def test_a_numbers_sentence_also_starts_after_an_exclamation():
    assert [m.end() for m in SENTENCE_OR_EXCLAMATION_END.finditer("好！是吗?对。")] == [2, 5, 7]
