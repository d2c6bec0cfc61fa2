"""The records of the learning features: stars, the wrong-answer notebook, settings, the exam
plan and sequential practice.

They belong to no run (no ``session`` field): each is one thing the trainee did outside a
question's answer (starred a question, took one out of the notebook, set the exam date, started a
knowledge point over). Like every record they are appended to the history and never changed, so
the notebook, the stars, the plan and the resume points are always rebuilt from the history
(``learning``). ``records.record_from_dict`` dispatches them by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .recordfields import FORMAT_VERSION, FieldReader, RecordFormatError, iso

MAX_STREAK = 10  # the notebook's "N right in a row" can be set from 1 to this
MAX_PER_DAY = 10_000


@dataclass(frozen=True)
class StarRecord:
    """A question starred (``starred: true``) or unstarred (``kind: star``)."""

    qid: str
    starred: bool
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "star",
            "qid": self.qid,
            "starred": self.starred,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StarRecord:
        f = FieldReader(data)
        return cls(f.text("qid"), f.boolean("starred"), f.moment("ts"))


class NotebookAction(StrEnum):
    REMOVE = "remove"  # ``cmquiz wrong --remove ID``


@dataclass(frozen=True)
class NotebookRecord:
    """A question taken out of the wrong-answer notebook by hand (``kind: notebook``)."""

    qid: str
    ts: datetime
    action: NotebookAction = NotebookAction.REMOVE

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "notebook",
            "action": self.action.value,
            "qid": self.qid,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NotebookRecord:
        f = FieldReader(data)
        return cls(f.text("qid"), f.moment("ts"), f.choice("action", NotebookAction))


class Setting(StrEnum):
    WRONG_STREAK = "wrong_streak"  # right answers in a row that take a question out of the notebook


@dataclass(frozen=True)
class SettingRecord:
    """A setting changed (``kind: setting``); the last one written counts."""

    name: Setting
    value: int
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "setting",
            "name": self.name.value,
            "value": self.value,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SettingRecord:
        f = FieldReader(data)
        name = f.choice("name", Setting)
        value = f.integer("value")
        if name is Setting.WRONG_STREAK and not 1 <= value <= MAX_STREAK:
            raise RecordFormatError(f"字段 value 应为 1 到 {MAX_STREAK} 的整数")
        return cls(name, value, f.moment("ts"))


@dataclass(frozen=True)
class PlanRecord:
    """The exam plan (``kind: plan``): the exam date and the daily budget of questions; a plan
    with no date clears it. The last one written counts."""

    exam_date: date | None
    per_day: int | None
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "plan",
            "exam_date": self.exam_date.isoformat() if self.exam_date else None,
            "per_day": self.per_day,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanRecord:
        f = FieldReader(data)
        per_day = f.integer("per_day", optional=True)
        if per_day is not None and not 1 <= per_day <= MAX_PER_DAY:
            raise RecordFormatError(f"字段 per_day 应为 1 到 {MAX_PER_DAY} 的整数")
        return cls(f.day("exam_date", optional=True), per_day, f.moment("ts"))


@dataclass(frozen=True)
class CursorRecord:
    """Sequential practice of a scope starts over from its first question (``kind: cursor``,
    written by ``practice --order sequential --restart``). Where a walk stopped is otherwise
    read from the answers of the runs whose start record names the scope (``sequence``)."""

    scope: str
    ts: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "kind": "cursor",
            "scope": self.scope,
            "restart": True,
            "ts": iso(self.ts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CursorRecord:
        f = FieldReader(data)
        if f.boolean("restart") is not True:
            raise RecordFormatError("字段 restart 应为 true")
        return cls(f.text("scope"), f.moment("ts"))


LearningRecord = StarRecord | NotebookRecord | SettingRecord | PlanRecord | CursorRecord
LEARNING_KINDS: dict[str, Any] = {
    "star": StarRecord.from_dict,
    "notebook": NotebookRecord.from_dict,
    "setting": SettingRecord.from_dict,
    "plan": PlanRecord.from_dict,
    "cursor": CursorRecord.from_dict,
}
