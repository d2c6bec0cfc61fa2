from __future__ import annotations

import pytest
from hypothesis import given

from cmquiz.model import (
    AnswerFormatError,
    Question,
    QuestionType,
    grade,
    parse_answer,
)
from strategies import questions


def choice(qtype: QuestionType = QuestionType.MULTIPLE, answer: str = "ACD") -> Question:
    return Question(
        id="q1",
        type=qtype,
        topic="贷款担保管理",
        stem="题干",
        options=tuple((k, f"选项{k}") for k in "ABCD"),
        answer=frozenset(answer),
    )


JUDGE = Question(id="j1", type=QuestionType.JUDGE, topic="t", stem="s", answer=frozenset("T"))


@pytest.mark.parametrize(
    "typed", ["acd", "ACD", "A,C,D", "a c d", "c、a、d", "ＡＣＤ", "d,c,a", " a;c;d "]
)
def test_letters_in_any_case_order_and_separator(typed: str) -> None:
    assert parse_answer(choice(), typed) == frozenset("ACD")


@pytest.mark.parametrize(
    ("typed", "needle"),
    [
        ("", "请输入答案"),
        ("e", "没有选项 E"),
        ("对", "选项字母"),
        ("a1", "选项字母"),
        ("   ", "请输入答案"),
    ],
)
def test_invalid_choice_input_is_refused(typed: str, needle: str) -> None:
    with pytest.raises(AnswerFormatError, match=needle):
        parse_answer(choice(), typed)


def test_single_choice_takes_one_letter_only() -> None:
    question = choice(QuestionType.SINGLE, "B")
    assert parse_answer(question, "b") == frozenset("B")
    assert parse_answer(question, "bb") == frozenset("B")  # a repeated key is still one choice
    with pytest.raises(AnswerFormatError, match="单选题只能选一个"):
        parse_answer(question, "ab")


def test_multiple_choice_accepts_a_single_letter_as_a_wrong_answer() -> None:
    question = choice()
    given = parse_answer(question, "a")
    assert given == frozenset("A")
    assert not grade(question, given).correct


@pytest.mark.parametrize("typed", ["对", "正确", "t", "T", "true", "y", "yes", "1", "√", "是"])
def test_judge_true_words(typed: str) -> None:
    assert parse_answer(JUDGE, typed) == frozenset("T")


@pytest.mark.parametrize("typed", ["错", "错误", "f", "False", "n", "no", "0", "×", "否", "x"])
def test_judge_false_words(typed: str) -> None:
    assert parse_answer(JUDGE, typed) == frozenset("F")


@pytest.mark.parametrize("typed", ["a", "b", "maybe", "对错"])
def test_judge_refuses_other_words(typed: str) -> None:
    with pytest.raises(AnswerFormatError, match="对/错"):
        parse_answer(JUDGE, typed)


def test_multiple_choice_is_all_or_nothing() -> None:
    question = choice(answer="ACD")
    assert grade(question, frozenset("ACD")).points == 1.0
    assert grade(question, frozenset("AC")).points == 0.0  # a subset is wrong
    assert grade(question, frozenset("ABCD")).points == 0.0  # a superset is wrong


def test_judge_grading() -> None:
    assert grade(JUDGE, frozenset("T")).correct
    assert not grade(JUDGE, frozenset("F")).correct


def test_describe_and_topic_label() -> None:
    question = Question(
        id="x",
        type=QuestionType.SINGLE,
        topic="贷款担保管理",
        topic_code="17",
        stem="s",
        options=(("A", "a"), ("B", "b")),
        answer=frozenset("B"),
    )
    assert question.topic_label == "17 贷款担保管理"
    assert question.describe(frozenset("B")) == "B"
    assert JUDGE.describe(frozenset("F")) == "错"


@given(questions())
def test_question_dict_round_trip(question: Question) -> None:
    assert Question.from_dict(question.to_dict()) == question
