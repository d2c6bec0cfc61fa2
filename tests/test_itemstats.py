"""Item analysis as Moodle's quiz statistics computes it, checked against figures worked out by
hand (see the comments), and a department's per-trainee summary."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cmquiz.department import analyse
from cmquiz.errors import TopicNotFoundError
from cmquiz.itemstats import ItemAnalysis, moodle_figures, random_guess_score
from cmquiz.qtypes import QuestionType
from cmquiz.records import Record, Status
from cmquiz.replay import replay
from cmquiz.scoring import MultiRule
from cmquiz.stats import StatsFilter
from histmaker import T0, exam, practice, question, write

Q1 = question("q1", answer="A")  # single, 4 options
Q2 = question("q2", QuestionType.JUDGE, answer="T")
Q3 = question("q3", QuestionType.MULTIPLE, answer="AB")
BANK = {q.id: q for q in (Q1, Q2, Q3)}

# Five finished attempts at one paper: Q1 and Q2 worth 1 point, Q3 worth 2 (partial credit).
#            Q1       Q2       Q3          marks      total
# A1         A  1     T  1     AB  2      1, 1, 2     4
# A2         A  1     F  0     A   1      1, 0, 1     2
# A3         B  0     T  1     B   1      0, 1, 1     2
# A4         A  1     T  1     C   0      1, 1, 0     2
# A5         C  0     F  0     (none) 0   0, 0, 0     0
ATTEMPTS = [
    (["A", "T", "AB"], [1.0, 1.0, 2.0]),
    (["A", "F", "A"], [1.0, 0.0, 1.0]),
    (["B", "T", "B"], [0.0, 1.0, 1.0]),
    (["A", "T", "C"], [1.0, 1.0, 0.0]),
    (["C", "F", None], [0.0, 0.0, 0.0]),
]


def attempts(scale: float = 1.0) -> list[Record]:
    records: list[Record] = []
    for n, (given_, scores) in enumerate(ATTEMPTS):
        records += exam(
            f"a{n + 1}",
            [(Q1, 1.0 * scale), (Q2, 1.0 * scale), (Q3, 2.0 * scale)],
            given_,
            T0 + timedelta(days=n),
            rule=MultiRule.PARTIAL,
            scores=[s * scale for s in scores],
            user=f"trainee{n % 2}",
            pass_mark=2.4 * scale,
        )
    return records


def analysis(records: list[Record], min_answers: int = 5) -> dict[str, object]:
    items = ItemAnalysis()
    for view in replay(records).values():
        items.add(view)
    return {row.qid: row for row in items.report(BANK, min_answers)}


def test_single_choice_figures_worked_by_hand() -> None:
    row = analysis(attempts())["q1"]
    f = row.figures  # type: ignore[attr-defined]
    # marks x = 1,1,0,1,0 (mean 0.6); rest of the paper y = 3,1,2,1,0 (mean 1.4)
    # var(x) = (.16+.16+.36+.16+.36)/4 = 0.3; var(y) = (2.56+.16+.36+.16+1.96)/4 = 1.3
    # cov = (.64-.16-.36-.16+.84)/4 = 0.2
    # covmax: sorted x-0.6 = -.6,-.6,.4,.4,.4 against sorted y-1.4 = -1.4,-.4,-.4,.6,1.6
    #         (.84+.24-.16+.24+.64)/4 = 0.45
    assert f.n == 5
    assert f.facility == pytest.approx(0.6)
    assert f.sd == pytest.approx(math.sqrt(0.3))  # 54.77% of the question's point
    assert f.discrimination_index == pytest.approx(100 * 0.2 / math.sqrt(0.3 * 1.3))  # 32.03
    assert f.discrimination_index == pytest.approx(32.0256, abs=1e-4)
    assert f.discriminative_efficiency == pytest.approx(100 * 0.2 / 0.45)  # 44.44
    assert row.random_guess_score == 0.25  # type: ignore[attr-defined]
    assert dict(row.options) == {"A": 3, "B": 1, "C": 1, "D": 0}  # type: ignore[attr-defined]
    assert row.unchosen == ("D",)  # type: ignore[attr-defined]
    assert row.flags == ("unchosen_option",)  # type: ignore[attr-defined]


def test_multiple_choice_with_partial_credit_worked_by_hand() -> None:
    row = analysis(attempts())["q3"]
    f = row.figures  # type: ignore[attr-defined]
    # marks x = 2,1,1,0,0 of 2 (mean 0.8, facility 0.4); rest y = 2,1,1,2,0 (mean 1.2)
    # var(x) = (1.44+.04+.04+.64+.64)/4 = 0.7; var(y) = (.64+.04+.04+.64+1.44)/4 = 0.7
    # cov = (.96-.04-.04-.64+.96)/4 = 0.3 -> DI = 100 x 0.3 / 0.7 = 42.86
    # covmax: sorted x-.8 = -.8,-.8,.2,.2,1.2 against sorted y-1.2 = -1.2,-.2,-.2,.8,.8
    #         (.96+.16-.04+.16+.96)/4 = 0.55 -> DE = 100 x 0.3 / 0.55 = 54.55
    assert f.facility == pytest.approx(0.4)
    assert f.sd == pytest.approx(math.sqrt(0.7) / 2)  # SD as a fraction of the 2 points
    assert f.discrimination_index == pytest.approx(300 / 7)
    assert f.discriminative_efficiency == pytest.approx(100 * 0.3 / 0.55)
    assert row.random_guess_score is None  # type: ignore[attr-defined]
    assert row.no_response == 1  # type: ignore[attr-defined]
    assert dict(row.options) == {"A": 2, "B": 2, "C": 1, "D": 0}  # type: ignore[attr-defined]
    assert row.key == frozenset("AB")  # type: ignore[attr-defined]


def test_judge_random_guess_score_and_answers() -> None:
    row = analysis(attempts())["q2"]
    assert row.random_guess_score == 0.5  # type: ignore[attr-defined]
    assert dict(row.options) == {"T": 3, "F": 2}  # type: ignore[attr-defined]
    assert row.unchosen == ()  # type: ignore[attr-defined]


def test_the_same_figures_when_every_point_is_doubled() -> None:
    """Marks are fractions: a paper worth twice as much gives Moodle's figures unchanged."""
    once, twice = analysis(attempts()), analysis(attempts(2.0))
    for qid in BANK:
        a, b = once[qid].figures, twice[qid].figures  # type: ignore[attr-defined]
        assert a.facility == pytest.approx(b.facility)
        assert a.sd == pytest.approx(b.sd)
        assert a.discrimination_index == pytest.approx(b.discrimination_index)
        assert a.discriminative_efficiency == pytest.approx(b.discriminative_efficiency)


