"""A run (practice, exam or review) as a pure state machine: a paper in, records out.

No I/O and no clock of its own: the caller passes the time of every event and writes the records
it gets back to the history. An exam keeps an answer sheet (answers can be changed until hand-in,
items can be flagged), a time limit measured on the caller's clock, and can be rebuilt from the
history to be resumed. Scores come from ``scoring``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .answers import OPTION_KEYS
from .model import Question
from .qtypes import QuestionType
from .records import (
    AnswerRecord,
    EndRecord,
    FlagRecord,
    Mode,
    PaperItem,
    ResumeRecord,
    StartRecord,
    Status,
)
from .scoring import ItemScore, MultiRule, PaperScore, score_answer, total


class SessionClosedError(RuntimeError):
    """An answer was given after the run ended (a bug in the caller)."""


class TimeUpError(Exception):
    """The exam's time ran out before this answer was given; it is not recorded."""


@dataclass(frozen=True)
class Item:
    """One position of the paper as the trainee sees it."""

    index: int
    question: Question
    points: float
    order: tuple[str, ...] | None = None  # bank letters in the order shown
    note: str | None = None  # e.g. the question was edited, or left the bank, since

    @property
    def shown_options(self) -> tuple[tuple[str, str], ...]:
        """(shown letter, text) in the order shown: ``A`` is the first option on screen."""
        if self.order is None:
            return self.question.options
        return tuple(
            (OPTION_KEYS[i], self.question.option_text(key)) for i, key in enumerate(self.order)
        )

    @property
    def shown_letters(self) -> str:
        return "".join(key for key, _ in self.shown_options)

    def to_bank(self, shown: frozenset[str]) -> frozenset[str]:
        """Letters typed on the shown options -> the bank's letters (what the history keeps)."""
        if self.order is None or self.question.type is QuestionType.JUDGE:
            return shown
        return frozenset(self.order[OPTION_KEYS.index(k)] for k in shown)

    def to_shown(self, bank: frozenset[str]) -> frozenset[str]:
        if self.order is None or self.question.type is QuestionType.JUDGE:
            return bank
        return frozenset(OPTION_KEYS[self.order.index(k)] for k in bank)

    def letter_map(self) -> str:
        """``原 A=现 C、原 B=现 A…``: for an explanation that names the bank's letters."""
        if self.order is None:
            return ""
        pairs = sorted((key, OPTION_KEYS[i]) for i, key in enumerate(self.order))
        return "、".join(f"原 {bank}=现 {shown}" for bank, shown in pairs)


@dataclass(frozen=True)
class Row:
    """One line of a result table: a question type or a knowledge point."""

    label: str
    total: int
    answered: int
    correct: int
    points: float
    max_points: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Miss:
    """An item answered wrongly or not at all (``given`` None), in the bank's letters."""

    item: Item
    given: frozenset[str] | None
    points: float


@dataclass(frozen=True)
class RunReport:
    """The outcome of a run, computed from its paper and the answers that count."""

    mode: Mode
    status: Status | None
    total: int
    answered: int
    correct: int
    score: PaperScore
    time_used_s: float
    time_limit_s: int | None
    by_type: tuple[Row, ...]
    by_topic: tuple[Row, ...]
    misses: tuple[Miss, ...]
    rule: MultiRule = MultiRule.ALL_OR_NOTHING
    title: str | None = None

    @property
    def passed(self) -> bool | None:
        if self.mode is not Mode.EXAM or self.status is Status.INTERRUPTED:
            return None
        return self.score.passed

    def to_dict(self) -> dict[str, Any]:
        """The figures of the report, for ``--json``."""

        def rows(items: tuple[Row, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "label": r.label,
                    "total": r.total,
                    "answered": r.answered,
                    "correct": r.correct,
                    "points": r.points,
                    "max_points": r.max_points,
                }
                for r in items
            ]

        return {
            "mode": self.mode.value,
            "title": self.title,
            "status": self.status.value if self.status else None,
            "score": self.score.score,
            "max_score": self.score.max_score,
            "pass_mark": self.score.pass_mark,
            "passed": self.passed,
            "questions": self.total,
            "answered": self.answered,
            "correct": self.correct,
            "time_used_s": round(self.time_used_s, 1),
            "time_limit_s": self.time_limit_s,
            "rule": self.rule.value,
            "by_type": rows(self.by_type),
            "by_topic": rows(self.by_topic),
            "missed": [
                {
                    "index": m.item.index,
                    "qid": m.item.question.id,
                    "given": sorted(m.given) if m.given is not None else None,
                    "answer": sorted(m.item.question.answer),
                    "points": m.points,
                }
                for m in self.misses
            ],
        }


