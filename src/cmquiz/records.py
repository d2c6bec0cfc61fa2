"""The records of the answer history (JSON Lines), version 2, and how version 1 reads.

v2 describes a whole run: a ``start`` record written before the first question holds the paper
(every item's question id, content revision, points and shown option order, the 多选 rule, time
limit, pass mark and seed), ``answer`` records refer to the session and the item's position (the
last answer for a position counts), ``flag`` and ``resume`` records keep the answer sheet and the
clock of a resumed exam, and an ``end`` record says how the run ended and what it scored.
v1 files (``answer`` and ``session`` records) stay readable: a v1 ``session`` record reads as an
``EndRecord`` carrying what v1 knew. Records of a kind or version this release does not know are
kept in the file and skipped by readers (``UnknownRecord``).

Pure data: no I/O. ``to_dict``/``from_dict`` are the disk form; ``from_dict`` checks every field
(history files can be edited by hand) and raises RecordFormatError naming the first bad one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from operator import itemgetter
from typing import Any

from .frozen import trusted
from .learning_records import (
    LEARNING_KINDS,
    CursorRecord,
    LearningRecord,
    NotebookRecord,
    PlanRecord,
    SettingRecord,
    StarRecord,
)
from .recordfields import FORMAT_VERSION, FieldReader, RecordFormatError, iso
from .scoring import MultiRule
from .topics import Topic, interned_topic

# The records of the learning features (stars, the notebook, settings, the exam plan,
# sequential practice) live in ``learning_records``; they are dispatched here like the others.
__all__ = [
    "FORMAT_VERSION",
    "CursorRecord",
    "NotebookRecord",
    "PlanRecord",
    "RecordFormatError",
    "SettingRecord",
    "StarRecord",
    "iso",
]

READABLE_VERSIONS = (1, 2)


class Mode(StrEnum):
    PRACTICE = "practice"
    EXAM = "exam"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return {"practice": "练习", "exam": "考试", "review": "复习"}[self.value]


class Status(StrEnum):
    """How a run ended."""

    COMPLETED = "completed"  # handed in (an exam) or every question answered (practice)
    INTERRUPTED = "interrupted"  # left without handing in (Ctrl-C, q in practice, a signal)
    TIMED_OUT = "timed_out"  # the exam's time ran out
    ABANDONED = "abandoned"  # an unfinished exam the trainee gave up

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.COMPLETED: "已交卷",
    Status.INTERRUPTED: "未完成",
    Status.TIMED_OUT: "超时交卷",
    Status.ABANDONED: "已放弃",
}


@dataclass(frozen=True)
class PaperItem:
    """One position of a paper: which question (and which revision of it), its points, its
    type and knowledge point (kept so figures survive the question leaving the bank), and the
    order its options were shown in (bank letters; None when not shuffled)."""

    qid: str
    rev: str
    points: float
    type: str
    topic: Topic
    order: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "qid": self.qid,
            "rev": self.rev,
            "points": self.points,
            "type": self.type,
            "topic": self.topic.name,
        }
        if self.topic.code is not None:
            data["topic_code"] = self.topic.code
        if self.order is not None:
            data["order"] = list(self.order)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> PaperItem:
        if type(data) is not dict:
            raise RecordFormatError("items 中的每一项应为对象")
        return _fast_item(data) or cls.read_fields(data)

    @classmethod
    def read_fields(cls, data: dict[str, Any]) -> PaperItem:
        """The item read field by field, naming the first bad one (what ``_fast_item`` does
        quickly for an item as cmquiz writes it)."""
        f = FieldReader(data)
        order = f.texts("order", optional=True) or None
        return cls(
            qid=f.text("qid"),
            rev=f.text("rev"),
            points=f.number("points"),
            type=f.text("type"),
            topic=Topic(f.text("topic"), f.text("topic_code", optional=True)),
            order=order,
        )


@dataclass(frozen=True)
class StartRecord:
    """The start of a run (``kind: start``): the whole paper, written before the first question."""

    session: str
    mode: Mode
    ts: datetime
    items: tuple[PaperItem, ...]
    rule: MultiRule = MultiRule.ALL_OR_NOTHING
    time_limit_s: int | None = None
    pass_mark: float | None = None
    seed: int | None = None
    paper: str | None = None  # the paper's title (None: drawn with --n)
    paper_name: str | None = None  # what --paper was given (a bundled name or a file path)
    topics: tuple[str, ...] = ()  # the --topic patterns
    user: str | None = None
    shuffle_options: bool = False
    sequence: str | None = None  # sequential practice: the scope it walks (``learning.scope_key``)

    @property
    def max_score(self) -> float:
        return round(sum(item.points for item in self.items), 4)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "kind": "start",
            "session": self.session,
            "mode": self.mode.value,
            "ts": iso(self.ts),
            "items": [item.to_dict() for item in self.items],
            "time_limit_s": self.time_limit_s,
            "pass_mark": self.pass_mark,
            "max_score": self.max_score,
            "rule": self.rule.value,
            "seed": self.seed,
            "shuffle_options": self.shuffle_options,
        }
        for name in ("paper", "paper_name", "user", "sequence"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.topics:
            data["topics"] = list(self.topics)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StartRecord:
        f = FieldReader(data)
        items = data.get("items")
        if type(items) is not list:
            raise RecordFormatError("字段 items 应为列表")
        return cls(
            session=f.text("session"),
            mode=f.choice("mode", Mode),
            ts=f.moment("ts"),
            items=tuple(PaperItem.from_dict(item) for item in items),
            rule=f.choice("rule", MultiRule, optional=True) or MultiRule.ALL_OR_NOTHING,
            time_limit_s=f.integer("time_limit_s", optional=True),
            pass_mark=f.number("pass_mark", optional=True),
            seed=f.integer("seed", optional=True, signed=True),
            paper=f.text("paper", optional=True),
            paper_name=f.text("paper_name", optional=True),
            topics=f.texts("topics", optional=True),
            user=f.text("user", optional=True),
            shuffle_options=bool(f.boolean("shuffle_options", optional=True)),
            sequence=f.text("sequence", optional=True),
        )


@dataclass(frozen=True)
class AnswerRecord:
    """One answer (``kind: answer``). ``given`` holds the bank's letters (``T``/``F`` for 判断)
    whatever order the options were shown in. ``index`` is the item's position (None in v1)."""

    session: str
    mode: Mode
    ts: datetime
    qid: str
    topic: Topic
    type: str
    given: tuple[str, ...]
    correct: bool
    points: float
    max_points: float
    elapsed_ms: int
    index: int | None = None
    rev: str | None = None
    version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "kind": "answer",
            "session": self.session,
            "index": self.index,
            "qid": self.qid,
            "given": list(self.given),
            "points": self.points,
            "max_points": self.max_points,
            "correct": self.correct,
            "ts": iso(self.ts),
            "mode": self.mode.value,
            "type": self.type,
            "topic": self.topic.name,
        }
        if self.topic.code is not None:
            data["topic_code"] = self.topic.code
        if self.rev is not None:
            data["rev"] = self.rev
        data["elapsed_ms"] = self.elapsed_ms
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnswerRecord:
        f = FieldReader(data)
        version = data["v"]
        return cls(
            session=f.text("session"),
            index=f.integer("index", optional=version == 1),
            qid=f.text("qid"),
            rev=f.text("rev", optional=True),
            given=f.texts("given"),
            points=f.number("points"),
            max_points=f.number("max_points"),
            correct=f.boolean("correct"),
            ts=f.moment("ts"),
            mode=f.choice("mode", Mode),
            type=f.text("type"),
            topic=Topic(f.text("topic"), f.text("topic_code", optional=True)),
            elapsed_ms=f.integer("elapsed_ms"),
            version=version,
        )


