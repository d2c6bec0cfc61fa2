"""Spaced repetition with the maintained ``fsrs`` package (py-fsrs): how an answer becomes a
rating, which card a question is, and the one scheduler every command uses.

Choices (the README's "错题本与复习计划" explains them to users):

- **Ratings.** A wrong answer is ``Rating.Again``; a right answer is ``Rating.Good`` — the
  trainee recalled it, and cmquiz has no self-rating step to tell Good from Easy. A right answer
  that may well be a lucky guess counts as ``Rating.Hard``, which brings the question back sooner
  without treating it as forgotten: the *first* right answer to a 判断 question (one guess in two
  is right), and the first right answer to a 单选 question given in under ``FAST_MS`` (too quick
  to have read the stem and the options). A 多选 answer is hard to guess (all the right options
  and none of the others), so a right one is always Good.
- **Days, not minutes.** cmquiz is used in daily sittings, so the scheduler has no learning or
  relearning steps (py-fsrs's defaults are 1 and 10 minutes): every interval is whole days, and
  a wrong answer comes back the next day. Same-day repeats (practice after review) go through
  FSRS's short-term stability update, as py-fsrs does for any review under a day apart.
- **Deterministic.** No fuzz: the same history always gives the same schedule.
- **Card ids.** A card's id is a stable 63-bit integer derived from the question id (SHA-256),
  so the same question is the same card in every replay and on every machine.
- **UTC.** Every time passed to FSRS is converted to UTC (py-fsrs requires it); a review is
  never earlier than the card's last one (an exam's answers count when it is handed in).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from .qtypes import QuestionType

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

FAST_MS = 3000  # a first right 单选 answer quicker than this counts as a possible guess
DESIRED_RETENTION = 0.9


@cache
def scheduler() -> Scheduler:
    """The scheduler: py-fsrs's default parameters, whole-day intervals, no fuzz."""
    from fsrs import Scheduler

    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def card_id(qid: str) -> int:
    """The question's own card id: stable across replays, machines and FSRS versions."""
    return int.from_bytes(hashlib.sha256(qid.encode("utf-8")).digest()[:8], "big") >> 1


def rating_for(qtype: str, correct: bool, first: bool, elapsed_ms: int | None) -> Rating:
    """The FSRS rating of an answer (see the module's notes). ``first``: the question's first
    counted answer; ``elapsed_ms`` None when unknown (a forecast assumes a considered answer)."""
    from fsrs import Rating

    if not correct:
        return Rating.Again
    if first and qtype == QuestionType.JUDGE.value:
        return Rating.Hard
    if (
        first
        and qtype == QuestionType.SINGLE.value
        and elapsed_ms is not None
        and elapsed_ms < FAST_MS
    ):
        return Rating.Hard
    return Rating.Good


def new_card(qid: str) -> Card:
    from fsrs import Card

    return Card(card_id=card_id(qid), due=datetime(1970, 1, 1, tzinfo=UTC))


def review(card: Card | None, qid: str, rating: Rating, at: datetime) -> Card:
    """The card after a review at ``at`` (any time zone; never before its last review)."""
    moment = at.astimezone(UTC)
    if card is None:
        card = new_card(qid)
    elif card.last_review is not None and moment < card.last_review:
        moment = card.last_review
    reviewed, _log = scheduler().review_card(card, rating, moment)
    return reviewed


def card_to_dict(card: Card) -> dict[str, Any]:
    return dict(card.to_dict())


def card_from_dict(data: dict[str, Any]) -> Card:
    from fsrs import Card

    card = Card.from_dict(data)  # type: ignore[arg-type]
    card.due = card.due.astimezone(UTC)
    if card.last_review is not None:
        card.last_review = card.last_review.astimezone(UTC)
    return card
