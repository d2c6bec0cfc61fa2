"""Review against a fixed exam date: what is due each day until the exam, under a daily budget.

FSRS (``scheduling``) spaces reviews for remembering as long as possible; an exam asks for
remembering *on one day*. Cepeda et al. (2008, "Spacing effects in learning: a temporal ridgeline
of optimal retention") found the best gap before a test to be about 10-20 % of the time it must
be remembered for; put the other way round, the last study of an item pays best in the final
part of the time left. So, with an exam date:

- **The final window** is the last ``FINAL_SHARE`` (20 %) of the days from the day the date was
  set to the exam, at least one day: with 30 days to go, the last 6 days.
- **Capped intervals.** A question whose next FSRS review would fall on or after the exam day is
  not left to FSRS: it is reviewed in the final window instead. So every question's last review
  before the exam lands inside the window, and no interval runs past the exam.
- **The final pass.** In the window every question of the bank that has not been answered right
  since the window opened is asked once more (the weakest first): the ones last answered wrong,
  the ones last seen weeks ago, and the ones never seen at all.
- **New questions** (never answered) are introduced evenly over the days before the window, so
  that each is seen at least twice before the exam: once to learn, once in the final pass.
- **The daily budget** (``--per-day``): a day never asks more than the budget. When a later day
  would go over it, reviews are moved *earlier* (the ones due soonest first), never later than
  their due day; new questions and the final pass are spread evenly and fill the room left.
  When even that cannot fit, the plan says so and how many a day would cover the bank.

The forecast assumes every answer is right (a wrong answer adds a review the next day). Pure:
the day, the time zone and the cards come in as arguments; no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fsrs import Card

FINAL_SHARE = 0.2
NOON = time(12, 0)


@dataclass(frozen=True)
class Track:
    """A bank question as the plan sees it: its card (None: never answered), when it was last
    answered right (a local date) and whether its last answer was right."""

    qid: str
    qtype: str
    card: Card | None = None
    last_right: date | None = None
    last_correct: bool = False
    first: date | None = None  # the day of its first counted answer


@dataclass(frozen=True)
class DayPlan:
    """One day of the plan: the questions it asks, by why they are asked."""

    day: date
    reviews: tuple[str, ...] = ()  # due (or overdue) FSRS reviews, most overdue first
    early: tuple[str, ...] = ()  # reviews moved earlier to keep a later day under the budget
    final: tuple[str, ...] = ()  # the final pass
    new: tuple[str, ...] = ()  # never answered before
    deferred: int = 0  # due reviews the budget left for the next day

    @property
    def due(self) -> int:
        return len(self.reviews) + len(self.early) + len(self.final) + len(self.new)

    @property
    def questions(self) -> tuple[str, ...]:
        return self.reviews + self.early + self.final + self.new

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "due": self.due,
            "reviews": len(self.reviews),
            "early": len(self.early),
            "final": len(self.final),
            "new": len(self.new),
            "deferred": self.deferred,
        }


@dataclass(frozen=True)
class Forecast:
    """The plan from today to the day before the exam."""

    today: date
    exam: date
    per_day: int | None
    window_start: date
    days: tuple[DayPlan, ...]
    uncovered: tuple[str, ...]  # not answered right inside the window by the exam
    late: int  # reviews the budget left past the day they fell due
    bank: int
    unseen: int
    needed_per_day: int | None = None  # the smallest budget that covers (when this one does not)

    @property
    def covers(self) -> bool:
        """Every question of the bank is answered right inside the final window."""
        return not self.uncovered

    @property
    def window_days(self) -> int:
        return (self.exam - self.window_start).days

    @property
    def peak(self) -> int:
        return max((d.due for d in self.days), default=0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "exam_date": self.exam.isoformat(),
            "days_left": (self.exam - self.today).days,
            "per_day": self.per_day,
            "window_start": self.window_start.isoformat(),
            "window_days": self.window_days,
            "bank": self.bank,
            "unseen": self.unseen,
            "covers": self.covers,
            "uncovered": len(self.uncovered),
            "late": self.late,
            "needed_per_day": self.needed_per_day,
            "peak": self.peak,
            "days": [d.to_dict() for d in self.days],
        }


def window_start(exam: date, set_on: date) -> date:
    """The first day of the final window: the last 20 % of the days from ``set_on`` to the
    exam, at least one day."""
    span = max(1, (exam - set_on).days)
    return exam - timedelta(days=max(1, math.ceil(FINAL_SHARE * span)))


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def _review_time(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, NOON, tz).astimezone(UTC)


@dataclass
class _Sim:
    """The simulation's mutable copy of the tracks."""

    tracks: Sequence[Track]
    tz: tzinfo
    cards: dict[str, Card | None] = field(default_factory=dict)
    right: dict[str, date | None] = field(default_factory=dict)
    correct: dict[str, bool] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for t in self.tracks:
            self.cards[t.qid] = t.card
            self.right[t.qid] = t.last_right
            self.correct[t.qid] = t.last_correct
            if t.card is not None and not t.last_correct:
                self.weak.add(t.qid)

    def due_day(self, qid: str) -> date | None:
        card = self.cards[qid]
        return None if card is None else local_day(card.due, self.tz)

    def done(self, qid: str, start: date) -> bool:
        right = self.right[qid]
        return right is not None and right >= start and self.correct[qid]

    def next_due(self, qid: str, qtype: str, day: date) -> date:
        """The day a right answer on ``day`` would bring the question back (not applied)."""
        from .scheduling import rating_for, review

        card = self.cards[qid]
        rating = rating_for(qtype, True, card is None, None)
        return local_day(review(card, qid, rating, _review_time(day, self.tz)).due, self.tz)

    def answer(self, qid: str, qtype: str, day: date) -> None:
        from .scheduling import rating_for, review

        card = self.cards[qid]
        rating = rating_for(qtype, True, card is None, None)
        self.cards[qid] = review(card, qid, rating, _review_time(day, self.tz))
        self.right[qid] = day
        self.correct[qid] = True


