"""What the history says about learning, as one fold over its records: each question's answers,
its FSRS card, the wrong-answer notebook, the stars, the exam plan and where each sequential
walk stopped.

The history is the source of truth: ``fold(records)`` rebuilds everything from scratch, and the
state has ``to_dict``/``from_dict`` so that a cache of it keyed by the history's byte offset can
go on from where it stopped (``fold(more_records, LearningState.from_dict(cached))`` equals the
fold of the whole history; tests check it). A later FSRS version is a replay, not a migration.

Which answers count: every practice and review answer when it is given; an exam's answers when
the exam is handed in (completed, timed out or abandoned) and only the last answer at each
position, so an answer changed before hand-in is not a lapse. An exam left unfinished keeps its
answers pending (they are part of the state) until it ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .learning_records import (
    CursorRecord,
    NotebookRecord,
    PlanRecord,
    SettingRecord,
    StarRecord,
)
from .notebook import Notebook
from .records import AnswerRecord, EndRecord, Mode, Record, StartRecord, Status

if TYPE_CHECKING:
    from fsrs import Card


def scope_key(topic_names: Iterable[str], qtype: str | None = None) -> str:
    """What a sequential walk is over: its knowledge points (however ``--topic`` named them)
    and its question type. ``*`` is the whole bank."""
    names = sorted(set(topic_names))
    key = "|".join(names) if names else "*"
    return f"{key}#{qtype}" if qtype else key


@dataclass
class QuestionLog:
    """A question's counted answers: how many, how many right, the first and the last."""

    answered: int
    correct: int
    first: datetime
    last: datetime
    last_correct: bool
    last_right: datetime | None

    def to_row(self) -> list[Any]:
        """A compact disk form: ``[answered, correct, first, last, last_correct, last_right]``."""
        right = self.last_right.isoformat() if self.last_right else None
        return [
            self.answered,
            self.correct,
            self.first.isoformat(),
            self.last.isoformat(),
            self.last_correct,
            right,
        ]

    @classmethod
    def from_row(cls, row: list[Any]) -> QuestionLog:
        answered, correct, first, last, last_correct, right = row
        return cls(
            int(answered),
            int(correct),
            datetime.fromisoformat(first),
            datetime.fromisoformat(last),
            bool(last_correct),
            datetime.fromisoformat(right) if right else None,
        )


