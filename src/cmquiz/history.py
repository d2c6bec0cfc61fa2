"""The answer history store: a JSON Lines file that is only ever appended to.

Each record is written as one line with one ``write`` under an exclusive lock and synced to disk
before the caller goes on, so an interrupted run loses nothing that was answered. A write that
comes up short (a full disk) is undone (the file is cut back to where it was) and reported, so no
torn line is left behind and the caller still holds the record. Readers skip a torn last line
(a crash in the middle of a write) and lines that are not records this release can use, with a
warning; records of kinds this release does not know are skipped quietly and counted. The file
is never rewritten in place. What the records mean is ``records``; what is derived from them is
``replay`` and ``stats``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from . import jsonfast
from .errors import FileReadError, HistoryError, describe_os_error
from .progress import report
from .records import (
    AnswerRecord,
    EndRecord,
    Record,
    RecordFormatError,
    StartRecord,
    UnknownRecord,
    record_from_dict,
)

MIN_FREE_BYTES = 1 << 20  # refuse to start a run with less free space than this


class HistoryWriteError(HistoryError):
    """A record could not be written whole; nothing of it is left in the file."""


@dataclass
class HistoryLog:
    """What a read found: records in file order, warnings about lines it skipped, and how many
    records of unknown kinds it passed over."""

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown: int = 0
    repair: str | None = None  # how to repair the file, when a bad line was first reported

    @property
    def answers(self) -> list[AnswerRecord]:
        return [r for r in self.records if isinstance(r, AnswerRecord)]

    @property
    def starts(self) -> list[StartRecord]:
        return [r for r in self.records if isinstance(r, StartRecord)]

    @property
    def ends(self) -> list[EndRecord]:
        return [r for r in self.records if isinstance(r, EndRecord)]

    @property
    def empty(self) -> bool:
        return not self.records

    def notices(self) -> list[str]:
        """The warnings, and one summary line for records of unknown kinds."""
        notes = list(self.warnings)
        if self.repair:
            notes.append(self.repair)
        if self.unknown:
            notes.append(
                f"答题记录中有 {self.unknown} 条记录来自更新的 cmquiz 版本或未知类型,"
                "已保留在文件中,本版本不读取"
            )
        return notes


@contextmanager
def _locked(fd: int) -> Iterator[None]:
    """An exclusive advisory lock where the platform has one (two runs never interleave)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def encode(record: Record) -> bytes:
    """One record as one line of UTF-8 JSON."""
    line = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return (line + "\n").encode("utf-8")