def forecast(
    tracks: Sequence[Track],
    today: date,
    exam: date,
    set_on: date,
    tz: tzinfo,
    per_day: int | None = None,
    *,
    done_today: int = 0,
    find_needed: bool = True,
) -> Forecast:
    """The day-by-day plan from ``today`` to the day before ``exam`` (see the module's notes).
    ``done_today``: answers already given today (they use up today's budget)."""
    result = _plan(tracks, today, exam, set_on, tz, per_day, done_today)
    if find_needed and per_day is not None and not result.covers:
        needed = _needed(tracks, today, exam, set_on, tz, per_day)
        result = replace(result, needed_per_day=needed)
    return result


def _needed(
    tracks: Sequence[Track], today: date, exam: date, set_on: date, tz: tzinfo, low: int
) -> int | None:
    """The smallest daily budget that covers the bank (binary search above ``low``)."""
    high = max(low + 1, len(tracks) + 1)
    if not _plan(tracks, today, exam, set_on, tz, high, 0).covers:
        return None
    while low + 1 < high:
        middle = (low + high) // 2
        if _plan(tracks, today, exam, set_on, tz, middle, 0).covers:
            high = middle
        else:
            low = middle
    return high


def _plan(
    tracks: Sequence[Track],
    today: date,
    exam: date,
    set_on: date,
    tz: tzinfo,
    per_day: int | None,
    done_today: int,
) -> Forecast:
    start = window_start(exam, min(set_on, today))
    sim = _Sim(tracks, tz)
    qtypes = {t.qid: t.qtype for t in tracks}
    new_today = sum(1 for t in tracks if t.first == today)
    days: list[DayPlan] = []
    over = 0
    day = today
    while day < exam:
        first = day == today
        plan, late = _day(
            sim,
            tracks,
            day,
            exam,
            start,
            per_day,
            done_today if first else 0,
            new_today if first else 0,
        )
        over += late
        for qid in plan.questions:
            sim.answer(qid, qtypes[qid], day)
        days.append(plan)
        day += timedelta(days=1)
    uncovered = tuple(t.qid for t in tracks if not sim.done(t.qid, start))
    return Forecast(
        today=today,
        exam=exam,
        per_day=per_day,
        window_start=start,
        days=tuple(days),
        uncovered=uncovered,
        late=over,
        bank=len(tracks),
        unseen=sum(1 for t in tracks if t.card is None),
    )


