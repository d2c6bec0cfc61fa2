"""``cmquiz import`` on the command line, and the YAML it writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.bankfile import parse_bank_text
from cmquiz.importers import import_file
from cmquiz.loader import load_bank

DATA = Path(__file__).parent / "data" / "import"
FIXTURES = sorted(p for p in DATA.iterdir() if p.is_file())
SRC = Path(__file__).resolve().parents[1] / "src"
Invoke = Callable[..., Any]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_becomes_a_bank_the_loader_accepts(fixture: Path) -> None:
    result = import_file(fixture, topic="测试")
    text = result.yaml_text()
    bank = parse_bank_text(text, fixture.name)
    assert bank.questions == result.bank.questions
    assert "\\u" not in text  # real Chinese characters, not escapes
    assert text == import_file(fixture, topic="测试").yaml_text()  # same input, same output


def test_yaml_is_readable_block_style() -> None:
    text = import_file(DATA / "seed_run_together.txt", id_prefix="credit").yaml_text()
    assert text.startswith("# 由 cmquiz import 从 seed_run_together.txt 导入(格式 seed):单选 6\n")
    assert "bank: seed_run_together\n" in text
    assert (
        "  - id: credit-17-001\n"
        "    type: single\n"
        "    topic: 贷款担保管理\n"
        '    topic_code: "17"\n'
        "    stem: 专业担保机构为保证人的,原则上应当有一定数额的担保基金存入在我行设立的专门账户,"
        "实行()。\n"
        "    options:\n"
        "      A: 专项储存,分户管理\n"
    ) in text


def test_yaml_to_stdout_and_report_to_stderr(invoke: Invoke) -> None:
    result = invoke("import", str(DATA / "seed_template.txt"))
    assert result.exit_code == 0, result.output
    bank = parse_bank_text(result.stdout, "stdout")
    assert len(bank.questions) == 3
    assert "导入 seed_template.txt(格式:seed):3 道题(单选 2、多选 1、判断 0)" in result.stderr
    assert "修复 1 处" in result.stderr
    assert "跳过 1 条记录(残片 1):" in result.stderr
    assert "第 2 行:残片,孤立的答案 A" in result.stderr
    assert "修复" not in result.stdout


def test_output_file_then_check(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "credit.yaml"
    result = invoke(
        "import",
        str(DATA / "seed_run_together.txt"),
        "-o",
        str(out),
        "--bank-title",
        "个人信贷业务",
        "--id-prefix",
        "loans",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"已写入 {out}" in result.stderr
    bank = load_bank(out)
    assert bank.title == "个人信贷业务"
    assert [q.id for q in bank.questions][:2] == ["loans-17-001", "loans-17-002"]
    check = invoke("check", str(out))
    assert check.exit_code == 0, check.output


def test_existing_output_is_not_overwritten_without_force(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    out.write_text("keep me", encoding="utf-8")
    result = invoke("import", str(DATA / "moodle.gift"), "-o", str(out))
    assert result.exit_code == 1
    assert "已存在" in result.stderr
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = invoke("import", str(DATA / "moodle.gift"), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert load_bank(out).questions


def test_the_source_is_never_the_output(invoke: Invoke, tmp_path: Path) -> None:
    src = tmp_path / "q.txt"
    src.write_text((DATA / "numbered_word.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("import", str(src), "-o", str(src), "--force")
    assert result.exit_code == 2
    assert "源文件" in result.stderr


def test_strict_fails_on_any_skip_and_writes_nothing(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    result = invoke("import", str(DATA / "seed_template.txt"), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr
    assert "第 2 行:残片" in result.stderr
    assert not out.exists()
    clean = invoke("import", str(DATA / "numbered_word.txt"), "--strict")
    assert clean.exit_code == 0, clean.output


def test_topic_fills_records_without_one(invoke: Invoke) -> None:
    result = invoke("import", str(DATA / "moodle_aiken.txt"), "--topic", "贷款担保管理")
    assert result.exit_code == 0, result.output
    bank = parse_bank_text(result.stdout, "stdout")
    assert {q.topic.name for q in bank.questions} == {"贷款担保管理"}
    plain = invoke("import", str(DATA / "moodle_aiken.txt"))
    assert "4 道题没有知识点,已归入“未分类”" in plain.stderr


def test_forced_format(invoke: Invoke, tmp_path: Path) -> None:
    # numbered text in a file named .csv: the suffix alone picks CSV, which finds no header
    src = tmp_path / "bank.csv"
    src.write_text((DATA / "numbered_word.txt").read_text(encoding="utf-8"), encoding="utf-8")
    auto = invoke("import", str(src))
    assert auto.exit_code == 1
    assert "找不到题干列" in auto.stderr
    forced = invoke("import", str(src), "--format", "TEXT")
    assert forced.exit_code == 0, forced.output
    assert "(格式:text):4 道题" in forced.stderr
    assert len(parse_bank_text(forced.stdout, "out").questions) == 4


def test_unknown_format_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("import", str(DATA / "numbered_word.txt"), "--format", "pdf")
    assert result.exit_code == 2
    assert "未知的格式 pdf" in result.stderr
    for name in ("seed", "text", "csv", "aiken", "gift", "docx", "xlsx", "anki"):
        assert f"  {name}" in result.stderr


def test_undetectable_file_lists_the_formats(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("这只是一段普通的文字。\n没有题目。\n", encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 2
    assert "无法识别" in result.stderr
    assert "--format" in result.stderr
    assert "gift" in result.stderr


def test_a_file_with_no_importable_question(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_text("1. 只有题干\nA. 甲\nB. 乙\n", encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert "没有可以导入的题目" in result.stderr
    assert "第 1 行:缺少答案" in result.stderr


def test_bad_id_prefix_and_missing_file(invoke: Invoke) -> None:
    bad = invoke("import", str(DATA / "moodle.gift"), "--id-prefix", "中文 前缀")
    assert bad.exit_code == 2
    assert "--id-prefix" in bad.stderr
    missing = invoke("import", "no-such-file.txt")
    assert missing.exit_code == 1
    assert "文件不存在" in missing.stderr
    assert "Traceback" not in missing.output


HEAVY = ("yaml", "csv", "docx", "openpyxl", "lxml", "cmquiz.importers.convert")
READERS = ("numbered", "seed", "gift", "aiken", "csv_table", "anki", "word", "excel")


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["export", "--help"]])
def test_help_imports_no_reader_and_no_heavy_module(args: list[str]) -> None:
    # what typer's own help loads (typer 0.29 brings csv along) is not cmquiz's doing: a bare
    # two-command app shows its help first, and only modules loaded after it count
    code = (
        "import sys, typer\n"
        "bare = typer.Typer()\n"
        "bare.command('a')(lambda x: None)\n"
        "bare.command('b')(lambda y: None)\n"
        "for words in (['--help'], ['a', '--help']):\n"
        "    try:\n        bare(words, prog_name='bare')\n"
        "    except SystemExit:\n        pass\n"
        "before = set(sys.modules)\n"
        "from cmquiz.cli import app\n"
        f"try:\n    app({args!r}, prog_name='cmquiz')\n"
        "except SystemExit:\n    pass\n"
        f"names = {[*HEAVY, *(f'cmquiz.importers.{r}' for r in READERS)]!r}\n"
        "print('LOADED', [n for n in names if n in sys.modules and n not in before])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"
    if args[0] == "import":  # the --format help comes from the registry
        from cmquiz.importers.formats import FORMATS

        assert all(f.key in done.stdout for f in FORMATS)
