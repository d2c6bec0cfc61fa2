"""The history's digest (``cmquiz.digest``): read in steps through its cache it equals the
digest read at once, its figures equal those of a full read, and a cache that no longer fits the
history (rewritten, shrunk, another zone, another release, damaged) is rebuilt."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz import digest as digest_module
from cmquiz.digest import cache_path, digest_history
from cmquiz.history import HistoryStore, encode
from cmquiz.learning import fold
from cmquiz.learning_records import PlanRecord, StarRecord
from cmquiz.qtypes import QuestionType
from cmquiz.records import EndRecord, Mode, Record, ResumeRecord, Status
from cmquiz.stats import compute_stats
from histmaker import T0, exam, practice, question

QS = [question(f"q{i}") for i in range(6)] + [
    question("j1", QuestionType.JUDGE, answer="T"),
    question("m1", QuestionType.MULTIPLE, answer="AC"),
]
BANK = {q.id: q for q in QS}
TODAY = date(2026, 11, 20)


def _records() -> list[Record]:
    """Two weeks of a trainee: practice, a finished exam, an exam interrupted and resumed later,
    an exam still open at the end, stars, a plan, a review run."""
    out: list[Record] = []
    for d in range(4):
        at = T0 + timedelta(days=d)
        out += practice(f"p{d}", [(q, (i + d) % 3 != 0) for i, q in enumerate(QS)], at)
    out.append(StarRecord("q1", True, T0 + timedelta(days=1, hours=5)))
    out += exam(
        "e1",
        [(q, 2.0) for q in QS],
        ["A", "B", None, "A", "A", "A", "T", "AC"],
        T0 + timedelta(days=5),
        pass_mark=10.0,
    )
    # an exam interrupted after three answers, resumed two days later and handed in
    paused = exam(
        "e2", [(q, 1.0) for q in QS[:5]], ["A", "A", "B", "A", "A"], T0 + timedelta(days=6)
    )
    start, answers, end = paused[0], paused[1:-1], paused[-1]
    assert isinstance(end, EndRecord)
    out += [start, *answers[:3]]
    out.append(EndRecord("e2", Status.INTERRUPTED, 0.0, 5.0, None, T0 + timedelta(days=6, hours=1)))
    out.append(PlanRecord(date(2026, 12, 20), 30, T0 + timedelta(days=7)))
    out += practice(
        "r1", [(QS[0], True), (QS[2], False)], T0 + timedelta(days=7, hours=2), mode=Mode.REVIEW
    )
    out.append(ResumeRecord("e2", T0 + timedelta(days=8)))
    out += [*answers[3:], end]
    out.append(StarRecord("q1", False, T0 + timedelta(days=9)))
    # an exam still open: two answers, no end
    out += exam("e3", [(q, 1.0) for q in QS[:4]], ["A", "B", None, None], T0 + timedelta(days=10))[
        :-1
    ]
    out += practice("p9", [(q, True) for q in QS[:3]], T0 + timedelta(days=11))
    return out


RECORDS = _records()
LINES = [encode(r) for r in RECORDS]
WHOLE = b"".join(LINES)


def _figures(store: HistoryStore, cache: Path | None) -> tuple[dict, dict, list, str | None]:
    digest = digest_history(store, cache, UTC).digest
    report = digest.stats_builder(BANK).report(TODAY).to_dict()
    exams = [e.to_dict() for e in digest.exam_listings()]
    unfinished = digest.unfinished_exam()
    return digest.learning.to_dict(), report, exams, unfinished and unfinished.id


def _full_read(store: HistoryStore) -> tuple[dict, dict, list, str | None]:
    """The same figures from the history read whole, without the digest."""
    from cmquiz.exams import listing_of
    from cmquiz.replay import latest_unfinished_exam, replay

    log = store.read()
    sessions = replay(log.records)
    report = compute_stats(log, questions=BANK, today=TODAY, tz=UTC).to_dict()
    listed = [listing_of(v) for v in sessions.values() if v.mode is Mode.EXAM and v.answered_any]
    listed.sort(key=lambda e: e.started.timestamp() if e.started else 0.0, reverse=True)
    exams = [e.to_dict() for e in listed]
    unfinished = latest_unfinished_exam(sessions)
    return fold(log.records).to_dict(), report, exams, unfinished and unfinished.id


def test_the_digest_of_the_history_equals_a_full_read(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.jsonl")
    store.path.write_bytes(WHOLE)
    learning, report, exams, unfinished = _figures(store, None)
    assert (learning, report, exams, unfinished) == _full_read(store)
    assert unfinished == "e3"
    assert [e["id"] for e in exams] == ["e3", "e2", "e1"]
    assert report["answered"] == sum(1 for r in RECORDS if type(r).__name__ == "AnswerRecord")


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(WHOLE)), st.booleans()), max_size=4),
    limit=st.sampled_from([0, 700, 10**9]),
)
def test_read_in_steps_equals_read_at_once(
    tmp_path_factory: pytest.TempPathFactory, cuts: list[tuple[int, bool]], limit: int
) -> None:
    """Whatever bytes each command found on disk (cuts mid-line included: another run was
    writing), with or without the cards, and whether the tail read past the cache was folded
    into it (a small ``TAIL_LIMIT``) or kept for later (a large one), the digest carried
    through the cache ends equal to the digest read at once."""
    tmp = tmp_path_factory.mktemp("steps")
    store, cache = HistoryStore(tmp / "history.jsonl"), tmp / "cache"
    with patch.object(digest_module, "TAIL_LIMIT", limit):
        for cut, cards in sorted(cuts):
            store.path.write_bytes(WHOLE[:cut])
            digest = digest_history(store, cache, UTC, cards=cards).digest
            assert digest.learning.with_cards == (cards or digest.whole)
        store.path.write_bytes(WHOLE)
        result = digest_history(store, cache, UTC, cards=False)
        # cached by the first command that found a whole line (an empty history is not)
        assert not result.rebuilt or all(cut <= WHOLE.index(b"\n") for cut, _ in cuts)
        without_cards = result.digest.learning.to_dict()
        assert _figures(store, cache) == _figures(store, None)
    whole = _figures(store, None)[0]
    assert without_cards == {**whole, "cards": {}, "with_cards": False} or result.digest.whole


def test_a_short_tail_is_read_again_a_long_one_is_folded_into_the_cache(tmp_path: Path) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    store.path.write_bytes(b"".join(LINES[:20]))
    first = digest_history(store, cache, UTC)
    assert first.rebuilt
    assert first.digest.offset == len(b"".join(LINES[:20]))
    assert cache_path(store, cache).exists()
    written = cache_path(store, cache).read_bytes()
    store.path.write_bytes(WHOLE)
    second = digest_history(store, cache, UTC)
    assert not second.rebuilt
    assert not second.digest.whole  # the tail is short: kept out of the cache
    assert cache_path(store, cache).read_bytes() == written
    with patch.object(digest_module, "TAIL_LIMIT", 100):
        third = digest_history(store, cache, UTC)
    assert third.digest.whole
    assert third.digest.line == len(LINES) + 1
    header = json.loads(cache_path(store, cache).read_bytes().split(b"\n")[0])
    assert header["offset"] == len(WHOLE)
    assert _figures(store, cache) == _full_read(store)


@pytest.mark.parametrize(
    ("runs", "ask"),
    [
        (b'{"stats": {"topics": 7}}', "exams"),  # the section's shape
        (b'{"stats": {"topics": 7}, "open_runs": {}, "exams": [], "answered_on": {}}', "stats"),
        (b'{"stats": {}, "open_runs": {}, "exams": [{"id": 3}], "answered_on": {}}', "exams"),
    ],
)
def test_a_damaged_section_is_rebuilt_when_it_is_read(
    tmp_path: Path, runs: bytes, ask: str
) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    store.path.write_bytes(WHOLE)
    digest_history(store, cache, UTC)
    lines = cache_path(store, cache).read_bytes().split(b"\n")
    lines[3] = runs  # the runs section
    cache_path(store, cache).write_bytes(b"\n".join(lines))
    digest = digest_history(store, cache, UTC).digest
    assert not digest.rebuilt
    # decoding the part asked for finds the damage and folds the history again
    if ask == "exams":
        assert digest.exam_listings()
    else:
        assert digest.stats_builder(BANK).report(TODAY).answered
    assert digest.rebuilt
    assert _figures(store, cache) == _full_read(store)
    assert cache_path(store, cache).read_bytes().split(b"\n")[3] != lines[3]


def test_a_half_written_last_line_waits_for_the_next_read(tmp_path: Path) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    cut = len(b"".join(LINES[:10])) + 7
    store.path.write_bytes(WHOLE[:cut])
    result = digest_history(store, cache, UTC)
    assert result.digest.offset == len(b"".join(LINES[:10]))
    assert not result.warnings  # not a bad line: it is still being written
    store.path.write_bytes(WHOLE)
    assert _figures(store, cache) == _figures(store, None)


@pytest.mark.parametrize(
    "change",
    [
        "rewritten",
        "shrunk",
        "cache damaged",
        "other release",
        "other format",
        "a line too many",
        "last line cut",
        "a section missing",
    ],
)
def test_a_cache_that_no_longer_fits_is_rebuilt(tmp_path: Path, change: str) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    store.path.write_bytes(WHOLE)
    digest_history(store, cache, UTC)
    stored = cache_path(store, cache)
    if change == "rewritten":  # another history of the same length in its place
        other = practice("x1", [(QS[0], False)] * 3, T0)
        body = b"".join(encode(r) for r in other)
        store.path.write_bytes(body + b" " * (len(WHOLE) - len(body) - 1) + b"\n")
    elif change == "shrunk":
        store.path.write_bytes(b"".join(LINES[:5]))
    elif change == "cache damaged":
        stored.write_text('{"format": 1, "digest": {"offset": "x"', encoding="utf-8")
    elif change == "a line too many":
        stored.write_bytes(stored.read_bytes() + b"{}\n")
    elif change == "last line cut":
        stored.write_bytes(stored.read_bytes()[:-1])
    elif change == "a section missing":
        lines = stored.read_bytes().split(b"\n")
        stored.write_bytes(b"\n".join([*lines[:2], *lines[3:]]))
    else:
        lines = stored.read_bytes().split(b"\n")
        header = json.loads(lines[0])
        header["version" if change == "other release" else "format"] = "0"
        stored.write_bytes(b"\n".join([json.dumps(header).encode(), *lines[1:]]))
    result = digest_history(store, cache, UTC)
    assert result.rebuilt
    assert _figures(store, cache) == _full_read(store)


def test_another_time_zone_rebuilds_the_days(tmp_path: Path) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    store.path.write_bytes(WHOLE)
    utc = digest_history(store, cache, UTC).digest
    far_west = timezone(timedelta(hours=-11))
    west = digest_history(store, cache, far_west)
    assert west.rebuilt
    assert west.digest.answered_on != utc.answered_on
    assert sum(west.digest.answered_on.values()) == sum(utc.answered_on.values())


def test_bad_and_unknown_lines_are_reported_once_and_kept_out(tmp_path: Path) -> None:
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    unknown = json.dumps({"v": 9, "kind": "hologram", "ts": "2026-11-03T00:00:00+00:00"})
    store.path.write_bytes(
        LINES[0] + b"{not json\n" + unknown.encode() + b"\n" + WHOLE[len(LINES[0]) :]
    )
    result = digest_history(store, cache, UTC)
    assert any("第 2 行" in w for w in result.warnings)
    assert result.digest.unknown == 1
    assert any("1 条记录来自更新的 cmquiz 版本" in n for n in result.notices())
    clean = HistoryStore(tmp_path / "clean.jsonl")
    clean.path.write_bytes(WHOLE)
    assert _figures(store, cache)[:3] == _figures(clean, None)[:3]


def test_the_stats_command_reads_the_digest_and_agrees_with_a_filtered_read(
    tmp_path: Path,
) -> None:
    """``cmquiz stats`` (the digest) and ``cmquiz stats --since`` a day before everything (a
    full read) print the same figures, with or without the cache."""
    from typer.testing import CliRunner

    from cmquiz.cli import app

    home = tmp_path / "home"
    home.mkdir()
    (home / "history.jsonl").write_bytes(WHOLE)
    env = {"CMQUIZ_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100", "TZ": "UTC"}
    runner = CliRunner()

    def stats(*args: str) -> dict:
        result = runner.invoke(app, ["stats", "--json", *args], env=env)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        data.pop("today", None)
        return data

    digested = stats()
    cached = list((home / "cache" / "history").glob("*.json"))
    assert len(cached) == 1
    assert stats() == digested
    full = stats("--since", "2026-01-01")
    for data in (full, digested):  # what differs: the filter and so the window of days shown
        data.pop("filter")
        data["activity"].pop("window")
    assert full == digested
    cached[0].unlink()
    again = stats()
    again.pop("filter")
    again["activity"].pop("window")
    assert again == digested


def test_an_empty_history_keeps_no_cache(tmp_path: Path) -> None:
    """Nothing to keep before the first answer (an exam start on a new home writes nothing);
    a history emptied since leaves no stale cache behind."""
    store, cache = HistoryStore(tmp_path / "history.jsonl"), tmp_path / "cache"
    for content in (None, b"", WHOLE[: WHOLE.index(b"\n")]):  # none, empty, half a line
        if content is not None:
            store.path.write_bytes(content)
        digest = digest_history(store, cache, UTC).digest
        assert digest.unfinished_exam() is None
        assert digest.learning.to_dict() == fold([]).to_dict()
        assert not cache_path(store, cache).exists()
    store.path.write_bytes(WHOLE)
    assert digest_history(store, cache, UTC).digest.unfinished_exam() is not None
    assert cache_path(store, cache).exists()
    store.path.write_bytes(b"")
    assert digest_history(store, cache, UTC).digest.unfinished_exam() is None
    assert not cache_path(store, cache).exists()
