"""The history, digested: what the everyday commands need from it, kept up to date cheaply.

Practice needs the learning state (answers per question, notebook, stars, cards), the exam start
the unfinished exam, review and plan the cards and today's answers, stats the figures, ``exams``
the list of exams. All of it is a fold over the history's records; ``HistoryDigest`` holds the
folds' state and the byte offset of the history it covers, and a cache file beside the data
(``<cache>/history/<hash of the history's path>.json``) keeps it between commands. A command
reads the cache and then only what was appended since, so its start does not grow with the
history; the cache is rebuilt from scratch when it is missing, unreadable, written by another
release, for another time zone, or when the history was rewritten (it shrank, or its first bytes
changed). The history stays the source of truth: deleting the cache is always safe, and a test
checks that the digest read in steps equals the digest read at once.

Runs still open (an exam not handed in, a run whose end is not written yet) are kept as records
and folded into the figures only when asked (``views_open``), so an exam resumed later is never
counted twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .exams import ExamListing, listing_of
from .history import BadLine, HistoryStore
from .learning import LearningState
from .records import (
    AnswerRecord,
    EndRecord,
    Mode,
    Record,
    StartRecord,
    UnknownRecord,
    record_from_dict,
)
from .replay import SessionView, latest_unfinished_exam, replay, run_is_over
from .stats import StatsBuilder

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .model import Question

DIGEST_FORMAT = 1


def zone_key(tz: tzinfo | None) -> str:
    """What the day boundaries of the figures depend on: the time zone's name and offsets."""
    return f"{time.tzname}|{time.timezone}|{time.altzone}|{tz}"


@dataclass
class HistoryDigest:
    """The folds over one history, up to ``offset`` bytes (``line`` lines) of it."""

    tz: tzinfo | None = None
    offset: int = 0
    line: int = 1
    head: str = ""
    learning: LearningState = field(default_factory=LearningState)
    stats: StatsBuilder = field(init=False)
    open_runs: dict[str, list[Record]] = field(default_factory=dict)
    modes: dict[str, Mode] = field(default_factory=dict)
    exams: list[ExamListing] = field(default_factory=list)  # exams that are over
    answered_on: dict[date, int] = field(default_factory=dict)  # every answer, by local day
    unknown: int = 0

    def __post_init__(self) -> None:
        self.stats = StatsBuilder(tz=self.tz)

    # --- the fold ---------------------------------------------------------------------------

    def apply(self, record: Record) -> None:
        self.learning.apply(record)
        if isinstance(record, AnswerRecord):
            day = record.ts.astimezone(self.tz).date()
            self.answered_on[day] = self.answered_on.get(day, 0) + 1
        session: str | None = getattr(record, "session", None)
        if session is None:
            return  # a record that belongs to no run (a star, a plan)
        self.open_runs.setdefault(session, []).append(record)
        if isinstance(record, StartRecord):
            self.modes[session] = record.mode
        elif isinstance(record, AnswerRecord):
            self.modes.setdefault(session, record.mode)
        elif isinstance(record, EndRecord) and run_is_over(
            record, self.modes.get(session, record.mode)
        ):
            self._close(session)

    def _close(self, session: str) -> None:
        records = self.open_runs.pop(session)
        self.modes.pop(session, None)
        view = replay(records)[session]
        self.stats.add(view)
        if view.mode is Mode.EXAM and view.answered_any:
            self.exams.append(listing_of(view))

    # --- what commands ask ---------------------------------------------------------------------

    def views_open(self) -> list[SessionView]:
        """The runs not over yet, rebuilt (an exam to resume is one of them)."""
        views: list[SessionView] = []
        for records in self.open_runs.values():
            views.extend(replay(records).values())
        return views

    def stats_builder(self, questions: Mapping[str, Question] | None = None) -> StatsBuilder:
        """The figures of every run, open ones included, over the banks' ``questions`` (a new
        builder: the digest keeps its own)."""
        builder = StatsBuilder(None, questions, self.tz)
        builder.load_state(self.stats.state_dict())
        for view in self.views_open():
            builder.add(view)
        return builder

    def exam_listings(self) -> list[ExamListing]:
        """Every exam with something on record, newest first."""
        listings = list(self.exams)
        for view in self.views_open():
            if view.mode is Mode.EXAM and view.answered_any:
                listings.append(listing_of(view))
        listings.sort(key=lambda e: e.started.timestamp() if e.started else 0.0, reverse=True)
        return listings

    def unfinished_exam(self) -> SessionView | None:
        """The most recently started exam that can be resumed."""
        return latest_unfinished_exam({v.id: v for v in self.views_open()})

    # --- the disk form ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "line": self.line,
            "head": self.head,
            "learning": self.learning.to_dict(),
            "stats": self.stats.state_dict(),
            "open_runs": {
                session: [r.to_dict() for r in records]
                for session, records in self.open_runs.items()
            },
            "exams": [e.to_dict() for e in self.exams],
            "answered_on": {d.isoformat(): n for d, n in self.answered_on.items()},
            "unknown": self.unknown,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], tz: tzinfo | None) -> HistoryDigest:
        digest = cls(
            tz=tz,
            offset=int(data["offset"]),
            line=int(data["line"]),
            head=str(data["head"]),
            learning=LearningState.from_dict(data["learning"]),
            exams=[ExamListing.from_dict(e) for e in data["exams"]],
            answered_on={date.fromisoformat(d): int(n) for d, n in data["answered_on"].items()},
            unknown=int(data["unknown"]),
        )
        digest.stats.load_state(data["stats"])
        for session, records in data["open_runs"].items():
            rebuilt = [record_from_dict(r) for r in records]
            digest.open_runs[session] = [r for r in rebuilt if not isinstance(r, UnknownRecord)]
            for record in digest.open_runs[session]:
                if isinstance(record, StartRecord):
                    digest.modes[session] = record.mode
                elif isinstance(record, AnswerRecord):
                    digest.modes.setdefault(session, record.mode)
        return digest


