"""One answer rule for typed input, bank files and imports (``cmquiz.answers``)."""

from __future__ import annotations

import pytest

from cmquiz.answers import (
    AnswerFormatError,
    KeyMismatchError,
    judge_key,
    letters_of,
    parse_key,
    parse_typed,
)
from cmquiz.qtypes import INDEFINITE, QuestionType, parse_type_name

SINGLE, MULTIPLE, JUDGE = QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.JUDGE


@pytest.mark.parametrize(
    "typed",
    ["acd", "ACD", "A,C,D", "a c d", "c、a、d", "ＡＣＤ", "d,c,a", " a;c;d ", "A.C.D", "a/c/d"],
)
def test_letters_in_any_case_order_and_separator(typed: str) -> None:
    assert parse_typed(MULTIPLE, "ABCD", typed) == frozenset("ACD")
    # ... and a bank file or an import reads the same text the same way
    assert parse_key(MULTIPLE, typed, "ABCD") == (MULTIPLE, frozenset("ACD"))


@pytest.mark.parametrize(
    ("typed", "needle"),
    [
        ("", "请输入答案"),
        ("e", "没有选项 E"),
        ("对", "选项字母"),
        ("a1", "选项字母"),
        ("   ", "请输入答案"),
        ("aac", "重复"),
    ],
)
def test_invalid_choice_input_is_refused(typed: str, needle: str) -> None:
    with pytest.raises(AnswerFormatError, match=needle):
        parse_typed(MULTIPLE, "ABCD", typed)


def test_a_repeated_letter_is_refused_in_files_too() -> None:
    with pytest.raises(AnswerFormatError, match="字母 A 重复"):
        parse_key(MULTIPLE, "AAC", "ABCD")
    with pytest.raises(AnswerFormatError, match="字母 B 重复"):
        parse_typed(SINGLE, "ABCD", "bb")


def test_single_choice_takes_one_letter_only() -> None:
    assert parse_typed(SINGLE, "ABCD", "b") == frozenset("B")
    with pytest.raises(AnswerFormatError, match="单选题只能选一个"):
        parse_typed(SINGLE, "ABCD", "ab")
    with pytest.raises(KeyMismatchError, match="单选题只能有一个答案"):
        parse_key(SINGLE, "AB", "ABCD")


def test_a_multiple_choice_key_needs_two_letters_but_an_answer_may_have_one() -> None:
    assert parse_typed(MULTIPLE, "ABCD", "a") == frozenset("A")
    with pytest.raises(KeyMismatchError, match="至少要有两个"):
        parse_key(MULTIPLE, "A", "ABCD")


def test_indefinite_type_is_decided_by_the_key() -> None:
    assert parse_key(INDEFINITE, "b", "ABCD") == (SINGLE, frozenset("B"))
    assert parse_key(INDEFINITE, "b,d", "ABCD") == (MULTIPLE, frozenset("BD"))


@pytest.mark.parametrize(
    "typed", ["对", "正确", "t", "T", "true", "y", "yes", "1", "√", "是", "d", "(对)"]
)
def test_judge_true_words(typed: str) -> None:
    assert parse_typed(JUDGE, "", typed) == frozenset("T")


@pytest.mark.parametrize(
    "typed", ["错", "错误", "f", "False", "n", "no", "0", "×", "否", "x", "c", "【错】"]
)
def test_judge_false_words(typed: str) -> None:
    assert parse_typed(JUDGE, "", typed) == frozenset("F")


@pytest.mark.parametrize("typed", ["a", "b", "maybe", "对错"])
def test_judge_refuses_other_words(typed: str) -> None:
    with pytest.raises(AnswerFormatError, match="对/错"):
        parse_typed(JUDGE, "", typed)


def test_judge_initials_work_only_at_the_prompt() -> None:
    # In a file a lone C or D is an option letter, never 错/对.
    assert judge_key("d", typed=True) == "T"
    assert judge_key("d") is None
    with pytest.raises(AnswerFormatError):
        parse_key(JUDGE, "c", "")
    assert parse_key(JUDGE, True, "") == (JUDGE, frozenset("T"))
    assert parse_key(JUDGE, "×", "") == (JUDGE, frozenset("F"))


def test_letters_of() -> None:
    assert letters_of("a, c") == "AC"
    assert letters_of("Ａ、Ｃ") == "AC"
    assert letters_of("AAC") == "AAC"
    assert letters_of("A1") is None
    assert letters_of("") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("single", SINGLE),
        ("单选", SINGLE),
        ("单选题", SINGLE),
        ("单项选择题", SINGLE),
        ("Single Choice", SINGLE),
        ("多选", MULTIPLE),
        ("多项选择", MULTIPLE),
        ("MC", MULTIPLE),
        ("判断题", JUDGE),
        ("是非题", JUDGE),
        ("True/False", JUDGE),
        ("不定项", INDEFINITE),
        ("填空题", None),
    ],
)
def test_one_table_of_type_names(name: str, expected: object) -> None:
    assert parse_type_name(name) == expected
