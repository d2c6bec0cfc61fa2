"""The history, digested: what the everyday commands need from it, kept up to date cheaply.

Practice needs the learning state (answers per question, notebook, stars), review and plan the
FSRS cards as well, the exam start the unfinished exam, stats the figures, ``exams`` the list
of exams, review the answers given today. All of it is a fold over the history's records, in
three sections: ``learning`` (``LearningState`` without its cards), ``cards`` and ``runs``
(``RunsFold``: runs still open, exams over, answers per day and the stats of every run over).

A cache file beside the data (``<cache>/history/<hash of the history's path>.json``) keeps the
sections and the byte offset of the history they cover: a header line, then one line per
section. A command reads the header, then the history from that offset on (the *tail*), and
decodes only the sections it asks for, bringing each up to date with the tail; so its start does
not grow with the history. The cache is rewritten when the tail has grown past ``TAIL_LIMIT``
bytes (then every section is decoded and brought up to date once), so a command pays at most
that much re-reading. It is rebuilt from scratch when it is missing, unreadable, written by
another release, for another time zone, or when the history was rewritten (it shrank, or its
first bytes changed). The history stays the source of truth: deleting the cache is always safe,
and tests check that the digest read in steps equals the digest read at once.

Runs still open (an exam not handed in, a run whose end is not written yet) are kept as records
and folded into the figures only when asked (``views_open``), so an exam resumed later is never
counted twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .cachefiles import replace_file
from .collector import collector_paused
from .history import BadLine, HistoryStore
from .jsonfast import loads_written
from .learning import LearningState
from .records import (
    AnswerRecord,
    Mode,
    Record,
    UnknownRecord,
    record_from_dict,
)
from .replay import OpenRuns, SessionView, latest_unfinished_exam

if TYPE_CHECKING:
    from collections.abc import Callable

    from .exams import ExamListing
    from .model import Question
    from .stats import StatsBuilder

T = TypeVar("T")
DIGEST_FORMAT = 2
SECTIONS = ("learning", "cards", "runs")
TAIL_LIMIT = 256 * 1024  # history bytes read past the cache before the cache is rewritten


def zone_key(tz: tzinfo | None) -> str:
    """What the day boundaries of the figures depend on: the time zone's name and offsets."""
    return f"{time.tzname}|{time.timezone}|{time.altzone}|{tz}"


class RunsFold:
    """The runs of the history: those still open (as records), the exams over, the answers
    given each local day, and the stats of every run that is over. The stats and the exam
    list are decoded from the cache only when used (an exam start needs neither)."""

    def __init__(self, tz: tzinfo | None = None, data: dict[str, Any] | None = None) -> None:
        self.tz = tz
        self.open = OpenRuns()
        self.answered_on: dict[date, int] = {}  # every answer, by local day
        self._stats: StatsBuilder | None = None
        self._stats_state: dict[str, Any] | None = None
        self._exams: list[ExamListing] | None = [] if data is None else None
        self._exams_state: list[Any] = []
        if data is not None:
            self._load(data)

    @property
    def stats(self) -> StatsBuilder:
        if self._stats is None:
            from . import stats  # imported when used: an exam start does without

            self._stats = stats.StatsBuilder(tz=self.tz)
            if self._stats_state is not None:
                self._stats.load_state(self._stats_state)
                self._stats_state = None
        return self._stats

    @property
    def exams(self) -> list[ExamListing]:
        """The exams that are over, in the order they ended."""
        if self._exams is None:
            from .exams import ExamListing

            self._exams = [ExamListing.from_dict(e) for e in self._exams_state]
            self._exams_state = []
        return self._exams

    def apply(self, record: Record) -> None:
        if isinstance(record, AnswerRecord):
            day = record.ts.astimezone(self.tz).date()
            self.answered_on[day] = self.answered_on.get(day, 0) + 1
        view = self.open.add(record)
        if view is not None:
            self._close(view)

    def _close(self, view: SessionView) -> None:
        from .exams import listing_of

        self.stats.add(view)
        if view.mode is Mode.EXAM and view.answered_any:
            self.exams.append(listing_of(view))

    def views_open(self) -> list[SessionView]:
        """The runs not over yet, rebuilt (an exam to resume is one of them)."""
        return self.open.views()

    def to_dict(self) -> dict[str, Any]:
        return {
            "stats": self.stats.state_dict(),
            "open_runs": {
                session: [r.to_dict() for r in records]
                for session, records in self.open.records.items()
            },
            "exams": [e.to_dict() for e in self.exams],
            "answered_on": {d.isoformat(): n for d, n in self.answered_on.items()},
        }

    def _load(self, data: dict[str, Any]) -> None:
        """Go on from ``to_dict``'s form (the stats and exams checked for shape only)."""
        if not isinstance(data["stats"], dict) or not isinstance(data["exams"], list):
            raise ValueError("not a runs section")
        self._stats_state, self._exams_state = data["stats"], data["exams"]
        self.answered_on = {date.fromisoformat(d): int(n) for d, n in data["answered_on"].items()}
        for records in data["open_runs"].values():
            for record in map(record_from_dict, records):
                if not isinstance(record, UnknownRecord) and self.open.add(record) is not None:
                    raise ValueError("a run over among the open ones")


