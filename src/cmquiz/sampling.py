"""Choosing questions: topic matching, practice runs and stratified exam papers.

Every function that draws takes a ``random.Random``; the same seed gives the same result.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import TopicNotFoundError
from .model import Question
from .qtypes import TYPE_ORDER, QuestionType
from .topics import Topic


@dataclass(frozen=True)
class TopicSummary:
    """A knowledge point with its question counts by type."""

    topic: Topic
    counts: Mapping[QuestionType, int]
    banks: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarize_topics(questions: Iterable[Question]) -> list[TopicSummary]:
    """Knowledge points in the order they first appear, with counts by type."""
    counts: dict[str, Counter[QuestionType]] = {}
    topics: dict[str, Topic] = {}
    banks: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        name = q.topic.name
        counts.setdefault(name, Counter())[q.type] += 1
        if topics.get(name) is None or topics[name].code is None:
            topics[name] = q.topic
        if q.bank and q.bank not in banks[name]:
            banks[name].append(q.bank)
    return [
        TopicSummary(topics[name], dict(counter), tuple(banks[name]))
        for name, counter in counts.items()
    ]


def question_matches(question: Question, patterns: Sequence[str]) -> bool:
    return any(question.topic.matches(p, question.bank) for p in patterns)


def select_topics(questions: Sequence[Question], patterns: Sequence[str]) -> list[Question]:
    """Questions whose knowledge point matches any pattern; no patterns means all.

    Raises TopicNotFoundError (a usage error) naming the patterns that matched nothing.
    """
    if not patterns:
        return list(questions)
    unmatched = [p for p in patterns if not any(question_matches(q, [p]) for q in questions)]
    if unmatched:
        available = [t.topic.label for t in summarize_topics(questions)]
        raise TopicNotFoundError(unmatched, available)
    return [q for q in questions if question_matches(q, patterns)]


def select_type(questions: Sequence[Question], qtype: QuestionType | None) -> list[Question]:
    return [q for q in questions if qtype is None or q.type is qtype]


def allocate(sizes: Mapping[str, int], n: int, rng: random.Random) -> dict[str, int]:
    """Split n draws across strata in proportion to their sizes (largest remainder).

    No stratum gets more than it holds; ties in the remainders are broken by ``rng`` so that
    small strata get their turn across papers instead of always losing to the same one.
    """
    total = sum(sizes.values())
    n = min(n, total)
    if n <= 0 or total == 0:
        return dict.fromkeys(sizes, 0)
    quotas = {k: n * size / total for k, size in sizes.items()}
    result = {k: min(int(q), sizes[k]) for k, q in quotas.items()}
    keys = list(sizes)
    rng.shuffle(keys)
    keys.sort(key=lambda k: quotas[k] - int(quotas[k]), reverse=True)
    remaining = n - sum(result.values())
    while remaining > 0:
        for k in keys:
            if remaining and result[k] < sizes[k]:
                result[k] += 1
                remaining -= 1
    return result


def draw_paper(pool: Sequence[Question], n: int, rng: random.Random) -> list[Question]:
    """An exam paper of up to n distinct questions, stratified by knowledge point and type.

    Knowledge points get seats in proportion to their share of the pool; inside each one the
    seats are split across question types the same way. The paper is ordered as exams are:
    单选, then 多选, then 判断, shuffled within each section.
    """
    cells: dict[tuple[str, str], list[Question]] = defaultdict(list)
    for q in sorted(pool, key=lambda q: q.id):
        cells[(q.topic.name, q.type.value)].append(q)
    topic_sizes: Counter[str] = Counter()
    type_sizes: Counter[str] = Counter()
    for (topic, qtype), group in cells.items():
        topic_sizes[topic] += len(group)
        type_sizes[qtype] += len(group)
    topic_seats = allocate(topic_sizes, n, rng)
    type_targets = allocate(type_sizes, sum(topic_seats.values()), rng)
    seats = _round_cells(cells, topic_sizes, topic_seats, type_targets, rng)
    chosen: list[Question] = []
    for cell, group in cells.items():
        chosen.extend(rng.sample(group, seats[cell]))
    rng.shuffle(chosen)
    chosen.sort(key=lambda q: TYPE_ORDER.index(q.type))
    return chosen


def _round_cells(
    cells: Mapping[tuple[str, str], Sequence[Question]],
    topic_sizes: Mapping[str, int],
    topic_seats: Mapping[str, int],
    type_targets: Mapping[str, int],
    rng: random.Random,
) -> dict[tuple[str, str], int]:
    """Seats per (topic, type) cell: exact topic totals, type totals as close as they can be."""
    quotas = {
        cell: topic_seats[cell[0]] * len(group) / topic_sizes[cell[0]]
        for cell, group in cells.items()
    }
    seats = {cell: int(q) for cell, q in quotas.items()}
    topic_left = dict(topic_seats)
    type_left = dict(type_targets)
    for (topic, qtype), count in seats.items():
        topic_left[topic] -= count
        type_left[qtype] -= count
    order = list(cells)
    rng.shuffle(order)
    order.sort(key=lambda c: quotas[c] - int(quotas[c]), reverse=True)
    for respect_types in (True, False):
        for cell in order:
            topic, qtype = cell
            if topic_left[topic] <= 0 or seats[cell] >= len(cells[cell]):
                continue
            if respect_types and type_left[qtype] <= 0:
                continue
            seats[cell] += 1
            topic_left[topic] -= 1
            type_left[qtype] -= 1
    return seats


def draw_practice(
    pool: Sequence[Question],
    n: int | None,
    rng: random.Random,
    last_correct: Mapping[str, bool] | None = None,
) -> list[Question]:
    """A practice run: questions missed last time first, then unseen ones, then the rest.

    ``last_correct`` maps question id to whether its latest answer was right; the order within
    each group is random. ``n=None`` takes the whole pool.
    """
    last_correct = last_correct or {}
    shuffled = sorted(pool, key=lambda q: q.id)
    rng.shuffle(shuffled)

    def priority(q: Question) -> int:
        if q.id not in last_correct:
            return 1
        return 0 if not last_correct[q.id] else 2

    shuffled.sort(key=priority)
    return shuffled if n is None else shuffled[:n]