@dataclass
class LearningState:
    """The fold's state. ``apply`` one record at a time, in history order."""

    questions: dict[str, QuestionLog] = field(default_factory=dict)
    topics: dict[str, list[int]] = field(default_factory=dict)  # name -> [answered, correct]
    cards: dict[str, Card] = field(default_factory=dict)
    notebook: Notebook = field(default_factory=Notebook)
    stars: dict[str, datetime] = field(default_factory=dict)
    plan: PlanRecord | None = None
    cursors: dict[str, str | None] = field(default_factory=dict)  # scope -> last qid done
    sequences: dict[str, str] = field(default_factory=dict)  # open sequential run -> scope
    pending: dict[str, dict[int, AnswerRecord]] = field(default_factory=dict)  # exams
    with_cards: bool = True  # False: skip FSRS (commands that never look at the cards)

    # --- the fold --------------------------------------------------------------------------

    def apply(self, record: Record) -> None:
        if isinstance(record, AnswerRecord):
            self._answer(record)
        elif isinstance(record, StartRecord):
            if record.sequence is not None:
                self.sequences[record.session] = record.sequence
        elif isinstance(record, EndRecord):
            self.sequences.pop(record.session, None)
            if record.status is not Status.INTERRUPTED and record.session in self.pending:
                answers = self.pending.pop(record.session)
                for answer in sorted(answers.values(), key=lambda a: a.ts):
                    self._count(answer)
        elif isinstance(record, StarRecord):
            if record.starred:
                self.stars[record.qid] = record.ts
            else:
                self.stars.pop(record.qid, None)
        elif isinstance(record, NotebookRecord):
            self.notebook.remove(record.qid)
        elif isinstance(record, SettingRecord):
            self.notebook.set_streak(record.value)
        elif isinstance(record, PlanRecord):
            self.plan = record if record.exam_date is not None else None
        elif isinstance(record, CursorRecord):
            self.cursors[record.scope] = None

    def _answer(self, answer: AnswerRecord) -> None:
        scope = self.sequences.get(answer.session)
        if scope is not None:
            self.cursors[scope] = answer.qid
        if answer.mode is Mode.EXAM and answer.index is not None:
            self.pending.setdefault(answer.session, {})[answer.index] = answer
        else:
            self._count(answer)

    def _count(self, answer: AnswerRecord) -> None:
        from .scheduling import rating_for, review

        log = self.questions.get(answer.qid)
        if self.with_cards:
            rating = rating_for(answer.type, answer.correct, log is None, answer.elapsed_ms)
            card = review(self.cards.get(answer.qid), answer.qid, rating, answer.ts)
            self.cards[answer.qid] = card
        if log is None:
            log = self.questions[answer.qid] = QuestionLog(
                0, 0, answer.ts, answer.ts, answer.correct, None
            )
        log.answered += 1
        log.correct += answer.correct
        log.last = max(log.last, answer.ts)
        log.last_correct = answer.correct
        if answer.correct:
            log.last_right = answer.ts
        counts = self.topics.setdefault(answer.topic.name, [0, 0])
        counts[0] += 1
        counts[1] += answer.correct
        self.notebook.count(answer)

    # --- what commands ask --------------------------------------------------------------------

    def last_results(self) -> dict[str, bool]:
        """Question id -> whether its last counted answer was right."""
        return {qid: log.last_correct for qid, log in self.questions.items()}

    def topic_accuracy(self, name: str) -> float:
        """Right answers / answers for a knowledge point, smoothed towards 1/2 (one right and
        one wrong answer added), so a point tried once is not judged on that one answer."""
        answered, correct = self.topics.get(name, (0, 0))
        return (correct + 1) / (answered + 2)

    def starred(self) -> list[str]:
        """Starred question ids, the most recently starred first."""
        return sorted(self.stars, key=lambda qid: self.stars[qid], reverse=True)

    def resume_after(self, scope: str) -> str | None:
        """The last question a sequential walk over ``scope`` answered (None: from the start)."""
        return self.cursors.get(scope)

    # --- the disk form --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        from .scheduling import card_to_dict

        return {
            "questions": {qid: log.to_row() for qid, log in self.questions.items()},
            "topics": {name: list(c) for name, c in self.topics.items()},
            "cards": {qid: card_to_dict(card) for qid, card in self.cards.items()},
            "notebook": self.notebook.to_dict(),
            "stars": {qid: ts.isoformat() for qid, ts in self.stars.items()},
            "plan": self.plan.to_dict() if self.plan else None,
            "cursors": dict(self.cursors),
            "sequences": dict(self.sequences),
            "pending": {
                session: {str(i): a.to_dict() for i, a in answers.items()}
                for session, answers in self.pending.items()
            },
            "with_cards": self.with_cards,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearningState:
        """What ``to_dict`` wrote; without its ``"cards"`` the state leaves the cards out
        (``with_cards`` False), as the commands that never look at them do."""
        from .scheduling import card_from_dict

        plan = data["plan"]
        cards = data.get("cards")
        return cls(
            questions={q: QuestionLog.from_row(r) for q, r in data["questions"].items()},
            topics={name: [int(c[0]), int(c[1])] for name, c in data["topics"].items()},
            cards={qid: card_from_dict(d) for qid, d in (cards or {}).items()},
            notebook=Notebook.from_dict(data["notebook"]),
            stars={qid: datetime.fromisoformat(ts) for qid, ts in data["stars"].items()},
            plan=PlanRecord.from_dict(plan) if plan else None,
            cursors=dict(data["cursors"]),
            sequences=dict(data["sequences"]),
            pending={
                session: {int(i): AnswerRecord.from_dict(a) for i, a in answers.items()}
                for session, answers in data["pending"].items()
            },
            with_cards=bool(data.get("with_cards", True)) and cards is not None,
        )


def fold(
    records: Iterable[Record], state: LearningState | None = None, *, cards: bool = True
) -> LearningState:
    """The learning state after ``records`` (history order), from scratch or from ``state``.
    ``cards=False`` leaves out the FSRS cards (the rest is the same, and quicker)."""
    state = state if state is not None else LearningState(with_cards=cards)
    for record in records:
        state.apply(record)
    return state


def ordered_walk(pool: Sequence[str], after: str | None) -> int:
    """Where a sequential walk over ``pool`` (question ids in bank order) goes on: the position
    after ``after``; 0 when it is not there (never started, restarted, or removed from the
    bank) or was the last one."""
    if after is None or after not in pool:
        return 0
    position = pool.index(after) + 1
    return position if position < len(pool) else 0
