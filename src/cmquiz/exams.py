"""Past exams and the available papers, as ``cmquiz exams`` and ``cmquiz papers`` list them."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import BankError, CmquizError, PaperShortError, UsageError
from .model import Question
from .papers import PaperSpec
from .records import EndRecord, Mode, Status
from .replay import SessionView
from .sampling import assemble_paper

SHORT_ID = 8


@dataclass(frozen=True)
class ExamListing:
    """One exam of the history."""

    id: str
    started: datetime | None
    paper: str
    score: float
    max_score: float
    pass_mark: float | None
    passed: bool | None
    status: Status | None  # None: ended without a record (the process was killed)
    time_used_s: float
    answered: int
    questions: int
    resumable: bool
    user: str | None = None

    @property
    def short_id(self) -> str:
        return self.id[:SHORT_ID]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExamListing:
        """What ``to_dict`` wrote (a cache of the history's figures)."""
        started = data["started"]
        return cls(
            id=data["id"],
            started=datetime.fromisoformat(started) if started else None,
            paper=data["paper"],
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            pass_mark=data["pass_mark"],
            passed=data["passed"],
            status=Status(data["status"]) if data["status"] else None,
            time_used_s=float(data["time_used_s"]),
            answered=int(data["answered"]),
            questions=int(data["questions"]),
            resumable=bool(data["resumable"]),
            user=data["user"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started.isoformat(timespec="seconds") if self.started else None,
            "paper": self.paper,
            "score": self.score,
            "max_score": self.max_score,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "status": self.status.value if self.status else None,
            "time_used_s": round(self.time_used_s, 1),
            "answered": self.answered,
            "questions": self.questions,
            "resumable": self.resumable,
            "user": self.user,
        }


def listing_of(view: SessionView) -> ExamListing:
    end = view.end
    latest = view.latest()
    start = view.start
    if end is not None:
        score, max_score, passed = end.score, end.max_score, end.passed
    else:
        score = round(sum(a.points for a in latest.values()), 2)
        max_score = start.max_score if start is not None else float(len(latest))
        passed = None
    if start is not None:
        paper = start.paper or f"{len(start.items)} 题"
        pass_mark = start.pass_mark
    else:  # a v1 exam: out of 100, 60 to pass
        paper = f"{view.questions} 题(旧版记录)"
        pass_mark = end.pass_mark if end is not None else None
    return ExamListing(
        id=view.id,
        started=view.started,
        paper=paper,
        score=score,
        max_score=max_score,
        pass_mark=pass_mark,
        passed=passed,
        status=view.status,
        time_used_s=view.time_used_s(),
        answered=len(latest),
        questions=view.questions,
        resumable=view.resumable,
        user=start.user if start is not None else None,
    )


def find_exam(sessions: Mapping[str, SessionView], key: str) -> SessionView:
    """An exam by its id or a unique start of it (as ``cmquiz exams`` shows it)."""
    wanted = key.strip().lower()
    found = [
        v for v in sessions.values() if v.mode is Mode.EXAM and v.id.lower().startswith(wanted)
    ]
    if not wanted or not found:
        raise UsageError(f"没有编号为 {key} 的考试;用 cmquiz exams 查看考试记录和编号")
    if len(found) > 1:
        raise UsageError(f"编号 {key} 对应 {len(found)} 场考试,请多输入几位")
    return found[0]


def abandon(view: SessionView, at: datetime) -> EndRecord:
    """The end record that gives up an unfinished exam (it is then no longer resumable)."""
    if not view.resumable:
        raise CmquizError("这场考试已经结束,不能再放弃")
    latest = view.latest()
    start = view.start
    assert start is not None
    return EndRecord(
        session=view.id,
        status=Status.ABANDONED,
        score=round(sum(a.points for a in latest.values()), 2),
        max_score=start.max_score,
        pass_mark=start.pass_mark,
        passed=None,
        answered=len(latest),
        correct=sum(1 for a in latest.values() if a.correct),
        time_used_s=round(view.time_used_s(), 1),
        ts=at,
    )


@dataclass(frozen=True)
class PaperListing:
    """A paper and what the current question pool lacks to fill it (empty: it can be drawn)."""

    name: str
    path: Path
    spec: PaperSpec
    shortfalls: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "name": self.name,
            "path": str(self.path),
            "title": spec.title,
            "questions": spec.items,
            "max_score": spec.max_score,
            "pass_mark": spec.pass_mark,
            "time_limit_s": spec.time_limit_s,
            "rule": spec.rule.value,
            "shuffle_options": spec.shuffle_options,
            "sections": [
                {
                    "type": s.type.value,
                    "count": s.count,
                    "points": s.points,
                    "topics": list(s.topics),
                }
                for s in spec.sections
            ],
            "can_fill": not self.shortfalls,
            "shortfalls": list(self.shortfalls),
        }


def list_papers(
    files: Sequence[Path], pool: Sequence[Question]
) -> tuple[list[PaperListing], list[str]]:
    """Every paper file that reads, checked against the pool; the problems of those that do not."""
    from .paperfile import load_paper

    listings: list[PaperListing] = []
    problems: list[str] = []
    for path in files:
        try:
            spec = load_paper(path)
        except BankError as error:
            problems.extend(str(p) if not p.file else f"{p.file}: {p}" for p in error.problems)
            continue
        try:
            assemble_paper(spec, pool, random.Random(0))
            shortfalls: tuple[str, ...] = ()
        except PaperShortError as short:
            shortfalls = tuple(short.shortfalls)
        listings.append(PaperListing(path.stem, path, spec, shortfalls))
    return listings, problems
