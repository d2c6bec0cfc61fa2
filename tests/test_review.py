"""FSRS scheduling from a synthetic history with an injected clock: ratings, due order, the
next-due summary, and the exam plan's first day as today's review."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from fsrs import Rating, State

from cmquiz.learning import fold
from cmquiz.learning_records import PlanRecord
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.render.learn import due_summary
from cmquiz.review import agenda
from cmquiz.scheduling import FAST_MS, card_id, rating_for, scheduler
from cmquiz.topics import Topic
from learning_helpers import answer, day

TOPIC = Topic("贷款担保管理", "17")


def question(qid: str) -> Question:
    return Question(qid, QuestionType.JUDGE, TOPIC, f"题干 {qid}", frozenset("T"))


BANK = [question(q) for q in ("a", "b", "c", "d")]


def test_ratings_wrong_is_again_right_is_good_and_lucky_guesses_are_hard() -> None:
    assert rating_for("single", False, False, 9000) is Rating.Again
    assert rating_for("multiple", True, True, 100) is Rating.Good
    assert rating_for("judge", True, True, 9000) is Rating.Hard  # one guess in two
    assert rating_for("judge", True, False, 100) is Rating.Good  # known by now
    assert rating_for("single", True, True, FAST_MS - 1) is Rating.Hard  # too quick to read
    assert rating_for("single", True, True, FAST_MS) is Rating.Good
    assert rating_for("single", True, True, None) is Rating.Good


def test_the_scheduler_is_deterministic_with_whole_days() -> None:
    s = scheduler()
    assert s.enable_fuzzing is False
    assert s.learning_steps == ()
    assert s.relearning_steps == ()
    assert card_id("credit-17-001") == card_id("credit-17-001")
    assert card_id("credit-17-001") != card_id("credit-17-002")
    assert 0 < card_id("x") < 2**63


def test_cards_are_rebuilt_from_the_history_in_utc_whole_days() -> None:
    state = fold([answer("a", True, day(0)), answer("b", False, day(0))])
    a, b = state.cards["a"], state.cards["b"]
    assert a.card_id == card_id("a")
    assert a.state is State.Review
    assert a.due.tzinfo == UTC
    assert (a.due - day(0)) % timedelta(days=1) == timedelta(0)
    assert b.due == day(1)  # a wrong answer comes back the next day
    assert a.due > b.due


def test_due_order_is_most_overdue_first_and_the_summary_counts_what_follows() -> None:
    history = [
        answer("a", False, day(0)),  # due day 1
        answer("b", False, day(2)),  # due day 3
        answer("c", True, day(2)),  # Good on a multiple: due day 4
        answer("d", False, day(3)),  # due day 4
    ]
    state = fold(history)
    now = day(3, 5)
    today = agenda(BANK, state, now, UTC)
    assert today.questions == ("a", "b")  # a is two days overdue, b due today
    assert today.kinds == {"a": "reviews", "b": "reviews"}
    assert today.later == ((date(2026, 11, 6), 2),)
    assert due_summary(today.later, today.today) == "接下来:明天 2 题。"


def test_the_summary_names_the_days() -> None:
    start = date(2026, 11, 2)
    later = [(start + timedelta(days=1), 12), (start + timedelta(days=3), 30)]
    assert due_summary(later, start) == "接下来:明天 12 题,3 天后 30 题。"
    many = [(start + timedelta(days=n), n) for n in (1, 2, 5, 9)]
    assert due_summary(many, start) == "接下来:明天 1 题,后天 2 题,5 天后 5 题,之后共 9 题。"
    assert due_summary([], start) == "接下来没有到期的题。"


def test_questions_no_longer_in_the_bank_are_not_asked() -> None:
    state = fold([answer("gone", False, day(0)), answer("a", False, day(0))])
    assert agenda(BANK, state, day(2), UTC).questions == ("a",)


def test_with_an_exam_date_today_is_the_plans_first_day() -> None:
    history = [answer("a", False, day(0)), PlanRecord(date(2026, 11, 12), 3, day(0))]
    state = fold(history)
    today = agenda(BANK, state, day(1), UTC, answered_today=0)
    assert today.plan is not None
    assert today.questions == today.plan.days[0].questions
    assert today.questions[0] == "a"  # the due review first
    assert set(today.kinds.values()) <= {"reviews", "new"}
    assert len(today.questions) <= 3
    passed = agenda(BANK, state, day(11), UTC)
    assert passed.plan is None
    assert passed.exam_passed == date(2026, 11, 12)
