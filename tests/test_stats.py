"""The trainee's figures (``cmquiz stats``), worked out by hand on small histories."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.activity import ANSWER_TIME_CAP_S
from cmquiz.errors import TopicNotFoundError, UsageError
from cmquiz.history import HistoryLog
from cmquiz.learning import fold
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.records import AnswerRecord, EndRecord, Mode, Record, Status
from cmquiz.replay import replay
from cmquiz.stats import (
    StatsFilter,
    build_stats,
    compute_stats,
    parse_day,
    parse_mode,
)
from cmquiz.topics import Topic
from histmaker import T0, exam, practice, question

GUARANTEE = Topic("贷款担保管理", "17")
PHONE = Topic("电话礼仪")
CULTURE = Topic("企业文化")
TODAY = date(2026, 11, 10)


def ans(
    qid: str,
    topic: str,
    correct: bool,
    minutes: int,
    session: str = "p1",
    mode: Mode = Mode.PRACTICE,
    qtype: str = "single",
    code: str | None = None,
) -> AnswerRecord:
    return AnswerRecord(
        session,
        mode,
        T0 + timedelta(minutes=minutes),
        qid,
        Topic(topic, code),
        qtype,
        ("A",),
        correct,
        float(correct),
        1.0,
        1000,
        index=minutes,
    )


def v1_exam(session: str, day: int, score: float, status: Status = Status.COMPLETED) -> EndRecord:
    """A v1 session record, as an old history holds it."""
    return EndRecord(
        session=session,
        status=status,
        score=score,
        max_score=100.0,
        passed=score >= 60,
        ts=T0 + timedelta(days=day),
        pass_mark=60.0,
        answered=10,
        correct=int(score / 10),
        mode=Mode.EXAM,
        started=T0,
        questions=10,
        seed=1,
        version=1,
    )


LOG = HistoryLog(
    records=[
        ans("a1", "贷款担保管理", False, 1, code="17"),
        ans("a1", "贷款担保管理", False, 2, code="17"),
        ans("a1", "贷款担保管理", True, 3, code="17"),
        ans("a2", "贷款担保管理", True, 4, code="17", qtype="multiple"),
        ans("b1", "电话礼仪", False, 5),
        ans("b2", "电话礼仪", False, 6, session="e1", mode=Mode.EXAM, qtype="judge"),
        ans("c1", "企业文化", True, 7, session="e1", mode=Mode.EXAM),
        v1_exam("e0", 1, 40.0),
        v1_exam("e1", 3, 90.0),
        v1_exam("e2", 2, 30.0, Status.INTERRUPTED),
    ],
)


def stats(records: list[Record], **options: object):  # type: ignore[no-untyped-def]
    options.setdefault("today", TODAY)
    options.setdefault("tz", UTC)
    return compute_stats(HistoryLog(records=records), **options)  # type: ignore[arg-type]


def test_totals_and_weakest_topic_first() -> None:
    report = stats(LOG.records)
    assert (report.answered, report.correct, report.questions_seen) == (7, 3, 5)
    assert [row.topic.name for row in report.by_topic] == ["电话礼仪", "贷款担保管理", "企业文化"]
    assert report.by_topic[1].topic.code == "17"
    assert report.by_topic[1].accuracy == 0.5
    assert [(row.label, row.answered) for row in report.by_type] == [
        ("单选", 5),
        ("多选", 1),
        ("判断", 1),
    ]


def test_exams_oldest_first_with_each_papers_pass_mark() -> None:
    report = stats(LOG.records)
    assert [e.session for e in report.exams] == ["e0", "e2", "e1"]
    assert report.exams[1].status is Status.INTERRUPTED
    assert not report.exams[1].finished
    e1 = report.exams[2]
    assert (e1.score, e1.max_score, e1.fraction, e1.pass_fraction) == (90.0, 100.0, 0.9, 0.6)


def test_an_exam_scored_against_its_own_paper() -> None:
    g1, g2 = question("g1"), question("g2", QuestionType.JUDGE, answer="T")
    records = exam("x", [(g1, 0.5), (g2, 1.5)], ["A", "F"], T0, pass_mark=1.2)
    (row,) = stats(records).exams
    # 0.5 of 2 points: 25%; the pass mark 1.2 of 2: 60%
    assert (row.score, row.max_score, row.fraction, row.pass_fraction) == (0.5, 2.0, 0.25, 0.6)
    assert row.passed is False
    assert row.paper == "测试卷"


def test_most_missed_questions() -> None:
    stems = {"a1": Question("a1", QuestionType.JUDGE, Topic("t"), "题干甲", frozenset("T"))}
    missed = stats(LOG.records, questions=stems).missed
    assert [(m.qid, m.wrong, m.answered) for m in missed] == [
        ("a1", 2, 3),
        ("b1", 1, 1),
        ("b2", 1, 1),
    ]
    assert missed[0].stem == "题干甲"
    assert missed[0].last_correct
    assert missed[1].stem is None


def test_topic_filter_by_code_or_name() -> None:
    report = stats(LOG.records, topics=["17"])
    assert report.answered == 4
    assert [row.topic.name for row in report.by_topic] == ["贷款担保管理"]
    assert report.exams == ()  # no exam answers on that topic
    phone = stats(LOG.records, topics=["礼仪"])
    assert phone.answered == 2
    assert [(e.session, e.score, e.max_score) for e in phone.exams] == [("e1", 0.0, 100.0)]


def test_empty_history() -> None:
    report = stats([])
    assert report.empty
    assert report.accuracy == 0.0
    assert report.to_dict()["by_topic"] == []
    assert report.next_step is not None
    assert report.next_step.args == ("practice",)


def test_to_dict_is_json_ready() -> None:
    data = json.loads(json.dumps(stats(LOG.records).to_dict(), ensure_ascii=False))
    assert data["answered"] == 7
    assert data["by_topic"][0]["topic"] == "电话礼仪"
    assert data["exams"][-1]["ended"].startswith("2026-11-05")
    assert data["exams"][-1]["percent"] == 90.0
    assert data["exams"][-1]["pass_percent"] == 60.0


def test_last_results_takes_the_latest_answer() -> None:
    last = fold(LOG.records).last_results()
    assert last["a1"] is True
    assert last["b1"] is False


def test_topic_filter_through_the_bank_title() -> None:
    culture = question("c1", topic=CULTURE, bank="工商银行新员工业务基础")
    report = stats(LOG.records, topics=["新员工"], questions={"c1": culture})
    assert report.answered == 1
    assert [row.topic.name for row in report.by_topic] == ["企业文化"]


def test_an_exam_left_before_the_first_answer_is_not_listed() -> None:
    empty = EndRecord(
        session="e9",
        status=Status.INTERRUPTED,
        score=0.0,
        max_score=100.0,
        passed=False,
        ts=T0 + timedelta(days=9),
        answered=0,
        mode=Mode.EXAM,
        started=T0,
        questions=50,
        version=1,
    )
    assert "e9" not in [e.session for e in stats([*LOG.records, empty]).exams]


# --- coverage, never practised, trend, last practised -------------------------------------------


def bank() -> dict[str, Question]:
    qs = [question(f"g{i}") for i in range(1, 5)]  # 4 questions on 17 贷款担保管理
    qs += [question("p1", topic=PHONE), question("p2", topic=PHONE)]
    qs += [question("c1", topic=CULTURE)]
    return {q.id: q for q in qs}


def test_coverage_is_questions_seen_over_questions_in_the_bank() -> None:
    qs = bank()
    g1, g2, p1 = qs["g1"], qs["g2"], qs["p1"]
    records = practice("s", [(g1, True), (g1, False), (g2, True), (p1, False)], T0)
    report = stats(records, questions=qs)
    rows = {row.topic.name: row for row in report.by_topic}
    assert rows["贷款担保管理"].coverage == "2/4"
    assert (rows["贷款担保管理"].answered, rows["贷款担保管理"].correct) == (3, 2)
    assert rows["电话礼仪"].coverage == "1/2"
    # never practised: listed with their size, in bank order
    assert [(r.topic.name, r.in_bank, r.answered) for r in report.unpractised] == [
        ("企业文化", 1, 0)
    ]


def test_a_topic_no_longer_in_the_banks_has_unknown_size() -> None:
    gone = question("x1", topic=Topic("已删除的知识点"))
    report = stats(practice("s", [(gone, True)], T0), questions=bank())
    row = next(r for r in report.by_topic if r.topic.name == "已删除的知识点")
    assert (row.in_bank, row.coverage) == (None, "1/?")


def test_trend_compares_the_last_ten_answers_with_the_ones_before() -> None:
    g1, g2 = question("g1"), question("g2")
    first = [(g1, False)] * 5  # 0 of 5 right
    last = [(g2, r) for r in (True, True, False, True, True, True, False, True, True, False)]
    records = practice("a", first, T0) + practice("b", last[:4], T0 + timedelta(hours=1))
    records += practice("c", last[4:], T0 + timedelta(hours=2))
    records += practice("d", [], T0 + timedelta(hours=3))
    report = stats(records)
    (row,) = report.by_topic
    assert (row.answered, row.correct) == (15, 7)
    assert row.recent == (True, True, False, True, True, True, False, True, True, False)
    # the last ten: 7 of 10 right (70%); the five before: 0 of 5 (0%)
    assert row.trend == pytest.approx(0.7)
    assert row.last == T0 + timedelta(hours=2, minutes=6)


def test_no_trend_without_enough_answers_before_the_last_ten() -> None:
    g1 = question("g1")
    (row,) = stats(practice("a", [(g1, True)] * 14, T0)).by_topic
    assert len(row.recent) == 10
    assert row.trend is None  # only 4 answers before the last ten


def test_the_last_answer_at_a_position_counts() -> None:
    g1 = question("g1")
    records = exam("x", [(g1, 1.0)], ["B"], T0)
    changed = AnswerRecord(
        "x", Mode.EXAM, T0 + timedelta(minutes=5), "g1", g1.topic, "single", ("A",),
        True, 1.0, 1.0, 3000, index=0,
    )  # fmt: skip
    report = stats([*records[:-1], changed, records[-1]])
    assert (report.answered, report.correct) == (1, 1)


# --- filters --------------------------------------------------------------------------------------


def test_date_and_mode_filters() -> None:
    g1, p1 = question("g1"), question("p1", topic=PHONE)
    records = practice("a", [(g1, True), (p1, False)], T0)  # Nov 2
    records += practice("b", [(g1, False)], T0 + timedelta(days=2))  # Nov 4
    records += practice("r", [(p1, True)], T0 + timedelta(days=4), mode=Mode.REVIEW)  # Nov 6
    records += exam("e", [(g1, 1.0)], ["A"], T0 + timedelta(days=4), pass_mark=0.6)
    since = stats(records, since=date(2026, 11, 3))
    assert (since.answered, since.correct) == (3, 2)
    until = stats(records, until=date(2026, 11, 3))
    assert (until.answered, until.correct) == (2, 1)
    assert until.exams == ()
    window = stats(records, since=date(2026, 11, 4), until=date(2026, 11, 4))
    assert (window.answered, window.correct) == (1, 0)
    review = stats(records, modes=[Mode.REVIEW])
    assert (review.answered, review.sessions) == (1, {"review": 1})
    assert review.exams == ()
    both = stats(records, modes=[Mode.PRACTICE, Mode.EXAM])
    assert (both.answered, len(both.exams)) == (4, 1)


def test_unknown_topic_is_a_usage_error() -> None:
    views = replay(LOG.records).values()
    with pytest.raises(TopicNotFoundError):
        build_stats(views, StatsFilter(topics=("外汇",)), bank(), TODAY)


def test_parse_mode_and_day() -> None:
    assert parse_mode("考试") is Mode.EXAM
    assert parse_mode("REVIEW") is Mode.REVIEW
    assert parse_day("2026-03-01", "--since") == date(2026, 3, 1)
    with pytest.raises(UsageError):
        parse_mode("drill")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_day("3/1", "--since")


# --- activity -------------------------------------------------------------------------------------


def test_days_streaks_and_time_spent() -> None:
    g1 = question("g1")
    records = practice("a", [(g1, True)] * 3, T0)  # Nov 2: 3 answers, 20 s each
    records += practice("b", [(g1, False)] * 2, T0 + timedelta(days=1))  # Nov 3
    records += practice(  # Nov 5: one answer left open for 10 minutes counts 5
        "c", [(g1, True)], T0 + timedelta(days=3), elapsed_ms=600_000
    )
    act = stats(records, today=date(2026, 11, 5)).activity
    assert [(d.day.day, d.answers, d.correct, d.seconds) for d in act.days] == [
        (2, 3, 3, 60.0),
        (3, 2, 0, 40.0),
        (5, 1, 1, ANSWER_TIME_CAP_S),
    ]
    assert (act.current_streak, act.longest_streak) == (1, 2)
    assert act.seconds == 60 + 40 + 300
    assert (act.first, act.last) == (date(2026, 10, 7), date(2026, 11, 5))  # 30 days
    window = act.window()
    assert len(window) == 30
    assert sum(d.answers for d in window) == 6
    # the streak still counts on a day not yet practised, up to yesterday
    assert stats(records, today=date(2026, 11, 6)).activity.current_streak == 1
    assert stats(records, today=date(2026, 11, 7)).activity.current_streak == 0


def test_the_activity_window_follows_since_and_until() -> None:
    g1 = question("g1")
    act = stats(
        practice("a", [(g1, True)], T0), since=date(2026, 11, 1), until=date(2026, 11, 3)
    ).activity
    assert (act.first, act.last, len(act.window())) == (date(2026, 11, 1), date(2026, 11, 3), 3)


# --- the next step --------------------------------------------------------------------------------


def test_next_step_finishes_an_open_exam_first() -> None:
    g1 = question("g1")
    records = exam("x", [(g1, 1.0), (g1, 1.0)], ["A", None], T0)[:-1]  # killed: no end record
    step = stats(records).next_step
    assert step is not None
    assert step.args == ("exam", "--resume")


def test_next_step_practises_the_weakest_point() -> None:
    qs = bank()
    records = practice("a", [(qs["g1"], False), (qs["g2"], False), (qs["g3"], True)], T0)
    step = stats(records, questions=qs).next_step
    assert step is not None
    assert step.args == ("practice", "--topic", "17")
    assert "正确率 33%" in step.reason


def test_next_step_then_a_point_never_practised() -> None:
    qs = bank()
    records = practice("a", [(qs["g1"], True), (qs["g2"], True), (qs["g3"], False)], T0)
    step = stats(records, questions=qs).next_step
    assert step is not None
    assert step.args == ("practice", "--topic", "电话礼仪")


def test_next_step_then_a_point_not_yet_in_hand_then_an_exam() -> None:
    g = [question(f"g{i}") for i in range(1, 4)]
    two_of_three = practice("a", [(g[0], True), (g[1], True), (g[2], False)], T0)
    step = stats(two_of_three).next_step
    assert step is not None
    assert step.args == ("practice", "--topic", "17")
    all_right = practice("a", [(q, True) for q in g], T0)
    step = stats(all_right).next_step
    assert step is not None
    assert step.args == ("exam",)
    recent_exam = all_right + exam("e", [(g[0], 1.0)], ["A"], datetime(2026, 11, 8, tzinfo=UTC))
    step = stats(recent_exam).next_step
    assert step is not None
    assert step.args == ("practice",)


# --- properties -----------------------------------------------------------------------------------

TOPICS = [GUARANTEE, PHONE, CULTURE]
POOL = [question(f"q{i}", topic=TOPICS[i % 3]) for i in range(9)]


@st.composite
def histories(draw: st.DrawFn) -> list[Record]:
    records: list[Record] = []
    runs = draw(st.integers(0, 6))
    for n in range(runs):
        answers = draw(
            st.lists(st.tuples(st.sampled_from(POOL), st.booleans()), min_size=0, max_size=12)
        )
        day = draw(st.integers(0, 20))
        mode = draw(st.sampled_from([Mode.PRACTICE, Mode.REVIEW]))
        records += practice(f"s{n}", answers, T0 + timedelta(days=day, hours=n), mode=mode)
    return records


@given(histories(), st.sampled_from([(), ("17",), ("礼仪", "文化")]))
@settings(max_examples=60, deadline=None)
def test_figures_add_up(records: list[Record], topics: tuple[str, ...]) -> None:
    qs = {q.id: q for q in POOL}
    report = stats(records, topics=topics, questions=qs)
    assert 0 <= report.correct <= report.answered
    assert 0.0 <= report.accuracy <= 1.0
    assert sum(r.answered for r in report.by_topic) == report.answered
    assert sum(r.correct for r in report.by_topic) == report.correct
    assert sum(r.answered for r in report.by_type) == report.answered
    assert sum(d.answers for d in report.activity.days) == report.answered
    assert sum(d.correct for d in report.activity.days) == report.correct
    for row in report.by_topic:
        assert 0.0 <= row.accuracy <= 1.0
        assert row.in_bank is not None
        assert 1 <= row.seen <= row.in_bank
        assert row.trend is None or -1.0 <= row.trend <= 1.0
        assert len(row.recent) == min(10, row.answered)
    accuracies = [r.accuracy for r in report.by_topic]
    assert accuracies == sorted(accuracies)  # weakest first
    names = {r.topic.name for r in report.by_topic} | {r.topic.name for r in report.unpractised}
    expected = {t.name for t in TOPICS if not topics or any(t.matches(p) for p in topics)}
    assert names == expected
    assert report.activity.longest_streak >= report.activity.current_streak