def test_only_finished_exams_count() -> None:
    records = attempts()
    records += exam("open", [(Q1, 1.0)], ["B"], T0, status=Status.INTERRUPTED)
    records += exam("gone", [(Q1, 1.0)], ["B"], T0, status=Status.ABANDONED)
    records += exam("late", [(Q1, 1.0)], ["B"], T0, status=Status.TIMED_OUT)
    records += exam("killed", [(Q1, 1.0)], ["B"], T0)[:-1]  # no end record
    records += practice("p", [(Q1, False)], T0)
    assert analysis(records)["q1"].n == 6  # type: ignore[attr-defined]


def test_too_few_answers_are_not_flagged() -> None:
    row = analysis(attempts(), min_answers=6)["q1"]
    assert not row.enough  # type: ignore[attr-defined]
    assert row.flags == ()  # type: ignore[attr-defined]
    assert row.to_dict()["n"] == 5  # type: ignore[attr-defined]


def test_flags() -> None:
    easy = [
        exam(f"e{n}", [(Q1, 1.0), (Q2, 1.0)], ["A", "T" if n % 2 else "F"], T0) for n in range(6)
    ]
    rows = analysis([r for run in easy for r in run])
    q1 = rows["q1"]
    assert q1.figures.facility == 1.0  # type: ignore[attr-defined]
    assert q1.figures.discrimination_index is None  # type: ignore[attr-defined] # no variance
    assert q1.figures.discriminative_efficiency is None  # type: ignore[attr-defined]
    assert q1.flags == ("too_easy", "unchosen_option")  # type: ignore[attr-defined]
    assert q1.unchosen == ("B", "C", "D")  # type: ignore[attr-defined]
    hard = [exam(f"h{n}", [(Q1, 1.0), (Q2, 1.0)], ["BCDB"[n % 4], "T"], T0) for n in range(6)]
    q1 = analysis([r for run in hard for r in run])["q1"]
    assert "too_hard" in q1.flags  # type: ignore[attr-defined]