def start_record(
    session_id: str,
    mode: Mode,
    items: Sequence[Item],
    at: datetime,
    *,
    rule: MultiRule = MultiRule.ALL_OR_NOTHING,
    time_limit_s: int | None = None,
    pass_mark: float | None = None,
    seed: int | None = None,
    paper: str | None = None,
    paper_name: str | None = None,
    topics: tuple[str, ...] = (),
    user: str | None = None,
    shuffle_options: bool = False,
    sequence: str | None = None,
) -> StartRecord:
    """The start record for a paper of ``items``."""
    return StartRecord(
        session=session_id,
        mode=mode,
        ts=at,
        items=tuple(
            PaperItem(
                qid=item.question.id,
                rev=item.question.rev,
                points=item.points,
                type=item.question.type.value,
                topic=item.question.topic,
                order=item.order,
            )
            for item in items
        ),
        rule=rule,
        time_limit_s=time_limit_s,
        pass_mark=pass_mark,
        seed=seed,
        paper=paper,
        paper_name=paper_name,
        topics=topics,
        user=user,
        shuffle_options=shuffle_options,
        sequence=sequence,
    )


class Session:
    """One run over a fixed paper. ``given`` holds the answers that count (bank letters)."""

    def __init__(
        self,
        start: StartRecord,
        items: Sequence[Item],
        opened: datetime,
        *,
        used_s: float = 0.0,
        given: Mapping[int, frozenset[str]] | None = None,
        flags: set[int] | None = None,
    ) -> None:
        self.start = start
        self.items = tuple(items)
        self.opened = opened  # when this stretch of the run began (start or resume)
        self.used_before_s = used_s  # time used in earlier stretches (a resumed exam)
        self.given: dict[int, frozenset[str]] = dict(given or {})
        self.scores: dict[int, ItemScore] = {
            i: self._score(i, g) for i, g in self.given.items() if i < len(self.items)
        }
        self.flags: set[int] = set(flags or ())
        self.end: EndRecord | None = None
        self.cursor = self.next_unanswered(-1) or 0

    @property
    def id(self) -> str:
        return self.start.session

    @property
    def mode(self) -> Mode:
        return self.start.mode

    @property
    def closed(self) -> bool:
        return self.end is not None

    def _score(self, index: int, given: frozenset[str]) -> ItemScore:
        item = self.items[index]
        return score_answer(item.question, given, item.points, self.start.rule)

    # --- time -----------------------------------------------------------------------------

    def time_used_s(self, now: datetime) -> float:
        return self.used_before_s + max(0.0, (now - self.opened).total_seconds())

    def time_left_s(self, now: datetime) -> float | None:
        if self.start.time_limit_s is None:
            return None
        return max(0.0, self.start.time_limit_s - self.time_used_s(now))

    def expired(self, now: datetime) -> bool:
        left = self.time_left_s(now)
        return left is not None and left <= 0

    # --- the answer sheet -------------------------------------------------------------------

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.items)) if i not in self.given]

    def next_unanswered(self, after: int) -> int | None:
        """The first unanswered item after ``after``, wrapping round; None when all are done."""
        count = len(self.items)
        for step in range(1, count + 1):
            index = (after + step) % count if count else 0
            if index not in self.given and index < count:
                return index
        return None

    def answer(
        self, index: int, given: frozenset[str], at: datetime, elapsed_ms: int
    ) -> AnswerRecord:
        """Record the answer to item ``index`` (bank letters); a later one replaces it."""
        if self.end is not None:
            raise SessionClosedError("the run has ended")
        if self.expired(at):
            raise TimeUpError
        item = self.items[index]
        result = self._score(index, given)
        self.given[index] = given
        self.scores[index] = result
        question = item.question
        return AnswerRecord(
            session=self.id,
            mode=self.mode,
            ts=at,
            qid=question.id,
            topic=question.topic,
            type=question.type.value,
            given=tuple(sorted(given)),
            correct=result.correct,
            points=result.points,
            max_points=result.max_points,
            elapsed_ms=max(0, elapsed_ms),
            index=index,
            rev=question.rev,
        )

    def toggle_flag(self, index: int, at: datetime) -> FlagRecord:
        flagged = index not in self.flags
        if flagged:
            self.flags.add(index)
        else:
            self.flags.discard(index)
        return FlagRecord(self.id, index, flagged, at)

    def resume_record(self) -> ResumeRecord:
        return ResumeRecord(self.id, self.opened)

    # --- the end ------------------------------------------------------------------------------

    def score(self) -> PaperScore:
        """An exam is scored over the whole paper (unanswered: 0); practice and review over
        what was answered."""
        if self.mode is Mode.EXAM:
            maximum = [item.points for item in self.items]
        else:
            maximum = [self.items[i].points for i in self.given]
        return total((s.points for s in self.scores.values()), maximum, self.start.pass_mark)

    def finish(self, at: datetime, status: Status) -> EndRecord:
        """Close the run; the end record is for the history."""
        if self.end is not None:
            return self.end
        score = self.score()
        counted = status is not Status.INTERRUPTED and self.mode is Mode.EXAM
        self.end = EndRecord(
            session=self.id,
            status=status,
            score=score.score,
            max_score=score.max_score,
            pass_mark=self.start.pass_mark,
            passed=score.passed if counted else None,
            answered=len(self.given),
            correct=sum(1 for s in self.scores.values() if s.correct),
            time_used_s=round(self.time_used_s(at), 1),
            ts=at,
        )
        return self.end

    def report(self, now: datetime) -> RunReport:
        return build_report(
            self.start,
            self.items,
            self.given,
            self.scores,
            status=self.end.status if self.end is not None else None,
            time_used_s=self.end.time_used_s or 0.0 if self.end else self.time_used_s(now),
        )


