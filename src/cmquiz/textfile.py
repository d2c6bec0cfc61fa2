"""Reading a text file a user names (a bank, a paper, a file to import): the encoding rules.

UTF-8 (with or without a BOM), else GB18030 for the whole file; a file that is neither is refused
with the line, column and byte where UTF-8 failed. Errors name the file, in Chinese.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BankError, Problem, describe_os_error


def read_text(path: Path) -> str:
    """The text of ``path``; BankError (one problem naming the file) when it cannot be read."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise BankError([Problem(str(path), message="这是一个目录,不是文件")]) from None
    except FileNotFoundError:
        raise BankError([Problem(str(path), message="文件不存在")]) from None
    except OSError as exc:
        raise BankError(
            [Problem(str(path), message=f"无法读取文件:{describe_os_error(exc)}")]
        ) from None
    return decode(data, str(path))


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
