"""Small hand-made histories for the stats tests: runs written record by record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmquiz.history import encode
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.records import (
    AnswerRecord,
    EndRecord,
    Mode,
    PaperItem,
    Record,
    StartRecord,
    Status,
)
from cmquiz.scoring import MultiRule
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing
GUARANTEE = Topic("贷款担保管理", "17")


def question(
    qid: str,
    qtype: QuestionType = QuestionType.SINGLE,
    topic: Topic = GUARANTEE,
    answer: str = "A",
    options: str = "ABCD",
    stem: str | None = None,
    bank: str = "测试题库",
) -> Question:
    if qtype is QuestionType.JUDGE:
        return Question(qid, qtype, topic, stem or f"{qid} 的题干", frozenset(answer), bank=bank)
    return Question(
        qid,
        qtype,
        topic,
        stem or f"{qid} 的题干",
        frozenset(answer),
        tuple((k, f"{qid} 的选项 {k}") for k in options),
        bank=bank,
    )


def answer(
    session: str,
    q: Question,
    given: str,
    points: float,
    max_points: float = 1.0,
    *,
    at: datetime,
    index: int,
    mode: Mode = Mode.PRACTICE,
    elapsed_ms: int = 20_000,
) -> AnswerRecord:
    return AnswerRecord(
        session=session,
        mode=mode,
        ts=at,
        qid=q.id,
        topic=q.topic,
        type=q.type.value,
        given=tuple(sorted(given)),
        correct=frozenset(given) == q.answer,
        points=points,
        max_points=max_points,
        elapsed_ms=elapsed_ms,
        index=index,
        rev=q.rev,
    )


def practice(
    session: str,
    answers: Sequence[tuple[Question, bool]],
    at: datetime,
    *,
    mode: Mode = Mode.PRACTICE,
    user: str | None = None,
    status: Status = Status.COMPLETED,
    step: timedelta = timedelta(minutes=1),
    elapsed_ms: int = 20_000,
) -> list[Record]:
    """A practice (or review) run: each question answered rightly or wrongly, one a minute."""
    start = StartRecord(
        session=session,
        mode=mode,
        ts=at,
        items=tuple(PaperItem(q.id, q.rev, 1.0, q.type.value, q.topic) for q, _ in answers),
        user=user,
    )
    records: list[Record] = [start]
    for i, (q, right) in enumerate(answers):
        given = "".join(sorted(q.answer)) if right else _wrong(q)
        records.append(
            answer(
                session,
                q,
                given,
                float(right),
                at=at + step * (i + 1),
                index=i,
                mode=mode,
                elapsed_ms=elapsed_ms,
            )
        )
    right = sum(r for _, r in answers)
    records.append(
        EndRecord(
            session,
            status,
            float(right),
            float(len(answers)),
            None,
            at + step * (len(answers) + 1),
            answered=len(answers),
            correct=right,
        )
    )
    return records


def _wrong(q: Question) -> str:
    return next(k for k in q.keys if k not in q.answer)


def exam(
    session: str,
    items: Sequence[tuple[Question, float]],
    given: Sequence[str | None],
    at: datetime,
    *,
    pass_mark: float | None = None,
    user: str | None = None,
    status: Status = Status.COMPLETED,
    rule: MultiRule = MultiRule.ALL_OR_NOTHING,
    scores: Sequence[float] | None = None,
    paper: str = "测试卷",
) -> list[Record]:
    """An exam: ``items`` (question, points), the letters given at each position (None: left
    unanswered), all-or-nothing scoring unless ``scores`` says what each answer scored."""
    start = StartRecord(
        session=session,
        mode=Mode.EXAM,
        ts=at,
        items=tuple(PaperItem(q.id, q.rev, p, q.type.value, q.topic) for q, p in items),
        pass_mark=pass_mark,
        user=user,
        rule=rule,
        paper=paper,
    )
    records: list[Record] = [start]
    total = 0.0
    right = 0
    for i, ((q, points), letters) in enumerate(zip(items, given, strict=True)):
        if letters is None:
            continue
        if scores is not None:
            score = scores[i]
        else:
            score = points if frozenset(letters) == q.answer else 0.0
        total += score
        right += frozenset(letters) == q.answer
        records.append(
            answer(
                session,
                q,
                letters,
                score,
                points,
                at=at + timedelta(minutes=i + 1),
                index=i,
                mode=Mode.EXAM,
            )
        )
    max_score = sum(p for _, p in items)
    records.append(
        EndRecord(
            session,
            status,
            round(total, 2),
            max_score,
            None if pass_mark is None else total >= pass_mark,
            at + timedelta(minutes=len(items) + 1),
            pass_mark=pass_mark,
            answered=sum(g is not None for g in given),
            correct=right,
        )
    )
    return records


def write(path: Path, records: Sequence[Record]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(encode(r) for r in records))
    return path
