"""The run engine without a terminal: answers, the answer sheet, the clock, the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.records import Mode, Status
from cmquiz.replay import replay, report_of, resume_session
from cmquiz.scoring import MultiRule
from cmquiz.session import Item, Session, SessionClosedError, TimeUpError, start_record
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


QUESTIONS = [
    q("s1", QuestionType.SINGLE, "B"),
    q("m1", QuestionType.MULTIPLE, "ACD"),
    q("j1", QuestionType.JUDGE, "T", topic="电话礼仪"),
    q("s2", QuestionType.SINGLE, "A", topic="电话礼仪"),
]
POINTS = [0.5, 1.0, 1.0, 0.5]


def exam(
    *,
    rule: MultiRule = MultiRule.ALL_OR_NOTHING,
    limit: int | None = None,
    orders: list[tuple[str, ...] | None] | None = None,
) -> Session:
    items = [
        Item(i, question, POINTS[i], (orders or [None] * 4)[i])
        for i, question in enumerate(QUESTIONS)
    ]
    start = start_record(
        "sid", Mode.EXAM, items, T0, rule=rule, time_limit_s=limit, pass_mark=1.8, seed=9
    )
    return Session(start, items, T0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_an_exam_scores_points_over_the_whole_paper() -> None:
    session = exam()
    records = [
        session.answer(0, frozenset("B"), at(5), 5000),
        session.answer(1, frozenset("AC"), at(9), 4000),
        session.answer(2, frozenset("T"), at(12), 3000),
    ]
    assert [r.points for r in records] == [0.5, 0.0, 1.0]
    assert [r.index for r in records] == [0, 1, 2]
    assert records[1].given == ("A", "C")
    assert records[0].rev == QUESTIONS[0].rev
    end = session.finish(at(20), Status.COMPLETED)
    assert (end.score, end.max_score, end.passed, end.answered, end.correct) == (
        1.5,
        3.0,
        False,
        3,
        2,
    )
    assert end.time_used_s == 20.0
    report = session.report(at(20))
    assert [m.item.index for m in report.misses] == [1, 3]
    assert report.misses[1].given is None
    by_type = {row.label: row for row in report.by_type}
    assert (by_type["单选"].points, by_type["单选"].max_points) == (0.5, 1.0)


def test_the_last_answer_for_a_position_counts() -> None:
    session = exam()
    session.answer(1, frozenset("A"), at(1), 0)
    session.answer(1, frozenset("ACD"), at(2), 0)
    assert session.given[1] == frozenset("ACD")
    assert session.score().score == 1.0


def test_partial_credit_follows_the_paper_rule() -> None:
    session = exam(rule=MultiRule.PARTIAL)
    record = session.answer(1, frozenset("AC"), at(1), 0)
    assert record.points == pytest.approx(0.6667, abs=1e-4)
    assert record.correct is False


def test_the_answer_sheet() -> None:
    session = exam()
    assert session.next_unanswered(-1) == 0
    session.answer(1, frozenset("A"), at(1), 0)
    assert session.unanswered() == [0, 2, 3]
    assert session.next_unanswered(1) == 2
    assert session.next_unanswered(3) == 0  # wraps round to a skipped item
    flag = session.toggle_flag(2, at(2))
    assert flag.flagged
    assert session.flags == {2}
    assert not session.toggle_flag(2, at(3)).flagged
    for index in (0, 2, 3):
        session.answer(index, frozenset("T" if index == 2 else "A"), at(4), 0)
    assert session.next_unanswered(0) is None


def test_the_clock() -> None:
    session = exam(limit=60)
    assert session.time_left_s(at(0)) == 60
    assert session.time_left_s(at(45)) == 15
    assert not session.expired(at(59))
    assert session.expired(at(60))
    with pytest.raises(TimeUpError):
        session.answer(0, frozenset("B"), at(61), 0)
    assert session.given == {}
    end = session.finish(at(61), Status.TIMED_OUT)
    assert end.status is Status.TIMED_OUT
    assert end.score == 0.0


def test_shown_letters_map_to_the_banks() -> None:
    session = exam(orders=[("C", "A", "D", "B"), None, None, None])
    item = session.items[0]
    assert item.shown_options[0] == ("A", "c")  # the bank's C is shown first
    assert item.to_bank(frozenset("D")) == frozenset("B")
    assert item.to_shown(frozenset("B")) == frozenset("D")
    assert item.letter_map() == "原 A=现 B、原 B=现 D、原 C=现 A、原 D=现 C"
    record = session.answer(0, item.to_bank(frozenset("D")), at(1), 0)
    assert record.given == ("B",)
    assert record.correct


def test_no_answers_after_finish() -> None:
    session = exam()
    session.finish(at(1), Status.COMPLETED)
    with pytest.raises(SessionClosedError):
        session.answer(0, frozenset("B"), at(2), 0)


def test_practice_scores_what_was_answered() -> None:
    items = [Item(i, question, 1.0) for i, question in enumerate(QUESTIONS)]
    start = start_record("p", Mode.PRACTICE, items, T0)
    session = Session(start, items, T0)
    session.answer(0, frozenset("B"), at(1), 0)
    session.answer(1, frozenset("A"), at(2), 0)
    end = session.finish(at(3), Status.INTERRUPTED)
    assert (end.score, end.max_score, end.passed) == (1.0, 2.0, None)
    assert session.report(at(3)).passed is None


def test_a_session_rebuilt_from_its_records_resumes_where_it_was() -> None:
    session = exam(limit=600, orders=[("C", "A", "D", "B"), None, None, None])
    records = [
        session.start,
        session.answer(0, frozenset("B"), at(30), 0),
        session.toggle_flag(2, at(40)),
        session.answer(1, frozenset("AD"), at(100), 0),
    ]
    (view,) = replay(records).values()
    assert view.resumable
    assert view.time_used_s() == 100.0
    by_id = {question.id: question for question in QUESTIONS}
    later = at(5000)
    again = resume_session(view, by_id, later)
    assert again.given == {0: frozenset("B"), 1: frozenset("AD")}
    assert again.flags == {2}
    assert again.items[0].order == ("C", "A", "D", "B")
    assert again.time_left_s(later) == 500  # the time away does not count
    assert again.cursor == 2
    resumed = again.resume_record()
    records += [resumed, again.answer(2, frozenset("T"), at(5010), 0)]
    records.append(again.finish(at(5020), Status.COMPLETED))
    (view,) = replay(records).values()
    assert view.time_used_s() == 120.0
    assert not view.resumable
    report = report_of(view, by_id)
    assert report.score.score == 1.5
    assert report.status is Status.COMPLETED