def test_a_question_that_the_strong_get_wrong_is_flagged() -> None:
    # Q1 right exactly when the rest of the paper is wrong: correlation -1
    runs = [
        exam(f"m{n}", [(Q1, 1.0), (Q2, 1.0)], ["A", "F"] if n % 2 else ["B", "T"], T0)
        for n in range(6)
    ]
    row = analysis([r for run in runs for r in run])["q1"]
    assert row.figures.discrimination_index == pytest.approx(-100.0)  # type: ignore[attr-defined]
    assert row.figures.discriminative_efficiency == pytest.approx(-100.0)  # type: ignore[attr-defined]
    assert {"low_discrimination", "low_efficiency"} <= set(row.flags)  # type: ignore[attr-defined]


def test_random_guess_score() -> None:
    assert random_guess_score("judge", None) == 0.5
    assert random_guess_score("single", 5) == 0.2
    assert random_guess_score("multiple", 5) is None


def test_json_entry() -> None:
    data = analysis(attempts())["q1"].to_dict()  # type: ignore[attr-defined]
    assert data["qid"] == "q1"
    assert data["n"] == 5
    assert data["facility"] == 0.6
    assert data["sd"] == 0.5477
    assert data["discrimination_index"] == 32.03
    assert data["discriminative_efficiency"] == 44.44
    assert data["options"] == {"A": 3, "B": 1, "C": 1, "D": 0}
    assert data["random_guess_score"] == 0.25


@given(
    st.lists(st.tuples(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 1)), min_size=2, max_size=40)
)
@settings(max_examples=200, deadline=None)
def test_moodle_figures_agree_with_the_statistics_module(pairs: list[tuple[float, float]]) -> None:
    marks = [x for x, _ in pairs]
    others = [y for _, y in pairs]
    f = moodle_figures(marks, others)
    assert f.facility is not None
    assert 0.0 <= f.facility <= 1.0
    assert f.sd == pytest.approx(statistics.stdev(marks), abs=1e-9)
    if f.discrimination_index is not None:
        assert f.discrimination_index == pytest.approx(
            100 * statistics.correlation(marks, others), abs=1e-6
        )
        assert -100.0 - 1e-6 <= f.discrimination_index <= 100.0 + 1e-6
    if f.discriminative_efficiency is not None:
        assume(abs(statistics.covariance(marks, others)) > 1e-9)
        assert f.discriminative_efficiency <= 100.0 + 1e-6


# --- a department ---------------------------------------------------------------------------------


def test_department_merges_files_and_sums_up_each_trainee(tmp_path: Path) -> None:
    records = attempts()
    # trainee0 took a1, a3, a5; trainee1 took a2, a4 (see ``attempts``); one file each
    by_user: dict[str, list[Record]] = {"trainee0": [], "trainee1": []}
    for view in replay(records).values():
        assert view.start is not None
        assert view.start.user is not None
        by_user[view.start.user] += [r for r in records if r.session == view.id]
    a = write(tmp_path / "dept" / "a.jsonl", by_user["trainee0"])
    b = write(tmp_path / "dept" / "b.jsonl", by_user["trainee1"])
    report = analyse([a, b], BANK, min_answers=5)
    merged = {row.qid: row for row in report.items}
    single = analysis(records)
    assert merged["q1"].figures == single["q1"].figures  # type: ignore[attr-defined]
    assert report.attempts == 5
    t0, t1 = report.trainees
    assert (t0.name, t0.exams, t1.name, t1.exams) == ("trainee0", 3, "trainee1", 2)
    # trainee0: 4/4, 2/4 and 0/4 -> mean 50%, best 100%, last (a5) 0%; pass mark 2.4
    assert (t0.mean, t0.best, t0.last, t0.passed) == (0.5, 1.0, 0.0, 1)
    # trainee1: 2/4 and 2/4
    assert (t1.mean, t1.best, t1.last, t1.passed) == (0.5, 0.5, 0.5, 0)
    # answers given: a1 3, a3 3, a5 2 (one left blank) -> 8, right: 3 + 1 + 0
    assert (t0.answered, t0.correct) == (8, 4)
    assert t0.files == (str(a),)
    data = report.to_dict()
    assert [t["name"] for t in data["trainees"]] == ["trainee0", "trainee1"]
    assert data["trainees"][0]["mean_percent"] == 50.0


