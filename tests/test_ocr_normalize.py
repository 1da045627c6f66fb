"""Normalisation keeps one box per character and never adds or drops a digit."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.document import Line
from pipeline.ocr.charboxes import align_char_boxes, spread_boxes
from pipeline.ocr.normalize import make_line, nfkc_chars, normalize_line, normalize_text, rejoin_split_numbers


def chars_at(text: str, x0: float, y0: float, w: float = 10.0, h: float = 12.0):
    return [(c, (x0 + i * w, y0, x0 + (i + 1) * w, y0 + h)) for i, c in enumerate(text)]


def line(text: str, x0: float, y0: float, source: str = "ocr") -> Line:
    out = make_line(chars_at(text, x0, y0), source=source, conf=0.9)
    assert out is not None
    return out


def all_boxes(ln: Line) -> list:
    return [b for w in ln.words for b in w.chars]


def test_full_width_forms_become_ascii_and_keep_their_boxes():
    ln = line("收入２０２４年（一）增长５．２％", 0, 0)
    assert ln.text == "收入2024年(一)增长5.2%"
    assert len(all_boxes(ln)) == len(ln.text)
    assert all_boxes(ln)[2] == (20.0, 0.0, 30.0, 12.0)  # "2" still where "２" printed


def test_expanding_character_shares_its_box():
    out = nfkc_chars([("…", (0.0, 0.0, 30.0, 10.0))])
    assert [c for c, _ in out] == [".", ".", "."]
    assert [b[0] for _, b in out] == [0.0, 10.0, 20.0]


def test_ideographic_space_splits_words_and_text_is_words_joined():
    ln = line("合计\u3000 307.82", 0, 0)
    assert ln.text == "合计 307.82"
    assert [w.text for w in ln.words] == ["合计", "307.82"]
    assert all(len(w.chars) == len(w.text) for w in ln.words)


def test_normalize_line_is_idempotent():
    ln = line("一般公共预算（１）", 0, 0)
    again = normalize_line(ln)
    assert again is not None and again.text == ln.text and all_boxes(again) == all_boxes(ln)


def test_normalize_text_collapses_whitespace():
    assert normalize_text("  下降５．２％，\n 主要  原因 ") == "下降5.2%, 主要 原因"


def test_number_split_by_wrap_is_rejoined_with_boxes():
    prev = line("与上年相比下降5", 60, 100)
    nxt = line(".2%，主要原因是人员减少。", 40, 116)
    moved_boxes = all_boxes(nxt)[:3]
    out = rejoin_split_numbers([prev, nxt])
    assert [ln.text for ln in out] == ["与上年相比下降5.2%", ",主要原因是人员减少。"]
    assert all_boxes(out[0])[-3:] == moved_boxes  # the moved characters keep their own boxes
    assert out[0].bbox == prev.bbox  # the visual line stays where it is
    assert all(len(w.chars) == len(w.text) for ln in out for w in ln.words)


def test_number_split_after_its_point_is_rejoined():
    out = rejoin_split_numbers([line("支出决算为307.", 60, 100), line("82万元，完成预算100%。", 40, 116)])
    assert out[0].text.endswith("307.82") and out[1].text.startswith("万元")


def test_digit_digit_rejoined_only_across_a_long_paragraph_line():
    long = line("本年度一般公共预算财政拨款支出合计增加了1", 40, 100)  # 21 chars ≈ 17 line heights
    out = rejoin_split_numbers([long, line("23.4万元。", 40, 116)])
    assert out[0].text.endswith("123.4")
    cell = line("2.22", 250, 100)
    out = rejoin_split_numbers([cell, line("2101102", 40, 116)])  # a short table cell, then the next row
    assert [ln.text for ln in out] == ["2.22", "2101102"]


def test_cells_side_by_side_are_not_joined():
    out = rejoin_split_numbers([line("307.82", 250, 100), line(".5", 480, 100)])
    assert [ln.text for ln in out] == ["307.82", ".5"]


def test_plain_text_lines_are_never_joined():
    box = (0.0, 0.0, 0.0, 0.0)
    a = make_line([(c, box) for c in "下降5"], source="plain", bbox=box, source_line=1)
    b = make_line([(c, box) for c in ".2%"], source="plain", bbox=box, source_line=2)
    assert [ln.text for ln in rejoin_split_numbers([a, b])] == ["下降5", ".2%"]


def test_fragment_that_is_the_whole_next_line_removes_it():
    out = rejoin_split_numbers([line("增长率为12", 60, 100), line("%", 40, 116)])
    assert [ln.text for ln in out] == ["增长率为12%"]


_texts = st.text(alphabet="0123456789.%，,万元增长下降合计 ", min_size=1, max_size=14)


@given(st.lists(_texts, min_size=1, max_size=6), st.integers(min_value=0, max_value=3))
def test_rejoin_never_adds_or_drops_a_character(texts, indent):
    lines = [
        ln
        for i, t in enumerate(texts)
        if (ln := make_line(chars_at(t, 40 + indent * 5, 100 + 16 * i), source="ocr"))
    ]
    before = "".join(re.sub(r"\s", "", ln.text) for ln in lines)
    out = rejoin_split_numbers(lines)
    assert "".join(re.sub(r"\s", "", ln.text) for ln in out) == before
    for ln in out:
        assert ln.text == " ".join(w.text for w in ln.words)
        assert all(w.chars is not None and len(w.chars) == len(w.text) for w in ln.words)


def test_char_boxes_split_runs_and_bridge_spaces():
    boxes = align_char_boxes(
        "合计 307.82",
        [("合", (0, 0, 10, 10)), ("计", (10, 0, 20, 10)), ("307.82", (30, 0, 90, 10))],
        (0, 0, 90, 10),
    )
    assert len(boxes) == 9
    assert boxes[2] == (20, 0, 30, 10)  # the space spans the gap
    assert boxes[3] == (30.0, 0, 40.0, 10) and boxes[-1] == (80.0, 0, 90.0, 10)


def test_char_boxes_fall_back_when_pieces_disagree():
    boxes = align_char_boxes("收入307", [("收", (0, 0, 10, 10))], (0, 0, 100, 10))
    assert boxes == spread_boxes("收入307", (0, 0, 100, 10))
    assert boxes[0][0] == 0 and abs(boxes[-1][2] - 100) < 1e-9
    assert boxes[0][2] - boxes[0][0] > boxes[2][2] - boxes[2][0]  # a CJK character is wider than a digit
