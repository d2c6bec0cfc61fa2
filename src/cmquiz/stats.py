"""The trainee's figures (``cmquiz stats``): knowledge points weakest first with coverage and
trend, the points never practised, exam scores against each paper's pass mark, daily activity,
the questions missed most, and the next step (``nextstep``). The figures as values are
``statsreport``.

Built by folding runs (``replay.SessionView``) one at a time (``StatsBuilder.add``), so a long
history is streamed (``histories.stream_sessions``), never held whole. The answers that count are
the last one given at each position of each run. Filters: knowledge points (``--topic``:
code, part of the name, or part of the bank title), calendar days (``since``/``until``, both
included, in the trainee's time zone) and modes.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from .activity import answer_seconds, build_activity, day_of
from .errors import TopicNotFoundError
from .history import HistoryLog
from .model import Question
from .nextstep import next_step
from .qtypes import QuestionType
from .records import AnswerRecord, Mode
from .replay import SessionView, replay
from .sampling import question_matches, summarize_topics
from .statsreport import (
    AccuracyRow,
    ExamRow,
    MissedRow,
    NextStep,
    StatsFilter,
    StatsReport,
    TopicRow,
    parse_day,
    parse_mode,
)
from .topics import Topic

__all__ = [
    "AccuracyRow",
    "ExamRow",
    "MissedRow",
    "NextStep",
    "StatsBuilder",
    "StatsFilter",
    "StatsReport",
    "TopicRow",
    "build_stats",
    "compute_stats",
    "parse_day",
    "parse_mode",
]

TREND_WINDOW = 10  # the trend compares the last this-many answers with the ones before
TREND_MIN_BEFORE = 5  # ... when there were at least this many before


def answer_matches(record: AnswerRecord, patterns: Sequence[str]) -> bool:
    return not patterns or any(record.topic.matches(p) for p in patterns)


def type_label(value: str) -> str:
    """``single`` -> ``单选`` (records store the enum value)."""
    try:
        return QuestionType(value).label
    except ValueError:
        return value


def counted_answers(sessions: Mapping[str, SessionView]) -> list[AnswerRecord]:
    """The answers that count: the last one given at each position of each run."""
    answers = [a for view in sessions.values() for a in view.latest().values()]
    answers.sort(key=lambda a: a.ts)
    return answers


@dataclass
class _Topic:
    topic: Topic
    answered: int = 0
    correct: int = 0
    seen: set[str] = field(default_factory=set)
    last: datetime | None = None
    recent: list[tuple[datetime, int, bool]] = field(default_factory=list)  # a min-heap


class StatsBuilder:
    """The trainee's figures, fed one run at a time."""

    def __init__(
        self,
        flt: StatsFilter | None = None,
        questions: Mapping[str, Question] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.filter = flt or StatsFilter()
        self.questions = questions or {}
        self.tz = tz
        patterns = self.filter.topics
        self._selected = {
            q.topic.name
            for q in self.questions.values()
            if patterns and question_matches(q, patterns)
        }
        self._topics: dict[str, _Topic] = {}
        self._types: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        # qid -> [answered, wrong, last answered, last correct, topic name]
        self._qids: dict[str, list[Any]] = {}
        self._days: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        self._seconds: dict[date, float] = defaultdict(float)
        self._sessions: dict[str, int] = defaultdict(int)
        self._exams: list[ExamRow] = []
        self._unfinished = False  # an exam that can be resumed
        self._tick = 0  # ties between answers given at the same moment keep their order
        self._first_ts: datetime | None = None
        self.topics_seen: set[Topic] = set()  # every knowledge point answered, in any filter

    def topic_ok(self, record: AnswerRecord) -> bool:
        return record.topic.name in self._selected or answer_matches(record, self.filter.topics)

    def _counts(self, record: AnswerRecord) -> bool:
        return self.topic_ok(record) and self.filter.day_ok(day_of(record.ts, self.tz))

    def add(self, view: SessionView) -> None:
        self._unfinished = self._unfinished or view.resumable
        if self.filter.topics:
            self.topics_seen.update(a.topic for a in view.answers)
        if not self.filter.mode_ok(view.mode):
            return
        counted = [a for a in view.latest().values() if self._counts(a)]
        for record in view.answers:
            if self._counts(record):
                self._seconds[day_of(record.ts, self.tz)] += answer_seconds(record)
        for record in counted:
            self._add_answer(record)
        if counted:
            self._sessions[view.mode.value] += 1
        if view.mode is Mode.EXAM:
            row = self._exam_row(view, counted)
            if row is not None:
                self._exams.append(row)

    def _add_answer(self, a: AnswerRecord) -> None:
        name = a.topic.name
        t = self._topics.get(name)
        if t is None:
            t = self._topics[name] = _Topic(a.topic)
        elif a.topic.code and not t.topic.code:
            t.topic = a.topic
        t.answered += 1
        t.correct += a.correct
        t.seen.add(a.qid)
        t.last = a.ts if t.last is None or a.ts > t.last else t.last
        if self._first_ts is None or a.ts < self._first_ts:
            self._first_ts = a.ts
        self._tick += 1
        heapq.heappush(t.recent, (a.ts, self._tick, a.correct))
        if len(t.recent) > TREND_WINDOW:
            heapq.heappop(t.recent)
        kind = self._types[a.type]
        kind[0] += 1
        kind[1] += a.correct
        day = self._days[day_of(a.ts, self.tz)]
        day[0] += 1
        day[1] += a.correct
        q = self._qids.get(a.qid)
        if q is None:
            q = self._qids[a.qid] = [0, 0, a.ts, a.correct, name]
        elif type(q[2]) is str:  # as the cache holds it, read when first needed
            q[2] = datetime.fromisoformat(q[2])
        q[0] += 1
        q[1] += not a.correct
        if a.ts >= q[2]:
            q[2], q[3] = a.ts, a.correct

    def _exam_row(self, view: SessionView, counted: list[AnswerRecord]) -> ExamRow | None:
        end = view.end
        if not view.answered_any:
            return None  # left before the first answer
        latest = view.latest()
        ended = end.ts if end is not None else (view.last_seen or view.answers[-1].ts)
        if not self.filter.day_ok(day_of(ended, self.tz)):
            return None
        start = view.start
        paper = (start.paper or f"{len(start.items)} 题") if start else f"{view.questions} 题"
        if self.filter.topics:
            if not counted:
                return None
            right = sum(a.correct for a in counted)
            return ExamRow(
                view.id, view.started, ended, paper, view.status,
                round(100 * right / len(counted), 1), 100.0, None, None,
                len(counted), len(counted),
            )  # fmt: skip
        if end is not None:
            score, max_score, passed = end.score, end.max_score, end.passed
            pass_mark = end.pass_mark if end.pass_mark is not None else None
        else:
            score = round(sum(a.points for a in latest.values()), 2)
            max_score = start.max_score if start else float(len(latest))
            passed, pass_mark = None, None
        if start is not None:
            pass_mark = start.pass_mark
        return ExamRow(
            view.id, view.started, ended, paper, view.status, score, max_score, pass_mark,
            passed, view.questions, len(latest),
        )  # fmt: skip

    # --- the disk form (a cache of the unfiltered figures, ``digest``) -------------------------

    def state_dict(self) -> dict[str, Any]:
        """The figures gathered so far (without the filter, the questions or the time zone,
        which the cache keeps beside it)."""
        return {
            "topics": {
                name: {
                    "topic": [t.topic.name, t.topic.code],
                    "answered": t.answered,
                    "correct": t.correct,
                    "seen": sorted(t.seen),
                    "last": t.last.isoformat() if t.last else None,
                    "recent": [[ts.isoformat(), tick, ok] for ts, tick, ok in t.recent],
                }
                for name, t in self._topics.items()
            },
            "types": {k: list(v) for k, v in self._types.items()},
            "qids": {
                qid: [n, wrong, last if type(last) is str else last.isoformat(), ok, topic]
                for qid, (n, wrong, last, ok, topic) in self._qids.items()
            },
            "days": {d.isoformat(): list(v) for d, v in self._days.items()},
            "seconds": {d.isoformat(): s for d, s in self._seconds.items()},
            "sessions": dict(self._sessions),
            "exams": [row.to_dict() for row in self._exams],
            "unfinished": self._unfinished,
            "tick": self._tick,
            "first": self._first_ts.isoformat() if self._first_ts else None,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        """Go on from ``state_dict``'s figures."""
        self._topics = {
            name: _Topic(
                Topic(t["topic"][0], t["topic"][1]),
                int(t["answered"]),
                int(t["correct"]),
                set(t["seen"]),
                datetime.fromisoformat(t["last"]) if t["last"] else None,
                [(datetime.fromisoformat(ts), int(tick), bool(ok)) for ts, tick, ok in t["recent"]],
            )
            for name, t in data["topics"].items()
        }
        for topic in self._topics.values():
            heapq.heapify(topic.recent)
        self._types = defaultdict(lambda: [0, 0], {k: list(v) for k, v in data["types"].items()})
        # a question's last answer time stays text until an answer to it is added (``apply``):
        # the report needs the latest time of all, which the knowledge points hold as well
        self._qids = {qid: list(row) for qid, row in data["qids"].items()}
        self._days = defaultdict(
            lambda: [0, 0], {date.fromisoformat(d): list(v) for d, v in data["days"].items()}
        )
        self._seconds = defaultdict(
            float, {date.fromisoformat(d): float(s) for d, s in data["seconds"].items()}
        )
        self._sessions = defaultdict(int, data["sessions"])
        self._exams = [ExamRow.from_dict(row) for row in data["exams"]]
        self._unfinished = bool(data["unfinished"])
        self._tick = int(data["tick"])
        first = data["first"]
        self._first_ts = datetime.fromisoformat(first) if first else None

    def copy(self) -> StatsBuilder:
        """A builder to add more runs to without changing this one."""
        twin = StatsBuilder(self.filter, self.questions, self.tz)
        twin.load_state(self.state_dict())
        return twin

    def report(self, today: date, *, top_missed: int = 10, suggest: bool = True) -> StatsReport:
        bank_counts = self._bank_counts()
        rows = [self._topic_row(t, bank_counts.get(name)) for name, t in self._topics.items()]
        rows.sort(key=lambda r: (r.accuracy, -r.answered, r.topic.name))  # weakest first
        unpractised = tuple(
            TopicRow(topic, 0, 0, 0, n, None)
            for name, (topic, n) in bank_counts.items()  # in bank order
            if name not in self._topics
        )
        order = [t.value for t in QuestionType]
        by_type = tuple(
            AccuracyRow(type_label(t), n, c)
            for t, (n, c) in sorted(
                self._types.items(),
                key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order),
            )
        )
        answered = sum(t.answered for t in self._topics.values())
        activity = build_activity(
            {d: (n, c) for d, (n, c) in self._days.items()},
            self._seconds,
            today,
            since=self.filter.since,
            until=self.filter.until,
        )
        exams = tuple(sorted(self._exams, key=lambda e: e.ended))
        report = StatsReport(
            answered=answered,
            correct=sum(t.correct for t in self._topics.values()),
            questions_seen=len(self._qids),
            sessions=dict(self._sessions),
            first=self._first_ts,
            last=max((t.last for t in self._topics.values() if t.last), default=None),
            by_topic=tuple(rows),
            unpractised=unpractised,
            by_type=by_type,
            exams=exams,
            missed=self._missed(top_missed),
            activity=activity,
            filter=self.filter,
        )
        if not suggest:
            return report
        step = next_step(report, self._unfinished, today, self.tz)
        return StatsReport(**{**report.__dict__, "next_step": step})

    def _bank_counts(self) -> dict[str, tuple[Topic, int]]:
        """Knowledge point name -> (its topic, questions in the banks), within the filter."""
        counts: dict[str, tuple[Topic, int]] = {}
        for q in self.questions.values():
            if self.filter.topics and q.topic.name not in self._selected:
                continue
            topic, n = counts.get(q.topic.name, (q.topic, 0))
            counts[q.topic.name] = (topic, n + 1)
        return counts

    def _topic_row(self, t: _Topic, bank: tuple[Topic, int] | None) -> TopicRow:
        recent = [r for _, _, r in sorted(t.recent)]
        before = t.answered - len(recent)
        trend = None
        if len(recent) == TREND_WINDOW and before >= TREND_MIN_BEFORE:
            earlier = (t.correct - sum(recent)) / before
            trend = sum(recent) / len(recent) - earlier
        topic = t.topic if t.topic.code or bank is None else bank[0]
        return TopicRow(
            topic,
            t.answered,
            t.correct,
            len(t.seen),
            bank[1] if bank is not None else None,
            t.last,
            tuple(recent),
            trend,
        )

    def _missed(self, limit: int) -> tuple[MissedRow, ...]:
        """The ``limit`` questions missed most (then: last answer wrong, most often wrong)."""
        worst = heapq.nsmallest(
            limit,
            (
                (-wrong, last_correct, -(wrong / answered), qid)
                for qid, (answered, wrong, _, last_correct, _topic) in self._qids.items()
                if wrong
            ),
        )
        rows = []
        for _, _, _, qid in worst:
            answered, wrong, _, last_correct, topic = self._qids[qid]
            question = self.questions.get(qid)
            rows.append(
                MissedRow(
                    qid=qid,
                    topic=topic,
                    wrong=wrong,
                    answered=answered,
                    last_correct=last_correct,
                    stem=question.stem if question is not None else None,
                )
            )
        return tuple(rows)


def compute_stats(
    log: HistoryLog,
    *,
    topics: Sequence[str] = (),
    questions: Mapping[str, Question] | None = None,
    since: date | None = None,
    until: date | None = None,
    modes: Sequence[Mode] = (),
    today: date | None = None,
    tz: tzinfo | None = None,
    top_missed: int = 10,
) -> StatsReport:
    """Everything ``cmquiz stats`` shows, from a history read whole."""
    builder = StatsBuilder(StatsFilter(tuple(topics), since, until, tuple(modes)), questions, tz)
    for view in replay(log.records).values():
        builder.add(view)
    return builder.report(today or datetime.now(tz).date(), top_missed=top_missed)


def build_stats(
    views: Iterable[SessionView],
    flt: StatsFilter,
    questions: Mapping[str, Question],
    today: date,
    *,
    tz: tzinfo | None = None,
    suggest: bool = True,
) -> StatsReport:
    """The figures over runs streamed from one or more histories. TopicNotFoundError when a
    ``--topic`` pattern matches no knowledge point of the banks or the history."""
    builder = StatsBuilder(flt, questions, tz)
    for view in views:
        builder.add(view)
    unmatched = unmatched_topics(flt.topics, questions, builder.topics_seen)
    if unmatched:
        raise TopicNotFoundError(unmatched, topic_labels(questions))
    return builder.report(today, suggest=suggest)


def topic_labels(questions: Mapping[str, Question]) -> list[str]:
    """Every knowledge point of the banks, as a ``TopicNotFoundError`` lists them."""
    return [s.topic.label for s in summarize_topics(questions.values())]


def unmatched_topics(
    patterns: Sequence[str], questions: Mapping[str, Question], seen: Iterable[Topic]
) -> list[str]:
    """The ``--topic`` patterns that match no knowledge point of the banks or the history."""
    known = {(q.topic, q.bank) for q in questions.values()} | {(t, "") for t in seen}
    return [p for p in patterns if not any(t.matches(p, b) for t, b in known)]
