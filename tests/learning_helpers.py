"""Synthetic histories for the learning tests: answers at chosen times, with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmquiz.records import AnswerRecord, EndRecord, Mode, StartRecord, Status
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
TOPIC = Topic("贷款担保管理", "17")


def day(n: int, hour: float = 0) -> datetime:
    return T0 + timedelta(days=n, hours=hour)


def answer(
    qid: str,
    correct: bool,
    at: datetime,
    *,
    session: str = "p1",
    mode: Mode = Mode.PRACTICE,
    index: int = 0,
    qtype: str = "multiple",
    topic: Topic = TOPIC,
    elapsed_ms: int = 8000,
) -> AnswerRecord:
    return AnswerRecord(
        session=session,
        mode=mode,
        ts=at,
        qid=qid,
        topic=topic,
        type=qtype,
        given=("A",),
        correct=correct,
        points=float(correct),
        max_points=1.0,
        elapsed_ms=elapsed_ms,
        index=index,
        rev="abc123def456",
    )


def start(session: str, at: datetime, mode: Mode = Mode.PRACTICE, **extra: object) -> StartRecord:
    return StartRecord(session=session, mode=mode, ts=at, items=(), **extra)  # type: ignore[arg-type]


def end(session: str, at: datetime, status: Status = Status.COMPLETED) -> EndRecord:
    return EndRecord(session=session, status=status, score=0.0, max_score=0.0, passed=None, ts=at)
