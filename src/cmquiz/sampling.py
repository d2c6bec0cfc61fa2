"""Choosing questions: topic matching, practice runs and stratified exam papers.

Every function that draws takes a ``random.Random``; the same seed gives the same result.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from .errors import PaperShortError, TopicNotFoundError
from .model import Catalog, Question
from .papers import PaperSpec, Section
from .qtypes import QuestionType
from .topics import Topic, matches_any


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
    pool = Catalog.of(questions)
    counts: dict[str, Counter[QuestionType]] = {}
    topics: dict[str, Topic] = {}
    banks: dict[str, list[str]] = defaultdict(list)
    for topic, kind, bank in zip(pool.topics, pool.types, pool.banks, strict=True):
        name = topic.name
        counts.setdefault(name, Counter())[kind] += 1
        if topics.get(name) is None or topics[name].code is None:
            topics[name] = topic
        if bank and bank not in banks[name]:
            banks[name].append(bank)
    return [
        TopicSummary(topics[name], dict(counter), tuple(banks[name]))
        for name, counter in counts.items()
    ]


def count_types(questions: Iterable[Question]) -> dict[QuestionType, int]:
    """How many of ``questions`` there are of each type (every type, in the enum's order)."""
    if isinstance(questions, Catalog):
        counts = Counter(questions.types)
    else:
        counts = Counter(map(attrgetter("type"), questions))
    return {kind: counts[kind] for kind in QuestionType}


def question_matches(question: Question, patterns: Sequence[str]) -> bool:
    """Whether the question's knowledge point (or bank) matches one of ``patterns`` (none:
    no)."""
    return bool(patterns) and matches_any(question.topic, patterns, question.bank)


def select_topics(questions: Sequence[Question], patterns: Sequence[str]) -> Sequence[Question]:
    """Questions whose knowledge point matches any pattern; no patterns means all (the same
    sequence). Only knowledge points and banks are read (``Catalog``), no question is built.

    Raises TopicNotFoundError (a usage error) naming the patterns that matched nothing.
    """
    if not patterns:
        return questions
    pool = Catalog.of(questions)
    places = list(zip(pool.topics, pool.banks, strict=True))
    unmatched = [p for p in patterns if not any(t.matches(p, bank) for t, bank in places)]
    if unmatched:
        available = [t.topic.label for t in summarize_topics(pool)]
        raise TopicNotFoundError(unmatched, available)
    return pool.subset(i for i, (t, bank) in enumerate(places) if matches_any(t, patterns, bank))


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


@dataclass(frozen=True)
class DrawnItem:
    """One position of a drawn paper: the question, its points and the order its options are
    shown in (bank letters; None when they are not shuffled)."""

    question: Question
    points: float
    order: tuple[str, ...] | None = None


def _by_topic(
    candidates: Sequence[int], topics: Sequence[Topic], n: int, rng: random.Random
) -> list[int]:
    """``n`` of the ``candidates`` (positions in the pool, whose knowledge points ``topics``
    gives), spread over knowledge points in proportion to their shares."""
    cells: dict[str, list[int]] = {}
    for i in candidates:
        name = topics[i].name
        cell = cells.get(name)
        if cell is None:
            cells[name] = [i]
        else:
            cell.append(i)
    seats = allocate({k: len(v) for k, v in cells.items()}, n, rng)
    chosen: list[int] = []
    for topic, group in cells.items():
        chosen.extend(rng.sample(group, seats[topic]))
    return chosen


def _section_label(section: Section) -> str:
    scope = f"(知识点:{'、'.join(section.topics)})" if section.topics else ""
    return f"{section.type.label}{scope}"


def assemble_paper(
    spec: PaperSpec, pool: Sequence[Question], rng: random.Random
) -> list[DrawnItem]:
    """Draw a paper: every section gets ``count`` questions of its type (from its knowledge
    points when it names some), the knowledge-point counts or shares of the paper are met, the
    rest is spread over knowledge points in proportion to the pool. PaperShortError lists every
    shortfall at once ("多选 需要 40 道,题池只有 23 道"). The same seed, pool and paper give the
    same draw. Only the pool's columns are read (``Catalog``): of a large cached bank, only
    the questions drawn are built."""
    catalog = Catalog.of(pool)
    ids, types, topics, banks = catalog.ids, catalog.types, catalog.topics, catalog.banks
    ordered = sorted(range(len(ids)), key=ids.__getitem__)  # positions, by question id
    group_of: dict[int, int] = {}
    if spec.quotas:
        for i in ordered:
            for g, quota in enumerate(spec.quotas):
                if topics[i].matches(quota.pattern, banks[i]):
                    group_of[i] = g
                    break
    of_type: dict[QuestionType, list[int]] = {kind: [] for kind in QuestionType}
    for i in ordered:  # one pass: each section looks only at its own type
        of_type[types[i]].append(i)
    candidates = [
        [i for i in of_type[section.type] if matches_any(topics[i], section.topics, banks[i])]
        if section.topics
        else of_type[section.type]
        for section in spec.sections
    ]
    short: list[str] = []
    # Seats of each knowledge-point quota, split over the sections that can hold its questions.
    per_section: list[dict[int, int]] = [{} for _ in spec.sections]
    for g, quota in enumerate(spec.quotas):
        need = quota.seats(spec.items)
        avail = {
            s: sum(1 for i in cands if group_of.get(i) == g) for s, cands in enumerate(candidates)
        }
        have = sum(avail.values())
        if have < need:
            short.append(f"知识点 {quota.pattern} 需要 {need} 道,题池只有 {have} 道")
            continue
        split = allocate({str(s): n for s, n in avail.items()}, need, rng)
        for key, seats in split.items():
            if seats:
                per_section[int(key)][g] = seats
    items: list[DrawnItem] = []
    used: set[int] = set()
    for s, section in enumerate(spec.sections):
        cands = [i for i in candidates[s] if i not in used] if used else candidates[s]
        fixed = sum(per_section[s].values())
        free = [i for i in cands if i not in group_of] if group_of else cands
        free_need = section.count - fixed
        if len(cands) < section.count:
            short.append(
                f"{_section_label(section)} 需要 {section.count} 道,题池只有 {len(cands)} 道"
            )
            continue
        if free_need < 0 or len(free) < free_need:
            rest = "、".join(q.pattern for q in spec.quotas)
            short.append(
                f"{_section_label(section)}(除 {rest} 以外)需要 {max(free_need, 0)} 道,"
                f"题池只有 {len(free)} 道"
            )
            continue
        chosen: list[int] = []
        for g, n in per_section[s].items():
            chosen.extend(_by_topic([i for i in cands if group_of.get(i) == g], topics, n, rng))
        chosen.extend(_by_topic(free, topics, free_need, rng))
        if spec.shuffle_questions:
            rng.shuffle(chosen)
        else:
            chosen.sort()  # the pool's order
        for i in chosen:
            used.add(i)
            q = catalog[i]
            order = None
            if spec.shuffle_options and q.type is not QuestionType.JUDGE:
                order = tuple(rng.sample(q.letters, len(q.letters)))
            items.append(DrawnItem(q, section.points, order))
    if short:
        raise PaperShortError(spec.title, short)
    return items


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


UNSEEN_WEIGHT = 3.0  # a question never answered
MISSED_WEIGHT = 3.0  # a question whose last answer was wrong
WEAKNESS_WEIGHT = 3.0  # how much a weak knowledge point adds (accuracy 0 -> 1 + 3 = 4 times)


def practice_weight(question: Question, last_correct: Mapping[str, bool], accuracy: float) -> float:
    """How strongly ``cmquiz practice`` (no topic) favours a question: its own status (never
    answered or last answered wrong: 3, last answered right: 1) times its knowledge point's
    weakness (1 + 3 x (1 - smoothed accuracy): a point at 30 % weighs 3.1, one at 90 % 1.3)."""
    if question.id not in last_correct:
        own = UNSEEN_WEIGHT
    else:
        own = 1.0 if last_correct[question.id] else MISSED_WEIGHT
    return own * (1.0 + WEAKNESS_WEIGHT * (1.0 - accuracy))


def draw_weighted(
    pool: Sequence[Question],
    n: int | None,
    rng: random.Random,
    last_correct: Mapping[str, bool] | None = None,
    accuracy: Mapping[str, float] | None = None,
) -> list[Question]:
    """A practice run over the whole bank that favours weak knowledge points and questions
    never answered or last missed: ``n`` questions drawn without replacement with probability
    in proportion to ``practice_weight`` (Efraimidis-Spirakis keys), the heaviest draws first.
    ``accuracy`` maps a knowledge point's name to its smoothed accuracy (default 1/2)."""
    last_correct = last_correct or {}
    accuracy = accuracy or {}
    keyed = []
    for q in sorted(pool, key=lambda q: q.id):
        weight = practice_weight(q, last_correct, accuracy.get(q.topic.name, 0.5))
        keyed.append((rng.random() ** (1.0 / weight), q.id, q))
    keyed.sort(key=lambda k: (k[0], k[1]), reverse=True)
    chosen = [q for _, _, q in keyed]
    return chosen if n is None else chosen[:n]
