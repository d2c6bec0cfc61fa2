"""A training department's figures over its trainees' histories, read as one stream.

``analyse`` reads every history file run by run (``histories.sessions_of``) and feeds each run to
the item analysis (``itemstats.ItemAnalysis``: finished exams only), to a summary per trainee
(who answered: ``histories.owner``) and, when asked, to the department-wide knowledge-point and
activity figures (``stats.StatsBuilder``). Nothing but these running figures is kept, so the
time grows with the number of records and the memory with the number of questions, trainees
and exams, not with the number of answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from .activity import answer_seconds, day_of
from .errors import TopicNotFoundError
from .histories import ReadNotes, owner, sessions_of
from .itemstats import MIN_ANSWERS, ItemAnalysis, ItemStats, finished_exam
from .model import Question
from .replay import SessionView
from .sampling import question_matches
from .stats import StatsBuilder, StatsFilter, StatsReport, topic_labels, unmatched_topics


@dataclass(frozen=True)
class TraineeRow:
    """One trainee: finished exams (scores as fractions of each paper's maximum), answers in
    every mode (the last answer at each position counts), days active, time spent."""

    name: str
    files: tuple[str, ...]
    exams: int
    passed: int
    graded: int  # exams with a pass mark
    mean: float | None
    best: float | None
    last: float | None
    last_exam: datetime | None
    answered: int
    correct: int
    active_days: int
    last_active: datetime | None
    seconds: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "files": list(self.files),
            "exams": self.exams,
            "passed": self.passed if self.graded else None,
            "mean_percent": _percent(self.mean),
            "best_percent": _percent(self.best),
            "last_percent": _percent(self.last),
            "last_exam": self.last_exam.isoformat(timespec="seconds") if self.last_exam else None,
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "active_days": self.active_days,
            "last_active": self.last_active.isoformat(timespec="seconds")
            if self.last_active
            else None,
            "time_spent_s": round(self.seconds, 1),
        }


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 2)


@dataclass(frozen=True)
class ExamPoint:
    """One finished exam of one trainee, for the department's score chart."""

    user: str
    ended: datetime
    paper: str
    fraction: float
    pass_fraction: float | None
    passed: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "ended": self.ended.isoformat(timespec="seconds"),
            "paper": self.paper,
            "percent": round(100 * self.fraction, 2),
            "pass_percent": _percent(self.pass_fraction),
            "passed": self.passed,
        }


@dataclass(frozen=True)
class DepartmentReport:
    files: tuple[str, ...]
    attempts: int  # finished exams in the item analysis
    items: tuple[ItemStats, ...]
    trainees: tuple[TraineeRow, ...]
    exams: tuple[ExamPoint, ...]  # oldest first
    min_answers: int
    overview: StatsReport | None = None  # everyone's answers together, when asked for
    notes: ReadNotes = field(default_factory=ReadNotes)

    @property
    def flagged(self) -> tuple[ItemStats, ...]:
        return tuple(row for row in self.items if row.flags)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "histories": list(self.files),
            "attempts": self.attempts,
            "min_answers": self.min_answers,
            "items": [row.to_dict() for row in self.items],
            "trainees": [row.to_dict() for row in self.trainees],
        }
        if self.overview is not None:
            data["exams"] = [e.to_dict() for e in self.exams]
            data["overview"] = self.overview.to_dict()
        return data


