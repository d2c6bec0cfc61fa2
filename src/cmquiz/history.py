"""The answer history: a JSON Lines file that is only ever appended to.

Each answer is written as one line and flushed to disk the moment it is given, so an
interrupted run loses nothing that was answered. Readers skip a torn last line (a crash in
the middle of a write) with a warning; the file is never rewritten in place.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

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


class RecordFormatError(ValueError):
    """A history line that is JSON but not a record this version can trust."""


_MISSING = object()
E = TypeVar("E", bound=StrEnum)


class _Fields:
    """Typed, strict access to a record's fields (history files can be edited by hand)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _get(self, name: str, optional: bool, default: Any = _MISSING) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if default is not _MISSING:
                return default
            if optional:
                return None
            raise RecordFormatError(f"缺少字段 {name}")
        return value

    def _fail(self, name: str, expected: str) -> RecordFormatError:
        return RecordFormatError(f"字段 {name} 应为{expected}")

    def text(self, name: str, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is not None and not isinstance(value, str):
            raise self._fail(name, "文本")
        return value

    def texts(self, name: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self._get(name, False, default)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self._fail(name, "文本列表")
        return tuple(value)

    def boolean(self, name: str, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is not None and not isinstance(value, bool):
            raise self._fail(name, "true 或 false")
        return value

    def integer(self, name: str, optional: bool = False, default: Any = _MISSING) -> Any:
        value = self._get(name, optional, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._fail(name, "非负整数")
        return value

    def number(self, name: str) -> float:
        value = self._get(name, False)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(name, "数字")
        if not math.isfinite(value) or value < 0:
            raise self._fail(name, "非负的有限数字")
        return float(value)

    def moment(self, name: str) -> datetime:
        value = self.text(name)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(name, "ISO 8601 时间") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def choice(self, name: str, kind: type[E]) -> E:
        value = self.text(name)
        try:
            return kind(value)
        except ValueError:
            allowed = "、".join(m.value for m in kind)
            raise self._fail(name, f" {allowed} 之一") from None


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
        """Read a record back; RecordFormatError names the first field that is not right."""
        f = _Fields(data)
        return cls(
            session=f.text("session"),
            mode=f.choice("mode", Mode),
            ts=f.moment("ts"),
            qid=f.text("qid"),
            topic=f.text("topic"),
            topic_code=f.text("topic_code", optional=True),
            type=f.text("type"),
            given=f.texts("given"),
            correct=f.boolean("correct"),
            points=f.number("points"),
            max_points=f.number("max_points"),
            elapsed_ms=f.integer("elapsed_ms"),
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
        """Read a record back; RecordFormatError names the first field that is not right."""
        f = _Fields(data)
        return cls(
            session=f.text("session"),
            mode=f.choice("mode", Mode),
            started=f.moment("started"),
            ended=f.moment("ended"),
            status=f.choice("status", SessionStatus),
            questions=f.integer("questions"),
            answered=f.integer("answered"),
            correct=f.integer("correct", default=0),
            score=f.number("score"),
            max_score=f.number("max_score"),
            passed=f.boolean("passed", optional=True),
            seed=f.integer("seed", optional=True),
            topics=f.texts("topics", default=()),
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
            where = f"{self.path} 第 {number} 行"
            try:
                data = json.loads(chunk.decode("utf-8"), parse_constant=_refuse_constant)
            except (ValueError, RecursionError):
                reason = "不完整(上次写入被中断)" if torn else "不是有效的 JSON"
                log.warnings.append(f"{where}{reason},已跳过")
                continue
            try:
                record = _record_from_dict(data)
            except RecordFormatError as problem:
                log.warnings.append(f"{where}无法使用({problem}),已跳过")
                continue
            if record is None:
                log.warnings.append(f"{where}的记录格式较新或未知,已跳过")
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


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number cmquiz writes")


def _record_from_dict(data: Any) -> Record | None:
    if not isinstance(data, dict):
        raise RecordFormatError("不是 JSON 对象")
    if data.get("v") != FORMAT_VERSION:
        return None
    kind = data.get("kind")
    if kind == "answer":
        return AnswerRecord.from_dict(data)
    if kind == "session":
        return SessionRecord.from_dict(data)
    return None
