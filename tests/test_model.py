from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given

from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.topics import Topic
from strategies import questions

JUDGE = Question(
    id="j1", type=QuestionType.JUDGE, topic=Topic("t"), stem="s", answer=frozenset("T")
)


def test_describe_and_topic_label() -> None:
    question = Question(
        id="x",
        type=QuestionType.SINGLE,
        topic=Topic("贷款担保管理", "17"),
        stem="s",
        options=(("A", "a"), ("B", "b")),
        answer=frozenset("B"),
    )
    assert question.topic.label == "17 贷款担保管理"
    assert question.describe(frozenset("B")) == "B"
    assert JUDGE.describe(frozenset("F")) == "错"


@pytest.mark.parametrize(
    "broken",
    [
        {"id": ""},
        {"stem": ""},
        {"answer": frozenset()},
        {"answer": frozenset("C")},
    ],
)
def test_a_question_cannot_be_built_broken(broken: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "id": "q",
        "type": QuestionType.SINGLE,
        "topic": Topic("t"),
        "stem": "s",
        "options": (("A", "a"), ("B", "b")),
        "answer": frozenset("A"),
    }
    with pytest.raises(ValueError, match="not a whole question"):
        Question(**{**fields, **broken})  # type: ignore[arg-type]


def test_revision_follows_content_not_metadata() -> None:
    base = Question(
        id="x",
        type=QuestionType.SINGLE,
        topic=Topic("t"),
        stem="题干",
        options=(("A", "甲"), ("B", "乙")),
        answer=frozenset("A"),
    )
    assert base.rev == replace(base, explanation="新解析", id="y").rev
    assert base.rev != replace(base, stem="题干(修改)").rev
    assert base.rev != replace(base, answer=frozenset("B")).rev
    assert base.rev != replace(base, options=(("A", "甲"), ("B", "丙"))).rev
    assert len(base.rev) == 12


@given(questions())
def test_question_dict_round_trip(question: Question) -> None:
    assert Question.from_dict(question.to_dict()) == question