@dataclass
class _Trainee:
    name: str
    files: set[str] = field(default_factory=set)
    fractions: list[tuple[datetime, float]] = field(default_factory=list)
    passed: int = 0
    graded: int = 0
    answered: int = 0
    correct: int = 0
    days: set[date] = field(default_factory=set)
    last_active: datetime | None = None
    seconds: float = 0.0

    def add(self, view: SessionView, tz: tzinfo | None, flt: StatsFilter) -> None:
        for record in view.answers:
            if flt.day_ok(day_of(record.ts, tz)):
                self.seconds += answer_seconds(record)
        for a in view.latest().values():
            day = day_of(a.ts, tz)
            if not flt.day_ok(day):
                continue
            self.answered += 1
            self.correct += a.correct
            self.days.add(day)
            if self.last_active is None or a.ts > self.last_active:
                self.last_active = a.ts

    def row(self) -> TraineeRow:
        scores = sorted(self.fractions)
        values = [f for _, f in scores]
        return TraineeRow(
            name=self.name,
            files=tuple(sorted(self.files)),
            exams=len(values),
            passed=self.passed,
            graded=self.graded,
            mean=sum(values) / len(values) if values else None,
            best=max(values, default=None),
            last=values[-1] if values else None,
            last_exam=scores[-1][0] if scores else None,
            answered=self.answered,
            correct=self.correct,
            active_days=len(self.days),
            last_active=self.last_active,
            seconds=self.seconds,
        )


def _exam_point(view: SessionView, user: str) -> ExamPoint | None:
    end = view.end
    if end is None or not end.max_score:
        return None
    start = view.start
    pass_mark = start.pass_mark if start is not None else end.pass_mark
    paper = (start.paper or f"{len(start.items)} 题") if start else f"{view.questions} 题"
    return ExamPoint(
        user=user,
        ended=end.ts,
        paper=paper,
        fraction=end.score / end.max_score,
        pass_fraction=None if pass_mark is None else pass_mark / end.max_score,
        passed=end.passed,
    )


def analyse(
    paths: Sequence[Path],
    questions: Mapping[str, Question],
    *,
    min_answers: int = MIN_ANSWERS,
    flt: StatsFilter | None = None,
    tz: tzinfo | None = None,
    today: date | None = None,
    overview: bool = False,
) -> DepartmentReport:
    """The item analysis and the per-trainee summary over ``paths``; with ``overview``, also
    everyone's answers together as ``cmquiz stats`` figures (knowledge points, activity)."""
    flt = flt or StatsFilter()
    notes = ReadNotes()
    items = ItemAnalysis()
    trainees: dict[str, _Trainee] = {}
    exams: list[ExamPoint] = []
    builder = StatsBuilder(flt, questions, tz) if overview else None
    for path, view in sessions_of(paths, notes):
        who = owner(view, path)
        trainee = trainees.get(who)
        if trainee is None:
            trainee = trainees[who] = _Trainee(who)
        trainee.files.add(str(path))
        trainee.add(view, tz, flt)
        if builder is not None:
            builder.add(view)
        if not finished_exam(view):
            continue
        point = _exam_point(view, who)
        if point is None or not flt.day_ok(day_of(point.ended, tz)):
            continue
        trainee.fractions.append((point.ended, point.fraction))
        trainee.passed += bool(point.passed)
        trainee.graded += point.pass_fraction is not None
        exams.append(point)
        items.add(view)
    rows = items.report(questions, min_answers)
    if flt.topics:
        unmatched = unmatched_topics(flt.topics, questions, {r.topic for r in rows})
        if unmatched:
            raise TopicNotFoundError(unmatched, topic_labels(questions))
        selected = {q.id for q in questions.values() if question_matches(q, flt.topics)}
        rows = tuple(r for r in rows if r.qid in selected or _topic_matches(r, flt.topics))
    return DepartmentReport(
        files=tuple(str(p) for p in paths),
        attempts=items.attempts,
        items=rows,
        trainees=tuple(t.row() for t in sorted(trainees.values(), key=lambda t: t.name)),
        exams=tuple(sorted(exams, key=lambda e: e.ended)),
        min_answers=min_answers,
        overview=None
        if builder is None
        else builder.report(today or datetime.now(tz).date(), suggest=False),
        notes=notes,
    )


def _topic_matches(row: ItemStats, patterns: Sequence[str]) -> bool:
    return any(row.topic.matches(p) for p in patterns)
