"""The learning commands end to end through CliRunner: the notebook, stars, search, show,
browse, sequential practice, review and the plan, with answers piped on standard input and the
clock injected."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cmquiz.history import HistoryStore
from cmquiz.learning_records import NotebookRecord, StarRecord
from cmquiz.records import Mode
from drawing import MINI, exam_paper, typed
from drawing import pool as mini_pool
from learning_helpers import answer

Invoke = Callable[..., Any]
NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def store(home: Path) -> HistoryStore:
    return HistoryStore(home / "history.jsonl")


def run(invoke: Invoke, *args: str, input: str | None = None, code: int = 0) -> Any:
    result = invoke("--bank", MINI, *args, input=input)
    assert result.exit_code == code, result.output
    return result


def as_json(invoke: Invoke, *args: str) -> Any:
    return json.loads(run(invoke, *args, "--json").stdout)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The time the commands see (and UTC as the trainee's time zone); move it with now[0]."""
    now = [NOW]
    monkeypatch.setattr("cmquiz.cli.prompting.now", lambda: now[0])
    monkeypatch.setattr("cmquiz.cli.learn.local_tz", lambda: UTC)
    monkeypatch.setattr("cmquiz.cli.lookup.local_tz", lambda: UTC)
    return now


def walk(invoke: Invoke, answers: str, *extra: str) -> Any:
    """Sequential practice of knowledge point 17 (t-guar-1, t-guar-2, t-guar-3 in bank order)."""
    return run(invoke, "practice", "--order", "sequential", "--topic", "17", *extra, input=answers)


# --- the notebook ------------------------------------------------------------------------------


def test_a_wrong_answer_enters_and_two_right_in_a_row_take_it_out(invoke: Invoke) -> None:
    walk(invoke, "a\n", "--n", "1")  # t-guar-1 is B
    (entry,) = as_json(invoke, "wrong")["entries"]
    assert entry["qid"] == "t-guar-1"
    assert entry["times_wrong"] == 1
    assert entry["streak"] == 0
    listing = run(invoke, "wrong").output
    assert "t-guar-1" in listing
    assert "0/2" in listing
    first = run(invoke, "practice", "--wrong", input="b\n")
    assert "错题本" in first.output
    assert as_json(invoke, "wrong")["entries"][0]["streak"] == 1
    run(invoke, "practice", "--wrong", input="b\n")
    assert as_json(invoke, "wrong")["entries"] == []
    assert "错题本是空的" in run(invoke, "wrong").output
    assert "错题本里没有题" in run(invoke, "practice", "--wrong").output


def test_the_end_of_a_practice_run_lists_the_misses_and_points_to_the_notebook(
    invoke: Invoke,
) -> None:
    result = walk(invoke, "a\n", "--n", "1")
    assert "本次答错的题" in result.output
    assert "答错的 1 道题已记入错题本;练习错题:cmquiz --bank" in result.output


def test_removing_by_hand_is_a_record(invoke: Invoke, home: Path) -> None:
    walk(invoke, "a\n", "--n", "1")
    result = run(invoke, "wrong", "--remove", "t-guar-1")
    assert "已把 t-guar-1 移出错题本" in result.output
    assert as_json(invoke, "wrong")["entries"] == []
    assert any(isinstance(r, NotebookRecord) for r in store(home).read().records)
    again = run(invoke, "wrong", "--remove", "t-guar-1", code=2)
    assert "错题本中没有题目 t-guar-1" in again.output


def test_the_streak_is_a_stored_setting(invoke: Invoke) -> None:
    walk(invoke, "a\n", "--n", "1")
    run(invoke, "wrong", "--streak", "1")
    assert as_json(invoke, "wrong")["streak"] == 1
    run(invoke, "practice", "--wrong", input="b\n")
    assert as_json(invoke, "wrong")["entries"] == []  # one right answer was enough
    assert "应为 1 到 10" in run(invoke, "wrong", "--streak", "0", code=2).output


def test_exam_answers_enter_the_notebook_when_handed_in(invoke: Invoke) -> None:
    paper = exam_paper(mini_pool(), 3, 7)
    answers = "".join(typed(d.question, right=False, order=d.order) + "\n" for d in paper)
    result = run(invoke, "exam", "--n", "3", "--seed", "7", input=answers + "y\n")
    assert "答错的 3 道题已记入错题本" in result.output
    entries = as_json(invoke, "wrong")["entries"]
    assert {e["qid"] for e in entries} == {d.question.id for d in paper}