class HistoryDigest:
    """The folds over one history up to ``offset`` bytes (``line`` lines) of it, each section
    decoded from the cache only when asked for. ``cards``: whether ``learning`` holds the FSRS
    cards (review, plan and ``show`` need them; the other commands skip decoding them)."""

    def __init__(
        self,
        store: HistoryStore,
        tz: tzinfo | None,
        *,
        cache_dir: Path | None = None,
        cards: bool = True,
        header: dict[str, Any] | None = None,
        sections: Mapping[str, bytes] | None = None,
    ) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self.tz = tz
        self.cards = cards
        header = header or {}
        self.offset: int = int(header.get("offset", 0))
        self.line: int = int(header.get("line", 1))
        self.head: str = str(header.get("head", ""))
        self.unknown: int = int(header.get("unknown", 0))
        self._raw = sections
        self._tail: list[Record] = []  # records read past the cache, not yet in every section
        self._learning: LearningState | None = None
        self._runs: RunsFold | None = None
        self.rebuilt = sections is None
        self._stats_taken = False
        if sections is None:
            self._learning, self._runs = LearningState(), RunsFold(self.tz)

    @property
    def whole(self) -> bool:
        """Every section is decoded (with its cards) and takes each record as it is read."""
        return self._raw is None

    # --- the fold ---------------------------------------------------------------------------

    def apply(self, record: Record) -> None:
        if not self.whole:
            self._tail.append(record)
        if self._learning is not None:
            self._learning.apply(record)
        if self._runs is not None:
            self._runs.apply(record)

    def decode_all(self) -> None:
        """Decode every section, cards included, and bring it up to date; from then on records
        fold straight in, and the digest can be written."""
        if self._raw is None:
            return
        if self._learning is not None and not self._learning.with_cards:
            self._learning = None  # decoded without its cards: decode it again with them
        self.cards = True
        self._decode_learning()
        self._decode_runs()
        self._raw, self._tail = None, []

    # --- what commands ask ---------------------------------------------------------------------

    @property
    def learning(self) -> LearningState:
        if self._learning is None:
            self._decode_learning()
        assert self._learning is not None
        return self._learning

    @property
    def runs(self) -> RunsFold:
        if self._runs is None:
            self._decode_runs()
        assert self._runs is not None
        return self._runs

    @property
    def answered_on(self) -> dict[date, int]:
        return self.runs.answered_on

    def views_open(self) -> list[SessionView]:
        return self.runs.views_open()

    def stats_builder(self, questions: Mapping[str, Question] | None = None) -> StatsBuilder:
        """The figures of every run, open ones included, over the banks' ``questions``: the
        digest's own builder, so it can be asked for once (the cache is never written after
        a command has its digest, so nothing else sees the open runs added)."""
        if self._stats_taken:
            raise RuntimeError("stats_builder() is asked for once per digest")
        self._stats_taken = True
        builder = self._part_of_runs(lambda runs: runs.stats)
        builder.questions = questions or {}
        for view in self.views_open():
            builder.add(view)
        return builder

    def exam_listings(self) -> list[ExamListing]:
        """Every exam with something on record, newest first."""
        from .exams import listing_of

        listings = self._part_of_runs(lambda runs: list(runs.exams))
        for view in self.views_open():
            if view.mode is Mode.EXAM and view.answered_any:
                listings.append(listing_of(view))
        listings.sort(key=lambda e: e.started.timestamp() if e.started else 0.0, reverse=True)
        return listings

    def _part_of_runs(self, part: Callable[[RunsFold], T]) -> T:
        """A part of the runs section decoded on first use (its stats, its exams); when the
        cache's copy turns out damaged, the whole history is folded again."""
        try:
            return part(self.runs)
        except Exception:
            if self.rebuilt:
                raise
            self._fold_whole()
            return part(self.runs)

    def unfinished_exam(self) -> SessionView | None:
        """The most recently started exam that can be resumed."""
        return latest_unfinished_exam({v.id: v for v in self.views_open()})

    # --- the disk form ---------------------------------------------------------------------------

    def _decode_learning(self) -> None:
        assert self._raw is not None
        try:
            with collector_paused():  # tens of thousands of small objects, no cycles
                data = loads_written(self._raw["learning"])
                if self.cards:
                    data["cards"] = loads_written(self._raw["cards"])
                state = LearningState.from_dict(data)
        except Exception:  # a damaged section: fold the whole history again
            self._fold_whole()
            return
        for record in self._tail:
            state.apply(record)
        self._learning = state

    def _decode_runs(self) -> None:
        assert self._raw is not None
        try:
            with collector_paused():
                runs = RunsFold(self.tz, loads_written(self._raw["runs"]))
            for record in self._tail:
                runs.apply(record)
        except Exception:  # a damaged section: fold the whole history again
            self._fold_whole()
            return
        self._runs = runs

    def _fold_whole(self) -> None:
        """Start again from the first line (the lines it cannot use were reported when the
        cache was made); the cache is rewritten."""
        self._raw, self._tail, self.rebuilt = None, [], True
        self._learning, self._runs = LearningState(), RunsFold(self.tz)
        self.cards, self.unknown = True, 0
        cursor = self.store.cursor()
        with collector_paused():
            for item in cursor.records():
                if isinstance(item, UnknownRecord):
                    self.unknown += 1
                elif not isinstance(item, BadLine):
                    self.apply(item)
        self.offset, self.line, self.head = cursor.offset, cursor.line, self.store.head()
        if self.cache_dir is not None:
            _store(self.store, self.cache_dir, self)

    def header(self) -> dict[str, Any]:
        return {
            "format": DIGEST_FORMAT,
            "version": __version__,
            "zone": zone_key(self.tz),
            "offset": self.offset,
            "line": self.line,
            "head": self.head,
            "unknown": self.unknown,
        }

    def sections(self) -> dict[str, Any]:
        """Each section's disk form (the digest must be ``whole``)."""
        learning = self.learning.to_dict()
        cards = learning.pop("cards")
        return {"learning": learning, "cards": cards, "runs": self.runs.to_dict()}


