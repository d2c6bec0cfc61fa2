"""``cmquiz exam``, ``exams`` and ``papers`` end to end: papers with points, the answer sheet
through piped input, the hand-in question, the timer on an injected clock, resume, reports."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cmquiz.cli import prompting
from cmquiz.history import HistoryStore
from cmquiz.paperfile import parse_paper_text
from cmquiz.records import AnswerRecord, FlagRecord, Mode, StartRecord, Status
from cmquiz.replay import replay
from drawing import MINI, exam_paper, paper_draw, typed
from drawing import pool as mini_pool

Invoke = Callable[..., Any]


def history(home: Path) -> HistoryStore:
    return HistoryStore(home / "history.jsonl")


def sessions(home: Path):  # type: ignore[no-untyped-def]
    return list(replay(history(home).read().records).values())


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


# --- scoring and the report ----------------------------------------------------------------


def test_exam_scores_points_and_ends_with_the_summary(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    # the mini bank gives 2 单选 (0.5), 1 多选 (1) and 1 判断 (1): 3 points
    assert [d.points for d in paper] == [0.5, 0.5, 1.0, 1.0]
    answers = [typed(d.question, right=i != 2) for i, d in enumerate(paper)]
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(*answers))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "回答正确" not in out  # no feedback before hand-in
    assert "0.5 分 · " in out  # points in each question's header
    assert "得分 2 / 3  及格(及格线 1.8 分)" in out
    assert "用时 " in out
    # the misses first, the summary last, so the score is what stays on screen
    assert out.index("错题与正确答案") < out.index("按题型") < out.index("考试成绩")
    assert paper[2].question.stem in out.split("错题与正确答案")[1]
    assert "你的答案:" in out.split("错题与正确答案")[1]
    # the hint keeps --bank, --n and the seed, and works as printed
    assert f"cmquiz --bank {MINI} exam --n 4 --seed 3" in out
    (view,) = sessions(home)
    assert view.start.seed == 3
    assert [i.qid for i in view.start.items] == [d.question.id for d in paper]
    assert [i.points for i in view.start.items] == [0.5, 0.5, 1.0, 1.0]
    assert view.start.pass_mark == 1.8
    assert view.start.time_limit_s == 240  # 120 minutes x 4/145, rounded up to the minute
    assert (view.end.status, view.end.score, view.end.max_score, view.end.passed) == (
        Status.COMPLETED,
        2.0,
        3.0,
        True,
    )


def test_a_failing_exam(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 5, 8)
    answers = [typed(d.question, right=d.question.type.value == "single") for d in paper]
    result = invoke("--bank", MINI, "exam", "--n", "5", "--seed", "8", input=lines(*answers))
    assert result.exit_code == 0, result.output
    assert "得分 1 / 4  不及格(及格线 2.4 分)" in result.output
    assert sessions(home)[0].end.passed is False


def test_a_small_pool_is_used_whole(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--seed", "1", input="a\n对\n" * 6)
    assert result.exit_code == 0, result.output
    assert "符合条件的题目只有 5 道,少于 50 道" in result.output
    assert len(sessions(home)[0].start.items) == 5


def test_same_seed_same_paper(invoke: Invoke, home: Path) -> None:
    for _ in range(2):
        result = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "11", input="q\ny\n")
        assert result.exit_code == 0, result.output
    first, second = sessions(home)
    assert first.start.items == second.start.items


# --- the answer sheet ------------------------------------------------------------------------


def test_skip_return_change_and_flag(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    q = [d.question for d in paper]
    script = [
        "s",  # skip item 1: item 2 comes up
        typed(q[1], right=False),  # answer item 2 wrongly -> item 3
        "m",  # flag item 3
        typed(q[2]),  # answer item 3 -> item 4
        typed(q[3]),  # answer item 4 -> the skipped item 1 comes back
        typed(q[0]),  # answer item 1: everything answered -> the hand-in question
        "2",  # ... answered with a number: back to item 2
        typed(q[1]),  # change the answer of item 2 -> hand-in question again
        "y",
    ]
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(*script))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "第 3 题已标记" in out
    assert "已全部作答,另有 1 题已标记,确定交卷?" in out
    assert "已答:" in out  # the changed item showed its current answer
    (view,) = sessions(home)
    assert [a.index for a in view.answers] == [1, 2, 3, 0, 1]
    assert view.answers[0].correct is False
    assert view.latest()[1].correct is True  # the last answer for a position counts
    assert view.flagged() == {2}
    assert view.end.status is Status.COMPLETED
    assert view.end.score == 3.0
    assert "得分 3 / 3" in out


def test_navigation_messages(invoke: Invoke, home: Path) -> None:
    script = ["p", "", "99", "k", "?", "q", "n", "q", "y"]
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(*script))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "已经是第 1 题" in out
    assert "请输入答案;s 跳过本题" in out
    assert "没有这道题;题号为 1–4" in out
    assert out.count("答题卡") >= 3  # k, and the sheet shown at each q
    assert "题号(如 12)跳到该题" in out
    assert "还有 4 题未答,确定交卷? (y/N" in out
    (view,) = sessions(home)
    assert view.end.status is Status.COMPLETED
    assert view.end.answered == 0
    assert view.end.score == 0.0


def test_q_asks_before_handing_in_and_no_goes_back(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    script = [typed(paper[0].question), "q", "", typed(paper[1].question), "q", "y"]
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(*script))
    assert result.exit_code == 0, result.output
    assert "还有 3 题未答,确定交卷?" in result.output
    assert "还有 2 题未答,确定交卷?" in result.output
    (view,) = sessions(home)
    assert [a.index for a in view.answers] == [0, 1]
    assert view.end.status is Status.COMPLETED
    assert "未答 2 题,按 0 分计" in result.output


def test_end_of_piped_input_hands_in(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    result = invoke(
        "--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(typed(paper[0].question))
    )
    assert result.exit_code == 0, result.output
    assert "输入已结束:交卷(未答 3 题按 0 分计)" in result.output
    assert sessions(home)[0].end.status is Status.COMPLETED


def test_ctrl_c_asks_to_hand_in_and_a_second_one_leaves_it_resumable(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    q = [d.question for d in paper]
    script: Iterator[str | type[BaseException]] = iter(
        [typed(q[0]), KeyboardInterrupt, "n", typed(q[1]), KeyboardInterrupt, KeyboardInterrupt]
    )

    prompts: list[str] = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        step = next(script)
        if isinstance(step, type):
            raise step
        return step

    real_input = prompting.read_stdin_line
    monkeypatch.setattr(prompting, "read_stdin_line", fake_input)
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3")
    assert result.exit_code == 130, result.output
    assert sum("确定交卷?" in p for p in prompts) == 2
    assert result.output.count("● 已答  ○ 未答") == 2  # the sheet at each Ctrl-C
    assert f"继续这场考试:cmquiz --bank {MINI} exam --resume" in result.output
    (view,) = sessions(home)
    assert view.status is Status.INTERRUPTED
    assert view.resumable
    assert [a.index for a in view.answers] == [0, 1]

    # ... and `exam --resume` takes it up again: the same paper, the answers kept
    monkeypatch.setattr(prompting, "read_stdin_line", real_input)
    resumed = invoke("--bank", MINI, "exam", "--resume", input=lines(typed(q[2]), typed(q[3]), "y"))
    assert resumed.exit_code == 0, resumed.output
    assert "继续考试" in resumed.output
    assert "已答 2/4 题" in resumed.output
    assert "第 3/4 题" in resumed.output
    assert "第 1/4 题" not in resumed.output  # it starts at the first open item
    (view,) = sessions(home)  # still one session: no new paper was drawn
    assert view.status is Status.COMPLETED
    assert sorted(view.latest()) == [0, 1, 2, 3]
    assert view.end.score == 3.0
    assert sum(isinstance(r, StartRecord) for r in history(home).read().records) == 1


def test_resume_without_an_unfinished_exam(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--resume")
    assert result.exit_code == 1
    assert "没有可以继续的考试" in result.output
    usage = invoke("--bank", MINI, "exam", "--resume", "--n", "5")
    assert usage.exit_code == 2
    assert "--resume 继续原来的试卷" in usage.output


# --- the timer, on an injected clock -----------------------------------------------------------


class FakeClock:
    """A clock that moves only when the trainee types a line."""

    def __init__(self, step: timedelta) -> None:
        self.moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
        self.step = step

    def now(self) -> datetime:
        return self.moment


def typing_slowly(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock, answers: list[str]
) -> list[str]:
    """Each line typed takes ``clock.step``; returns the prompts shown."""
    queue = iter(answers)
    prompts: list[str] = []

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        clock.moment += clock.step
        try:
            return next(queue)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("cmquiz.cli.prompting.read_stdin_line", fake_input)
    monkeypatch.setattr("cmquiz.cli.prompting.now", clock.now)
    return prompts


def test_time_runs_out_and_the_exam_ends_timed_out(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    clock = FakeClock(timedelta(seconds=50))
    typing_slowly(monkeypatch, clock, [typed(d.question) for d in paper])
    result = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", "--time-limit", "2m")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "剩余 2:00" in out  # the remaining time is in every question's header
    assert "剩余 1:10" in out
    assert "剩余 0:20" in out
    assert "时间已到,这一题的答案没有记录" in out
    assert "时间到,已自动交卷" in out
    assert "用时 2 分钟 / 限时 2 分钟" in out or "用时 2 分 30 秒 / 限时 2 分钟" in out
    (view,) = sessions(home)
    assert [a.index for a in view.answers] == [0, 1]  # the third came after the deadline
    assert view.end.status is Status.TIMED_OUT
    assert view.end.score == 1.0  # two singles answered right; unanswered items score 0


def test_time_limit_option(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--n", "3", "--time-limit", "0", input="q\ny\n")
    assert result.exit_code == 0, result.output
    assert "剩余" not in result.output
    assert sessions(home)[0].start.time_limit_s is None
    bad = invoke("--bank", MINI, "exam", "--n", "3", "--time-limit", "90")
    assert bad.exit_code == 2
    assert "应写明单位" in bad.output


def test_resume_keeps_the_time_that_was_left(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    q = [d.question for d in paper]
    clock = FakeClock(timedelta(seconds=30))
    script = [typed(q[0]), typed(q[1])]
    typing_slowly(monkeypatch, clock, script)

    def stop(prompt: str) -> str:
        raise KeyboardInterrupt

    first = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", "--time-limit", "3m")
    # EOF after two answers hands in; rebuild an unfinished one instead: cut the end record
    assert first.exit_code == 0, first.output
    path = home / "history.jsonl"
    kept = [
        line for line in path.read_text(encoding="utf-8").splitlines() if '"kind":"end"' not in line
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")  # as if killed after two answers
    (view,) = sessions(home)
    assert view.status is None
    assert view.resumable
    assert view.time_used_s() == 60.0  # start -> last answer

    clock.moment += timedelta(hours=5)  # time away from the exam does not count
    typing_slowly(monkeypatch, clock, ["q", "y"])
    resumed = invoke("--bank", MINI, "exam", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "剩余时间 2:00" in resumed.output
    assert "剩余 2:00" in resumed.output
    del stop


# --- shuffled options and paper files ---------------------------------------------------------

SHUFFLED_PAPER = """
title: 乱序小卷
time_limit: 10m
pass_mark: 2
rule: partial
shuffle_options: true
sections:
  - {type: single, count: 2, points: 1}
  - {type: multiple, count: 1, points: 2}