class HistoryStore:
    """Appends records to ``history.jsonl`` and reads them back."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise HistoryError(f"无法写入答题记录 {self.path}:{describe_os_error(exc)}") from None

    def ensure_writable(self) -> None:
        """Fail now, before a run starts, if answers could not be saved: the file cannot be
        opened for appending, or the disk it is on is (nearly) full."""
        fd = self._open()
        try:
            free = os.fstatvfs(fd)
        except (OSError, AttributeError):
            free = None
        finally:
            os.close(fd)
        if free is not None and free.f_bavail * free.f_frsize < MIN_FREE_BYTES:
            raise HistoryError(
                f"答题记录所在的磁盘空间不足(可用不到 {MIN_FREE_BYTES >> 20} MB):{self.path};"
                "请先清理磁盘,或用 --home 指定其他数据目录"
            )

    def append(self, record: Record) -> None:
        """Write one record as one line, synced before returning; all of it or none of it."""
        self.append_bytes(encode(record))

    def append_bytes(self, payload: bytes) -> None:
        fd = self._open()
        try:
            with _locked(fd):
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    payload = b"\n" + payload  # seal a torn last line instead of extending it
                try:
                    written = os.write(fd, payload)
                    if written != len(payload):
                        raise OSError(28, "short write")  # ENOSPC: the disk filled up
                    os.fsync(fd)
                except OSError as exc:
                    with suppress(OSError):
                        os.ftruncate(fd, size)  # take back what part of the line was written
                    raise HistoryWriteError(
                        f"无法写入答题记录 {self.path}:{describe_os_error(exc)}"
                    ) from None
        finally:
            os.close(fd)

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def read(self) -> HistoryLog:
        """Every readable record. Lines that cannot be used are skipped; each is warned about
        once (the offsets already reported are remembered beside the history), with how to
        repair the file."""
        from .collector import collector_paused

        log = HistoryLog()
        bad: list[BadLine] = []
        with collector_paused():
            for item in self.scan():
                if isinstance(item, BadLine):
                    bad.append(item)
                elif isinstance(item, UnknownRecord):
                    log.unknown += 1
                else:
                    log.records.append(item)
        log.warnings, log.repair = self.report_once(bad)
        return log

    def report_once(self, bad: list[BadLine]) -> tuple[list[str], str | None]:
        """The warnings about ``bad`` lines not reported before, and how to repair the file;
        the lines are then remembered as reported."""
        if not bad:
            return [], None
        reported = self._reported()
        fresh = [b for b in bad if b.offset not in reported]
        if not fresh:
            return [], None
        self._remember(reported | {b.offset for b in fresh})
        return [b.message for b in fresh], (
            f"以上 {len(fresh)} 行已跳过,之后不再提示;需要修复时,先备份 {self.path},"
            "再用文本编辑器删除这些行(其余记录不受影响)"
        )

    @property
    def _warned_path(self) -> Path:
        return self.path.with_name(self.path.name + ".warned")

    def _reported(self) -> set[int]:
        """Offsets of bad lines already reported, while the file has only grown since."""
        try:
            data = json.loads(self._warned_path.read_text(encoding="utf-8"))
            if data["size"] <= self.size() and data["head"] == self.head():
                return {int(offset) for offset in data["offsets"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return set()

    def _remember(self, offsets: set[int]) -> None:
        payload = {"size": self.size(), "head": self.head(), "offsets": sorted(offsets)}
        with suppress(OSError):
            self._warned_path.write_text(json.dumps(payload), encoding="utf-8")

    def head(self) -> str:
        """The first bytes of the file: a rewritten history is another file."""
        try:
            with open(self.path, "rb") as f:
                return f.read(256).hex()
        except OSError:
            return ""

    def scan(
        self, start: int = 0, first_line: int = 1
    ) -> Iterator[Record | UnknownRecord | BadLine]:
        """Records from byte offset ``start`` (line ``first_line``) on, in file order; a
        BadLine in place of a line that cannot be used."""
        return Cursor(self, start, first_line, whole_lines=False).records()

    def cursor(self, start: int = 0, first_line: int = 1) -> Cursor:
        """A scan that reads whole lines only and says where it stopped, to go on from there
        later (a line still being written by another run is left for the next time)."""
        return Cursor(self, start, first_line, whole_lines=True)


REPORT_BYTES = 8 * 1024 * 1024  # histories this long report their reading
REPORT_LINES = 4096


class Cursor:
    """Reads a history's lines from an offset; ``offset``/``line`` say how far it got."""

    def __init__(self, store: HistoryStore, start: int, first_line: int, whole_lines: bool):
        self.store = store
        self.offset = start
        self.line = first_line
        self.whole_lines = whole_lines

    def records(self) -> Iterator[Record | UnknownRecord | BadLine]:
        from .textfile import open_regular

        path = self.store.path
        if not path.exists():
            return
        try:
            stream = open_regular(path)
        except FileReadError as problem:
            raise HistoryError(f"答题记录{problem.message}") from None
        decode = json.JSONDecoder(parse_constant=_refuse_constant).decode
        fast = jsonfast.loads if jsonfast.FAST else None
        with stream:
            size = os.fstat(stream.fileno()).st_size
            # a long read reports how far it got (a bar on a terminal, see ``progress``)
            every = REPORT_LINES if size - self.offset >= REPORT_BYTES else 0
            stream.seek(self.offset)
            try:
                for chunk in stream:
                    if every and self.line % every == 0:
                        report("读取答题记录", self.offset, size)
                    whole = chunk.endswith(b"\n")
                    if self.whole_lines and not whole:
                        return  # the tail is not a whole line yet: read it next time
                    here, number = self.offset, self.line
                    self.offset += len(chunk)
                    self.line += 1
                    if chunk.isspace():
                        continue
                    if fast is not None:  # orjson's value, when it makes a known record
                        try:
                            record = record_from_dict(fast(chunk))
                        except (ValueError, RecordFormatError):
                            record = None  # read again below: json says what is wrong
                        if record is not None and not isinstance(record, UnknownRecord):
                            yield record
                            continue
                    try:
                        data = decode(chunk.decode("utf-8"))
                    except (ValueError, RecursionError):
                        reason = "不是有效的 JSON" if whole else "不完整(上次写入被中断)"
                        yield BadLine(here, f"{path} 第 {number} 行{reason},已跳过")
                        continue
                    try:
                        yield record_from_dict(data)
                    except RecordFormatError as problem:
                        yield BadLine(here, f"{path} 第 {number} 行无法使用({problem}),已跳过")
            finally:
                if every:
                    report("读取答题记录", size, size)  # done: the bar goes


@dataclass(frozen=True)
class BadLine:
    """A line that is not a usable record: where it starts, and the warning about it."""

    offset: int
    message: str


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number cmquiz writes")