def _row(label: str, items: Sequence[Item], scores: Mapping[int, ItemScore]) -> Row:
    answered = [scores[item.index] for item in items if item.index in scores]
    return Row(
        label,
        total=len(items),
        answered=len(answered),
        correct=sum(1 for s in answered if s.correct),
        points=round(sum(s.points for s in answered), 2),
        max_points=round(sum(item.points for item in items), 4),
    )


def build_report(
    start: StartRecord,
    items: Sequence[Item],
    given: Mapping[int, frozenset[str]],
    scores: Mapping[int, ItemScore],
    *,
    status: Status | None,
    time_used_s: float,
) -> RunReport:
    """The report of a run from its paper, the answers that count and what each scored (as
    the engine scored it, or as the history recorded it for ``cmquiz exams --show``)."""
    from .qtypes import TYPE_ORDER

    exam = start.mode is Mode.EXAM
    counted = list(items) if exam else [items[i] for i in sorted(scores)]
    maximum = [item.points for item in counted]
    paper = total((s.points for s in scores.values()), maximum, start.pass_mark)

    def rows(label_of: Callable[[Item], str], type_order: bool) -> tuple[Row, ...]:
        groups: dict[str, list[Item]] = {}
        for item in counted:
            groups.setdefault(label_of(item), []).append(item)
        table = [_row(label, members, scores) for label, members in groups.items()]
        if type_order:
            order = [t.label for t in TYPE_ORDER]
            table.sort(key=lambda row: order.index(row.label))
        else:  # weakest first, the bigger share first among equals
            table.sort(key=lambda row: (row.points / row.max_points, -row.total))
        return tuple(table)

    misses = tuple(
        Miss(
            item, given.get(item.index), scores[item.index].points if item.index in scores else 0.0
        )
        for item in counted
        if item.index not in scores or not scores[item.index].correct
    )
    return RunReport(
        mode=start.mode,
        status=status,
        total=len(items),
        answered=len(scores),
        correct=sum(1 for s in scores.values() if s.correct),
        score=paper,
        time_used_s=time_used_s,
        time_limit_s=start.time_limit_s,
        by_type=rows(lambda item: item.question.type.label, True),
        by_topic=rows(lambda item: item.question.topic.label, False),
        misses=misses,
        rule=start.rule,
        title=start.paper,
    )
