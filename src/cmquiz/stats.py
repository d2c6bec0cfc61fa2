"""Aggregates over the answer history: totals, weak knowledge points, exams, missed questions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .history import HistoryLog
from .model import Question
from .qtypes import QuestionType
from .records import AnswerRecord, Mode
from .replay import SessionView, replay
from .sampling import question_matches


@dataclass(frozen=True)
class AccuracyRow:
    """Answers and right answers for a knowledge point or a question type."""

    label: str
    answered: int
    correct: int
    code: str | None = None

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True)
class ExamRow:
    session: str
    ended: datetime
    status: str
    score: float
    passed: bool | None
    questions: int
    answered: int
    max_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ended": self.ended.isoformat(timespec="seconds")}


@dataclass(frozen=True)
class MissedRow:
    qid: str
    topic: str
    wrong: int
    answered: int
    last_correct: bool
    stem: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StatsReport:
    answered: int
    correct: int
    questions_seen: int
    sessions: Mapping[str, int]
    first: datetime | None
    last: datetime | None
    by_topic: tuple[AccuracyRow, ...]
    by_type: tuple[AccuracyRow, ...]
    exams: tuple[ExamRow, ...]
    missed: tuple[MissedRow, ...]
    topics_filter: tuple[str, ...] = ()

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def empty(self) -> bool:
        return self.answered == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "questions_seen": self.questions_seen,
            "sessions": dict(self.sessions),
            "first": self.first.isoformat(timespec="seconds") if self.first else None,
            "last": self.last.isoformat(timespec="seconds") if self.last else None,
            "topics_filter": list(self.topics_filter),
            "by_topic": [row.to_dict() for row in self.by_topic],
            "by_type": [row.to_dict() for row in self.by_type],
            "exams": [row.to_dict() for row in self.exams],
            "missed": [row.to_dict() for row in self.missed],
        }


def answer_matches(record: AnswerRecord, patterns: Sequence[str]) -> bool:
    return not patterns or any(record.topic.matches(p) for p in patterns)


def type_label(value: str) -> str:
    """``single`` -> ``单选`` (records store the enum value)."""
    try:
        return QuestionType(value).label
    except ValueError:
        return value


def counted_answers(sessions: Mapping[str, SessionView]) -> list[AnswerRecord]:
    """The answers that count: the last one given at each position of each run."""
    answers = [a for view in sessions.values() for a in view.latest().values()]
    answers.sort(key=lambda a: a.ts)
    return answers


def compute_stats(
    log: HistoryLog,
    *,
    topics: Sequence[str] = (),
    questions: Mapping[str, Question] | None = None,
    recent_exams: int = 10,
    top_missed: int = 10,
) -> StatsReport:
    """Everything ``cmquiz stats`` shows, for the answers whose topic matches ``topics``."""
    questions = questions or {}
    sessions = replay(log.records)
    # Knowledge points the patterns select through the banks (e.g. by bank title) ...
    selected = {q.topic.name for q in questions.values() if topics and question_matches(q, topics)}
    # ... and, for questions no longer in any bank, by the topic recorded with the answer.
    answers = [
        a
        for a in counted_answers(sessions)
        if a.topic.name in selected or answer_matches(a, topics)
    ]
    sessions_of_answers = {a.session for a in answers}
    session_counts: dict[str, int] = defaultdict(int)
    for view in sessions.values():
        if (view.answers or view.end is not None) and (
            not topics or view.id in sessions_of_answers
        ):
            session_counts[view.mode.value] += 1
    return StatsReport(
        answered=len(answers),
        correct=sum(1 for a in answers if a.correct),
        questions_seen=len({a.qid for a in answers}),
        sessions=dict(session_counts),
        first=min((a.ts for a in answers), default=None),
        last=max((a.ts for a in answers), default=None),
        by_topic=_by_topic(answers),
        by_type=_by_type(answers),
        exams=_exams(list(sessions.values()), answers, topics, recent_exams),
        missed=_missed(answers, questions, top_missed),
        topics_filter=tuple(topics),
    )


def _by_topic(answers: Sequence[AnswerRecord]) -> tuple[AccuracyRow, ...]:
    answered: dict[str, int] = defaultdict(int)
    correct: dict[str, int] = defaultdict(int)
    codes: dict[str, str | None] = {}
    for a in answers:
        name = a.topic.name
        answered[name] += 1
        correct[name] += a.correct
        codes[name] = a.topic.code or codes.get(name)
    rows = [AccuracyRow(t, answered[t], correct[t], codes[t]) for t in answered]
    rows.sort(key=lambda r: (r.accuracy, -r.answered, r.label))  # weakest first
    return tuple(rows)


def _by_type(answers: Sequence[AnswerRecord]) -> tuple[AccuracyRow, ...]:
    answered: dict[str, int] = defaultdict(int)
    correct: dict[str, int] = defaultdict(int)
    for a in answers:
        answered[a.type] += 1
        correct[a.type] += a.correct
    order = ["single", "multiple", "judge"]
    keys = sorted(answered, key=lambda t: order.index(t) if t in order else len(order))
    return tuple(AccuracyRow(type_label(t), answered[t], correct[t]) for t in keys)


def _exams(
    sessions: Sequence[SessionView],
    answers: Sequence[AnswerRecord],
    topics: Sequence[str],
    limit: int,
) -> tuple[ExamRow, ...]:
    exams = [  # not the exams left before their first answer
        s for s in sessions if s.mode is Mode.EXAM and (s.answers or (s.end and s.end.answered))
    ]
    if topics:
        # With a topic filter an exam row shows the accuracy on that topic's questions only.
        per_session: dict[str, list[AnswerRecord]] = defaultdict(list)
        for a in answers:
            per_session[a.session].append(a)
        rows = []
        for s in exams:
            mine = per_session.get(s.id)
            if not mine:
                continue
            right = sum(1 for a in mine if a.correct)
            rows.append(
                ExamRow(
                    s.id,
                    s.last_seen or mine[-1].ts,
                    s.status.value if s.status else "interrupted",
                    round(100 * right / len(mine), 1),
                    None,
                    len(mine),
                    len(mine),
                )
            )
    else:
        rows = []
        for s in exams:
            end = s.end
            latest = s.latest()
            score = end.score if end else round(sum(a.points for a in latest.values()), 2)
            rows.append(
                ExamRow(
                    s.id,
                    end.ts if end else (s.last_seen or s.answers[-1].ts),
                    s.status.value if s.status else "interrupted",
                    score,
                    end.passed if end else None,
                    s.questions,
                    len(latest),
                    end.max_score if end else (s.start.max_score if s.start else None),
                )
            )
    rows.sort(key=lambda r: r.ended, reverse=True)
    return tuple(rows[:limit])


def _missed(
    answers: Sequence[AnswerRecord],
    questions: Mapping[str, Question],
    limit: int,
) -> tuple[MissedRow, ...]:
    wrong: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    latest: dict[str, AnswerRecord] = {}
    for a in answers:
        total[a.qid] += 1
        wrong[a.qid] += not a.correct
        if a.qid not in latest or a.ts >= latest[a.qid].ts:
            latest[a.qid] = a
    rows = [
        MissedRow(
            qid=qid,
            topic=latest[qid].topic.name,
            wrong=wrong[qid],
            answered=total[qid],
            last_correct=latest[qid].correct,
            stem=questions[qid].stem if qid in questions else None,
        )
        for qid in total
        if wrong[qid]
    ]
    rows.sort(key=lambda r: (-r.wrong, r.last_correct, -(r.wrong / r.answered), r.qid))
    return tuple(rows[:limit])


def last_results(log: HistoryLog) -> dict[str, bool]:
    """Question id -> whether its most recent answer was right (for practice ordering)."""
    latest: dict[str, AnswerRecord] = {}
    for a in counted_answers(replay(log.records)):
        if a.qid not in latest or a.ts >= latest[a.qid].ts:
            latest[a.qid] = a
    return {qid: a.correct for qid, a in latest.items()}
