from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmquiz.errors import HistoryError
from cmquiz.history import HistoryStore, HistoryWriteError
from cmquiz.records import (
    AnswerRecord,
    EndRecord,
    FlagRecord,
    Mode,
    PaperItem,
    ResumeRecord,
    StartRecord,
    Status,
)
from cmquiz.replay import replay
from cmquiz.scoring import MultiRule
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
TOPIC = Topic("贷款担保管理", "17")


def answer(qid: str = "credit-17-001", correct: bool = True, session: str = "s1") -> AnswerRecord:
    return AnswerRecord(
        session=session,
        mode=Mode.EXAM,
        ts=T0,
        qid=qid,
        topic=TOPIC,
        type="single",
        given=("B",),
        correct=correct,
        points=float(correct),
        max_points=1.0,
        elapsed_ms=5300,
        index=0,
        rev="abc123def456",
    )


def end_record() -> EndRecord:
    return EndRecord(
        session="s1",
        status=Status.COMPLETED,
        score=86.0,
        max_score=100.0,
        passed=True,
        ts=T0,
        pass_mark=60.0,
        answered=50,
        correct=43,
        time_used_s=1800.0,
    )


def test_append_and_read_back(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "deep" / "history.jsonl")
    store.append(answer())
    store.append(end_record())
    lines = store.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert (first["v"], first["kind"], first["index"]) == (2, "answer", 0)
    assert first["given"] == ["B"]
    assert "贷款担保管理" in lines[0]  # readable, not \\u-escaped
    log = store.read()
    assert log.answers == [answer()]
    assert log.ends == [end_record()]
    assert log.warnings == []


def test_missing_file_is_an_empty_history(tmp_path: Path) -> None:
    log = HistoryStore(tmp_path / "none.jsonl").read()
    assert log.empty
    assert not log.warnings


def test_torn_last_line_is_skipped_with_a_warning(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("q1"))
    with store.path.open("ab") as f:
        f.write(b'{"v":2,"kind":"answer","session":"s1","qi')  # a crash mid-write
    before = store.path.read_bytes()
    log = store.read()
    assert [a.qid for a in log.answers] == ["q1"]
    assert len(log.warnings) == 1
    assert "第 2 行不完整" in log.warnings[0]
    assert store.path.read_bytes() == before  # reading never rewrites the file