def _day(
    sim: _Sim,
    tracks: Sequence[Track],
    day: date,
    exam: date,
    start: date,
    per_day: int | None,
    done_today: int,
    new_today: int,
) -> tuple[DayPlan, int]:
    """What ``day`` asks, and how many due reviews went over the budget."""
    scheduled: list[tuple[date, str]] = []
    unseen: list[str] = []
    pending: list[str] = []  # seen, no FSRS review before the exam, not yet right in the window
    for t in tracks:
        due = sim.due_day(t.qid)
        if due is not None and due < exam:
            scheduled.append((due, t.qid))
        elif not sim.done(t.qid, start):
            (unseen if due is None else pending).append(t.qid)
    mandatory = [(due, qid) for due, qid in sorted(scheduled) if due <= day]
    budget = math.inf if per_day is None else max(0, per_day - done_today)
    reviews = [qid for _, qid in mandatory[: int(min(budget, len(mandatory)))]]
    deferred = len(mandatory) - len(reviews)
    # Late: a review left past the day it falls due (a backlog already overdue is not counted
    # again each day it waits).
    late = 0 if per_day is None else sum(1 for due, _ in mandatory[len(reviews) :] if due == day)
    room = budget - len(reviews)
    if day >= start:  # the final pass: the weakest first, then the rest, then the unseen
        flexible = sorted(pending, key=lambda q: q not in sim.weak) + unseen
        quota = math.ceil(len(flexible) / (exam - day).days)
    else:
        flexible = unseen
        before = (start - day).days
        quota = max(0, math.ceil((len(unseen) + new_today) / before) - new_today)
    take = flexible[: int(min(quota, room, len(flexible)))]
    room -= len(take)
    early: list[str] = []
    if per_day is not None and room > 0:
        later = _days(day, exam)
        loads = Counter(due for due, _ in scheduled if due > day)
        # what today's answers bring back (a question learnt today is often due again soon)
        qtypes = {t.qid: t.qtype for t in tracks}
        loads.update(sim.next_due(q, qtypes[q], day) for q in [*reviews, *take])
        spread = _spread(len(flexible) - len(take), day >= start, len(pending), later, start)
        carry = 0.0
        for other in reversed(later):
            carry = max(0.0, loads[other] + spread.get(other, 0.0) + carry - per_day)
        pull = min(math.ceil(carry - 1e-9), int(room))
        # Reviews first (the ones due soonest): a question learnt early comes back soon and
        # adds to the crowded days; then more of the flexible work.
        early = [qid for due, qid in sorted(scheduled) if due > day][:pull]
        take += flexible[len(take) : len(take) + pull - len(early)]
    unseen_set = set(unseen)
    final = tuple(q for q in take if q not in unseen_set)
    new = tuple(q for q in take if q in unseen_set)
    plan = DayPlan(day, tuple(reviews), tuple(early), final, new, deferred)
    return plan, late


def _days(day: date, exam: date) -> list[date]:
    """The days after ``day`` up to the day before the exam."""
    return [day + timedelta(days=n) for n in range(1, (exam - day).days)]


def _spread(
    left: int, in_window: bool, pending: int, later: list[date], start: date
) -> dict[date, float]:
    """The flexible load expected on each later day: in the window, what is left of the final
    pass over the days left; before it, the unseen over the days before the window and the
    questions waiting for the final pass over the window."""
    if in_window:
        return {d: left / len(later) for d in later} if later else {}
    before = [d for d in later if d < start]
    window = [d for d in later if d >= start]
    load = {d: left / len(before) for d in before}
    for d in window:
        load[d] = (pending + (0 if before else left)) / len(window)
    return load


# --- without an exam date: FSRS alone ----------------------------------------------------------


def due_now(cards: Mapping[str, Card], today: date, tz: tzinfo) -> list[str]:
    """Questions due today or overdue, the most overdue first."""
    due = [(card.due, qid) for qid, card in cards.items() if local_day(card.due, tz) <= today]
    return [qid for _, qid in sorted(due)]


def upcoming(cards: Mapping[str, Card], today: date, tz: tzinfo) -> dict[date, int]:
    """How many questions fall due on each day after today."""
    counts = Counter(local_day(card.due, tz) for card in cards.values())
    return {d: counts[d] for d in sorted(counts) if d > today}