@dataclass
class Digested:
    """A digest brought up to date, and what reading the new part of the history found."""

    digest: HistoryDigest
    warnings: list[str] = field(default_factory=list)
    repair: str | None = None

    @property
    def rebuilt(self) -> bool:
        return self.digest.rebuilt

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


def digest_history(
    store: HistoryStore, cache_dir: Path | None, tz: tzinfo | None, *, cards: bool = True
) -> Digested:
    """The history's digest: from the cache, brought up to date with what was appended since;
    rebuilt from the whole history when there is no sound cache. The cache is rewritten when
    it was rebuilt or the tail read past it has grown past ``TAIL_LIMIT``."""
    head = store.head()
    digest = _load(store, cache_dir, tz, head, cards) if cache_dir is not None else None
    if digest is None:
        digest = HistoryDigest(store, tz, cache_dir=cache_dir, cards=cards, header={"head": head})
    result = Digested(digest)
    start = digest.offset
    cursor = store.cursor(digest.offset, digest.line)
    bad: list[BadLine] = []
    with collector_paused():
        for item in cursor.records():
            if isinstance(item, BadLine):
                bad.append(item)
            elif isinstance(item, UnknownRecord):
                digest.unknown += 1
            else:
                digest.apply(item)
                if not digest.whole and cursor.offset - start > TAIL_LIMIT:
                    digest.decode_all()
    result.warnings, result.repair = store.report_once(bad)
    if digest.whole:
        digest.offset, digest.line, digest.head = cursor.offset, cursor.line, head
        if cache_dir is not None:
            if cursor.offset == 0:  # no history yet: nothing worth keeping, no stale cache kept
                with suppress(OSError):
                    cache_path(store, cache_dir).unlink()
            elif cursor.offset != start or digest.rebuilt:
                _store(store, cache_dir, digest)
    return result


def _load(
    store: HistoryStore, cache_dir: Path, tz: tzinfo | None, head: str, cards: bool
) -> HistoryDigest | None:
    """The cached digest, its sections not decoded yet; None when there is no sound one."""
    try:
        with open(cache_path(store, cache_dir), "rb") as f:
            data = f.read()
        ends = [data.index(b"\n")]  # where each line ends: the header, then each section
        for _ in SECTIONS:
            ends.append(data.index(b"\n", ends[-1] + 1))
        header = json.loads(data[: ends[0]])
        if (
            not isinstance(header, dict)
            or header.get("format") != DIGEST_FORMAT
            or header.get("version") != __version__
            or header.get("zone") != zone_key(tz)
            or ends[-1] != len(data) - 1  # nothing after the last section
        ):
            return None
        sections = _Sections(data, ends)
        digest = HistoryDigest(
            store, tz, cache_dir=cache_dir, cards=cards, header=header, sections=sections
        )
    except Exception:  # no cache, or one of the wrong shape: read the history whole
        return None
    if digest.offset > store.size() or (digest.head and digest.head != head[: len(digest.head)]):
        return None  # the history was rewritten
    return digest


class _Sections(Mapping[str, bytes]):
    """The sections of a digest file by name, each cut out of the file's bytes only when a
    command decodes it (``stats`` reads the runs only, ``practice`` the learning state)."""

    def __init__(self, data: bytes, ends: list[int]) -> None:
        self.data, self.ends = data, ends

    def __getitem__(self, name: str) -> bytes:
        if name not in SECTIONS:
            raise KeyError(name)
        i = SECTIONS.index(name)
        return self.data[self.ends[i] + 1 : self.ends[i + 1]]

    def __iter__(self) -> Iterator[str]:
        return iter(SECTIONS)

    def __len__(self) -> int:
        return len(SECTIONS)


def _store(store: HistoryStore, cache_dir: Path, digest: HistoryDigest) -> None:
    lines = [digest.header(), *digest.sections().values()]
    data = "".join(
        json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n" for value in lines
    )
    replace_file(cache_path(store, cache_dir), data.encode("utf-8"))
