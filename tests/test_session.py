from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmquiz.history import Mode, SessionStatus
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.session import Session, SessionClosedError
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def q(qid: str, qtype: QuestionType, answer: str, topic: str = "贷款担保管理") -> Question:
    options = () if qtype is QuestionType.JUDGE else tuple((k, k.lower()) for k in "ABCD")
    return Question(
        id=qid,
        type=qtype,
        topic=Topic(topic, "17" if topic == "贷款担保管理" else None),
        stem=qid,
        options=options,
        answer=frozenset(answer),
    )


PAPER = [
    q("s1", QuestionType.SINGLE, "B"),
    q("m1", QuestionType.MULTIPLE, "ACD"),
    q("j1", QuestionType.JUDGE, "T", topic="电话礼仪"),
    q("s2", QuestionType.SINGLE, "A", topic="电话礼仪"),
]


def test_exam_scores_out_of_100_and_records_every_answer() -> None:
    session = Session("sid", Mode.EXAM, PAPER, T0, seed=9)
    records = [
        session.answer(frozenset("B"), T0 + timedelta(seconds=5), 5000),
        session.answer(frozenset("AC"), T0 + timedelta(seconds=9), 4000),
        session.answer(frozenset("T"), T0 + timedelta(seconds=12), 3000),
        session.answer(frozenset("A"), T0 + timedelta(seconds=15), 3000),
    ]
    assert [r.correct for r in records] == [True, False, True, True]
    assert records[1].given == ("A", "C")
    assert records[0].topic_code == "17"
    assert session.done
    final = session.finish(T0 + timedelta(seconds=20))
    assert final.status is SessionStatus.COMPLETED
    assert (final.questions, final.answered, final.correct) == (4, 4, 3)
    assert final.score == 75.0
    assert final.passed is True
    assert final.seed == 9
    result = session.result()
    assert [(r.label, r.total, r.correct) for r in result.by_type] == [
        ("单选", 2, 2),
        ("多选", 1, 0),
        ("判断", 1, 1),
    ]
    assert [(r.label, r.total, r.correct) for r in result.by_topic] == [
        ("17 贷款担保管理", 2, 1),
        ("电话礼仪", 2, 2),
    ]
    assert [(m.number, m.question.id, m.given) for m in result.misses] == [
        (2, "m1", frozenset("AC"))
    ]


def test_pass_line_is_60() -> None:
    paper = [q(f"s{i}", QuestionType.SINGLE, "A") for i in range(5)]
    session = Session("sid", Mode.EXAM, paper, T0)
    for given in "AAABB":
        session.answer(frozenset(given), T0, 0)
    assert session.finish(T0).score == 60.0
    assert session.record is not None
    assert session.record.passed is True
    session = Session("sid", Mode.EXAM, paper, T0)
    for given in "AABBB":
        session.answer(frozenset(given), T0, 0)
    assert session.finish(T0).passed is False


def test_interrupted_exam_counts_unanswered_as_zero() -> None:
    session = Session("sid", Mode.EXAM, PAPER, T0)
    session.answer(frozenset("B"), T0, 100)
    final = session.finish(T0)
    assert final.status is SessionStatus.INTERRUPTED
    assert (final.answered, final.questions) == (1, 4)
    assert final.score == 25.0
    assert final.passed is False
    misses = session.result().misses
    assert [m.question.id for m in misses] == ["m1", "j1", "s2"]
    assert all(m.given is None for m in misses)


def test_practice_scores_what_was_answered() -> None:
    session = Session("sid", Mode.PRACTICE, PAPER, T0)
    session.answer(frozenset("B"), T0, 1)
    session.answer(frozenset("A"), T0, 1)
    final = session.finish(T0)
    assert final.score == 50.0
    assert final.passed is None
    assert session.result().by_topic[0].total == 2  # only the answered questions count


def test_no_answers_after_finish() -> None:
    session = Session("sid", Mode.PRACTICE, PAPER, T0)
    session.finish(T0)
    with pytest.raises(SessionClosedError):
        session.answer(frozenset("A"), T0, 0)
    assert session.finish(T0 + timedelta(1)).ended == T0  # finishing twice changes nothing