def test_the_csv_export_never_holds_a_formula(
    invoke: Invoke, write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(
        """
        bank: 公式
        questions:
          - id: f-1
            type: single
            topic: "@知识点"
            stem: "=HYPERLINK(\\"http://x\\")是什么"
            options: {A: "+1", B: "-1"}
            answer: A
            explanation: "@SUM(A1)"
        """
    )
    result = invoke("--bank", str(bank), "practice", input="b\n")
    assert result.exit_code == 0, result.output
    text = invoke("--bank", str(bank), "wrong", "--csv").stdout
    assert text.startswith("\ufeff编号,")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["题干"] == '\'=HYPERLINK("http://x")是什么'
    assert cells["知识点"] == "'@知识点"
    assert cells["解析"] == "'@SUM(A1)"
    assert cells["选项"].startswith("A. +1")
    assert cells["答错次数"] == "1"
    target = tmp_path / "错题.csv"
    saved = invoke("--bank", str(bank), "wrong", "--csv", "-o", str(target))
    assert saved.exit_code == 0, saved.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in target.read_bytes()


# --- stars ----------------------------------------------------------------------------------------


def test_star_unstar_and_starred(invoke: Invoke, home: Path) -> None:
    run(invoke, "star", "t-guar-1", "t-etq-2")
    entries = as_json(invoke, "starred")["entries"]
    assert {e["qid"] for e in entries} == {"t-guar-1", "t-etq-2"}
    assert entries[0]["topic"]
    run(invoke, "unstar", "t-guar-1")
    assert [e["qid"] for e in as_json(invoke, "starred")["entries"]] == ["t-etq-2"]
    assert "t-etq-2" in run(invoke, "starred").output
    stars = [r for r in store(home).read().records if isinstance(r, StarRecord)]
    assert [(s.qid, s.starred) for s in stars] == [
        ("t-guar-1", True),
        ("t-etq-2", True),
        ("t-guar-1", False),
    ]
    unknown = run(invoke, "star", "t-guar-9", code=2)
    assert "题库中没有题目 t-guar-9" in unknown.output
    assert "t-guar-1" in unknown.output  # the closest ids are suggested


def test_star_at_the_practice_prompt_and_practice_the_starred(invoke: Invoke) -> None:
    result = walk(invoke, "*\nb\n", "--n", "1")
    assert "已收藏 t-guar-1" in result.output
    assert [e["qid"] for e in as_json(invoke, "starred")["entries"]] == ["t-guar-1"]
    drill = run(invoke, "practice", "--starred", input="b\n")
    assert "收藏的题 · 1 题" in drill.output
    assert "答对 1/1" in drill.output


def test_star_during_the_exam(invoke: Invoke) -> None:
    paper = exam_paper(mini_pool(), 2, 3)
    answers = "*\n" + "".join(typed(d.question, order=d.order) + "\n" for d in paper)
    result = run(invoke, "exam", "--n", "2", "--seed", "3", input=answers + "y\n")
    assert f"已收藏 {paper[0].question.id}" in result.output
    assert [e["qid"] for e in as_json(invoke, "starred")["entries"]] == [paper[0].question.id]


# --- search, show, browse ---------------------------------------------------------------------


def test_search_needs_every_word(invoke: Invoke) -> None:
    hits = as_json(invoke, "search", "抵押")
    assert [h["qid"] for h in hits] == ["t-guar-1", "t-guar-2"]
    (hit,) = as_json(invoke, "search", "抵押", "风险")
    assert hit["qid"] == "t-guar-2"
    fields = {m["field"] for m in hit["matches"]}
    assert "stem" in fields
    assert "option:A" in fields
    stem = next(m for m in hit["matches"] if m["field"] == "stem")
    start, end = stem["spans"][0]
    assert stem["text"][start:end] in ("抵押", "风险")
    text = run(invoke, "search", "借款人的债务").output  # found in the explanation
    assert "t-guar-1" in text
    assert "解析:" in text
    assert "找到 1 题;看整道题:cmquiz --bank" in text
    assert "没有找到" in run(invoke, "search", "外汇").output
    run(invoke, "search", " ", code=2)


def test_show_prints_one_question_whole(invoke: Invoke) -> None:
    result = run(invoke, "show", "t-guar-1")
    for text in (
        "t-guar-1",
        "处分抵押物所得价款",
        "✓ B. 借款人",
        "正确答案:B",
        "不足部分",
        "测试教材",
    ):
        assert text in result.output
    assert "还没有答过" in result.output
    assert "mini.yaml:" in result.output
    data = as_json(invoke, "show", "t-guar-1")
    assert data["answer"] == "B"
    assert data["learning"]["answered"] == 0
    run(invoke, "show", "nope", code=2)


def test_browse_shows_answers_and_writes_nothing_but_stars(invoke: Invoke, home: Path) -> None:
    result = run(invoke, "browse", "--topic", "17", input="\n*\nq\n")
    assert "1/3 · t-guar-1" in result.output
    assert "2/3 · t-guar-2" in result.output
    assert "t-guar-3" not in result.output
    assert "正确答案:ABD" in result.output
    assert "已收藏 t-guar-2" in result.output
    assert "看了 2/3 题" in result.output
    log = store(home).read()
    assert log.answers == []
    assert [type(r).__name__ for r in log.records] == ["StarRecord"]
    starred = run(invoke, "browse", "--starred", input="")
    assert "1/1 · t-guar-2" in starred.output
    assert "错题本里没有题" in run(invoke, "browse", "--wrong").output


# --- sequential practice --------------------------------------------------------------------------


def test_sequential_practice_resumes_where_it_stopped(invoke: Invoke) -> None:
    first = walk(invoke, "b\nabd\n", "--n", "2")
    assert "第 1–2 题(共 3 题)" in first.output
    assert "已练到第 2/3 题;下次接着练:cmquiz --bank" in first.output
    second = walk(invoke, "对\n", "--n", "2")
    assert "第 3–3 题(共 3 题),接着上次" in second.output
    assert "担保基金" in second.output
    assert "已练完这部分的全部 3 题" in second.output
    third = walk(invoke, "b\n", "--n", "1")
    assert "第 1–1 题(共 3 题),上次已练完一遍,从头开始" in third.output
    walk(invoke, "abd\n", "--n", "1")
    restarted = walk(invoke, "b\n", "--n", "1", "--restart")
    assert "第 1–1 题(共 3 题),从头开始" in restarted.output


def test_sequential_practice_refuses_mixed_options(invoke: Invoke) -> None:
    run(invoke, "practice", "--order", "sequential", "--wrong", code=2)
    run(invoke, "practice", "--restart", code=2)
    run(invoke, "practice", "--order", "random", code=2)


def test_practice_without_a_topic_favours_weak_points(invoke: Invoke, home: Path) -> None:
    # Etiquette answered wrong many times, guarantees right: etiquette questions come first.
    history = store(home)
    for n in range(6):
        at = NOW - timedelta(days=1, minutes=n)
        history.append(answer("t-etq-1", False, at, qtype="single", topic=_etq()))
        history.append(answer("t-guar-1", True, at, qtype="single"))
        history.append(answer("t-guar-2", True, at))
        history.append(answer("t-guar-3", True, at, qtype="judge"))
    firsts = []
    for seed in range(12):
        result = run(invoke, "practice", "--n", "1", "--seed", str(seed), input="q\n")
        firsts.append("接听客户来电" in result.output)
    assert sum(firsts) >= 8


def _etq() -> Any:
    from cmquiz.topics import Topic

    return Topic("电话礼仪")


# --- review and plan ---------------------------------------------------------------------------


def seed_history(home: Path) -> None:
    """t-guar-1 wrong three days ago (overdue), t-etq-2 wrong yesterday (due today),
    t-guar-2 right yesterday (due in a few days)."""
    history = store(home)
    history.append(answer("t-guar-1", False, NOW - timedelta(days=3), qtype="single"))
    history.append(answer("t-etq-2", False, NOW - timedelta(days=1), qtype="judge"))
    history.append(answer("t-guar-2", True, NOW - timedelta(days=1)))


def test_review_asks_the_most_overdue_first_and_records_mode_review(
    invoke: Invoke, home: Path, clock: list[datetime]
) -> None:
    seed_history(home)
    result = run(invoke, "review", "--n", "1", input="b\n")
    assert "复习 · 今天 2 题,本次 1 题" in result.output
    assert "处分抵押物所得价款" in result.output  # t-guar-1 first
    assert "今天还有 1 题" in result.output
    assert "接下来:" in result.output
    last = store(home).read().answers[-1]
    assert (last.qid, last.mode, last.correct) == ("t-guar-1", Mode.REVIEW, True)
    rest = run(invoke, "review", input="错\n")
    assert "客户经理可以一边通话" in rest.output
    assert "今天的复习已完成" in rest.output
    done = run(invoke, "review")
    assert "今天没有要复习的题" in done.output
    assert "明天" in done.output or "天后" in done.output


def test_review_with_no_history_points_to_practice(invoke: Invoke, clock: list[datetime]) -> None:
    result = run(invoke, "review")
    assert "还没有做过题" in result.output


def test_plan_stores_the_date_and_forecasts_each_day(
    invoke: Invoke, home: Path, clock: list[datetime]
) -> None:
    seed_history(home)
    assert "应在今天" in run(invoke, "plan", "--exam-date", "2026-12-04", code=2).output
    run(invoke, "plan", "--exam-date", "2026-13-01", code=2)
    run(invoke, "plan", "--per-day", "3", code=2)  # no date yet
    text = run(invoke, "plan", "--exam-date", "2026-12-14", "--per-day", "3").output
    assert "考试日期 2026-12-14" in text
    assert "最后冲刺" in text
    data = as_json(invoke, "plan")
    assert data["exam_date"] == "2026-12-14"
    assert data["per_day"] == 3
    assert [d["date"] for d in data["days"]][:2] == ["2026-12-04", "2026-12-05"]
    assert len(data["days"]) == 10
    assert all(d["due"] <= 3 for d in data["days"])
    assert data["covers"]
    # review now follows the plan's first day
    review = run(invoke, "review", input="q\n")
    assert "距考试 10 天" in review.output
    run(invoke, "plan", "--clear")
    cleared = run(invoke, "plan").output
    assert "还没有设定考试日期" in cleared
    assert "接下来两周的复习" in cleared


def test_plan_says_when_the_budget_cannot_cover_the_bank(
    invoke: Invoke, clock: list[datetime]
) -> None:
    result = run(invoke, "plan", "--exam-date", "2026-12-06", "--per-day", "1")
    assert "每天 1 题不够" in result.output
    assert "改为:cmquiz --bank" in result.output
    assert "plan --per-day" in result.output
