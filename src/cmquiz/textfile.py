"""Reading a file a user names (a bank, a paper, a file to import): what may be read, and the
encoding rules.

``read_bytes`` reads only a regular file of at most ``MAX_FILE_BYTES``; anything else (a
directory, a named pipe, a device, a socket, a symlink loop, a file it may not read) is a
``FileReadError`` naming the path, raised before anything could block: the path is examined
with ``stat`` first, then opened without blocking and examined again through the open
descriptor, so a file swapped for a named pipe in between is refused too.

UTF-8 (with or without a BOM), else GB18030 for the whole file; a file that is neither is refused
with the line, column and byte where UTF-8 failed. Errors name the file, in Chinese.
"""

from __future__ import annotations

import os
import stat

from .errors import BankError, FileReadError, Problem, describe_os_error

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file cmquiz reads (64 MiB): banks, papers and files to import alike."""

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a named pipe must never wait for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20

_NOT_REGULAR = (
    (stat.S_ISDIR, "这是一个目录,不是文件"),
    (stat.S_ISFIFO, "这是命名管道(FIFO),不是普通文件"),
    (stat.S_ISCHR, "这是字符设备,不是普通文件"),
    (stat.S_ISBLK, "这是块设备,不是普通文件"),
    (stat.S_ISSOCK, "这是套接字(socket),不是普通文件"),
)


def _too_large(name: str, size: int | None, limit: int) -> FileReadError:
    mib = 1024 * 1024
    shown = f"({size:,} 字节)" if size is not None else ""
    cap = f"{limit // mib} MiB({limit:,} 字节)" if limit % mib == 0 else f"{limit:,} 字节"
    return FileReadError(name, f"文件过大{shown},上限为 {cap}")


def _refuse_unless_regular(name: str, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        for test, reason in _NOT_REGULAR:
            if test(st.st_mode):
                raise FileReadError(name, reason)
        raise FileReadError(name, "不是普通文件")
    if st.st_size > limit:
        raise _too_large(name, st.st_size, limit)


def _os_problem(name: str, exc: OSError) -> FileReadError:
    if isinstance(exc, FileNotFoundError):
        return FileReadError(name, "文件不存在")
    if isinstance(exc, IsADirectoryError):
        return FileReadError(name, "这是一个目录,不是文件")
    return FileReadError(name, describe_os_error(exc))


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; ``FileReadError`` (one line naming the path)
    for anything else, and for a file larger than ``limit`` bytes. Never blocks on a named pipe
    or a device, and never reads more than ``limit + 1`` bytes, even from a file that grows."""
    name = os.fspath(path)
    try:
        _refuse_unless_regular(name, os.stat(name), limit)
        fd = os.open(name, _READ_FLAGS)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    try:
        st = os.fstat(fd)  # what was opened, which may differ from what was examined
        _refuse_unless_regular(name, st, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew after it was examined
            raise _too_large(name, None, limit)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of ``path`` (``read_bytes``, then ``decode``); BankError naming the file."""
    return decode(read_bytes(path), os.fspath(path))


def decode(data: bytes, name: str) -> str:
    """Bytes of a file as text: UTF-8 (BOM allowed), else GB18030, else a BankError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    line = data.count(b"\n", 0, utf8_error.start) + 1
    column = utf8_error.start - (data.rfind(b"\n", 0, utf8_error.start) + 1) + 1
    byte = data[utf8_error.start]
    raise BankError(
        [
            Problem(
                name,
                line,
                column,
                message=(
                    f"文件不是 UTF-8(也不是 GB18030)编码,字节 0x{byte:02X} 无法识别;请另存为 UTF-8"
                ),
            )
        ]
    )
