"""One error hierarchy for the whole tool.

Domain code raises these; the CLI turns them into a message on stderr and an exit code
(``CmquizError.exit_code``). Messages are Simplified Chinese because they reach users.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CmquizError(Exception):
    """Base class: a failure the user can act on, never a bug."""

    exit_code = EXIT_DATA

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def details(self) -> list[str]:
        """Further lines printed under the message (one per problem)."""
        return []


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a bank file, with as much location as is known."""

    file: str
    line: int | None = None
    column: int | None = None
    where: str = ""  # e.g. "questions[3](credit-17-001).answer"
    message: str = ""

    def __str__(self) -> str:
        place = f"第 {self.line} 行" if self.line is not None else ""
        if self.line is not None and self.column is not None:
            place += f"第 {self.column} 列"
        parts = [p for p in (place, self.where) if p]
        head = " ".join(parts)
        return f"{head}: {self.message}" if head else self.message


class BankError(CmquizError):
    """A bank file (or set of files) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem], kind: str = "题库") -> None:
        files = sorted({p.file for p in problems})
        noun = "、".join(files) if len(files) <= 3 else f"{len(files)} 个文件"
        super().__init__(f"{kind}有 {len(problems)} 处错误:{noun}")
        self.problems = sorted(problems, key=_problem_sort_key)

    def details(self) -> list[str]:
        lines: list[str] = []
        current = None
        for problem in self.problems:
            if problem.file != current:
                current = problem.file
                lines.append(f"{problem.file}:")
            lines.append(f"  • {problem}")
        return lines


def _problem_sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line or 0, p.column or 0, p.where)


class FileReadError(BankError):
    """A file the user named cannot be read at all (missing, a directory, a named pipe or a
    device, a symlink loop, no permission, too large): one line naming the path and why.

    A ``BankError`` with one problem, so every place that collects bank problems keeps working;
    shown alone, it is the single line ``无法读取 <path>:<reason>``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__([Problem(path, message=reason)])
        self.message = f"无法读取 {path}:{reason}"
        self.args = (self.message,)
        self.path = path
        self.reason = reason

    def details(self) -> list[str]:
        return []


class HistoryError(CmquizError):
    """The answer history cannot be read or written."""


class UsageError(CmquizError):
    """The command line asks for something that cannot be done (exit code 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: list[str] | None = None) -> None:
        super().__init__(message)
        self.hint = hint or []

    def details(self) -> list[str]:
        return list(self.hint)


class TopicNotFoundError(UsageError):
    """No knowledge point matches the --topic patterns."""

    def __init__(self, patterns: list[str], available: list[str]) -> None:
        shown = "、".join(patterns)
        super().__init__(
            f"没有与 {shown} 匹配的知识点。可用的知识点:",
            hint=[f"  {name}" for name in available],
        )
        self.patterns = patterns
        self.available = available


class PaperShortError(CmquizError):
    """The question pool cannot fill a paper; every shortfall is listed."""

    def __init__(self, title: str, shortfalls: list[str]) -> None:
        super().__init__(f"题池不够组成试卷“{title}”:")
        self.shortfalls = shortfalls

    def details(self) -> list[str]:
        return [f"  {line}" for line in self.shortfalls]


class ImportFormatError(UsageError):
    """``cmquiz import``: the format is unknown, or could not be recognised (exit code 2)."""

    def __init__(self, message: str, formats: dict[str, str]) -> None:
        super().__init__(
            message, hint=["可用的格式(--format):"] + [f"  {k:<6} {v}" for k, v in formats.items()]
        )
        self.formats = formats


class ImportSourceError(CmquizError):
    """A file to import holds no question that can be imported, or does not fit its format."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or []

    def details(self) -> list[str]:
        return list(self.lines)


class OutputExistsError(CmquizError):
    """An output file already exists and ``--force`` was not given."""

    def __init__(self, path: str) -> None:
        super().__init__(f"输出文件 {path} 已存在;如要覆盖,请加 --force")
        self.path = path


class StrictImportError(CmquizError):
    """``cmquiz import --strict``: some records were skipped, so nothing was written."""


_OS_ERRORS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "路径太长",
    errno.EMFILE: "打开的文件太多",
    errno.ELOOP: "符号链接循环(链接最终指回自身)",
}


def describe_os_error(exc: OSError) -> str:
    """An operating-system error in Chinese (the English text only when it is unusual)."""
    known = _OS_ERRORS.get(exc.errno or 0)
    return known or f"系统错误({exc.strerror or exc})"