"""


def test_shuffled_options_are_shown_in_their_order_and_stored_in_the_banks(
    invoke: Invoke, home: Path, tmp_path: Path
) -> None:
    paper_file = tmp_path / "small.yaml"
    paper_file.write_text(textwrap.dedent(SHUFFLED_PAPER), encoding="utf-8")
    spec = parse_paper_text(SHUFFLED_PAPER, "small.yaml")
    drawn = paper_draw(spec, mini_pool(), 4)
    assert all(d.order is not None for d in drawn)
    assert any(list(d.order or ()) != sorted(d.order or ()) for d in drawn)
    answers = [typed(d.question, order=d.order) for d in drawn]
    multiple = next(d for d in drawn if d.question.type.value == "multiple")
    result = invoke(
        "--bank", MINI, "exam", "--paper", str(paper_file), "--seed", "4", input=lines(*answers)
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "得分 4 / 4  及格(及格线 2 分)" in out
    assert "多选题少选按比例得分" in out
    # the options are on screen in the paper's order
    first_option = multiple.question.option_text(multiple.order[0])  # type: ignore[index]
    assert f"A. {first_option}" in out
    (view,) = sessions(home)
    assert [i.order for i in view.start.items] == [d.order for d in drawn]
    by_qid = {a.qid: a for a in view.answers}
    assert set(by_qid[multiple.question.id].given) == set(multiple.question.answer)
    assert f"cmquiz --bank {MINI} exam --paper {paper_file} --seed 4" in out


def test_partial_credit_in_an_exam(invoke: Invoke, home: Path, tmp_path: Path) -> None:
    paper_file = tmp_path / "small.yaml"
    paper_file.write_text(textwrap.dedent(SHUFFLED_PAPER), encoding="utf-8")
    spec = parse_paper_text(SHUFFLED_PAPER, "small.yaml")
    drawn = paper_draw(spec, mini_pool(), 4)
    answers = []
    for d in drawn:
        if d.question.type.value == "multiple":  # two of the three right letters
            two = sorted(d.question.answer)[:2]
            shown = sorted("ABCDEFGH"[(d.order or ()).index(k)] for k in two)
            answers.append("".join(shown))
        else:
            answers.append(typed(d.question, order=d.order))
    result = invoke(
        "--bank", MINI, "exam", "--paper", str(paper_file), "--seed", "4", input=lines(*answers)
    )
    assert result.exit_code == 0, result.output
    assert "部分得分 1.33 分" in result.output
    (view,) = sessions(home)
    assert view.end.score == 3.33


def test_a_paper_the_pool_cannot_fill(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--paper", "qualification")
    assert result.exit_code == 1
    assert "单选 需要 90 道,题池只有 2 道" in result.output
    assert "多选 需要 40 道,题池只有 1 道" in result.output
    assert "判断 需要 15 道,题池只有 2 道" in result.output
    assert not (home / "history.jsonl").exists() or not history(home).read().records


def test_papers_lists_the_bundled_papers(invoke: Invoke) -> None:
    result = invoke("papers")
    assert result.exit_code == 0, result.output
    assert "mock" in result.output
    assert "qualification" in result.output
    assert "单选 90×0.5 分、多选 40×1 分、判断 15×1 分" in result.output
    data = json.loads(invoke("papers", "--json").stdout)
    by_name = {p["name"]: p for p in data}
    assert by_name["mock"]["can_fill"] is True  # the bundled banks fill the mock paper
    assert by_name["qualification"]["can_fill"] is False
    assert by_name["qualification"]["max_score"] == 100
    assert by_name["qualification"]["time_limit_s"] == 7200


def test_an_unknown_paper_name(invoke: Invoke) -> None:
    result = invoke("exam", "--paper", "nope")
    assert result.exit_code == 2
    assert "没有名为 nope 的试卷" in result.output
    assert "mock" in result.output


# --- exams, reports, --json ------------------------------------------------------------------


def test_exams_lists_and_reopens_a_report(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    answers = [typed(d.question, right=i != 2) for i, d in enumerate(paper)]
    run = invoke("--bank", MINI, "exam", "--n", "4", "--seed", "3", input=lines(*answers))
    assert run.exit_code == 0, run.output
    listing = invoke("--bank", MINI, "exams")
    assert listing.exit_code == 0, listing.output
    (view,) = sessions(home)
    assert view.id[:8] in listing.output
    assert "2/3" in listing.output
    assert "及格" in listing.output
    data = json.loads(invoke("--bank", MINI, "exams", "--json").stdout)
    assert data[0]["score"] == 2.0
    assert data[0]["max_score"] == 3.0
    assert data[0]["passed"] is True
    shown = invoke("--bank", MINI, "exams", "--show", view.id[:6])
    assert shown.exit_code == 0, shown.output
    assert "得分 2 / 3  及格" in shown.output
    assert paper[2].question.stem in shown.output
    as_json = json.loads(invoke("--bank", MINI, "exams", "--show", view.id[:6], "--json").stdout)
    assert as_json["score"] == 2.0
    assert [m["qid"] for m in as_json["missed"]] == [paper[2].question.id]
    missing = invoke("--bank", MINI, "exams", "--show", "zzz")
    assert missing.exit_code == 2


def test_abandon_an_unfinished_exam(invoke: Invoke, home: Path) -> None:
    store = history(home)
    run = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "1", input="q\ny\n")
    assert run.exit_code == 0
    # make it unfinished: drop its end record
    text = store.path.read_text(encoding="utf-8")
    store.path.write_text("".join(line + "\n" for line in text.splitlines() if '"end"' not in line))
    (view,) = sessions(home)
    result = invoke("--bank", MINI, "exams", "--abandon", view.id[:8])
    assert result.exit_code == 0, result.output
    (view,) = sessions(home)
    assert view.status is Status.ABANDONED
    assert not view.resumable


def test_exam_json_goes_to_stdout(invoke: Invoke, runner: Any) -> None:
    from cmquiz.cli import app

    result = runner.invoke(
        app, ["--bank", MINI, "exam", "--n", "3", "--seed", "1", "--json"], input="q\ny\n"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mode"] == "exam"
    assert data["max_score"] > 0
    assert data["status"] == "completed"
    assert "第 1/3 题" in result.stderr


def test_an_unfinished_exam_is_mentioned_when_a_new_one_starts(invoke: Invoke, home: Path) -> None:
    store = history(home)
    invoke("--bank", MINI, "exam", "--n", "3", "--seed", "1", input="q\ny\n")
    text = store.path.read_text(encoding="utf-8")
    store.path.write_text("".join(line + "\n" for line in text.splitlines() if '"end"' not in line))
    again = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "2", input="q\ny\n")
    assert "还没有交卷" in again.output
    assert f"cmquiz --bank {MINI} exam --resume" in again.output


def test_records_written_by_an_exam(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 4, 3)
    invoke(
        "--bank",
        MINI,
        "exam",
        "--n",
        "4",
        "--seed",
        "3",
        input=lines("m", typed(paper[0].question)),
    )
    records = history(home).read().records
    kinds = [type(r).__name__ for r in records]
    assert kinds[0] == "StartRecord"  # before the first question
    assert kinds[-1] == "EndRecord"
    assert isinstance(records[1], FlagRecord)
    answer = next(r for r in records if isinstance(r, AnswerRecord))
    assert answer.index == 0
    assert answer.rev == paper[0].question.rev
    assert answer.mode is Mode.EXAM
    raw = json.loads(history(home).path.read_text(encoding="utf-8").splitlines()[0])
    assert {
        "v",
        "kind",
        "session",
        "mode",
        "items",
        "time_limit_s",
        "pass_mark",
        "rule",
        "seed",
    } <= set(raw)
    assert set(raw["items"][0]) >= {"qid", "rev", "points"}
