from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmquiz.errors import HistoryError
from cmquiz.history import (
    AnswerRecord,
    HistoryStore,
    Mode,
    SessionRecord,
    SessionStatus,
)

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def answer(qid: str = "credit-17-001", correct: bool = True, session: str = "s1") -> AnswerRecord:
    return AnswerRecord(
        session=session,
        mode=Mode.EXAM,
        ts=T0,
        qid=qid,
        topic="贷款担保管理",
        type="single",
        given=("B",),
        correct=correct,
        points=float(correct),
        max_points=1.0,
        elapsed_ms=5300,
        topic_code="17",
    )


def session_record() -> SessionRecord:
    return SessionRecord(
        session="s1",
        mode=Mode.EXAM,
        started=T0,
        ended=T0,
        status=SessionStatus.COMPLETED,
        questions=50,
        answered=50,
        correct=43,
        score=86.0,
        max_score=100.0,
        passed=True,
        seed=123,
        topics=("担保",),
    )


def test_append_and_read_back(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "deep" / "history.jsonl")
    store.append(answer())
    store.append(session_record())
    lines = store.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["v"] == 1
    assert first["kind"] == "answer"
    assert first["given"] == ["B"]
    assert "贷款担保管理" in lines[0]  # readable, not \\u-escaped
    log = store.read()
    assert log.answers == [answer()]
    assert log.sessions == [session_record()]
    assert log.warnings == []


def test_missing_file_is_an_empty_history(tmp_path: Path) -> None:
    log = HistoryStore(tmp_path / "none.jsonl").read()
    assert log.empty
    assert not log.warnings


def test_torn_last_line_is_skipped_with_a_warning(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("q1"))
    with store.path.open("ab") as f:
        f.write(b'{"v":1,"kind":"answer","session":"s1","qi')  # a crash mid-write
    before = store.path.read_bytes()
    log = store.read()
    assert [a.qid for a in log.answers] == ["q1"]
    assert len(log.warnings) == 1
    assert "第 2 行不完整" in log.warnings[0]
    assert store.path.read_bytes() == before  # reading never rewrites the file


def test_append_after_a_torn_line_keeps_the_new_record_whole(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.path.write_bytes(b'{"v":1,"kind":"ans')
    store.append(answer("q2"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["q2"]
    assert len(log.warnings) == 1
    assert "第 1 行不是有效的 JSON" in log.warnings[0]


def test_bad_and_unknown_lines_are_skipped(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("q1"))
    with store.path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
        f.write('{"v": 2, "kind": "answer"}\n')
        f.write("[1, 2]\n")
        f.write("\n")
    store.append(answer("q3"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["q1", "q3"]
    assert len(log.warnings) == 3
    assert "第 3 行" in log.warnings[1]
    assert "较新或未知" in log.warnings[1]


def test_unwritable_history_is_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = HistoryStore(blocker / "history.jsonl")  # parent is a file
    with pytest.raises(HistoryError, match="无法写入答题记录"):
        store.append(answer())


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
words = st.text(min_size=1, max_size=20)


@given(
    session=words,
    mode=st.sampled_from(list(Mode)),
    ts=moments,
    qid=words,
    topic=words,
    qtype=st.sampled_from(["single", "multiple", "judge"]),
    given_keys=st.lists(st.sampled_from("ABCDEFGHTF"), unique=True, max_size=8).map(tuple),
    correct=st.booleans(),
    elapsed=st.integers(0, 10**9),
    code=st.none() | words,
)
def test_answer_record_round_trip(
    session: str,
    mode: Mode,
    ts: datetime,
    qid: str,
    topic: str,
    qtype: str,
    given_keys: tuple[str, ...],
    correct: bool,
    elapsed: int,
    code: str | None,
) -> None:
    record = AnswerRecord(
        session,
        mode,
        ts,
        qid,
        topic,
        qtype,
        given_keys,
        correct,
        float(correct),
        1.0,
        elapsed,
        code,
    )
    assert AnswerRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


@given(
    mode=st.sampled_from(list(Mode)),
    started=moments,
    ended=moments,
    status=st.sampled_from(list(SessionStatus)),
    counts=st.tuples(*[st.integers(0, 500)] * 3),
    score=st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)),
    passed=st.none() | st.booleans(),
    seed=st.none() | st.integers(0, 10**9),
    topics=st.lists(words, max_size=3).map(tuple),
)
def test_session_record_round_trip(
    mode: Mode,
    started: datetime,
    ended: datetime,
    status: SessionStatus,
    counts: tuple[int, int, int],
    score: float,
    passed: bool | None,
    seed: int | None,
    topics: tuple[str, ...],
) -> None:
    record = SessionRecord(
        "s", mode, started, ended, status, *counts, score, 100.0, passed, seed, topics
    )
    assert SessionRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


GOOD_LINE = answer("ok").to_dict()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"elapsed_ms": 2.5}, "elapsed_ms"),
        ({"elapsed_ms": -5}, "elapsed_ms"),
        ({"points": "1"}, "points"),
        ({"max_points": 1e308 * 10}, "max_points"),
        ({"topic": None}, "topic"),
        ({"given": "BCD"}, "given"),
        ({"qid": ["x"]}, "qid"),
        ({"correct": "yes"}, "correct"),
        ({"ts": "yesterday"}, "ts"),
        ({"mode": "party"}, "mode"),
        ({"session": 7}, "session"),
    ],
)
def test_records_with_bad_values_are_skipped_with_the_field_named(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("first"))
    with store.path.open("a", encoding="utf-8") as f:
        # 1e999 is valid JSON that Python reads as infinity
        f.write(json.dumps({**GOOD_LINE, **change}).replace("Infinity", "1e999") + "\n")
    store.append(answer("last"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["first", "last"]
    (warning,) = log.warnings
    assert "第 2 行" in warning
    assert f"字段 {field}" in warning


def test_json_constants_and_deep_nesting_are_skipped(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.path.write_text(
        '{"v":1,"kind":"answer","points":NaN}\n' + "[" * 100_000 + "\n", encoding="utf-8"
    )
    store.append(answer("ok"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["ok"]
    assert len(log.warnings) == 2
    assert all("不是有效的 JSON" in w for w in log.warnings)


def test_a_time_without_offset_is_read_as_utc(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.path.write_text(json.dumps({**GOOD_LINE, "ts": "2026-11-29T08:26:05"}) + "\n")
    store.append(answer("aware"))
    log = store.read()
    assert log.warnings == []
    assert all(a.ts.tzinfo is not None for a in log.answers)
    assert max(a.ts for a in log.answers)  # naive and aware times compare