@dataclass(frozen=True)
class FlagRecord:
    """An item flagged (``flagged: true``) or unflagged on the answer sheet (``kind: flag``)."""

    session: str
    index: int
    flagged: bool
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "flag",
            "session": self.session,
            "index": self.index,
            "flagged": self.flagged,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlagRecord:
        f = FieldReader(data)
        return cls(f.text("session"), f.integer("index"), f.boolean("flagged"), f.moment("ts"))


@dataclass(frozen=True)
class ResumeRecord:
    """An unfinished exam taken up again (``kind: resume``): its clock runs from here."""

    session: str
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"v": FORMAT_VERSION, "kind": "resume", "session": self.session, "ts": iso(self.ts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResumeRecord:
        f = FieldReader(data)
        return cls(f.text("session"), f.moment("ts"))


@dataclass(frozen=True)
class EndRecord:
    """How a run ended (``kind: end``; a v1 ``kind: session`` record reads as one too).

    ``score`` and ``max_score`` are points (a v1 record's are out of 100); ``passed`` is None for
    practice. The fields after ``time_used_s`` are what a v1 record knew that v2 keeps in
    ``start``.
    """

    session: str
    status: Status
    score: float
    max_score: float
    passed: bool | None
    ts: datetime
    pass_mark: float | None = None
    answered: int = 0
    correct: int = 0
    time_used_s: float | None = None
    mode: Mode | None = None
    started: datetime | None = None
    questions: int | None = None
    seed: int | None = None
    topics: tuple[str, ...] = ()
    version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "end",
            "session": self.session,
            "status": self.status.value,
            "score": self.score,
            "max_score": self.max_score,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "answered": self.answered,
            "correct": self.correct,
            "time_used_s": self.time_used_s,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EndRecord:
        f = FieldReader(data)
        return cls(
            session=f.text("session"),
            status=f.choice("status", Status),
            score=f.number("score"),
            max_score=f.number("max_score"),
            pass_mark=f.number("pass_mark", optional=True),
            passed=f.boolean("passed", optional=True),
            answered=f.integer("answered", optional=True) or 0,
            correct=f.integer("correct", optional=True) or 0,
            time_used_s=f.number("time_used_s", optional=True),
            ts=f.moment("ts"),
        )

    @classmethod
    def from_v1(cls, data: dict[str, Any]) -> EndRecord:
        """A v1 ``session`` record: scores out of 100, pass line 60 for exams."""
        f = FieldReader(data)
        mode = f.choice("mode", Mode)
        started, ended = f.moment("started"), f.moment("ended")
        return cls(
            session=f.text("session"),
            status=f.choice("status", Status),
            score=f.number("score"),
            max_score=f.number("max_score"),
            pass_mark=60.0 if mode is Mode.EXAM else None,
            passed=f.boolean("passed", optional=True),
            answered=f.integer("answered"),
            correct=f.integer("correct", optional=True) or 0,
            time_used_s=max(0.0, (ended - started).total_seconds()),
            ts=ended,
            mode=mode,
            started=started,
            questions=f.integer("questions"),
            seed=f.integer("seed", optional=True, signed=True),
            topics=f.texts("topics", optional=True),
            version=1,
        )


@dataclass(frozen=True)
class UnknownRecord:
    """A record of a kind or version this release does not know: kept in the file, skipped."""

    kind: str


SessionRecord = StartRecord | AnswerRecord | FlagRecord | ResumeRecord | EndRecord
SESSION_RECORDS = (StartRecord, AnswerRecord, FlagRecord, ResumeRecord, EndRecord)
Record = SessionRecord | LearningRecord
_KINDS: dict[str, Any] = {
    "start": StartRecord.from_dict,
    "answer": AnswerRecord.from_dict,
    "flag": FlagRecord.from_dict,
    "resume": ResumeRecord.from_dict,
    "end": EndRecord.from_dict,
    **LEARNING_KINDS,
}


_MODES = {m.value: m for m in Mode}
_MAX_INT = 2**63
_MAX_NUMBER = 1e12


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value < _MAX_INT


def _number(value: Any) -> bool:
    return (type(value) is float or type(value) is int) and 0 <= value < _MAX_NUMBER


def _fast_item(data: dict[str, Any]) -> PaperItem | None:
    """A paper item as cmquiz writes it, built directly; None for anything else."""
    get = data.get
    qid: Any = get("qid")
    rev: Any = get("rev")
    points: Any = get("points")
    qtype: Any = get("type")
    topic: Any = get("topic")
    code: Any = get("topic_code")
    order: Any = get("order")
    if not (
        type(qid) is str
        and type(rev) is str
        and _number(points)
        and math.isfinite(points)
        and type(qtype) is str
        and type(topic) is str
        and (code is None or type(code) is str)
        and (order is None or (type(order) is list and all(type(k) is str for k in order)))
    ):
        return None
    return trusted(
        PaperItem,
        {
            "qid": qid,
            "rev": rev,
            "points": float(points),
            "type": qtype,
            "topic": interned_topic(topic, code),
            "order": tuple(order) if order else None,
        },
    )


_ANSWER_FIELDS = itemgetter(
    "session", "index", "qid", "given", "points", "max_points", "correct", "ts", "mode", "type",
    "topic", "elapsed_ms",
)  # fmt: skip


def fast_answer(data: dict[str, Any]) -> AnswerRecord | None:
    """A v2 answer record written the way cmquiz writes it, built directly; None for anything
    else (``record_from_dict`` then reads it, and says what is wrong with it)."""
    try:
        fields: tuple[Any, ...] = _ANSWER_FIELDS(data)
    except KeyError:
        return None
    session, index, qid, given, points, max_points, correct, ts, mode, qtype, topic, elapsed = (
        fields
    )
    get = data.get
    code: Any = get("topic_code")
    rev: Any = get("rev")
    if not (
        type(session) is str
        and _count(index)
        and type(qid) is str
        and type(given) is list
        and all(type(g) is str for g in given)
        and _number(points)
        and _number(max_points)
        and math.isfinite(points)
        and math.isfinite(max_points)
        and type(correct) is bool
        and type(ts) is str
        and type(mode) is str
        and mode in _MODES
        and type(qtype) is str
        and type(topic) is str
        and (code is None or type(code) is str)
        and (rev is None or type(rev) is str)
        and _count(elapsed)
    ):
        return None
    try:
        moment = datetime.fromisoformat(ts)
    except ValueError:
        return None
    return trusted(
        AnswerRecord,
        {
            "session": session,
            "mode": _MODES[mode],
            "ts": moment if moment.tzinfo else moment.replace(tzinfo=UTC),
            "qid": qid,
            "topic": interned_topic(topic, code),
            "type": qtype,
            "given": tuple(given),
            "correct": correct,
            "points": float(points),
            "max_points": float(max_points),
            "elapsed_ms": elapsed,
            "index": index,
            "rev": rev,
            "version": 2,
        },
    )


def record_from_dict(data: Any) -> Record | UnknownRecord:
    """The record a decoded JSON line holds; RecordFormatError when it is one we know but
    broken, UnknownRecord when it is a kind or version this release does not know."""
    if type(data) is not dict:
        raise RecordFormatError("不是 JSON 对象")
    version = data.get("v")
    kind = data.get("kind")
    if version not in READABLE_VERSIONS or type(version) is not int or type(kind) is not str:
        return UnknownRecord(str(kind))
    if version == 1:
        if kind == "answer":
            return AnswerRecord.from_dict(data)
        if kind == "session":
            return EndRecord.from_v1(data)
        return UnknownRecord(kind)
    if kind == "answer":  # most of a history: read without the per-field reader when it can be
        fast = fast_answer(data)
        if fast is not None:
            return fast
    reader = _KINDS.get(kind)
    if reader is None:
        return UnknownRecord(kind)
    record: Record = reader(data)
    return record
