"""The exam plan: the final window, capped intervals, the final pass and the daily budget."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.plan import Forecast, Track, due_now, forecast, upcoming, window_start
from cmquiz.scheduling import rating_for, review

TODAY = date(2026, 12, 4)
BEIJING = timezone(timedelta(hours=8))


def seen(qid: str, results: list[tuple[int, bool]], qtype: str = "multiple") -> Track:
    """A question answered on the given days before today (negative offsets)."""
    card = None
    right = None
    first = None
    for offset, correct in results:
        d = TODAY + timedelta(days=offset)
        first = first or d
        at = datetime(d.year, d.month, d.day, 2, tzinfo=UTC)
        card = review(card, qid, rating_for(qtype, correct, card is None, 9000), at)
        if correct:
            right = d
    return Track(qid, qtype, card, right, results[-1][1], first)


def last_reviews(plan: Forecast, tracks: list[Track]) -> dict[str, date | None]:
    last: dict[str, date | None] = {t.qid: t.last_right for t in tracks}
    for day in plan.days:
        for qid in day.questions:
            last[qid] = day.day
    return last


def test_the_final_window_is_the_last_fifth_of_the_time_left() -> None:
    exam = TODAY + timedelta(days=30)
    assert window_start(exam, TODAY) == exam - timedelta(days=6)
    assert window_start(exam, exam - timedelta(days=2)) == exam - timedelta(days=1)
    assert window_start(exam, exam - timedelta(days=11)) == exam - timedelta(days=3)


def test_an_interval_running_past_the_exam_is_brought_into_the_window() -> None:
    # Answered right many times: FSRS would next ask it months from now.
    track = seen("a", [(-60, True), (-50, True), (-30, True), (-1, True)])
    assert track.card is not None
    assert track.card.due.date() > TODAY + timedelta(days=30)
    exam = TODAY + timedelta(days=30)
    plan = forecast([track], TODAY, exam, TODAY, UTC)
    asked = [d.day for d in plan.days if d.questions]
    assert len(asked) == 1
    assert plan.window_start <= asked[0] < exam
    assert plan.days[[d.day for d in plan.days].index(asked[0])].final == ("a",)


def test_the_final_pass_asks_the_weak_first() -> None:
    tracks = [seen(f"r{i}", [(-40, True), (-20, True)]) for i in range(5)]
    tracks.append(seen("w", [(-40, True), (-20, False)]))
    plan = forecast(tracks, TODAY, TODAY + timedelta(days=3), TODAY, UTC, 2)
    asked = [q for d in plan.days for q in d.questions]
    assert "w" in asked
    assert asked.index("w") <= 1


def test_new_questions_are_spread_over_the_days_before_the_window() -> None:
    tracks = [Track(f"n{i}", "single") for i in range(24)]
    plan = forecast(tracks, TODAY, TODAY + timedelta(days=30), TODAY, UTC)
    before = [len(d.new) for d in plan.days if d.day < plan.window_start]
    assert sum(before) == 24
    assert max(before) - min(before) <= 1
    assert plan.unseen == 24
    assert plan.covers


def test_reviews_move_earlier_never_later_under_the_budget() -> None:
    # Ten questions all due on the same day, a budget of four a day.
    tracks = [seen(f"q{i}", [(-10, True), (-1, True)]) for i in range(10)]
    due = {t.qid: t.card.due.date() for t in tracks if t.card is not None}
    assert len(set(due.values())) == 1
    assert TODAY + timedelta(days=3) < min(due.values()) < TODAY + timedelta(days=24)
    plan = forecast(tracks, TODAY, TODAY + timedelta(days=30), TODAY, UTC, 4)
    assert all(d.due <= 4 for d in plan.days)
    assert sum(len(d.early) for d in plan.days) > 0
    first_seen: dict[str, date] = {}
    for d in plan.days:
        for qid in d.questions:
            first_seen.setdefault(qid, d.day)
    assert all(first_seen[q] <= due[q] for q in due)
    assert plan.late == 0


def test_a_budget_that_cannot_cover_says_how_many_would() -> None:
    tracks = [Track(f"n{i}", "single") for i in range(60)]
    plan = forecast(tracks, TODAY, TODAY + timedelta(days=4), TODAY, UTC, 5)
    assert not plan.covers
    assert plan.needed_per_day is not None
    assert plan.needed_per_day > 5
    better = forecast(tracks, TODAY, TODAY + timedelta(days=4), TODAY, UTC, plan.needed_per_day)
    assert better.covers
    worse = forecast(tracks, TODAY, TODAY + timedelta(days=4), TODAY, UTC, plan.needed_per_day - 1)
    assert not worse.covers


def test_answers_already_given_today_use_up_todays_budget() -> None:
    tracks = [Track(f"n{i}", "single") for i in range(40)]
    plan = forecast(tracks, TODAY, TODAY + timedelta(days=20), TODAY, UTC, 10, done_today=8)
    assert plan.days[0].due <= 2


def test_the_day_follows_the_trainees_time_zone() -> None:
    track = seen("a", [(-1, False)])  # due a day later, at 02:00 UTC = 10:00 in Beijing
    assert track.card is not None
    assert due_now({"a": track.card}, TODAY, BEIJING) == ["a"]
    assert due_now({"a": track.card}, TODAY - timedelta(days=1), BEIJING) == []
    assert upcoming({"a": track.card}, TODAY - timedelta(days=1), BEIJING) == {TODAY: 1}


# --- properties ------------------------------------------------------------------------------


@st.composite
def banks(draw: st.DrawFn) -> list[Track]:
    tracks: list[Track] = []
    for i in range(draw(st.integers(1, 25))):
        qtype = draw(st.sampled_from(["single", "multiple", "judge"]))
        if draw(st.booleans()):
            tracks.append(Track(f"q{i}", qtype))
            continue
        offsets = sorted(draw(st.lists(st.integers(-60, -1), min_size=1, max_size=5, unique=True)))
        results = [(o, draw(st.booleans())) for o in offsets]
        tracks.append(seen(f"q{i}", results, qtype))
    return tracks


@settings(max_examples=80, deadline=None)
@given(
    banks(),
    st.integers(1, 45),
    st.integers(0, 30),
    st.one_of(st.none(), st.integers(1, 30)),
)
def test_plan_properties(
    tracks: list[Track], days: int, set_before: int, budget: int | None
) -> None:
    exam = TODAY + timedelta(days=days)
    set_on = TODAY - timedelta(days=set_before)
    plan = forecast(tracks, TODAY, exam, set_on, UTC, budget, find_needed=False)
    assert [d.day for d in plan.days] == [TODAY + timedelta(days=n) for n in range(days)]
    if budget is not None:  # the daily budget is respected
        assert all(d.due <= budget for d in plan.days)
    else:
        assert plan.covers  # without a budget the plan always covers the bank
    if plan.covers:
        # No last review before the exam falls outside the final window ...
        for qid, last in last_reviews(plan, tracks).items():
            assert last is not None, qid
            assert plan.window_start <= last < exam, qid
        # ... and the final pass covers every weak question.
        in_window = {q for d in plan.days if d.day >= plan.window_start for q in d.questions}
        weak = {t.qid for t in tracks if t.card is not None and not t.last_correct}
        assert weak <= in_window
    # Nothing is asked twice on one day, and the plan is deterministic.
    assert all(len(set(d.questions)) == len(d.questions) for d in plan.days)
    again = forecast(tracks, TODAY, exam, set_on, UTC, budget, find_needed=False)
    assert again == plan
