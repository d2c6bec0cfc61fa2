"""The answer history: a JSON Lines file that is only ever appended to.

Each answer is written as one line and flushed to disk the moment it is given, so an
interrupted run loses nothing that was answered. Readers skip a torn last line (a crash in
the middle of a write) with a warning; the file is never rewritten in place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from .errors import HistoryError, describe_os_error

FORMAT_VERSION = 1


class Mode(StrEnum):
    PRACTICE = "practice"
    EXAM = "exam"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return {"practice": "练习", "exam": "考试", "review": "复习"}[self.value]


class SessionStatus(StrEnum):
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class AnswerRecord:
    """One answered question (``kind: answer``)."""

    session: str
    mode: Mode
    ts: datetime
    qid: str
    topic: str
    type: str
    given: tuple[str, ...]
    correct: bool
    points: float
    max_points: float
    elapsed_ms: int
    topic_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "kind": "answer",
            "session": self.session,
            "mode": self.mode.value,
            "ts": _iso(self.ts),
            "qid": self.qid,
            "topic": self.topic,
        }
        if self.topic_code is not None:
            data["topic_code"] = self.topic_code
        data.update(
            {
                "type": self.type,
                "given": list(self.given),
                "correct": self.correct,
                "points": self.points,
                "max_points": self.max_points,
                "elapsed_ms": self.elapsed_ms,
            }
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnswerRecord:
        return cls(
            session=str(data["session"]),
            mode=Mode(data["mode"]),
            ts=datetime.fromisoformat(data["ts"]),
            qid=str(data["qid"]),
            topic=str(data["topic"]),
            topic_code=data.get("topic_code"),
            type=str(data["type"]),
            given=tuple(str(g) for g in data["given"]),
            correct=bool(data["correct"]),
            points=float(data["points"]),
            max_points=float(data["max_points"]),
            elapsed_ms=int(data["elapsed_ms"]),
        )


@dataclass(frozen=True)
class SessionRecord:
    """The end of a run (``kind: session``): what was asked, answered and scored."""

    session: str
    mode: Mode
    started: datetime
    ended: datetime
    status: SessionStatus
    questions: int
    answered: int
    correct: int
    score: float
    max_score: float
    passed: bool | None
    seed: int | None
    topics: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "session",
            "session": self.session,
            "mode": self.mode.value,
            "started": _iso(self.started),
            "ended": _iso(self.ended),
            "status": self.status.value,
            "questions": self.questions,
            "answered": self.answered,
            "correct": self.correct,
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "seed": self.seed,
            "topics": list(self.topics),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionRecord:
        passed = data.get("passed")
        seed = data.get("seed")
        return cls(
            session=str(data["session"]),
            mode=Mode(data["mode"]),
            started=datetime.fromisoformat(data["started"]),
            ended=datetime.fromisoformat(data["ended"]),
            status=SessionStatus(data["status"]),
            questions=int(data["questions"]),
            answered=int(data["answered"]),
            correct=int(data.get("correct", 0)),
            score=float(data["score"]),
            max_score=float(data["max_score"]),
            passed=None if passed is None else bool(passed),
            seed=None if seed is None else int(seed),
            topics=tuple(str(t) for t in data.get("topics", ())),
        )


Record = AnswerRecord | SessionRecord


@dataclass
class HistoryLog:
    """What a read found: records in file order, and warnings about lines it skipped."""

    answers: list[AnswerRecord] = field(default_factory=list)
    sessions: list[SessionRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.answers and not self.sessions


@contextmanager
def _locked(fd: int) -> Iterator[None]:
    """An exclusive advisory lock where the platform has one (two runs never interleave)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


class HistoryStore:
    """Appends records to ``history.jsonl`` and reads them back."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def ensure_writable(self) -> None:
        """Fail now, before a run starts, if answers could not be saved."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise HistoryError(f"无法写入答题记录 {self.path}:{describe_os_error(exc)}") from None
        os.close(fd)

    def append(self, record: Record) -> None:
        """Write one record as one line, flushed and synced before returning."""
        line = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))
        payload = (line + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise HistoryError(f"无法写入答题记录 {self.path}:{describe_os_error(exc)}") from None
        try:
            with _locked(fd):
                if not _ends_with_newline(fd):
                    payload = b"\n" + payload  # seal a torn last line instead of extending it
                os.write(fd, payload)
                os.fsync(fd)
        except OSError as exc:
            raise HistoryError(f"无法写入答题记录 {self.path}:{describe_os_error(exc)}") from None
        finally:
            os.close(fd)

    def read(self) -> HistoryLog:
        """Every readable record; bad lines are skipped and reported in ``warnings``."""
        log = HistoryLog()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return log
        except OSError as exc:
            raise HistoryError(f"无法读取答题记录 {self.path}:{describe_os_error(exc)}") from None
        lines = raw.split(b"\n")
        last_index = len(lines) - 1
        for number, chunk in enumerate(lines, start=1):
            if not chunk.strip():
                continue
            torn = number - 1 == last_index  # no newline after it: a write that never finished
            try:
                data = json.loads(chunk.decode("utf-8"))
                record = _record_from_dict(data)
            except (ValueError, KeyError, TypeError) as exc:
                if torn:
                    log.warnings.append(f"{self.path} 第 {number} 行不完整(上次写入被中断),已跳过")
                else:
                    log.warnings.append(f"{self.path} 第 {number} 行无法解析,已跳过:{exc}")
                continue
            if record is None:
                log.warnings.append(f"{self.path} 第 {number} 行的记录格式较新或未知,已跳过")
            elif isinstance(record, AnswerRecord):
                log.answers.append(record)
            else:
                log.sessions.append(record)
        return log


def _ends_with_newline(fd: int) -> bool:
    size = os.fstat(fd).st_size
    if size == 0:
        return True
    return os.pread(fd, 1, size - 1) == b"\n"


def _record_from_dict(data: Any) -> Record | None:
    if not isinstance(data, dict):
        raise TypeError("不是 JSON 对象")
    if data.get("v") != FORMAT_VERSION:
        return None
    kind = data.get("kind")
    if kind == "answer":
        return AnswerRecord.from_dict(data)
    if kind == "session":
        return SessionRecord.from_dict(data)
    return None
