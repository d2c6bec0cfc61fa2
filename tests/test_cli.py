"""The commands end to end through CliRunner, with answers piped on standard input."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.history import HistoryStore, SessionStatus
from cmquiz.loader import load_library
from cmquiz.model import Question, QuestionType
from cmquiz.sampling import draw_paper, draw_practice, select_topics

DATA = Path(__file__).parent / "data"

MINI = str(DATA / "mini.yaml")
Invoke = Callable[..., Any]


def typed(question: Question, right: bool = True) -> str:
    """What a user types to answer a question rightly (or wrongly)."""
    if question.type is QuestionType.JUDGE:
        return "对" if ("T" in question.answer) == right else "错"
    keys = (
        sorted(question.answer)
        if right
        else [k for k in question.keys if k not in question.answer][:1]
    )
    return ",".join(k.lower() for k in keys)


def mini_pool(topics: list[str] | None = None) -> list[Question]:
    return select_topics(load_library([MINI]).questions, topics or [])


def history(home: Path) -> HistoryStore:
    return HistoryStore(home / "history.jsonl")


def test_practice_shows_feedback_after_each_answer(invoke: Invoke, home: Path) -> None:
    order = draw_practice(mini_pool(["17"]), 10, random.Random(1))
    answers = [typed(order[0], right=True), typed(order[1], right=False), typed(order[2])]
    result = invoke(
        "--bank", MINI, "practice", "--topic", "17", "--seed", "1", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("✓ 回答正确") == 2
    assert result.output.count("✗ 回答错误") == 1
    assert "正确答案:" in result.output
    assert "出处:测试教材" in result.output
    assert "第 1/3 题" in result.output
    assert "17 贷款担保管理" in result.output
    log = history(home).read()
    assert [a.qid for a in log.answers] == [q.id for q in order]
    assert [a.correct for a in log.answers] == [True, False, True]
    assert log.sessions[0].status is SessionStatus.COMPLETED
    assert log.sessions[0].mode.value == "practice"


def test_practice_by_name_and_type(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "practice", "--topic", "礼仪", "--type", "judge", input="错\n")
    assert result.exit_code == 0, result.output
    assert "电话礼仪属于第三模块" in result.output
    assert "✓ 回答正确" in result.output
    assert [a.qid for a in history(home).read().answers] == ["t-etq-2"]


def test_invalid_input_is_asked_again_and_never_scored(invoke: Invoke, home: Path) -> None:
    result = invoke(
        "--bank", MINI, "practice", "--topic", "担保", "--type", "single", input="z\n对\nab\n\nb\n"
    )
    assert result.exit_code == 0, result.output
    assert "没有选项 Z" in result.output
    assert "不是选项字母" in result.output
    assert "单选题只能选一个选项" in result.output
    answers = history(home).read().answers
    assert [(a.qid, a.given, a.correct) for a in answers] == [("t-guar-1", ("B",), True)]


def test_unknown_topic_lists_the_knowledge_points(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "practice", "--topic", "外汇")
    assert result.exit_code == 2
    assert "没有与 外汇 匹配的知识点" in result.output
    assert "17 贷款担保管理" in result.output
    assert "电话礼仪" in result.output
    assert "Traceback" not in result.output
    assert not (home / "history.jsonl").exists()


def test_exam_scores_and_reports_by_type_and_topic(invoke: Invoke, home: Path) -> None:
    paper = draw_paper(mini_pool(), 4, random.Random(3))
    answers = [typed(q, right=i != 1) for i, q in enumerate(paper)]
    result = invoke(
        "--bank", MINI, "exam", "--n", "4", "--seed", "3", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "回答正确" not in result.output  # no feedback before the end
    assert "得分 75 / 100" in result.output
    assert "及格" in result.output
    assert "按题型" in result.output
    assert "按知识点" in result.output
    assert "错题与正确答案" in result.output
    assert paper[1].stem in result.output.split("错题与正确答案")[1]
    log = history(home).read()
    assert [a.qid for a in log.answers] == [q.id for q in paper]
    (session,) = log.sessions
    assert (session.score, session.passed, session.seed) == (75.0, True, 3)
    assert session.status is SessionStatus.COMPLETED


def test_exam_failing_score(invoke: Invoke, home: Path) -> None:
    paper = draw_paper(mini_pool(), 5, random.Random(8))
    answers = [typed(q, right=i < 2) for i, q in enumerate(paper)]
    result = invoke(
        "--bank", MINI, "exam", "--n", "5", "--seed", "8", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "得分 40 / 100" in result.output
    assert "不及格" in result.output
    assert history(home).read().sessions[0].passed is False


def test_exam_with_a_small_pool_uses_all_of_it(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--seed", "1", input="a\n对\n" * 6)
    assert result.exit_code == 0, result.output
    assert "符合条件的题目只有 5 道,少于 50 道" in result.output
    assert len(history(home).read().answers) == 5


def test_same_seed_same_paper(invoke: Invoke, home: Path) -> None:
    for _ in range(2):
        result = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "11", input="q\n")
        assert result.exit_code == 0, result.output
    first = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "11", input="a\n对\n" * 3)
    second = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "11", input="a\n对\n" * 3)
    sessions = {}
    for a in history(home).read().answers:
        sessions.setdefault(a.session, []).append(a.qid)
    papers = list(sessions.values())
    assert len(papers) == 2
    assert papers[0] == papers[1]
    assert first.output.split("第 1/3 题")[1][:60] == second.output.split("第 1/3 题")[1][:60]


def test_q_ends_the_run_and_keeps_what_was_answered(invoke: Invoke, home: Path) -> None:
    paper = draw_paper(mini_pool(), 5, random.Random(2))
    result = invoke(
        "--bank", MINI, "exam", "--n", "5", "--seed", "2", input=typed(paper[0]) + "\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "已退出:已答 1/5 题" in result.output
    assert "考试未完成" in result.output
    assert "另有 4 道题未作答,未列出" in result.output
    assert paper[4].stem not in result.output  # unseen questions are not revealed
    log = history(home).read()
    assert [a.qid for a in log.answers] == [paper[0].id]
    assert log.sessions[0].status is SessionStatus.INTERRUPTED
    assert log.sessions[0].answered == 1


def test_end_of_input_marks_the_session_interrupted(invoke: Invoke, home: Path) -> None:
    order = draw_practice(mini_pool(), 10, random.Random(4))
    result = invoke("--bank", MINI, "practice", "--seed", "4", input=typed(order[0]) + "\n")
    assert result.exit_code == 0, result.output
    assert "输入已结束:已答 1/5 题" in result.output
    log = history(home).read()
    assert [a.qid for a in log.answers] == [order[0].id]
    assert log.sessions[0].status is SessionStatus.INTERRUPTED


def test_full_width_q_quits(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "exam", "--n", "3", "--seed", "1", input="ｑ\n")
    assert result.exit_code == 0, result.output
    assert "已退出:已答 0/3 题" in result.output


def test_ctrl_c_exits_130_and_keeps_answers(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = draw_paper(mini_pool(), 5, random.Random(5))
    calls = iter([typed(paper[0]), typed(paper[1])])

    def fake_input(prompt: str) -> str:
        try:
            return next(calls)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("cmquiz.cli.runner.read_stdin_line", fake_input)
    result = invoke("--bank", MINI, "exam", "--n", "5", "--seed", "5")
    assert result.exit_code == 130, result.output
    assert "已中断:已答 2/5 题" in result.output
    log = history(home).read()
    assert [a.qid for a in log.answers] == [paper[0].id, paper[1].id]
    assert log.sessions[-1].status is SessionStatus.INTERRUPTED
    assert "Traceback" not in result.output


def test_stats_without_history_says_how_to_start(invoke: Invoke) -> None:
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    assert "还没有答题记录" in result.output
    assert "cmquiz practice --topic" in result.output


def test_stats_after_runs(invoke: Invoke, home: Path) -> None:
    paper = draw_paper(mini_pool(), 5, random.Random(6))
    answers = [typed(q, right=q.topic.name == "电话礼仪") for q in paper]
    run = invoke("--bank", MINI, "exam", "--n", "5", "--seed", "6", input="\n".join(answers) + "\n")
    assert run.exit_code == 0, run.output
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "共答题 5 次" in out
    assert "答对 2 次" in out
    assert out.index("17 贷款担保管理") < out.index("电话礼仪", out.index("各知识点"))
    assert "█" in out  # the accuracy bars
    assert "最近的模拟考试" in out
    assert "不及格" in out
    assert "错得最多的题" in out
    assert "t-guar-1" in out

    as_json = invoke("--bank", MINI, "stats", "--json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["answered"] == 5
    assert data["correct"] == 2
    assert data["by_topic"][0]["label"] == "贷款担保管理"
    assert data["exams"][0]["score"] == 40.0

    only = invoke("--bank", MINI, "stats", "--topic", "礼仪", "--json")
    assert json.loads(only.stdout)["answered"] == 2

    unknown = invoke("--bank", MINI, "stats", "--topic", "外汇")
    assert unknown.exit_code == 2
    assert "没有与 外汇 匹配的知识点" in unknown.output


def test_stats_json_without_history_is_valid_json(invoke: Invoke) -> None:
    result = invoke("--bank", MINI, "stats", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answered"] == 0


def test_topics_lists_codes_and_counts(invoke: Invoke) -> None:
    result = invoke("--bank", MINI, "topics")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "贷款担保管理" in line)
    assert line.split() == ["17", "贷款担保管理", "1", "1", "1", "3"]
    assert "合计" in result.output


def test_check_summary_and_errors(invoke: Invoke, write_bank: Callable[..., Path]) -> None:
    ok = invoke("check", MINI)
    assert ok.exit_code == 0, ok.output
    assert "题库检查通过" in ok.output
    assert "测试题库" in ok.output
    bad = write_bank("""
        bank: 坏题库
        questions:
          - {id: q1, type: single, topic: t, stem: s, options: [a, b], answer: C}
          - {id: q1, type: judge, topic: t, stem: s, answer: 也许}
    """)
    result = invoke("check", MINI, str(bad))
    assert result.exit_code == 1
    assert str(bad) in result.output
    assert "第 3 行" in result.output
    assert "questions[0](q1).answer" in result.output
    assert "questions[1](q1).id: id 重复" in result.output
    assert "Traceback" not in result.output


def test_a_broken_bank_stops_practice_with_exit_1(
    invoke: Invoke, write_bank: Callable[..., Path]
) -> None:
    bad = write_bank("bank: x\nquestions:\n  - id: [\n")
    result = invoke("--bank", str(bad), "practice")
    assert result.exit_code == 1
    assert "YAML 语法错误" in result.output
    assert "Traceback" not in result.output


def test_home_option_and_banks_env(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMQUIZ_BANKS", MINI)
    other = tmp_path / "elsewhere"
    result = invoke(
        "--home", str(other), "practice", "--topic", "礼仪", "--type", "judge", input="错\n"
    )
    assert result.exit_code == 0, result.output
    assert len(history(other).read().answers) == 1


def test_bundled_banks_are_the_default(invoke: Invoke, home: Path) -> None:
    result = invoke("exam", "--n", "3", "--seed", "1", input="a\n对\n" * 6)
    assert result.exit_code == 0, result.output
    assert "得分" in result.output
    assert len(history(home).read().answers) == 3


def test_unwritable_home_is_a_clear_error(invoke: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    result = invoke("--bank", MINI, "--home", str(blocker), "exam", input="a\n对\n")
    assert result.exit_code == 1
    assert "无法写入答题记录" in result.output
    assert "第 1/" not in result.output  # refused before the first question, nothing is lost
    assert "Traceback" not in result.output
    practice = invoke("--bank", MINI, "--home", str(blocker), "practice", input="a\n对\n")
    assert practice.exit_code == 1
    assert "无法写入答题记录" in practice.output


def test_version_and_help(invoke: Invoke) -> None:
    version = invoke("--version")
    assert version.exit_code == 0
    assert version.output.startswith("cmquiz ")
    help_ = invoke("-h")
    assert help_.exit_code == 0
    for command in ("practice", "exam", "stats", "topics", "check"):
        assert command in help_.output


def test_usage_errors_exit_2_with_a_chinese_message(invoke: Invoke) -> None:
    cases = [
        (["exam", "--n", "0"], "--n / -n 的值无效:应不小于 1"),
        (["exam", "--n", "abc"], "--n / -n 的值无效:应为整数"),
        (["practice", "--type", "essay"], "应为 single、multiple、judge 之一"),
        (["exam", "--tpoic", "17"], "没有选项 --tpoic;是不是 --topic?"),
        (["exm"], "没有命令 exm;是不是 exam?"),
        (["exam", "--n"], "选项 --n 需要一个值"),
        (["exam", "--n", "-5"], "应不小于 1\n"),
        (["topics", "extra"], "多余的参数:extra"),
        (["stats", "--json=yes"], "选项 --json 不接受值"),
    ]
    for args, message in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output
    assert "用法:cmquiz exam [选项]" in invoke("exam", "--n", "abc").stderr


def test_help_speaks_chinese(invoke: Invoke) -> None:
    result = invoke("exam", "-h")
    assert result.exit_code == 0, result.output
    assert "用法:cmquiz exam [选项]" in result.output
    assert "显示帮助并退出" in result.output
    assert "[默认:50]" in result.output


def test_ctrl_c_while_an_answer_is_saved_keeps_that_answer(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    real_append = HistoryStore.append
    appended: list[object] = []

    def append_during_ctrl_c(self: HistoryStore, record: object) -> None:
        if not appended:
            os.kill(os.getpid(), signal.SIGINT)  # arrives while the first answer is written
        appended.append(record)
        real_append(self, record)  # type: ignore[arg-type]

    monkeypatch.setattr(HistoryStore, "append", append_during_ctrl_c)
    result = invoke("--bank", MINI, "exam", "--n", "5", "--seed", "5", input="a\n对\n" * 5)
    assert result.exit_code == 130, result.output
    log = history(home).read()
    assert len(log.answers) == 1  # the answer being saved is kept whole
    assert log.sessions[-1].status is SessionStatus.INTERRUPTED
    assert log.sessions[-1].answered == 1


def test_global_options_may_follow_the_command(invoke: Invoke, tmp_path: Path) -> None:
    other = tmp_path / "other-home"
    result = invoke(
        "practice",
        "--topic",
        "礼仪",
        "--bank",
        MINI,
        "--type",
        "judge",
        f"--home={other}",
        input="错\n",
    )
    assert result.exit_code == 0, result.output
    assert "电话礼仪属于第三模块" in result.output
    assert len(history(other).read().answers) == 1
