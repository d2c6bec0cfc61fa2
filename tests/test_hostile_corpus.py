"""Issue 13.3, bank side: every malformed or hostile bank in ``tests/data/hostile/banks`` (and the
large or special ones made here in ``tmp_path``) gets one clear message or a correct result from
``cmquiz check`` run as a real process: exit code 0 or 1, no traceback, no 内部错误, no hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "data" / "hostile" / "banks"
TIMEOUT = 60  # seconds per file; each takes well under one

# file -> (exit code, text the output must contain). Exit code 1 means one BankError naming the
# file, with a line for every problem except those of a file as a whole (empty).
EXPECTED: dict[str, tuple[int, str]] = {
    "alias_bomb_billion_laughs.yaml": (1, "别名重复的内容已超过"),
    "alias_bomb_binary.yaml": (1, "别名重复的内容已超过"),
    "alias_bomb_in_stems.yaml": (1, "第 270 行第 45 列: 到别名 *s 为止"),
    "alias_bomb_medium.yaml": (1, "别名重复的内容已超过"),
    "alias_bomb_small.yaml": (1, "description: 应为文本"),
    "alias_recursive.yaml": (1, "循环引用"),
    "alias_undefined.yaml": (1, "引用了未定义的锚点"),
    "answers_outside_options.yaml": (1, "没有选项 E(选项为 A–D)"),
    "deep_nesting_anchored.yaml": (1, "嵌套太深"),
    "deep_nesting_block.yaml": (1, "嵌套太深"),
    "deep_nesting_flow.yaml": (1, "嵌套太深"),
    "duplicate_ids.yaml": (1, "id 重复(第 3 行已使用)"),
    "duplicate_keys.yaml": (1, "字段重复(第 1 行已出现)"),
    "empty.yaml": (1, "文件为空"),
    "empty_questions.yaml": (1, "题目列表为空"),
    "gb18030_whole.yaml": (0, "恶意题库"),
    "huge_numbers.yaml": (1, "难度 过大的数 超出范围"),
    "invalid_utf8_mid_file.yaml": (1, "第 4 行第 43 列: 文件混用了两种编码"),
    "long_keys.yaml": (1, "太长,不是可用的字段名或选项字母"),
    "markup_escapes_bidi.yaml": (0, "[bold red]醒目[/] [31m红[0m 反向 题库"),
    "merge_key.yaml": (1, "不支持 YAML 合并键"),
    "mixed_gb18030_word.yaml": (1, "第 6 行第 15 列: 文件混用了两种编码"),
    "nul_byte.yaml": (1, "U+0000(NUL)"),
    "only_comments.yaml": (1, "文件为空"),
    "options_broken.yaml": (1, "选项应依次为 A、B,现为 B、A"),
    "python_name_tag.yaml": (1, "不允许的 YAML 标签 !!python/name:os.getcwd"),
    "python_object_tag.yaml": (1, "不允许的 YAML 标签 !!python/object/apply:os.system"),
    "raw_terminal_escape.yaml": (1, "U+001B(ESC)"),
    "retired_reused.yaml": (1, "已停用"),
    "syntax_bad_indent.yaml": (1, "YAML 语法错误"),
    "syntax_colon_in_value.yaml": (1, "值里含有冒号加空格时请给整个值加引号"),
    "syntax_tab_indent.yaml": (1, "不能用 Tab 缩进"),
    "syntax_two_documents.yaml": (1, "一个文件只能有一个 YAML 文档"),
    "syntax_unclosed_bracket.yaml": (1, "方括号列表没有闭合"),
    "syntax_unclosed_quote.yaml": (1, "引号没有闭合"),
    "top_level_list.yaml": (1, "文件顶层应为映射"),
    "top_level_scalar.yaml": (1, "文件顶层应为映射"),
    "unknown_fields.yaml": (1, "未知字段 stme;是不是 stem?"),
    "utf16_truncated.yaml": (1, "文件以 UTF-16 的 BOM 开头"),
    "utf16_with_bom.yaml": (0, "恶意题库"),
    "utf16_without_bom.yaml": (1, "没有 BOM 的 UTF-16"),
    "utf8_bom_then_latin1.yaml": (1, "文件以 UTF-8 的 BOM 开头"),
    "wrong_types_every_field.yaml": (1, "questions[1](123).type: 未知题型 5"),
    "wrong_types_top.yaml": (1, "应为题目列表"),
}


def run_cmquiz(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CMQUIZ_HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("CMQUIZ_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "cmquiz", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def assert_clear(result: subprocess.CompletedProcess[str], name: str, code: int, text: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-2000:]
    assert "内部错误" not in output, output[-2000:]
    assert "\x1b" not in output
    assert result.returncode == code, output[-2000:]
    assert text in output, output[-2000:]
    if code == 1:
        assert name in result.stderr
        assert result.stderr.startswith("错误:")


def test_the_corpus_is_complete() -> None:
    files = sorted(p.name for p in CORPUS.iterdir())
    assert files == sorted(EXPECTED)
    assert len(files) >= 25
    assert max(p.stat().st_size for p in CORPUS.iterdir()) < 100_000


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_gives_one_clear_answer(name: str, tmp_path: Path) -> None:
    code, text = EXPECTED[name]
    result = run_cmquiz("check", name, cwd=CORPUS, home=tmp_path)
    assert_clear(result, name, code, text)
    if code == 1 and name not in ("empty.yaml", "only_comments.yaml"):
        assert all("第 " in line for line in result.stderr.splitlines()[2:]), result.stderr


def test_markup_is_kept_as_text_and_controls_removed(tmp_path: Path) -> None:
    from cmquiz.loader import load_bank

    bank = load_bank(CORPUS / "markup_escapes_bidi.yaml")
    (question,) = bank.questions
    assert bank.title == "[bold red]醒目[/] [31m红[0m 反向 题库"
    assert question.topic.name == "[link=http://evil.example]知识点[/link]"
    assert question.stem == "]8;;http://evil.example点我]8;; [bold red]x[/] 隔离 31m"
    assert question.options == (("A", "[bold red]x[/]"), ("B", "[5m闪烁[0m"), ("C", "gnp.exe"))
    assert question.explanation == "[/] [bold] 未闭合的标记  回车"
    result = run_cmquiz("--bank", "markup_escapes_bidi.yaml", "topics", cwd=CORPUS, home=tmp_path)
    assert_clear(result, "", 0, "[link=http://evil.example]知识点[/link]")
    assert "\u202e" not in result.stdout


# --- files too large or too odd to commit -----------------------------------------------------


def test_a_million_character_stem_is_checked_and_practised(tmp_path: Path) -> None:
    """Half Chinese, half one Latin word: wrapping that word took past 300 s before."""
    bank = tmp_path / "long.yaml"
    stem = "题" * 500_000 + "x" * 500_000
    bank.write_text(
        "bank: 长题干\nquestions:\n"
        f"  - {{id: q1, type: judge, topic: t, stem: {stem}, answer: 对}}\n",
        encoding="utf-8",
    )
    assert_clear(run_cmquiz("check", "long.yaml", cwd=tmp_path, home=tmp_path), "", 0, "长题干")
    env_input = subprocess.run(
        [sys.executable, "-m", "cmquiz", "--bank", "long.yaml", "practice", "-n", "1"],
        cwd=tmp_path,
        env={**os.environ, "CMQUIZ_HOME": str(tmp_path / "home"), "NO_COLOR": "1"},
        input="对\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert env_input.returncode == 0, env_input.stderr[-2000:]
    assert "Traceback" not in env_input.stderr


def test_the_alias_bank_of_issue_15_4(tmp_path: Path) -> None:
    text = "bank: 别名\nquestions:\n  - id: q0\n    type: judge\n    topic: t\n"
    text += f"    stem: &s {'题' * 1_000_000}\n    answer: 对\n"
    text += "".join(
        f"  - {{id: q{i}, type: judge, topic: t, stem: *s, answer: 对}}\n" for i in range(1, 1001)
    )
    (tmp_path / "alias.yaml").write_text(text, encoding="utf-8")
    result = run_cmquiz("check", "alias.yaml", cwd=tmp_path, home=tmp_path)
    assert_clear(result, "alias.yaml", 1, "第 12 行第 43 列: 到别名 *s 为止")
    result = run_cmquiz("--bank", "alias.yaml", "topics", cwd=tmp_path, home=tmp_path)
    assert_clear(result, "alias.yaml", 1, "别名重复的内容已超过")
    assert not any((tmp_path / "cache").rglob("*.json"))


def test_nesting_beyond_libyaml(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text(
        "bank: x\nquestions: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"
    )
    result = run_cmquiz("check", "deep.yaml", cwd=tmp_path, home=tmp_path)
    assert_clear(result, "deep.yaml", 1, "嵌套太深")


def odd_paths(tmp_path: Path) -> dict[str, str]:
    """Paths that are no regular file, each with the reason cmquiz gives."""
    made = {}
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
        made["pipe.yaml"] = "这是命名管道(FIFO),不是普通文件"
    if sys.platform != "win32":
        (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop2.yaml")
        (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop.yaml")
        made["loop.yaml"] = "符号链接循环(链接最终指回自身)"
    (tmp_path / "banks" / "old.yaml").mkdir(parents=True)
    made[str(Path("banks") / "old.yaml")] = "这是一个目录,不是文件"
    with open(tmp_path / "huge.yaml", "wb") as f:
        f.truncate(64 * 1024 * 1024 + 1)
    made["huge.yaml"] = "文件过大(67,108,865 字节),上限为 64 MiB(67,108,864 字节)"
    made["missing.yaml"] = "文件不存在"
    if Path("/dev/zero").exists():
        made["/dev/zero"] = "这是字符设备,不是普通文件"
    return made


def test_odd_paths_are_one_line_each_and_never_block(tmp_path: Path) -> None:
    """Before: a named pipe blocked forever, /dev/zero was read forever and a symlink loop was
    ``cmquiz 内部错误:RuntimeError``."""
    for name, reason in odd_paths(tmp_path).items():
        target = "banks" if name.startswith("banks") else name
        for args in (("check", target), ("--bank", target, "topics"), ("import", name)):
            result = run_cmquiz(*args, cwd=tmp_path, home=tmp_path / "home")
            assert_clear(result, name, 1, reason)
            assert result.stderr.strip() == f"错误:无法读取 {name}:{reason}", result.stderr
