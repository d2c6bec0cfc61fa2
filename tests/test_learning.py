"""The learning fold: records round trip, the notebook (entry, N right in a row, removal), stars,
sequential resume points, exam answers counted at hand-in, and rebuilt state == cached state."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.learning import LearningState, fold, ordered_walk, scope_key
from cmquiz.learning_records import (
    CursorRecord,
    NotebookRecord,
    PlanRecord,
    Setting,
    SettingRecord,
    StarRecord,
)
from cmquiz.records import Mode, RecordFormatError, Status, record_from_dict
from cmquiz.replay import replay
from learning_helpers import answer, day, end, start

# --- records ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        StarRecord("credit-17-001", True, day(0)),
        StarRecord("credit-17-001", False, day(1)),
        NotebookRecord("credit-17-001", day(0)),
        SettingRecord(Setting.WRONG_STREAK, 3, day(0)),
        PlanRecord(date(2026, 12, 2), 30, day(0)),
        PlanRecord(None, None, day(0)),
        CursorRecord("贷款担保管理", day(0)),
    ],
)
def test_learning_records_round_trip(record: object) -> None:
    data = json.loads(json.dumps(record.to_dict()))  # type: ignore[attr-defined]
    assert data["v"] == 2
    assert record_from_dict(data) == record


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "star", "qid": "a", "ts": "2026-11-02T01:00:00+00:00"}, "starred"),
        ({"kind": "star", "qid": 3, "starred": True, "ts": "2026-11-02T01:00:00"}, "qid"),
        ({"kind": "notebook", "qid": "a", "action": "add", "ts": "2026-11-02T01:00"}, "action"),
        ({"kind": "setting", "name": "wrong_streak", "value": 0, "ts": "2026-11-02"}, "value"),
        ({"kind": "setting", "name": "colour", "value": 1, "ts": "2026-11-02"}, "name"),
        ({"kind": "plan", "exam_date": "2026-13-01", "per_day": 5, "ts": "2026-11-02"}, "date"),
        ({"kind": "plan", "exam_date": "2026-12-01", "per_day": 0, "ts": "2026-11-02"}, "per_day"),
        ({"kind": "cursor", "scope": "x", "restart": False, "ts": "2026-11-02"}, "restart"),
    ],
)
def test_learning_records_are_checked_strictly(data: dict[str, object], field: str) -> None:
    with pytest.raises(RecordFormatError, match=field):
        record_from_dict({"v": 2, **data})


def test_replay_passes_over_records_of_no_run() -> None:
    records = [start("p1", day(0)), StarRecord("a", True, day(0)), answer("a", True, day(0))]
    sessions = replay(records)
    assert list(sessions) == ["p1"]
    assert len(sessions["p1"].answers) == 1


# --- the notebook -------------------------------------------------------------------------------


def test_a_wrong_answer_enters_and_two_right_in_a_row_take_it_out() -> None:
    state = fold([answer("a", False, day(0)), answer("a", True, day(1))])
    entry = state.notebook.items["a"]
    assert (entry.times_wrong, entry.streak, entry.last_wrong) == (1, 1, day(0))
    state = fold([answer("a", True, day(2))], state)
    assert "a" not in state.notebook.items


def test_a_wrong_answer_breaks_the_streak_and_counts_again() -> None:
    state = fold(
        [
            answer("a", False, day(0)),
            answer("a", True, day(1)),
            answer("a", False, day(2)),
            answer("a", True, day(3)),
        ]
    )
    entry = state.notebook.items["a"]
    assert (entry.times_wrong, entry.streak, entry.last_wrong) == (2, 1, day(2))


def test_right_answers_alone_never_enter() -> None:
    state = fold([answer("a", True, day(0))])
    assert state.notebook.items == {}


def test_the_streak_setting_is_a_record_and_applies_at_once() -> None:
    records = [
        SettingRecord(Setting.WRONG_STREAK, 3, day(0)),
        answer("a", False, day(0)),
        answer("a", True, day(1)),
        answer("a", True, day(2)),
    ]
    state = fold(records)
    assert state.notebook.items["a"].streak == 2  # 3 needed
    state = fold([SettingRecord(Setting.WRONG_STREAK, 2, day(3))], state)
    assert "a" not in state.notebook.items  # already has 2 in a row


def test_removal_by_hand_is_a_record_and_a_new_wrong_answer_brings_it_back() -> None:
    state = fold([answer("a", False, day(0)), NotebookRecord("a", day(1))])
    assert state.notebook.items == {}
    state = fold([answer("a", False, day(2))], state)
    assert state.notebook.items["a"].times_wrong == 2  # wrong ever, not since removal


def test_an_exam_answer_counts_at_hand_in_and_only_the_last_at_a_position() -> None:
    exam = [
        start("e1", day(0), Mode.EXAM),
        answer("a", False, day(0, 0.1), session="e1", mode=Mode.EXAM, index=0),
        answer("a", True, day(0, 0.2), session="e1", mode=Mode.EXAM, index=0),
        answer("b", False, day(0, 0.3), session="e1", mode=Mode.EXAM, index=1),
    ]
    state = fold(exam)
    assert state.notebook.items == {}
    assert state.cards == {}
    state = fold([end("e1", day(0, 0.4), Status.INTERRUPTED)], state)
    assert state.cards == {}  # can still be resumed
    state = fold([end("e1", day(1), Status.COMPLETED)], state)
    assert set(state.notebook.items) == {"b"}
    assert state.questions["a"].answered == 1
    assert state.questions["a"].last_correct


# --- stars and sequential walks -------------------------------------------------------------------


def test_stars_are_toggled_by_records() -> None:
    state = fold(
        [
            StarRecord("a", True, day(0)),
            StarRecord("b", True, day(1)),
            StarRecord("c", True, day(2)),
            StarRecord("b", False, day(3)),
        ]
    )
    assert state.starred() == ["c", "a"]


def test_a_sequential_walk_resumes_after_its_last_answer_and_restarts() -> None:
    scope = scope_key(["贷款担保管理"])
    records = [
        start("p1", day(0), sequence=scope),
        answer("a", True, day(0), session="p1"),
        answer("b", False, day(0), session="p1"),
        end("p1", day(0)),
        start("p2", day(1)),  # not sequential: does not move the cursor
        answer("d", True, day(1), session="p2"),
    ]
    state = fold(records)
    assert state.resume_after(scope) == "b"
    assert ordered_walk(["a", "b", "c", "d"], state.resume_after(scope)) == 2
    state = fold([CursorRecord(scope, day(2))], state)
    assert ordered_walk(["a", "b", "c", "d"], state.resume_after(scope)) == 0


def test_ordered_walk_starts_over_after_the_last_or_a_removed_question() -> None:
    assert ordered_walk(["a", "b"], "b") == 0
    assert ordered_walk(["a", "b"], "gone") == 0
    assert ordered_walk(["a", "b"], None) == 0


def test_scope_keys_name_the_points_not_the_patterns() -> None:
    assert scope_key(["b", "a", "a"]) == scope_key(["a", "b"]) == "a|b"
    assert scope_key([], "judge") == "*#judge"


def test_plan_records_set_and_clear_the_plan() -> None:
    state = fold([PlanRecord(date(2026, 12, 2), 20, day(0))])
    assert state.plan is not None
    assert state.plan.per_day == 20
    assert fold([PlanRecord(None, None, day(1))], state).plan is None


# --- rebuilt == cached -----------------------------------------------------------------------

QIDS = ["a", "b", "c"]


@st.composite
def histories(draw: st.DrawFn) -> list[object]:
    records: list[object] = []
    hour = 0.0
    for n in range(draw(st.integers(1, 40))):
        hour += draw(st.floats(0.01, 60))
        kind = draw(st.sampled_from(["answer", "answer", "star", "remove", "streak", "exam"]))
        qid = draw(st.sampled_from(QIDS))
        at = day(0, hour)
        at = at.replace(microsecond=at.microsecond // 1000 * 1000)  # the history keeps ms
        if kind == "answer":
            qtype = draw(st.sampled_from(["single", "multiple", "judge"]))
            records.append(answer(qid, draw(st.booleans()), at, qtype=qtype, index=n))
        elif kind == "star":
            records.append(StarRecord(qid, draw(st.booleans()), at))
        elif kind == "remove":
            records.append(NotebookRecord(qid, at))
        elif kind == "streak":
            records.append(SettingRecord(Setting.WRONG_STREAK, draw(st.integers(1, 4)), at))
        else:
            session = f"e{n}"
            records.append(answer(qid, draw(st.booleans()), at, session=session, mode=Mode.EXAM))
            if draw(st.booleans()):
                records.append(end(session, at + timedelta(seconds=20)))
    return records


@settings(max_examples=60, deadline=None)
@given(histories(), st.data())
def test_rebuilt_state_equals_cached_state(records: list[object], data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(records)))
    whole = fold(records)  # type: ignore[arg-type]
    cached = json.loads(json.dumps(fold(records[:cut]).to_dict()))  # type: ignore[arg-type]
    resumed = fold(records[cut:], LearningState.from_dict(cached))  # type: ignore[arg-type]
    assert resumed.to_dict() == whole.to_dict()
    assert resumed.cards == whole.cards


def test_a_fold_without_cards_differs_only_in_the_cards() -> None:
    records = [answer("a", False, day(0)), answer("a", True, day(1)), StarRecord("a", True, day(1))]
    full, light = fold(records).to_dict(), fold(records, cards=False).to_dict()
    assert light["cards"] == {}
    assert full["cards"]
    for key in full.keys() - {"cards", "with_cards"}:
        assert light[key] == full[key], key
