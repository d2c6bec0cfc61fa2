from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz import cjkwrap
from cmquiz.cjkwrap import NO_LINE_START, break_offsets, cell_width, wrap
from cmquiz.textclean import DISPLAY_LIMIT, clip


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


# --- linear time (issue 15.5) ----------------------------------------------------------------


def _reference_break_offsets(line: str, width: int) -> list[int]:
    """The implementation before issue 15.5 (quadratic on a long word), kept to check that the
    linear one breaks every line at the same places."""
    tokens = [(m.start(), m.group()) for m in cjkwrap._TOKEN.finditer(line)]
    breaks: list[int] = []
    used = 0
    i = 0
    while i < len(tokens):
        start, token = tokens[i]
        size = cell_width(token)
        if token.isspace() or used + size <= width or used == 0:
            if used == 0 and token.isspace() and breaks:
                i += 1
                continue
            if used == 0 and size > width:
                cut, acc = 0, 0
                for k, ch in enumerate(token):
                    w = cell_width(ch)
                    if acc + w > width:
                        cut = k
                        break
                    acc += w
                if cut:
                    tokens[i : i + 1] = [(start, token[:cut]), (start + cut, token[cut:])]
                    continue
            used += size
            i += 1
            continue
        j = i
        while j > 0 and _old_forbidden(tokens, j) and not _old_at_start(tokens, j, breaks):
            j -= 1
        if _old_at_start(tokens, j, breaks):
            j = i
        while j < len(tokens) and tokens[j][1].isspace():
            j += 1
        if j == len(tokens):
            break
        breaks.append(tokens[j][0])
        used = 0
        i = j
    return breaks


def _old_forbidden(tokens: list[tuple[int, str]], j: int) -> bool:
    return tokens[j][1][:1] in NO_LINE_START or tokens[j - 1][1][-1:] in cjkwrap.NO_LINE_END


def _old_at_start(tokens: list[tuple[int, str]], j: int, breaks: list[int]) -> bool:
    return tokens[j][0] <= (breaks[-1] if breaks else 0)


awkward = st.one_of(
    pieces,
    st.from_regex(r"[A-Za-z0-9.%'-]{10,120}", fullmatch=True),  # words wider than the line
    st.text(" \u3000", min_size=1, max_size=90),  # space runs, ideographic spaces (2 cells)
    st.sampled_from(["\u0301", "\u200b", "。。。", "((((", "))))", "“", "\t", "Ａ", "—"]),
)


@settings(max_examples=300)
@given(st.lists(awkward, max_size=30).map("".join), st.integers(1, 40))
def test_the_linear_wrap_breaks_where_the_old_one_did(text: str, width: int) -> None:
    line = text.replace("\n", " ")
    assert break_offsets(line, width) == _reference_break_offsets(line, width)


LONG_INPUTS = {
    "one Latin word": lambda n: "a" * n,
    "one word after Chinese": lambda n: "题干" + "x" * n,
    "Chinese without a break": lambda n: "题" * n,
    "closing punctuation": lambda n: "。" * n,
    "spaces": lambda n: " " * n + "a",
    "digits and dots": lambda n: "1." * (n // 2),
}


@pytest.mark.parametrize("shape", LONG_INPUTS)
def test_measuring_work_grows_linearly(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Characters handed to ``cell_width``: the old code measured the rest of a long word again
    after every cut (10k, 20k, 40k characters: 0.6 / 1.3 / 5.5 s in issue 15.5)."""
    measured = 0
    real = cjkwrap.cell_width

    def counting(text: str) -> int:
        nonlocal measured
        measured += len(text)
        return real(text)

    monkeypatch.setattr(cjkwrap, "cell_width", counting)
    work = []
    for n in (10_000, 20_000, 40_000):
        measured = 0
        offsets = break_offsets(LONG_INPUTS[shape](n), 76)
        assert offsets == sorted(set(offsets))
        work.append(measured)
    assert work[2] <= 4.4 * work[0], work  # quadratic would be 16x
    assert work[2] <= 2.2 * work[1], work


@pytest.mark.parametrize("shape", LONG_INPUTS)
def test_wrapping_time_grows_linearly(shape: str) -> None:
    """The same sizes timed in this run: four times the input may take at most eight times as
    long (linear is four, quadratic sixteen)."""

    def best(n: int) -> float:
        text = LONG_INPUTS[shape](n)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(5):
                wrap(text, 76)
            times.append(time.perf_counter() - started)
        return min(times)

    best(10_000)  # warm up
    small, large = best(10_000), best(40_000)
    assert large <= 8 * small, (small, large)


def test_a_million_character_word_wraps_into_full_lines() -> None:
    lines = wrap("x" * 1_000_000, 80)
    assert len(lines) == 12_500
    assert {len(line) for line in lines} == {80}


# --- clip -------------------------------------------------------------------------------------


def test_clip_keeps_short_text() -> None:
    assert clip("题干", 10) == "题干"
    assert clip("a" * 10, 10) == "a" * 10
    text = "\n".join(["行"] * 5)
    assert clip(text, 100, max_lines=5) == text


def test_clip_keeps_the_start_and_says_how_much_was_left_out() -> None:
    assert clip("题" * 1_000_000, 2000) == "题" * 2000 + "……(其余 998,000 字未显示)"
    text = "\n".join(f"第{i}行" for i in range(100))
    kept = "第0行\n第1行\n第2行"
    assert clip(text, 10_000, max_lines=3) == f"{kept}……(其余 {len(text) - len(kept):,} 字未显示)"


def test_clip_defaults_leave_every_bundled_field_alone() -> None:
    from cmquiz.loader import expand_bank_paths, load_library
    from cmquiz.paths import bundled_banks_dir

    library = load_library(expand_bank_paths([bundled_banks_dir()]))
    for question in library.questions:
        for text in (question.stem, question.explanation or "", question.evidence or ""):
            assert clip(text) == text
    assert DISPLAY_LIMIT >= 1000


@given(st.text(max_size=300), st.integers(0, 100), st.integers(1, 10))
def test_clip_is_a_prefix_and_bounded(text: str, limit: int, max_lines: int) -> None:
    clipped = clip(text, limit, max_lines=max_lines)
    if clipped == text:
        return
    kept, _, note = clipped.partition("……(其余 ")
    assert text.startswith(kept)
    assert len(kept) <= limit
    assert kept.count("\n") < max_lines
    assert note == f"{len(text) - len(kept):,} 字未显示)"
