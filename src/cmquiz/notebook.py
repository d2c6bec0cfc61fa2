"""The wrong-answer notebook (错题本): which questions are in it and why.

A question enters on a wrong answer that counts, in any mode (an exam's answers count when it is
handed in), and leaves after it is answered right ``streak`` times in a row (default 2; ``cmquiz
wrong --streak N`` changes it) or when it is taken out by hand (``cmquiz wrong --remove ID``).
Answering it wrong again puts it back. Part of the learning fold (``learning``): no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .frozen import trusted
from .records import AnswerRecord
from .topics import Topic, interned_topic

DEFAULT_STREAK = 2


@dataclass(frozen=True)
class NotebookEntry:
    """A question in the notebook: how often it was answered wrong (ever), when last, and how
    many right answers in a row it has had since."""

    qid: str
    topic: Topic
    type: str
    times_wrong: int
    last_wrong: datetime
    streak: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The entry as ``cmquiz wrong --json`` shows it."""
        return {
            "qid": self.qid,
            "topic": self.topic.name,
            "topic_code": self.topic.code,
            "type": self.type,
            "times_wrong": self.times_wrong,
            "last_wrong": self.last_wrong.isoformat(),
            "streak": self.streak,
        }

    def to_row(self) -> list[Any]:
        """A compact disk form (the digest's cache):
        ``[qid, topic, code, type, times_wrong, last_wrong, streak]``."""
        return [
            self.qid,
            self.topic.name,
            self.topic.code,
            self.type,
            self.times_wrong,
            self.last_wrong.isoformat(),
            self.streak,
        ]

    @classmethod
    def from_row(cls, row: list[Any]) -> NotebookEntry:
        qid, topic, code, qtype, times_wrong, last_wrong, streak = row
        return trusted(  # a row the digest wrote: its fields are known good
            cls,
            {
                "qid": qid,
                "topic": interned_topic(topic, code),
                "type": qtype,
                "times_wrong": int(times_wrong),
                "last_wrong": datetime.fromisoformat(last_wrong),
                "streak": int(streak),
            },
        )


@dataclass
class Notebook:
    """The notebook as a fold: ``count`` each answer that counts, ``remove`` by hand,
    ``set_streak`` when the setting changes."""

    streak: int = DEFAULT_STREAK
    items: dict[str, NotebookEntry] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=dict)  # times wrong, ever (kept on leaving)

    def count(self, answer: AnswerRecord) -> None:
        entries = self.items
        if not answer.correct:
            times = self.wrong[answer.qid] = self.wrong.get(answer.qid, 0) + 1
            entries[answer.qid] = NotebookEntry(
                answer.qid, answer.topic, answer.type, times, answer.ts, 0
            )
            return
        entry = entries.get(answer.qid)
        if entry is None:
            return
        entry = replace(entry, streak=entry.streak + 1)
        if entry.streak >= self.streak:
            del entries[answer.qid]
        else:
            entries[answer.qid] = entry

    def remove(self, qid: str) -> None:
        self.items.pop(qid, None)

    def set_streak(self, streak: int) -> None:
        """A new threshold applies at once: entries that already have it leave."""
        self.streak = streak
        for qid in [q for q, e in self.items.items() if e.streak >= streak]:
            del self.items[qid]

    def ordered(self) -> list[NotebookEntry]:
        """Most often wrong first, then the most recently wrong."""
        entries = sorted(self.items.values(), key=lambda e: e.last_wrong, reverse=True)
        return sorted(entries, key=lambda e: e.times_wrong, reverse=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "streak": self.streak,
            "entries": [e.to_row() for e in self.items.values()],
            "wrong": dict(self.wrong),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notebook:
        entries = (NotebookEntry.from_row(e) for e in data["entries"])
        return cls(
            streak=int(data["streak"]),
            items={e.qid: e for e in entries},
            wrong={k: int(v) for k, v in data["wrong"].items()},
        )
