"""A quiz run as a pure state machine: questions in, answer and session records out.

No I/O and no clock of its own: the caller passes the time of every event and writes the
records it gets back to the history. Practice, exam and review runs differ only in mode (and
in what the shell shows between questions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .history import AnswerRecord, Mode, SessionRecord, SessionStatus
from .model import Question
from .qtypes import TYPE_ORDER, QuestionType
from .scoring import score_answer

PASS_MARK = 60.0
MAX_SCORE = 100.0


class SessionClosedError(RuntimeError):
    """An answer was given after the run ended (a bug in the caller)."""


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a result table: a question type or a knowledge point."""

    label: str
    total: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Miss:
    """A question answered wrongly (``given`` is None when it was never answered)."""

    number: int
    question: Question
    given: frozenset[str] | None


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run, computed from its questions and answers."""

    mode: Mode
    status: SessionStatus
    total: int
    answered: int
    correct: int
    score: float
    passed: bool | None
    by_type: tuple[BreakdownRow, ...]
    by_topic: tuple[BreakdownRow, ...]
    misses: tuple[Miss, ...]


class Session:
    """One run over a fixed list of questions, answered in order."""

    def __init__(
        self,
        session_id: str,
        mode: Mode,
        questions: Sequence[Question],
        started: datetime,
        *,
        seed: int | None = None,
        topics: Sequence[str] = (),
        pass_mark: float = PASS_MARK,
    ) -> None:
        self.id = session_id
        self.mode = mode
        self.questions = tuple(questions)
        self.started = started
        self.seed = seed
        self.topics = tuple(topics)
        self.pass_mark = pass_mark
        self.answers: list[AnswerRecord] = []
        self._given: list[frozenset[str]] = []
        self.record: SessionRecord | None = None

    @property
    def position(self) -> int:
        """Index of the question being asked (== number answered)."""
        return len(self.answers)

    @property
    def current(self) -> Question | None:
        if self.record is not None or self.position >= len(self.questions):
            return None
        return self.questions[self.position]

    @property
    def done(self) -> bool:
        return self.current is None

    def answer(self, given: frozenset[str], at: datetime, elapsed_ms: int) -> AnswerRecord:
        """Grade the current question and move on; the record is for the history."""
        question = self.current
        if question is None:
            raise SessionClosedError("no question is waiting for an answer")
        result = score_answer(question, given)
        record = AnswerRecord(
            session=self.id,
            mode=self.mode,
            ts=at,
            qid=question.id,
            topic=question.topic.name,
            topic_code=question.topic.code,
            type=question.type.value,
            given=tuple(sorted(given)),
            correct=result.correct,
            points=result.points,
            max_points=result.max_points,
            elapsed_ms=max(0, elapsed_ms),
        )
        self.answers.append(record)
        self._given.append(given)
        return record

    def finish(self, at: datetime) -> SessionRecord:
        """Close the run: completed when every question was answered, else interrupted."""
        if self.record is not None:
            return self.record
        result = self.result()
        self.record = SessionRecord(
            session=self.id,
            mode=self.mode,
            started=self.started,
            ended=at,
            status=result.status,
            questions=result.total,
            answered=result.answered,
            correct=result.correct,
            score=result.score,
            max_score=MAX_SCORE,
            passed=result.passed,
            seed=self.seed,
            topics=self.topics,
        )
        return self.record

    def result(self) -> RunResult:
        """Score and breakdowns. An exam is scored over the whole paper (unanswered = 0 points);
        a practice run over the questions answered."""
        answered = len(self.answers)
        complete = answered == len(self.questions)
        status = SessionStatus.COMPLETED if complete else SessionStatus.INTERRUPTED
        points = sum(a.points for a in self.answers)
        if self.mode is Mode.EXAM:
            max_points = float(len(self.questions))
        else:
            max_points = sum(a.max_points for a in self.answers)
        score = round(MAX_SCORE * points / max_points, 1) if max_points else 0.0
        passed = (complete and score >= self.pass_mark) if self.mode is Mode.EXAM else None
        correct = sum(1 for a in self.answers if a.correct)
        counted = self.questions if self.mode is Mode.EXAM else self.questions[:answered]
        return RunResult(
            mode=self.mode,
            status=status,
            total=len(self.questions),
            answered=answered,
            correct=correct,
            score=score,
            passed=passed,
            by_type=self._breakdown(counted, lambda q: q.type.label, type_order=True),
            by_topic=self._breakdown(counted, lambda q: q.topic.label),
            misses=self._misses(counted),
        )

    def _breakdown(
        self,
        questions: Sequence[Question],
        label_of: Callable[[Question], str],
        *,
        type_order: bool = False,
    ) -> tuple[BreakdownRow, ...]:
        totals: Counter[str] = Counter()
        answered: Counter[str] = Counter()
        correct: Counter[str] = Counter()
        for index, question in enumerate(questions):
            label = label_of(question)
            totals[label] += 1
            if index < len(self.answers):
                answered[label] += 1
                correct[label] += self.answers[index].correct
        labels = list(totals)
        if type_order:
            order = [t.label for t in TYPE_ORDER]
            labels.sort(key=order.index)
        else:  # weakest first, the bigger share first among equals
            labels.sort(key=lambda lbl: (correct[lbl] / totals[lbl], -totals[lbl]))
        return tuple(BreakdownRow(lbl, totals[lbl], answered[lbl], correct[lbl]) for lbl in labels)

    def _misses(self, questions: Sequence[Question]) -> tuple[Miss, ...]:
        misses = []
        for index, question in enumerate(questions):
            if index < len(self.answers):
                if not self.answers[index].correct:
                    misses.append(Miss(index + 1, question, self._given[index]))
            else:
                misses.append(Miss(index + 1, question, None))
        return tuple(misses)


def type_label(value: str) -> str:
    """``single`` -> ``单选`` (history records store the enum value)."""
    try:
        return QuestionType(value).label
    except ValueError:
        return value