def test_v1_runs_belong_to_the_files_name(tmp_path: Path) -> None:
    import json

    v1 = [
        {"v": 1, "kind": "answer", "session": "s1", "qid": "q1", "given": ["A"], "points": 1,
         "max_points": 1, "correct": True, "ts": "2026-01-05T01:00:00+00:00", "mode": "exam",
         "type": "single", "topic": "贷款担保管理", "topic_code": "17", "elapsed_ms": 1000},
        {"v": 1, "kind": "session", "session": "s1", "mode": "exam", "status": "completed",
         "started": "2026-01-05T00:59:00+00:00", "ended": "2026-01-05T01:01:00+00:00",
         "score": 100, "max_score": 100, "passed": True, "answered": 1, "questions": 1},
    ]  # fmt: skip
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in v1)
    old = tmp_path / "zhangsan.jsonl"
    old.write_text(lines, encoding="utf-8")
    folder = tmp_path / "lisi" / "history.jsonl"
    folder.parent.mkdir()
    folder.write_text(lines.replace("s1", "s2"), encoding="utf-8")
    report = analyse([old, folder], BANK, min_answers=1)
    assert [t.name for t in report.trainees] == ["lisi", "zhangsan"]
    assert report.attempts == 2
    assert report.items[0].n == 2


def test_department_date_and_topic_filters(tmp_path: Path) -> None:
    path = write(tmp_path / "h.jsonl", attempts())
    later = analyse(
        [path], BANK, min_answers=1, flt=StatsFilter(since=(T0 + timedelta(days=2)).date())
    )
    assert later.attempts == 3  # a3, a4, a5
    on_17 = analyse([path], BANK, min_answers=1, flt=StatsFilter(topics=("17",)))
    assert {row.qid for row in on_17.items} == {"q1", "q2", "q3"}  # all three are on 17
    with pytest.raises(TopicNotFoundError):
        analyse([path], BANK, flt=StatsFilter(topics=("外汇",)))


@st.composite
def department_runs(draw: st.DrawFn) -> list[tuple[str, list[Record]]]:
    """Runs of three trainees: exams (some unanswered items, some unfinished) and practice."""
    files: list[tuple[str, list[Record]]] = []
    for t in range(3):
        records: list[Record] = []
        for n in range(draw(st.integers(0, 4))):
            given_ = draw(
                st.lists(st.sampled_from(["A", "B", "T", "F", "AB", None]), min_size=3, max_size=3)
            )
            status = draw(st.sampled_from([Status.COMPLETED, Status.TIMED_OUT, Status.INTERRUPTED]))
            at = T0 + timedelta(days=draw(st.integers(0, 9)))
            records += exam(
                f"t{t}e{n}", [(Q1, 1.0), (Q2, 1.0), (Q3, 2.0)], given_, at,
                status=status, user=f"u{t}", pass_mark=2.0,
            )  # fmt: skip
        if draw(st.booleans()):
            records += practice(f"t{t}p", [(Q1, draw(st.booleans())), (Q2, True)], T0, user=f"u{t}")
        files.append((f"u{t}", records))
    return files


@given(department_runs())
@settings(max_examples=40, deadline=None)
def test_department_totals_add_up(
    tmp_path_factory: Any, files: list[tuple[str, list[Record]]]
) -> None:
    folder = tmp_path_factory.mktemp("dept")
    paths = [write(folder / f"{name}.jsonl", records) for name, records in files]
    report = analyse(paths, BANK, min_answers=1, overview=True)
    assert report.overview is not None
    assert sum(t.exams for t in report.trainees) == report.attempts == len(report.exams)
    assert sum(t.answered for t in report.trainees) == report.overview.answered
    assert sum(t.correct for t in report.trainees) == report.overview.correct
    for t in report.trainees:
        assert 0 <= t.passed <= t.graded <= t.exams
        for value in (t.mean, t.best, t.last):
            assert value is None or 0.0 <= value <= 1.0
        assert 0.0 <= t.accuracy <= 1.0
    for row in report.items:
        f = row.figures
        assert f.n <= report.attempts
        assert f.facility is not None
        assert 0.0 <= f.facility <= 1.0
        assert sum(row.options.values()) >= f.n - row.no_response
