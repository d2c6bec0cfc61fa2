"""A full disk or a read-only data directory: said at once, and nothing answered is lost."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.history import HistoryStore
from cmquiz.replay import replay
from drawing import MINI

Invoke = Callable[..., Any]


def failing_writes(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[int]:
    """The next ``failures`` writes of an answer to the history fail as on a full disk."""
    real = os.write
    left = [failures]

    def write(fd: int, data: bytes) -> int:
        if b'"kind":"answer"' in data and left[0] > 0:
            left[0] -= 1
            return real(fd, data[:10])  # a short write: the disk filled up
        return real(fd, data)

    monkeypatch.setattr("cmquiz.history.os.write", write)
    return left


def test_a_failed_write_is_said_at_once_and_retried(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_writes(monkeypatch, 1)
    result = invoke("--bank", MINI, "practice", "--type", "judge", "--n", "1", input="对\nr\n")
    assert result.exit_code == 0, result.output
    assert "磁盘空间不足" in result.output
    assert "还有 1 条答题记录没有保存" in result.output
    log = HistoryStore(home / "history.jsonl").read()
    assert log.warnings == []  # no torn line was left behind
    (view,) = replay(log.records).values()
    assert len(view.answers) == 1  # the retry saved it
    # the feedback came after the answer was saved
    assert result.output.index("还有 1 条答题记录没有保存") < result.output.index("回答")


def test_records_that_cannot_be_written_are_saved_elsewhere(
    invoke: Invoke, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_writes(monkeypatch, 10**6)
    elsewhere = tmp_path / "rescued.jsonl"
    result = invoke(
        "--bank", MINI, "practice", "--type", "judge", "--n", "1", input=f"对\n{elsewhere}\n"
    )
    assert result.exit_code == 0, result.output
    assert f"已另存到 {elsewhere}" in result.output
    rescued = elsewhere.read_text(encoding="utf-8")
    assert '"kind":"answer"' in rescued
    assert "空间恢复后可把它追加到" in result.output


def test_a_read_only_data_directory_is_refused_before_the_first_question(
    invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: str, flags: int, *args: Any) -> int:
        if str(path).endswith("history.jsonl") and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr("cmquiz.history.os.open", read_only)
    for command in (["practice"], ["exam", "--n", "3"]):
        result = invoke("--bank", MINI, *command, input="a\n")
        assert result.exit_code == 1, result.output
        assert "无法写入答题记录" in result.output
        assert "文件系统只读" in result.output
        assert "第 1/" not in result.output  # refused before the first question
