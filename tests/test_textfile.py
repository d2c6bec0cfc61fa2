"""textfile.read_bytes: only regular files of a bounded size are read, and nothing blocks."""

from __future__ import annotations

import codecs
import errno
import os
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cmquiz import loader, textfile
from cmquiz.errors import BankError, FileReadError
from cmquiz.loader import expand_bank_paths, load_library
from cmquiz.textfile import MAX_FILE_BYTES, decode, read_bytes, read_text

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


# --- decoding: one encoding per file ---------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "src" / "cmquiz" / "banks").glob("*.yaml"))


def decode_problem(data: bytes) -> str:
    with pytest.raises(BankError) as info:
        decode(data, "f.yaml")
    (problem,) = info.value.problems
    return str(problem)


def test_a_utf8_bank_with_one_gb18030_word_is_refused_not_garbled() -> None:
    """Issue 15.7: every Chinese run here has an even number of characters, so the whole file
    also decodes as GB18030; it used to pass ``check`` with 淇¤捶 as its title."""
    text = "bank: 信贷\nquestions:\n  - id: q1\n    type: judge\n    topic: 担保\n"
    data = text.encode() + "    stem: 抵押贷款".encode() + "借款".encode("gb18030") + b"\n"
    assert data.decode("gb18030").startswith("bank: 淇¤捶")  # what was read before
    message = decode_problem(data)
    assert message.startswith("第 6 行第 15 列: 文件混用了两种编码")
    assert "如第 1 行" in message
    assert "0xBD" in message


def test_a_gb18030_file_is_read_whole() -> None:
    for path in [*BUNDLED, REPO / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert decode(text.encode("gb18030"), str(path)) == text, path


def test_random_gb2312_text_is_never_taken_for_mixed() -> None:
    import random

    rng = random.Random(15)
    hanzi = []
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    text = "".join(rng.choice(hanzi) for _ in range(300_000))
    data = text.encode("gb18030")
    assert decode(data, "f") == text


def test_boms_name_the_encoding() -> None:
    text = "bank: 题库\n题干:第二行\n"
    for codec in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"):
        data = text.encode(codec)
        if codec in ("utf-16-le", "utf-16-be"):
            data = "\ufeff".encode(codec) + data
        assert decode(data, "f") == text, codec


def test_a_bom_whose_encoding_does_not_hold_is_refused() -> None:
    message = decode_problem(codecs.BOM_UTF8 + "第一行\n第二".encode() + b"\xff\n")
    assert message.startswith("第 2 行第 3 列: 文件以 UTF-8 的 BOM 开头,但此处的字节 0xFF")
    message = decode_problem(codecs.BOM_UTF16_LE + "ab\nc".encode("utf-16-le") + b"\x00\xd8")
    assert message.startswith("第 2 行第 2 列: 文件以 UTF-16 的 BOM 开头")


def test_neither_utf8_nor_gb18030() -> None:
    message = decode_problem("题\n".encode() + b"x: \xff\xfe\n")
    assert message == (
        "第 2 行第 4 列: 文件不是 UTF-8(也不是 GB18030)编码,字节 0xFF 无法识别;请另存为 UTF-8"
    )


hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
hanzi_text = st.text(hanzi, min_size=2)
gb_word = st.text(hanzi, min_size=1, max_size=40)  # at most 80 bytes that are not UTF-8


@given(st.text(), st.booleans())
def test_utf8_text_reads_back(text: str, bom: bool) -> None:
    data = text.encode("utf-8")
    assert decode(codecs.BOM_UTF8 + data if bom else data, "f") == text


@given(st.text())
def test_utf16_with_a_bom_reads_back(text: str) -> None:
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text))
    assert decode(text.encode("utf-16"), "f") == text


@given(st.text(max_size=40), hanzi_text, st.text(max_size=40), gb_word)
def test_utf8_chinese_with_a_gb18030_word_is_always_refused(
    before: str, chinese: str, after: str, word: str
) -> None:
    data = (before + chinese + after).encode() + word.encode("gb18030")
    assume(not _is_utf8(data))
    assert "文件混用了两种编码" in decode_problem(data)


@given(st.binary())
def test_any_bytes_are_text_or_a_bank_error(data: bytes) -> None:
    try:
        text: str | None = decode(data, "f")
    except BankError as error:
        text = None
        problem = error.problems[0]
    assert text is not None or problem.line is not None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
