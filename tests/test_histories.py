"""Reading histories as a stream: the same records and runs as reading them whole."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmquiz.errors import HistoryError
from cmquiz.histories import (
    ReadNotes,
    default_owner,
    history_files,
    read_records,
    stream_sessions,
)
from cmquiz.history import HistoryStore, encode
from cmquiz.qtypes import QuestionType
from cmquiz.records import (
    AnswerRecord,
    PaperItem,
    RecordFormatError,
    Status,
    _fast_item,
    fast_answer,
    record_from_dict,
)
from cmquiz.replay import replay
from cmquiz.topics import Topic
from histmaker import T0, exam, practice, question, write

G1 = question("g1")
J1 = question("j1", QuestionType.JUDGE, answer="T")


def mixed_history() -> list[Any]:
    """Runs interleaved as two terminals would write them, a resumed exam, an abandoned one."""
    a = practice("p1", [(G1, True), (J1, False)], T0)
    b = exam("e1", [(G1, 1.0), (J1, 1.0)], ["A", "F"], T0, status=Status.INTERRUPTED)
    c = exam("e1", [(G1, 1.0), (J1, 1.0)], ["B", "T"], T0 + timedelta(hours=1))[1:]
    d = exam("e2", [(G1, 1.0)], ["A"], T0)[:-1]  # killed
    e = exam("e3", [(G1, 1.0)], [None], T0, status=Status.INTERRUPTED)
    f = exam("e3", [(G1, 1.0)], [None], T0, status=Status.ABANDONED)[-1:]
    return [a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], *c, *d, *e, *f]


def test_stream_sessions_gives_every_run_as_replay_does() -> None:
    records = mixed_history()
    streamed = {view.id: view for view in stream_sessions(records)}
    whole = replay(records)
    assert streamed.keys() == whole.keys()
    for sid, view in whole.items():
        other = streamed[sid]
        assert other.start == view.start
        assert other.answers == view.answers
        assert other.ends == view.ends
        assert other.latest() == view.latest()
        assert other.status == view.status
        assert other.time_used_s() == view.time_used_s()


def test_a_run_is_handed_over_as_soon_as_it_is_over() -> None:
    records = practice("p1", [(G1, True)], T0) + practice("p2", [(G1, False)], T0)
    seen: list[str] = []

    def feed() -> Any:
        for record in records:
            seen.append(record.session)
            yield record

    stream = stream_sessions(feed())
    first = next(stream)
    assert first.id == "p1"
    assert "p2" not in seen  # p1 came out before p2 was read


def test_an_interrupted_exam_stays_open_until_it_ends() -> None:
    records = mixed_history()
    order = [view.id for view in stream_sessions(records)]
    # p1 ends first; e1 is handed in after its resume; e3 is abandoned; e2 never ends
    assert order == ["p1", "e1", "e3", "e2"]


def test_read_records_reads_as_the_store_does(tmp_path: Path) -> None:
    records = mixed_history()
    path = write(tmp_path / "h.jsonl", records)
    with path.open("ab") as f:
        f.write(b"not json\n")
        f.write(b'{"v": 2, "kind": "answer", "session": "x"}\n')
        f.write(b'{"v": 9, "kind": "hologram"}\n')
        f.write(b'{"v": 2, "kind": "answer", "ses')  # torn by a crash
    notes = ReadNotes()
    streamed = list(read_records(path, notes))
    log = HistoryStore(path).read()
    assert streamed == log.records
    assert notes.warnings == log.warnings
    assert notes.unknown == log.unknown == 1
    assert any("缺少字段" in w for w in notes.warnings)
    assert "不完整" in notes.warnings[-1]


def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "h.jsonl", mixed_history())
    before = path.read_bytes()
    list(read_records(path, ReadNotes()))
    assert path.read_bytes() == before


def valid_answer() -> dict[str, Any]:
    record = exam("e", [(G1, 0.5)], ["A"], T0)[1]
    return json.loads(encode(record))  # type: ignore[no-any-return]


FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.sampled_from(["exam", "practice", "2026-11-02T01:00:00", "2026-13-02", "1e3", 2.0, 2]),
    st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=3),
)


@given(
    st.dictionaries(st.sampled_from([*list(valid_answer()), "extra"]), FIELD_VALUES, max_size=4),
    st.sets(st.sampled_from(list(valid_answer())), max_size=2),
)
@example({"v": 2.0}, set())
@example({"v": True}, set())
@example({"index": True}, set())
@example({"points": float("nan")}, set())
@example({"ts": "2026-11-02T01:00:00"}, set())
@settings(max_examples=400, deadline=None)
def test_the_fast_path_reads_exactly_what_the_record_reader_reads(
    changes: dict[str, Any], removed: set[str]
) -> None:
    data = {**valid_answer(), **changes}
    for name in removed:
        data.pop(name, None)
    version = data.get("v")
    plain_v2 = data.get("kind") == "answer" and type(version) is int and version == 2
    fast = fast_answer(data) if plain_v2 else None
    try:
        slow = AnswerRecord.from_dict(data)  # the per-field reader
    except (RecordFormatError, KeyError, TypeError):
        slow = None
    if fast is not None:
        assert fast == slow
        assert fast.version == slow.version == 2  # type: ignore[union-attr]


def test_the_fast_path_takes_a_record_as_written() -> None:
    assert fast_answer(valid_answer()) == AnswerRecord.from_dict(valid_answer())
    assert fast_answer(valid_answer()) == record_from_dict(valid_answer())


def valid_item() -> dict[str, Any]:
    item = {**valid_answer(), "order": ["B", "A", "C", "D"]}
    start = exam("e", [(G1, 0.5)], ["A"], T0)[0]
    data = json.loads(encode(start))["items"][0]
    return {**data, "order": item["order"]}


@given(
    st.dictionaries(st.sampled_from([*list(valid_item()), "extra"]), FIELD_VALUES, max_size=3),
    st.sets(st.sampled_from(list(valid_item())), max_size=2),
)
@example({"order": []}, set())
@example({"points": float("inf")}, set())
@settings(max_examples=300, deadline=None)
def test_the_fast_paper_item_reads_exactly_what_the_field_reader_reads(
    changes: dict[str, Any], removed: set[str]
) -> None:
    data = {**valid_item(), **changes}
    for name in removed:
        data.pop(name, None)
    fast = _fast_item(data)
    try:
        slow = PaperItem.read_fields(data)
    except (RecordFormatError, KeyError, TypeError):
        slow = None
    if fast is not None:
        assert fast == slow


def test_records_built_directly_have_every_field_and_equal_built_ones() -> None:
    """The fast paths set fields without the dataclass constructor: each must set them all."""
    answer = fast_answer(valid_answer())
    assert answer is not None
    assert set(vars(answer)) == {f.name for f in fields(AnswerRecord)}
    assert answer == AnswerRecord(**vars(answer))
    assert hash(answer.topic) == hash(Topic(answer.topic.name, answer.topic.code))
    item = _fast_item(valid_item())
    assert item is not None
    assert set(vars(item)) == {f.name for f in fields(PaperItem)}
    assert item == PaperItem(**vars(item))
    assert item.order == ("B", "A", "C", "D")


def test_history_files_from_folders_and_files(tmp_path: Path) -> None:
    a = write(tmp_path / "dept" / "a.jsonl", [])
    b = write(tmp_path / "dept" / "team" / "b.jsonl", [])
    (tmp_path / "dept" / "notes.txt").write_text("x", encoding="utf-8")
    assert history_files([tmp_path / "dept", a]) == [a, b]
    with pytest.raises(HistoryError, match="不存在"):
        history_files([tmp_path / "missing.jsonl"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(HistoryError, match="没有答题记录"):
        history_files([tmp_path / "empty"])


def test_default_owner() -> None:
    assert default_owner(Path("/data/zhangsan.jsonl")) == "zhangsan"
    assert default_owner(Path("/data/lisi/history.jsonl")) == "lisi"
