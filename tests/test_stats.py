from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmquiz.history import HistoryLog
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.records import AnswerRecord, EndRecord, Mode, Status
from cmquiz.stats import compute_stats, last_results
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 1, tzinfo=UTC)


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


def exam(session: str, day: int, score: float, status: Status = Status.COMPLETED) -> EndRecord:
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
        exam("e0", 1, 40.0),
        exam("e1", 3, 90.0),
        exam("e2", 2, 30.0, Status.INTERRUPTED),
    ],
)


def test_totals_and_weakest_topic_first() -> None:
    report = compute_stats(LOG)
    assert (report.answered, report.correct, report.questions_seen) == (7, 3, 5)
    assert [row.label for row in report.by_topic] == ["电话礼仪", "贷款担保管理", "企业文化"]
    assert report.by_topic[1].code == "17"
    assert round(report.by_topic[1].accuracy, 2) == 0.5
    assert [(row.label, row.answered) for row in report.by_type] == [
        ("单选", 5),
        ("多选", 1),
        ("判断", 1),
    ]


def test_recent_exams_newest_first() -> None:
    report = compute_stats(LOG)
    assert [e.session for e in report.exams] == ["e1", "e2", "e0"]
    assert report.exams[1].status == "interrupted"
    assert compute_stats(LOG, recent_exams=1).exams[0].score == 90.0


def test_most_missed_questions() -> None:
    stems = {
        "a1": Question(
            id="a1", type=QuestionType.JUDGE, topic=Topic("t"), stem="题干甲", answer=frozenset("T")
        )
    }
    missed = compute_stats(LOG, questions=stems).missed
    assert [(m.qid, m.wrong, m.answered) for m in missed] == [
        ("a1", 2, 3),
        ("b1", 1, 1),
        ("b2", 1, 1),
    ]
    assert missed[0].stem == "题干甲"
    assert missed[0].last_correct
    assert missed[1].stem is None


def test_topic_filter_by_code_or_name() -> None:
    report = compute_stats(LOG, topics=["17"])
    assert report.answered == 4
    assert [row.label for row in report.by_topic] == ["贷款担保管理"]
    assert report.exams == ()  # no exam answers on that topic
    phone = compute_stats(LOG, topics=["礼仪"])
    assert phone.answered == 2
    assert [(e.session, e.score) for e in phone.exams] == [("e1", 0.0)]


def test_empty_history() -> None:
    report = compute_stats(HistoryLog())
    assert report.empty
    assert report.accuracy == 0.0
    assert report.to_dict()["by_topic"] == []


def test_to_dict_is_json_ready() -> None:
    import json

    data = json.loads(json.dumps(compute_stats(LOG).to_dict(), ensure_ascii=False))
    assert data["answered"] == 7
    assert data["by_topic"][0]["label"] == "电话礼仪"
    assert data["exams"][0]["ended"].startswith("2026-11-04")


def test_last_results_takes_the_latest_answer() -> None:
    assert last_results(LOG)["a1"] is True
    assert last_results(LOG)["b1"] is False


def test_topic_filter_through_the_bank_title() -> None:
    culture = Question(
        id="c1",
        type=QuestionType.SINGLE,
        topic=Topic("企业文化"),
        stem="s",
        options=(("A", "a"), ("B", "b")),
        answer=frozenset("A"),
        bank="工商银行新员工业务基础",
    )
    report = compute_stats(LOG, topics=["新员工"], questions={"c1": culture})
    assert report.answered == 1
    assert [row.label for row in report.by_topic] == ["企业文化"]


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
    log = HistoryLog(records=[*LOG.records, empty])
    assert "e9" not in [e.session for e in compute_stats(log).exams]