def test_append_after_a_torn_line_keeps_the_new_record_whole(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.path.write_bytes(b'{"v":2,"kind":"ans')
    store.append(answer("q2"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["q2"]
    assert len(log.warnings) == 1
    assert "第 1 行不是有效的 JSON" in log.warnings[0]


def test_bad_lines_are_warned_about_and_unknown_kinds_counted_quietly(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("q1"))
    with store.path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
        f.write('{"v": 2, "kind": "answer"}\n')  # a kind we know, broken
        f.write("[1, 2]\n")
        f.write("\n")
        for _ in range(5):  # kinds and versions of a later release: kept, skipped quietly
            f.write('{"v": 2, "kind": "bookmark", "qid": "x"}\n')
            f.write('{"v": 3, "kind": "answer", "qid": "x"}\n')
    before = store.path.read_bytes()
    store.append(answer("q3"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["q1", "q3"]
    assert len(log.warnings) == 3
    assert "第 3 行" in log.warnings[1]
    assert "缺少字段" in log.warnings[1]
    assert log.unknown == 10
    notices = log.notices()
    assert len(notices) == 5  # the three, how to repair, one line for the ten unknown records
    assert "10 条记录" in notices[-1]
    assert store.path.read_bytes().startswith(before)  # never rewritten


def test_unwritable_history_is_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = HistoryStore(blocker / "history.jsonl")  # parent is a file
    with pytest.raises(HistoryError, match="无法写入答题记录"):
        store.append(answer())


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
words = st.text(min_size=1, max_size=20)
topics = st.builds(Topic, words, st.none() | words)
points = st.floats(0, 1000, allow_nan=False).map(lambda x: round(x, 4))


@given(
    session=words,
    mode=st.sampled_from(list(Mode)),
    ts=moments,
    qid=words,
    topic=topics,
    qtype=st.sampled_from(["single", "multiple", "judge"]),
    given_keys=st.lists(st.sampled_from("ABCDEFGHTF"), unique=True, max_size=8).map(tuple),
    correct=st.booleans(),
    earned=points,
    elapsed=st.integers(0, 10**9),
    index=st.integers(0, 10**6),
    rev=st.none() | st.from_regex(r"[0-9a-f]{12}", fullmatch=True),
)
def test_answer_record_round_trip(
    session: str,
    mode: Mode,
    ts: datetime,
    qid: str,
    topic: Topic,
    qtype: str,
    given_keys: tuple[str, ...],
    correct: bool,
    earned: float,
    elapsed: int,
    index: int,
    rev: str | None,
) -> None:
    record = AnswerRecord(
        session, mode, ts, qid, topic, qtype, given_keys, correct, earned, 1.0, elapsed, index, rev
    )
    assert AnswerRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


paper_items = st.builds(
    PaperItem,
    qid=words,
    rev=st.from_regex(r"[0-9a-f]{12}", fullmatch=True),
    points=points,
    type=st.sampled_from(["single", "multiple", "judge"]),
    topic=topics,
    order=st.none() | st.permutations("ABCD").map(tuple),
)


@given(
    mode=st.sampled_from(list(Mode)),
    ts=moments,
    items=st.lists(paper_items, max_size=6).map(tuple),
    rule=st.sampled_from(list(MultiRule)),
    limit=st.none() | st.integers(1, 10**6),
    pass_mark=st.none() | points,
    seed=st.none() | st.integers(-(10**9), 10**9),
    paper=st.none() | words,
    user=st.none() | words,
    shuffle=st.booleans(),
    patterns=st.lists(words, max_size=3).map(tuple),
)
def test_start_record_round_trip(
    mode: Mode,
    ts: datetime,
    items: tuple[PaperItem, ...],
    rule: MultiRule,
    limit: int | None,
    pass_mark: float | None,
    seed: int | None,
    paper: str | None,
    user: str | None,
    shuffle: bool,
    patterns: tuple[str, ...],
) -> None:
    record = StartRecord(
        "s", mode, ts, items, rule, limit, pass_mark, seed, paper, None, patterns, user, shuffle
    )
    data = json.loads(json.dumps(record.to_dict()))
    assert StartRecord.from_dict(data) == record
    assert data["max_score"] == record.max_score


@given(
    status=st.sampled_from(list(Status)),
    score=points,
    passed=st.none() | st.booleans(),
    ts=moments,
    counts=st.tuples(st.integers(0, 500), st.integers(0, 500)),
    used=st.none() | points,
)
def test_end_flag_and_resume_records_round_trip(
    status: Status,
    score: float,
    passed: bool | None,
    ts: datetime,
    counts: tuple[int, int],
    used: float | None,
) -> None:
    end = EndRecord("s", status, score, 100.0, passed, ts, 60.0, *counts, used)
    assert EndRecord.from_dict(json.loads(json.dumps(end.to_dict()))) == end
    flag = FlagRecord("s", counts[0], bool(passed), ts)
    assert FlagRecord.from_dict(json.loads(json.dumps(flag.to_dict()))) == flag
    resume = ResumeRecord("s", ts)
    assert ResumeRecord.from_dict(json.loads(json.dumps(resume.to_dict()))) == resume


def test_a_version_1_history_is_still_read(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    v1 = [
        {
            "v": 1,
            "kind": "answer",
            "session": "old",
            "mode": "exam",
            "ts": "2026-11-29T02:00:05+00:00",
            "qid": "credit-17-001",
            "topic": "贷款担保管理",
            "topic_code": "17",
            "type": "single",
            "given": ["B"],
            "correct": True,
            "points": 1.0,
            "max_points": 1.0,
            "elapsed_ms": 5300,
        },
        {
            "v": 1,
            "kind": "answer",
            "session": "old",
            "mode": "exam",
            "ts": "2026-11-29T02:00:09+00:00",
            "qid": "credit-17-002",
            "topic": "贷款担保管理",
            "type": "single",
            "given": ["A"],
            "correct": False,
            "points": 0.0,
            "max_points": 1.0,
            "elapsed_ms": 4000,
        },
        {
            "v": 1,
            "kind": "session",
            "session": "old",
            "mode": "exam",
            "started": "2026-11-29T02:00:00+00:00",
            "ended": "2026-11-29T02:00:20+00:00",
            "status": "interrupted",
            "questions": 50,
            "answered": 2,
            "correct": 1,
            "score": 2.0,
            "max_score": 100.0,
            "passed": False,
            "seed": 123,
            "topics": [],
        },
    ]
    store.path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in v1))
    store.append(answer("new", session="s2"))
    log = store.read()
    assert log.warnings == []
    assert [a.qid for a in log.answers] == ["credit-17-001", "credit-17-002", "new"]
    assert log.answers[0].topic == TOPIC
    assert log.answers[0].index is None
    (end,) = log.ends
    assert (end.mode, end.questions, end.seed, end.time_used_s) == (Mode.EXAM, 50, 123, 20.0)
    view = replay(log.records)["old"]
    assert view.mode is Mode.EXAM
    assert sorted(view.latest()) == [0, 1]
    assert not view.resumable  # no paper on record: nothing to resume


def test_a_short_write_is_undone_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("kept"))
    size = store.path.stat().st_size
    real_write = os.write

    def short_write(fd: int, data: bytes) -> int:
        return real_write(fd, data[: len(data) // 2])  # a full disk takes half the line

    monkeypatch.setattr("cmquiz.history.os.write", short_write)
    with pytest.raises(HistoryWriteError, match="磁盘空间不足"):
        store.append(answer("lost"))
    monkeypatch.undo()
    assert store.path.stat().st_size == size  # no torn line left behind
    store.append(answer("later"))
    log = store.read()
    assert [a.qid for a in log.answers] == ["kept", "later"]
    assert log.warnings == []


def test_a_nearly_full_disk_is_refused_before_the_first_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")

    class Full:
        f_bavail = 10
        f_frsize = 4096

    monkeypatch.setattr("cmquiz.history.os.fstatvfs", lambda fd: Full())
    with pytest.raises(HistoryError, match="磁盘空间不足"):
        store.ensure_writable()


GOOD_LINE = answer("ok").to_dict()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"elapsed_ms": 2.5}, "elapsed_ms"),
        ({"points": 10**400}, "points"),
        ({"index": -1}, "index"),
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
        '{"v":2,"kind":"answer","points":NaN}\n' + "[" * 100_000 + "\n", encoding="utf-8"
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


def test_a_bad_line_is_warned_about_once(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.append(answer("q1"))
    with store.path.open("ab") as f:
        f.write(b'{"v":2,"kind":"answer","session":"s1","qi')  # torn ...
    store.append(answer("q2"))  # ... and sealed by the next append
    first = store.read()
    assert len(first.warnings) == 1
    assert first.repair is not None
    assert "文本编辑器删除" in first.repair
    again = store.read()
    assert again.warnings == []  # reported once, not on every command
    assert again.repair is None
    assert [a.qid for a in again.answers] == ["q1", "q2"]
    with store.path.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    store.append(answer("q3"))
    later = store.read()
    assert len(later.warnings) == 1  # only the new bad line
    assert "第 4 行" in later.warnings[0]
