"""Reading a file a user names (a bank, a paper, a file to import): what may be read, and the
encoding rules.

``read_bytes`` reads only a regular file of at most ``MAX_FILE_BYTES``; anything else (a
directory, a named pipe, a device, a socket, a symlink loop, a file it may not read) is a
``FileReadError`` naming the path, raised before anything could block: the path is examined
with ``stat`` first, then opened without blocking and examined again through the open
descriptor, so a file swapped for a named pipe in between is refused too.

``decode`` reads the whole file in one encoding, never two: the one its BOM names (UTF-8,
UTF-16), else UTF-8, else GB18030 for a file without UTF-8 Chinese text in it; anything else is
refused with the line, column and byte where UTF-8 failed. Errors name the file, in Chinese.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from typing import BinaryIO

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


def _open_checked(name: str, limit: int) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file ``name`` (at most ``limit`` bytes) and its status, read
    through the descriptor; FileReadError for anything else. Never blocks on a named pipe."""
    try:
        _refuse_unless_regular(name, os.stat(name), limit)
        fd = os.open(name, _READ_FLAGS)
    except OSError as exc:
        raise _os_problem(name, exc) from None
    try:
        st = os.fstat(fd)  # what was opened, which may differ from what was examined
        _refuse_unless_regular(name, st, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        raise _os_problem(name, exc) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; ``FileReadError`` (one line naming the path)
    for anything else, and for a file larger than ``limit`` bytes. Never blocks on a named pipe
    or a device, and never reads more than ``limit + 1`` bytes, even from a file that grows."""
    name = os.fspath(path)
    fd, _ = _open_checked(name, limit)
    try:
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


def open_descriptor(path: str | os.PathLike[str], *, limit: int) -> tuple[int, os.stat_result]:
    """An open descriptor of the regular file at ``path`` and its status (read through it),
    for reading parts of it (``read_at``); FileReadError for anything else or a file over
    ``limit`` bytes. The caller closes the descriptor."""
    return _open_checked(os.fspath(path), limit)


def read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to ``size`` bytes of the open file ``fd`` from ``offset`` (fewer only at its end)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows: no pread
    return os.read(fd, size)


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """An open binary file for reading a regular file of any size as a stream (the history);
    FileReadError for anything else. Never blocks on a named pipe or a device."""
    fd, _ = _open_checked(os.fspath(path), sys.maxsize)
    try:
        return os.fdopen(fd, "rb", buffering=1 << 20)
    except BaseException:
        os.close(fd)
        raise


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of ``path`` (``read_bytes``, then ``decode``); BankError naming the file."""
    return decode(read_bytes(path), os.fspath(path))


# A UTF-8 encoded Chinese word: two characters in a row from the CJK ranges (U+3000–U+9FFF and
# the full-width forms U+FF00–U+FF7F).
_UTF8_CJK = rb"(?:[\xe4-\xe9][\x80-\xbf]{2}|\xe3[\x80-\xbf]{2}|\xef[\xbc\xbd][\x80-\xbf])"
_UTF8_WORD = re.compile(_UTF8_CJK + rb"{2}")
# A file with at least one such word per this many bytes that are not UTF-8 is UTF-8 text with
# foreign bytes in it, never GB18030. GB18030 text has such words only by accident: none in 14 MB
# of the bundled banks encoded as GB18030, and about one per 12,000 characters of uniformly random
# GB2312 characters, where about 90 % of the bytes are not UTF-8 (a ratio near 1 : 11,000). A
# UTF-8 bank with a pasted GBK word has dozens of words per bad byte.
_BAD_BYTES_PER_UTF8_WORD = 100
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(data: bytes, name: str) -> str:
    """Bytes of a file as text, decoded the same way from its first byte to its last:

    - a BOM names the encoding (UTF-8 or UTF-16) and the whole file must be in it;
    - a file that is valid UTF-8 is UTF-8;
    - a file without UTF-8 Chinese text in it is GB18030, when it decodes as GB18030 (a GB18030
      file has the odd byte sequence that is valid UTF-8, but not UTF-8 words, see
      ``_BAD_BYTES_PER_UTF8_WORD``);
    - anything else is refused (BankError) at the line and column of the first byte that is not
      UTF-8: in particular a UTF-8 file with a word pasted in another encoding, which read as
      GB18030 would turn every Chinese character in it into another one.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec)
            except UnicodeDecodeError as exc:
                line, column = _position(body, exc.start, codec)
                byte = body[exc.start]
                raise _refused(
                    name,
                    line,
                    column,
                    f"文件以 {label} 的 BOM 开头,但此处的字节 0x{byte:02X} 不是有效的 {label};"
                    "请另存为 UTF-8",
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    line, column = _position(data, bad, "utf-8")
    byte = data[bad]
    words = _UTF8_WORD.findall(data)
    bad_bytes = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    if words and len(words) * _BAD_BYTES_PER_UTF8_WORD >= bad_bytes:
        word = _UTF8_WORD.search(data)
        assert word is not None
        word_line = data.count(b"\n", 0, word.start()) + 1
        raise _refused(
            name,
            line,
            column,
            f"文件混用了两种编码:有 UTF-8 编码的中文(如第 {word_line} 行),"
            f"但此处的字节 0x{byte:02X} 不是 UTF-8(可能混入了 GBK/GB18030 编码的文字);"
            "一个文件只能用一种编码,请整个另存为 UTF-8",
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    raise _refused(
        name,
        line,
        column,
        f"文件不是 UTF-8(也不是 GB18030)编码,字节 0x{byte:02X} 无法识别;请另存为 UTF-8",
    )


def _position(data: bytes, offset: int, codec: str) -> tuple[int, int]:
    """Line and column (in characters, from 1) of the byte at ``offset``."""
    before = data[:offset].decode(codec, errors="replace")
    line_start = before.rfind("\n") + 1
    return before.count("\n", 0, line_start) + 1, len(before) - line_start + 1


def _refused(name: str, line: int, column: int, message: str) -> BankError:
    return BankError([Problem(name, line, column, message=message)])
