"""Runs rebuilt from the history: which records belong to which session, the answer that counts
for each position, the flags, how the run ended and the time it took.

The history is the source of truth; ``cmquiz exams``, ``exam --resume`` and the stats all read
runs through ``replay``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .errors import HistoryError
from .model import Question
from .qtypes import QuestionType
from .records import (
    SESSION_RECORDS,
    AnswerRecord,
    EndRecord,
    FlagRecord,
    Mode,
    PaperItem,
    Record,
    ResumeRecord,
    StartRecord,
    Status,
)
from .scoring import ItemScore
from .session import Item, RunReport, Session, build_report


@dataclass
class SessionView:
    """Everything the history holds about one run."""

    id: str
    start: StartRecord | None = None
    answers: list[AnswerRecord] = field(default_factory=list)
    flags: dict[int, bool] = field(default_factory=dict)
    ends: list[EndRecord] = field(default_factory=list)
    _events: list[tuple[datetime, bool]] = field(default_factory=list)  # (time, is a resume)

    @property
    def end(self) -> EndRecord | None:
        """The last end record: a resumed exam ends again."""
        return self.ends[-1] if self.ends else None

    @property
    def mode(self) -> Mode:
        if self.start is not None:
            return self.start.mode
        end = self.end
        if end is not None and end.mode is not None:
            return end.mode
        return self.answers[0].mode if self.answers else Mode.PRACTICE

    @property
    def started(self) -> datetime | None:
        if self.start is not None:
            return self.start.ts
        end = self.end
        if end is not None and end.started is not None:
            return end.started
        return min((a.ts for a in self.answers), default=None)

    @property
    def last_seen(self) -> datetime | None:
        return max((t for t, _ in self._events), default=self.started)

    @property
    def status(self) -> Status | None:
        """How it ended; None when no end record was written (the process was killed)."""
        end = self.end
        return end.status if end is not None else None

    @property
    def answered_any(self) -> bool:
        """Something was answered (an exam left before its first answer is not listed)."""
        end = self.end
        return bool(self.answers) or (end is not None and end.answered > 0)

    @property
    def resumable(self) -> bool:
        """An exam with its paper on record that was left without being handed in."""
        return (
            self.mode is Mode.EXAM
            and self.start is not None
            and self.status in (None, Status.INTERRUPTED)
        )

    @property
    def questions(self) -> int:
        if self.start is not None:
            return len(self.start.items)
        end = self.end
        if end is not None and end.questions is not None:
            return end.questions
        return len(self.latest())

    def latest(self) -> dict[int, AnswerRecord]:
        """Position -> the answer that counts there (the last one); v1 answers, which carry no
        position, are numbered in the order they were given."""
        result: dict[int, AnswerRecord] = {}
        for number, answer in enumerate(self.answers):
            result[answer.index if answer.index is not None else number] = answer
        return result

    def flagged(self) -> set[int]:
        return {index for index, on in self.flags.items() if on}

    def time_used_s(self) -> float:
        """Seconds the run was open: from its start (or each resume) to the last thing recorded
        before the next resume. A run killed outright counts up to its last answer."""
        if self.start is None:
            end = self.end
            return end.time_used_s or 0.0 if end is not None else 0.0
        used = 0.0
        segment = last = self.start.ts
        for moment, is_resume in self._events:
            if is_resume:
                used += max(0.0, (last - segment).total_seconds())
                segment = last = moment
            elif moment > last:
                last = moment
        return used + max(0.0, (last - segment).total_seconds())


def replay(records: Iterable[Record]) -> dict[str, SessionView]:
    """Session id -> its view, in the order sessions first appear in the history. Records that
    belong to no run (stars, notebook, plan …) are passed over."""
    sessions: dict[str, SessionView] = {}
    for record in records:
        if not isinstance(record, SESSION_RECORDS):
            continue
        view = sessions.get(record.session)
        if view is None:
            view = sessions[record.session] = SessionView(record.session)
        if isinstance(record, AnswerRecord):
            view.answers.append(record)
            view._events.append((record.ts, False))
        elif isinstance(record, StartRecord):
            view.start = record
        elif isinstance(record, FlagRecord):
            view.flags[record.index] = record.flagged
            view._events.append((record.ts, False))
        elif isinstance(record, ResumeRecord):
            view._events.append((record.ts, True))
        elif isinstance(record, EndRecord):
            view.ends.append(record)
            view._events.append((record.ts, False))
    return sessions


def run_is_over(record: EndRecord, mode: Mode | None) -> bool:
    """Nothing more can be recorded for a run after this end record: an exam handed in, timed
    out or abandoned, any practice or review run that ended (only exams are resumed)."""
    if record.status is not Status.INTERRUPTED:
        return True
    return record.version == 1 or (mode is not None and mode is not Mode.EXAM)


class OpenRuns:
    """Runs collected record by record, in history order: ``add`` hands a run back (rebuilt)
    as soon as it is over (``run_is_over``); only the runs still open are held. Records of a run
    that come after it was handed back (only a hand-edited file has them) start a run of their
    own."""

    def __init__(self) -> None:
        self.records: dict[str, list[Record]] = {}  # session -> its records so far
        self.modes: dict[str, Mode] = {}

    def add(self, record: Record) -> SessionView | None:
        session: str | None = getattr(record, "session", None)
        if session is None:
            return None  # a record that belongs to no run (a star, a plan)
        bucket = self.records.get(session)
        if bucket is None:
            bucket = self.records[session] = []
        bucket.append(record)
        if isinstance(record, StartRecord):
            self.modes[session] = record.mode
        elif isinstance(record, AnswerRecord):
            self.modes.setdefault(session, record.mode)
        elif isinstance(record, EndRecord) and run_is_over(
            record, self.modes.get(session, record.mode)
        ):
            del self.records[session]
            self.modes.pop(session, None)
            return replay(bucket)[session]
        return None

    def views(self) -> list[SessionView]:
        """The runs still open, rebuilt, in the order they began."""
        return [replay(bucket)[session] for session, bucket in self.records.items()]


def latest_unfinished_exam(sessions: dict[str, SessionView]) -> SessionView | None:
    """The most recently started exam that can be resumed."""
    candidates = [s for s in sessions.values() if s.resumable]
    return candidates[-1] if candidates else None


# --- runs rebuilt for the screen: resuming an exam, reopening a report ---------------------------


def _placeholder(item: PaperItem) -> Question:
    """A stand-in for a question that has left the banks (its report can still be shown)."""
    try:
        qtype: QuestionType | None = QuestionType(item.type)
    except ValueError:
        qtype = None
    stem = f"(题目 {item.qid} 已不在题库中)"
    if qtype is QuestionType.JUDGE or qtype is None:
        return Question(item.qid, QuestionType.JUDGE, item.topic, stem, frozenset("T"))
    letters = item.order or ("A", "B")
    options = tuple((k, f"(选项 {k})") for k in sorted(letters))
    return Question(item.qid, qtype, item.topic, stem, frozenset(options[0][0]), options)


def paper_items(
    start: StartRecord, by_id: Mapping[str, Question], *, allow_missing: bool
) -> list[Item]:
    """The items of a recorded paper, with today's questions. A question edited since (another
    content revision) is used as it is now and says so; a missing one is an error unless
    ``allow_missing`` (a report), where a placeholder stands in."""
    items: list[Item] = []
    missing: list[str] = []
    for index, paper_item in enumerate(start.items):
        question = by_id.get(paper_item.qid)
        note = None
        if question is None:
            missing.append(paper_item.qid)
            question = _placeholder(paper_item)
            note = "这道题已不在题库中,无法显示题目和答案"
        elif question.rev != paper_item.rev:
            note = "这道题在考试之后被修改过,下面显示的是修改后的题目"
        order = paper_item.order
        if order is not None and sorted(order) != sorted(question.letters):
            order = None  # the options changed: show them in the bank's order
        items.append(Item(index, question, paper_item.points, order, note))
    if missing and not allow_missing:
        raise HistoryError(
            f"无法继续这场考试:{len(missing)} 道题已不在当前题库中({', '.join(missing[:5])})"
            ";请用开始考试时的题库(--bank)再试"
        )
    return items


def resume_session(view: SessionView, by_id: Mapping[str, Question], opened: datetime) -> Session:
    """The session of an unfinished exam, as it was: paper, option order, answers, flags and
    the time already used; its clock runs again from ``opened``."""
    assert view.start is not None
    items = paper_items(view.start, by_id, allow_missing=False)
    given = {index: frozenset(a.given) for index, a in view.latest().items() if index < len(items)}
    return Session(
        view.start,
        items,
        opened,
        used_s=view.time_used_s(),
        given=given,
        flags=view.flagged(),
    )


def report_of(view: SessionView, by_id: Mapping[str, Question]) -> RunReport:
    """The report of a past run, from what the history recorded (points as they were scored)."""
    assert view.start is not None
    items = paper_items(view.start, by_id, allow_missing=True)
    latest = {i: a for i, a in view.latest().items() if i < len(items)}
    return build_report(
        view.start,
        items,
        {i: frozenset(a.given) for i, a in latest.items()},
        {i: ItemScore(a.points, a.max_points, a.correct) for i, a in latest.items()},
        status=view.status,
        time_used_s=view.time_used_s(),
    )
