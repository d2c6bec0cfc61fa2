"""Daily activity: answers per day, streaks, and the time spent answering.

A day is a calendar day in the trainee's time zone (passed in; the local zone by default). The
time spent is the sum of the time taken over each answer (``elapsed_ms`` of every answer record,
changed answers included), each answer counted for at most ``ANSWER_TIME_CAP_S``, so a prompt
left open over lunch does not count as study.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .records import AnswerRecord

ANSWER_TIME_CAP_S = 300.0
ACTIVITY_DAYS = 30  # the window the activity line shows by default


def answer_seconds(record: AnswerRecord) -> float:
    """The time one answer took, capped at ``ANSWER_TIME_CAP_S``."""
    return min(record.elapsed_ms / 1000, ANSWER_TIME_CAP_S)


def day_of(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar day of ``moment`` in ``tz`` (None: the local time zone)."""
    return moment.astimezone(tz).date()


@dataclass(frozen=True)
class Day:
    """One day's work: the answers that count, how many were right, the time spent."""

    day: date
    answers: int
    correct: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "answers": self.answers,
            "correct": self.correct,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class Activity:
    """Every day with an answer (oldest first), the window to draw, and the streaks."""

    days: tuple[Day, ...]
    first: date  # the window drawn: ``first`` to ``last``, both included
    last: date
    current_streak: int  # days in a row with answers, up to ``last`` (or the day before)
    longest_streak: int

    @property
    def seconds(self) -> float:
        return sum(d.seconds for d in self.days)

    @property
    def answers(self) -> int:
        return sum(d.answers for d in self.days)

    def window(self, first: date | None = None) -> list[Day]:
        """Every day of the window (from ``first`` if given), with empty days filled in."""
        start = self.first if first is None else first
        by_day = {d.day: d for d in self.days}
        span = (self.last - start).days + 1
        return [
            by_day.get(start + timedelta(n), Day(start + timedelta(n), 0, 0, 0.0))
            for n in range(max(0, span))
        ]

    def longer_window(self, days: int) -> list[Day]:
        """The window widened back to the first active day, at most ``days`` days long (a
        report shows more than the terminal)."""
        active = [d.day for d in self.days if d.answers and d.day <= self.last]
        first = min(
            self.first, max(min(active, default=self.first), self.last - timedelta(days - 1))
        )
        return self.window(first)

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": [d.to_dict() for d in self.days],
            "window": {"first": self.first.isoformat(), "last": self.last.isoformat()},
            "active_days": len(self.days),
            "answers": self.answers,
            "time_spent_s": round(self.seconds, 1),
            "streak": {"current": self.current_streak, "longest": self.longest_streak},
        }


def build_activity(
    answers: Mapping[date, tuple[int, int]],
    seconds: Mapping[date, float],
    today: date,
    *,
    since: date | None = None,
    until: date | None = None,
    window: int = ACTIVITY_DAYS,
) -> Activity:
    """Days from per-day (answers, correct) and seconds; the window ends at ``until`` (else
    today) and starts at ``since`` or ``window`` days before its end."""
    keys = sorted(set(answers) | {d for d, s in seconds.items() if s > 0})
    days = tuple(
        Day(d, answers.get(d, (0, 0))[0], answers.get(d, (0, 0))[1], seconds.get(d, 0.0))
        for d in keys
    )
    last = until or today
    first = since if since is not None and since <= last else last - timedelta(window - 1)
    active = {d.day for d in days if d.answers}
    return Activity(days, first, last, _current_streak(active, last), _longest_streak(active))


def _current_streak(active: set[date], last: date) -> int:
    day = last if last in active else last - timedelta(1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(1)
    return count


def _longest_streak(active: Iterable[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in sorted(active):
        run = run + 1 if previous is not None and day - previous == timedelta(1) else 1
        best = max(best, run)
        previous = day
    return best