@dataclass
class Digested:
    """A digest brought up to date, and what reading the new part of the history found."""

    digest: HistoryDigest
    warnings: list[str] = field(default_factory=list)
    repair: str | None = None
    rebuilt: bool = False

    def notices(self) -> list[str]:
        notes = list(self.warnings)
        if self.repair:
            notes.append(self.repair)
        if self.digest.unknown:
            notes.append(
                f"答题记录中有 {self.digest.unknown} 条记录来自更新的 cmquiz 版本或未知类型,"
                "已保留在文件中,本版本不读取"
            )
        return notes


def cache_path(store: HistoryStore, cache_dir: Path) -> Path:
    key = hashlib.sha256(os.fsencode(os.path.abspath(store.path))).hexdigest()[:32]
    return cache_dir / "history" / f"{key}.json"


def digest_history(store: HistoryStore, cache_dir: Path | None, tz: tzinfo | None) -> Digested:
    """The history's digest: from the cache, brought up to date with what was appended since;
    rebuilt from the whole history when there is no sound cache. The cache is rewritten when
    anything new was read."""
    head = store.head()
    cached = _load(store, cache_dir, tz, head) if cache_dir is not None else None
    result = Digested(cached if cached is not None else HistoryDigest(tz=tz, head=head))
    result.rebuilt = cached is None
    digest = result.digest
    before = digest.offset
    cursor = store.cursor(digest.offset, digest.line)
    bad: list[BadLine] = []
    for item in cursor.records():
        if isinstance(item, BadLine):
            bad.append(item)
        elif isinstance(item, UnknownRecord):
            digest.unknown += 1
        else:
            digest.apply(item)
    digest.offset, digest.line, digest.head = cursor.offset, cursor.line, head
    result.warnings, result.repair = store.report_once(bad)
    if cache_dir is not None and (digest.offset != before or result.rebuilt):
        _store(store, cache_dir, tz, digest)
    return result


def _load(
    store: HistoryStore, cache_dir: Path, tz: tzinfo | None, head: str
) -> HistoryDigest | None:
    try:
        with open(cache_path(store, cache_dir), encoding="utf-8") as f:
            data = json.load(f)
        if (
            data.get("format") != DIGEST_FORMAT
            or data.get("version") != __version__
            or data.get("zone") != zone_key(tz)
        ):
            return None
        digest = HistoryDigest.from_dict(data["digest"], tz)
    except Exception:  # no cache, or one of the wrong shape: read the history whole
        return None
    if digest.offset > store.size() or (digest.head and digest.head != head[: len(digest.head)]):
        return None  # the history was rewritten
    return digest


def _store(store: HistoryStore, cache_dir: Path, tz: tzinfo | None, digest: HistoryDigest) -> None:
    path = cache_path(store, cache_dir)
    payload = {
        "format": DIGEST_FORMAT,
        "version": __version__,
        "zone": zone_key(tz),
        "digest": digest.to_dict(),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".digest-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
