"""The figures ``cmquiz stats`` shows, as values: the filter, one row per knowledge point,
question type, exam and missed question, the next step, and the whole report (``to_dict`` is
the ``--json`` form). Built by ``stats.StatsBuilder``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .activity import Activity
from .errors import UsageError
from .records import Mode, Status
from .topics import Topic


@dataclass(frozen=True)
class StatsFilter:
    """Which answers the figures cover."""

    topics: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    modes: tuple[Mode, ...] = ()

    def day_ok(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def mode_ok(self, mode: Mode) -> bool:
        return not self.modes or mode in self.modes

    def to_dict(self) -> dict[str, Any]:
        return {
            "topics": list(self.topics),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "modes": [m.value for m in self.modes],
        }


@dataclass(frozen=True)
class AccuracyRow:
    """Answers and right answers for a question type."""

    label: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
        }


@dataclass(frozen=True)
class TopicRow:
    """One knowledge point: accuracy, attempts, coverage of the bank, last practised, trend."""

    topic: Topic
    answered: int
    correct: int
    seen: int  # different questions answered
    in_bank: int | None  # questions of this point in the banks (None: no longer in them)
    last: datetime | None
    recent: tuple[bool, ...] = ()  # the last TREND_WINDOW results, oldest first
    trend: float | None = None  # accuracy of ``recent`` minus the accuracy before them

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def coverage(self) -> str:
        """``26/40``: questions seen / questions in the bank."""
        return f"{self.seen}/{self.in_bank}" if self.in_bank is not None else f"{self.seen}/?"

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic.name,
            "code": self.topic.code,
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "seen": self.seen,
            "in_bank": self.in_bank,
            "coverage": self.coverage,
            "last": self.last.isoformat(timespec="seconds") if self.last else None,
            "recent": [int(r) for r in self.recent],
            "trend": None if self.trend is None else round(self.trend, 4),
        }


@dataclass(frozen=True)
class ExamRow:
    """One exam. With a knowledge-point filter, ``score`` is the percent right on that point's
    questions (``max_score`` 100, no pass mark)."""

    session: str
    started: datetime | None
    ended: datetime
    paper: str
    status: Status | None
    score: float
    max_score: float
    pass_mark: float | None
    passed: bool | None
    questions: int
    answered: int

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExamRow:
        """What ``to_dict`` wrote (a cache of the history's figures)."""
        started = data["started"]
        return cls(
            session=data["session"],
            started=datetime.fromisoformat(started) if started else None,
            ended=datetime.fromisoformat(data["ended"]),
            paper=data["paper"],
            status=Status(data["status"]) if data["status"] else None,
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            pass_mark=data["pass_mark"],
            passed=data["passed"],
            questions=int(data["questions"]),
            answered=int(data["answered"]),
        )

    @property
    def pass_fraction(self) -> float | None:
        if self.pass_mark is None or not self.max_score:
            return None
        return self.pass_mark / self.max_score

    @property
    def finished(self) -> bool:
        return self.status in (Status.COMPLETED, Status.TIMED_OUT)

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "started": self.started.isoformat(timespec="seconds") if self.started else None,
            "ended": self.ended.isoformat(timespec="seconds"),
            "paper": self.paper,
            "status": self.status.value if self.status else None,
            "score": self.score,
            "max_score": self.max_score,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "percent": round(100 * self.fraction, 2),
            "pass_percent": None
            if self.pass_fraction is None
            else round(100 * self.pass_fraction, 2),
            "questions": self.questions,
            "answered": self.answered,
        }


@dataclass(frozen=True)
class MissedRow:
    qid: str
    topic: str
    wrong: int
    answered: int
    last_correct: bool
    stem: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "qid": self.qid,
            "topic": self.topic,
            "wrong": self.wrong,
            "answered": self.answered,
            "last_correct": self.last_correct,
            "stem": self.stem,
        }


@dataclass(frozen=True)
class NextStep:
    """What to do next and the cmquiz arguments that do it (the shell adds the global options)."""

    reason: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class StatsReport:
    answered: int
    correct: int
    questions_seen: int
    sessions: Mapping[str, int]
    first: datetime | None
    last: datetime | None
    by_topic: tuple[TopicRow, ...]  # practised, weakest first
    unpractised: tuple[TopicRow, ...]  # in the banks, never answered (in the filters)
    by_type: tuple[AccuracyRow, ...]
    exams: tuple[ExamRow, ...]  # oldest first
    missed: tuple[MissedRow, ...]
    activity: Activity
    filter: StatsFilter = field(default_factory=StatsFilter)
    next_step: NextStep | None = None

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def empty(self) -> bool:
        return self.answered == 0 and not self.exams

    @property
    def topics_filter(self) -> tuple[str, ...]:
        return self.filter.topics

    def to_dict(self) -> dict[str, Any]:
        return {
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "questions_seen": self.questions_seen,
            "sessions": dict(self.sessions),
            "first": self.first.isoformat(timespec="seconds") if self.first else None,
            "last": self.last.isoformat(timespec="seconds") if self.last else None,
            "filter": self.filter.to_dict(),
            "by_topic": [row.to_dict() for row in self.by_topic],
            "unpractised": [row.to_dict() for row in self.unpractised],
            "by_type": [row.to_dict() for row in self.by_type],
            "exams": [row.to_dict() for row in self.exams],
            "missed": [row.to_dict() for row in self.missed],
            "activity": self.activity.to_dict(),
            "next_step": None
            if self.next_step is None
            else {"reason": self.next_step.reason, "args": list(self.next_step.args)},
        }


_MODE_NAMES = {
    **{m.value: m for m in Mode},
    **{m.label: m for m in Mode},
}


def parse_mode(text: str) -> Mode:
    """``practice``/``exam``/``review`` or ``练习``/``考试``/``复习``."""
    mode = _MODE_NAMES.get(text.strip().lower())
    if mode is None:
        raise UsageError(f"--mode 的值 {text} 无效;可用 practice(练习)、exam(考试)、review(复习)")
    return mode


def parse_day(text: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` date of an option such as ``--since``."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} 的值 {text} 不是日期;请写成 YYYY-MM-DD,如 2026-03-01") from None
