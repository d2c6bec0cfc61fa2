"""textfile.read_bytes: only regular files of a bounded size are read, and nothing blocks."""

from __future__ import annotations

import errno
import os
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmquiz import loader, textfile
from cmquiz.errors import BankError, FileReadError
from cmquiz.loader import expand_bank_paths, load_library
from cmquiz.textfile import MAX_FILE_BYTES, read_bytes, read_text

BANK = "bank: 题库\nquestions:\n  - {id: q1, type: judge, topic: t, stem: 题干, answer: 对}\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def reason_for(path: str | Path) -> str:
    with pytest.raises(FileReadError) as info:
        read_bytes(path)
    error = info.value
    assert error.path == str(path)
    assert "\n" not in error.message
    assert error.message == f"无法读取 {path}:{error.reason}"
    return error.reason


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe; should a reader ever block on it, a writer opens it after 10 s so the test
    fails instead of hanging."""
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    done = threading.Event()

    def rescue() -> None:
        if not done.wait(10):
            with open(path, "wb"):
                pass

    thread = threading.Thread(target=rescue, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join()


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"abc\x00\xff")
    assert read_bytes(path) == b"abc\x00\xff"
    assert read_bytes(str(path)) == b"abc\x00\xff"


def test_missing_file(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "nope.yaml") == "文件不存在"


def test_a_directory(tmp_path: Path) -> None:
    assert reason_for(tmp_path) == "这是一个目录,不是文件"


@needs_fifo
def test_a_named_pipe_is_refused_without_opening_it(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a: opened.append(str(p)) or real_open(p, *a))
    assert reason_for(fifo) == "这是命名管道(FIFO),不是普通文件"
    assert opened == []


@needs_fifo
def test_a_file_swapped_for_a_pipe_after_stat_is_refused_without_blocking(
    fifo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: the path was a regular file when examined and is a pipe when opened."""
    regular = tmp_path / "regular.yaml"
    regular.write_text(BANK, encoding="utf-8")
    real_stat = os.stat
    monkeypatch.setattr(
        textfile.os, "stat", lambda p, *a, **k: real_stat(regular if str(p) == str(fifo) else p)
    )
    assert reason_for(fifo) == "这是命名管道(FIFO),不是普通文件"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_are_refused() -> None:
    assert reason_for("/dev/zero") == "这是字符设备,不是普通文件"  # endless before
    assert reason_for("/dev/null") == "这是字符设备,不是普通文件"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no unix sockets")
def test_a_socket_is_refused() -> None:
    with tempfile.TemporaryDirectory() as short:  # socket paths are limited to ~100 bytes
        path = Path(short) / "s.yaml"
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            assert reason_for(path) == "这是套接字(socket),不是普通文件"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert reason_for(tmp_path / "a.yaml") == "符号链接循环(链接最终指回自身)"


def test_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(BANK, encoding="utf-8")

    def refuse(*args: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(textfile.os, "open", refuse)
    assert reason_for(path) == "没有权限"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_no_permission_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(BANK, encoding="utf-8")
    path.chmod(0)
    assert reason_for(path) == "没有权限"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs nothing
    assert reason_for(path) == ("文件过大(67,108,865 字节),上限为 64 MiB(67,108,864 字节)")
    exactly = tmp_path / "exact.yaml"
    exactly.write_bytes(b"x" * 100)
    assert read_bytes(exactly, limit=100) == b"x" * 100
    with pytest.raises(FileReadError, match="上限为 99 字节"):
        read_bytes(exactly, limit=99)


def test_a_file_that_grows_while_read_is_cut_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * 10)
    real_stat, real_fstat = os.stat, os.fstat

    def small(st: os.stat_result) -> os.stat_result:  # it had 5 bytes when examined
        fields = list(st)
        fields[6] = 5  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(textfile.os, "stat", lambda p: small(real_stat(p)))
    monkeypatch.setattr(textfile.os, "fstat", lambda fd: small(real_fstat(fd)))
    with pytest.raises(FileReadError, match="文件过大,上限为 8 字节"):
        read_bytes(path, limit=8)
    assert read_bytes(path, limit=10) == b"x" * 10


def test_read_text_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(BankError) as info:
        read_text(tmp_path)
    assert info.value.problems[0].file == str(tmp_path)


# --- the loader on odd paths ---------------------------------------------------------------


@needs_fifo
def test_load_library_refuses_a_pipe_in_one_line(fifo: Path) -> None:
    with pytest.raises(FileReadError) as info:
        load_library([fifo])
    assert info.value.message == f"无法读取 {fifo}:这是命名管道(FIFO),不是普通文件"
    assert info.value.details() == []


@needs_fifo
def test_a_pipe_among_good_banks_is_one_problem_of_many(fifo: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BANK.replace("q1", "g1"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank: x\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_library([good, fifo, bad])
    assert not isinstance(info.value, FileReadError)
    files = {p.file for p in info.value.problems}
    assert files == {str(fifo), str(bad)}


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_symlink_loops_in_a_directory_and_as_a_path(tmp_path: Path) -> None:
    """Before: ``Path.resolve`` raised RuntimeError (shown as 内部错误)."""
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "good.yaml").write_text(BANK, encoding="utf-8")
    (banks / "a.yaml").symlink_to(banks / "b.yaml")
    (banks / "b.yaml").symlink_to(banks / "a.yaml")
    assert expand_bank_paths([banks]) == [banks / "a.yaml", banks / "b.yaml", banks / "good.yaml"]
    with pytest.raises(BankError) as info:
        load_library([banks])
    assert [p.message for p in info.value.problems] == ["符号链接循环(链接最终指回自身)"] * 2
    with pytest.raises(FileReadError, match="符号链接循环"):
        load_library([banks / "a.yaml"], cache_dir=tmp_path / "cache")


def test_the_same_file_named_twice_counts_once(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    link = tmp_path / "link.yaml"
    try:
        link.symlink_to(path)
    except OSError:
        link = path
    spellings = [path, tmp_path / "." / "bank.yaml", tmp_path, link]
    assert expand_bank_paths(spellings) == [path]


def test_a_directory_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> Iterator[Path]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(BankError) as info:
        load_library([tmp_path])
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path)
    assert problem.message == "无法列出目录中的文件:没有权限"


def test_a_directory_named_like_a_bank_inside_a_bank_directory(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(BANK, encoding="utf-8")
    (tmp_path / "old.yaml").mkdir()
    with pytest.raises(FileReadError) as info:
        load_library([tmp_path])
    assert info.value.message == f"无法读取 {tmp_path / 'old.yaml'}:这是一个目录,不是文件"


def test_loader_reads_through_read_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    seen: list[str] = []
    real = textfile.read_bytes
    monkeypatch.setattr(textfile, "read_bytes", lambda p, **k: seen.append(str(p)) or real(p))
    loader.load_bank(path)
    assert seen == [str(path)]
