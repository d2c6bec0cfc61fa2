from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cmquiz.cjkwrap import NO_LINE_START, cell_width, wrap


def test_breaks_between_chinese_characters_not_at_the_space() -> None:
    text = (
        "题库答案为 0.9 倍:商业性个人住房贷款以外的其他商业性个人贷款,利率下限为基准利率的 0.9 倍。"
    )
    lines = wrap(text, 40)
    assert all(cell_width(line) <= 40 for line in lines)
    assert cell_width(lines[0]) >= 38  # the first line is full, not cut at "0.9"
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_latin_words_and_numbers_stay_whole() -> None:
    for width in range(8, 30):
        lines = wrap("客户经理应掌握TOPR 原则和TPO原则,以及12—18学时的课程安排", width)
        assert any("TOPR" in line for line in lines), lines
        assert any("TPO" in line for line in lines), lines
        assert any("18" in line for line in lines), lines


def test_no_line_starts_with_closing_punctuation() -> None:
    text = "抵押物灭失发生在抵押设立之后,不属于设立环节的风险。" * 3
    for width in range(6, 40):
        for line in wrap(text, width)[1:]:
            assert line[:1] not in NO_LINE_START, (width, line)


def test_existing_newlines_are_kept() -> None:
    assert wrap("第一行\n\n第三行", 20) == ["第一行", "", "第三行"]


chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
pieces = st.one_of(
    st.text(chinese, min_size=1, max_size=12),
    st.from_regex(r"[A-Za-z0-9.]{1,8}", fullmatch=True),
    st.sampled_from([" ", ",", "。", "(", ")", "“", "”", "、", ";"]),
)


@given(st.lists(pieces, max_size=40).map("".join), st.integers(10, 90))
def test_lines_fit_and_lose_nothing(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
