"""The commands end to end through CliRunner, with answers piped on standard input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.history import HistoryStore
from cmquiz.records import Mode, Status
from cmquiz.replay import replay
from drawing import MINI, exam_paper, practice_order, typed
from drawing import pool as mini_pool

Invoke = Callable[..., Any]


def history(home: Path) -> HistoryStore:
    return HistoryStore(home / "history.jsonl")


def only_session(home: Path):  # type: ignore[no-untyped-def]
    (view,) = replay(history(home).read().records).values()
    return view


def test_practice_shows_feedback_after_each_answer(invoke: Invoke, home: Path) -> None:
    order = practice_order(mini_pool(topics=["17"]), 10, 1, by_topic=True)
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
    assert [a.index for a in log.answers] == [0, 1, 2]
    view = only_session(home)
    assert view.status is Status.COMPLETED
    assert view.mode is Mode.PRACTICE
    assert [i.qid for i in view.start.items] == [q.id for q in order]
    # the end of the run lists the question missed in it
    missed = result.output.split("本次答错的题")[1]
    assert order[1].id in missed
    assert order[0].id not in missed


def test_practice_by_name_and_type(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "practice", "--topic", "礼仪", "--type", "judge", input="错\n")
    assert result.exit_code == 0, result.output
    assert "一边通话一边处理" in result.output
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


def test_end_of_input_marks_the_session_interrupted(invoke: Invoke, home: Path) -> None:
    order = practice_order(mini_pool(), 10, 4)
    result = invoke("--bank", MINI, "practice", "--seed", "4", input=typed(order[0]) + "\n")
    assert result.exit_code == 0, result.output
    assert "输入已结束:已答 1/5 题" in result.output
    assert [a.qid for a in history(home).read().answers] == [order[0].id]
    assert only_session(home).status is Status.INTERRUPTED


def test_q_ends_practice_at_once(invoke: Invoke, home: Path) -> None:
    order = practice_order(mini_pool(), 10, 2)
    result = invoke("--bank", MINI, "practice", "--seed", "2", input=typed(order[0]) + "\nq\n")
    assert result.exit_code == 0, result.output
    assert "已退出:已答 1/5 题" in result.output
    assert "第 2/5 题" in result.output
    assert "第 3/5 题" not in result.output
    view = only_session(home)
    assert view.status is Status.INTERRUPTED
    assert view.end.answered == 1


def test_full_width_q_quits(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "practice", "--seed", "1", input="ｑ\n")
    assert result.exit_code == 0, result.output
    assert "已退出:已答 0/5 题" in result.output


def test_ctrl_c_in_practice_exits_130_and_keeps_answers(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = practice_order(mini_pool(), 10, 5)
    calls = iter([typed(order[0]), typed(order[1])])

    def fake_input(prompt: str) -> str:
        try:
            return next(calls)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("cmquiz.cli.prompting.read_stdin_line", fake_input)
    result = invoke("--bank", MINI, "practice", "--seed", "5")
    assert result.exit_code == 130, result.output
    assert "已中断:已答 2/5 题" in result.output
    assert [a.qid for a in history(home).read().answers] == [order[0].id, order[1].id]
    assert only_session(home).status is Status.INTERRUPTED
    assert "Traceback" not in result.output


def test_a_single_letter_on_a_multiple_choice_question_asks_once_more(
    invoke: Invoke, home: Path
) -> None:
    # t-guar-2 is the only multiple-choice question of the mini bank (key ABD)
    result = invoke("--bank", MINI, "practice", "--type", "multiple", input="b\nn\nb\ny\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("多选题至少选两个,确定只选 B?") == 2
    (answer,) = history(home).read().answers
    assert (answer.given, answer.correct) == (("B",), False)


def test_judge_questions_take_the_initials_of_dui_and_cuo(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "practice", "--topic", "礼仪", "--type", "判断", input="c\n")
    assert result.exit_code == 0, result.output
    (answer,) = history(home).read().answers
    assert (answer.given, answer.correct) == (("F",), True)


def test_stats_without_history_says_how_to_start(invoke: Invoke) -> None:
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    assert "还没有答题记录" in result.output
    # the first knowledge point of the bank in use, with the --bank that is in use
    assert f"cmquiz --bank {MINI} practice --topic 17" in result.output


def test_stats_after_runs(invoke: Invoke, home: Path) -> None:
    paper = exam_paper(mini_pool(), 5, 6)
    answers = [typed(d.question, right=d.question.topic.name == "电话礼仪") for d in paper]
    run = invoke("--bank", MINI, "exam", "--n", "5", "--seed", "6", input="\n".join(answers) + "\n")
    assert run.exit_code == 0, run.output
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "共答题 5 次" in out
    assert "答对 2 次" in out
    assert out.index("17 贷款担保管理") < out.index("电话礼仪", out.index("各知识点"))
    assert "█" in out  # the accuracy bars
    assert "最近的考试" in out
    assert "不及格" in out
    assert "错得最多的题" in out
    assert "t-guar-1" in out

    as_json = invoke("--bank", MINI, "stats", "--json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["answered"] == 5
    assert data["correct"] == 2
    assert data["by_topic"][0]["topic"] == "贷款担保管理"
    assert data["exams"][0]["score"] == 1.5  # 电话礼仪: a single (0.5) and a judge (1) of 4 points

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
        (
            ["practice", "--type", "essay"],
            "--type 的值无效:应为 single(单选)、multiple(多选)或 judge(判断)",
        ),
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

    real_append = HistoryStore.append_bytes
    appended: list[bytes] = []

    def append_during_ctrl_c(self: HistoryStore, payload: bytes) -> None:
        if b'"kind":"answer"' in payload and not appended:
            os.kill(os.getpid(), signal.SIGINT)  # arrives while the first answer is written
            appended.append(payload)
        real_append(self, payload)

    monkeypatch.setattr(HistoryStore, "append_bytes", append_during_ctrl_c)
    answers = "".join(typed(q) + "\n" for q in practice_order(mini_pool(), 10, 5))
    result = invoke("--bank", MINI, "practice", "--seed", "5", input=answers)
    assert result.exit_code == 130, result.output
    log = history(home).read()
    assert len(log.answers) == 1  # the answer being saved is kept whole
    view = only_session(home)
    assert view.status is Status.INTERRUPTED
    assert view.end.answered == 1


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
    assert "一边通话一边处理" in result.output
    assert len(history(other).read().answers) == 1
