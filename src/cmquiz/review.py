"""What ``cmquiz review`` asks today, and what falls due after it.

Without an exam date this is FSRS alone: every question answered in any mode is a card, and the
cards due today or earlier are asked, the most overdue first. With an exam date (``cmquiz plan``)
today's list is the first day of the exam plan (``plan.forecast``): due reviews, reviews moved
earlier to keep a later day under the budget, the final pass and today's share of the questions
never answered. Pure: the clock and the time zone are arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from .learning import LearningState
from .model import Question
from .plan import Forecast, Track, due_now, forecast, local_day, upcoming

KIND_LABELS = {"reviews": "到期", "early": "提前", "final": "冲刺", "new": "新题"}


@dataclass(frozen=True)
class Agenda:
    """Today's review: the questions in the order asked, why each is asked, and what follows."""

    today: date
    questions: tuple[str, ...]
    kinds: dict[str, str]  # qid -> reviews | early | final | new
    later: tuple[tuple[date, int], ...]  # days after today with something due, and how many
    plan: Forecast | None = None
    exam_passed: date | None = None  # an exam date that is today or past (the plan is off)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KIND_LABELS, 0)
        for kind in self.kinds.values():
            counts[kind] += 1
        return counts


def tracks(questions: Sequence[Question], learning: LearningState, tz: tzinfo) -> list[Track]:
    """The bank's questions as the plan sees them, in bank order."""
    result = []
    for q in questions:
        log = learning.questions.get(q.id)
        card = learning.cards.get(q.id)
        if log is None or card is None:
            result.append(Track(q.id, q.type.value))
            continue
        result.append(
            Track(
                q.id,
                q.type.value,
                card,
                local_day(log.last_right, tz) if log.last_right else None,
                log.last_correct,
                local_day(log.first, tz),
            )
        )
    return result


def agenda(
    questions: Sequence[Question],
    learning: LearningState,
    now: datetime,
    tz: tzinfo,
    *,
    answered_today: int = 0,
) -> Agenda:
    """Today's review for the bank ``questions``. ``answered_today``: answers already given
    today in any mode (they use up the plan's daily budget)."""
    today = local_day(now, tz)
    plan = learning.plan
    exam = plan.exam_date if plan is not None else None
    if plan is not None and exam is not None and exam > today:
        result = forecast(
            tracks(questions, learning, tz),
            today,
            exam,
            local_day(plan.ts, tz),
            tz,
            plan.per_day,
            done_today=answered_today,
        )
        first = result.days[0]
        kinds = dict.fromkeys(first.reviews, "reviews")
        kinds.update(dict.fromkeys(first.early, "early"))
        kinds.update(dict.fromkeys(first.final, "final"))
        kinds.update(dict.fromkeys(first.new, "new"))
        later = tuple((d.day, d.due) for d in result.days[1:] if d.due)
        return Agenda(today, first.questions, kinds, later, result)
    bank = {q.id for q in questions}
    cards = {qid: card for qid, card in learning.cards.items() if qid in bank}
    due = due_now(cards, today, tz)
    passed = exam if exam is not None and exam <= today else None
    return Agenda(
        today,
        tuple(due),
        dict.fromkeys(due, "reviews"),
        tuple(upcoming(cards, today, tz).items()),
        exam_passed=passed,
    )
