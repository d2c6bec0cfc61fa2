"""Reading one or many answer histories as a stream of runs, for stats over a whole department.

A training department copies its trainees' ``history.jsonl`` files into a folder (or names them
with ``--history``); ``history_files`` finds them. ``read_records`` reads a file line by line
(never the whole file at once) and ``stream_sessions`` groups its records by session and hands
each run over, rebuilt by ``replay.replay``, as soon as it can no longer change: when its end
record says it is over (handed in, timed out, abandoned, or a practice or review run that ended),
else at the end of the file. Only the runs still open are held, so memory does not grow with the
history. ``owner`` says who answered a run: the ``user`` of its start record (``--user``, else the
login name), or for v1 records, which name nobody, the file's name.

Lines are read by ``history.HistoryStore.scan``: a torn last line or a line that is not JSON is
skipped with a warning, a record this release cannot trust is skipped with a warning naming the
field, records of unknown kinds are counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HistoryError
from .history import BadLine, HistoryStore
from .paths import HISTORY_FILE
from .progress import tracked
from .records import Record, UnknownRecord
from .replay import OpenRuns, SessionView

HISTORY_SUFFIXES = (".jsonl",)


@dataclass
class ReadNotes:
    """What reading skipped: warnings about lines, and records of kinds this release does not
    know (kept in the file, not read)."""

    warnings: list[str] = field(default_factory=list)
    unknown: int = 0

    def notices(self) -> list[str]:
        notes = list(self.warnings)
        if self.unknown:
            notes.append(
                f"答题记录中有 {self.unknown} 条记录来自更新的 cmquiz 版本或未知类型,"
                "已保留在文件中,本版本不读取"
            )
        return notes


def history_files(paths: Iterable[str | Path]) -> list[Path]:
    """The history files to read: files as given, folders searched (with their sub-folders)
    for ``*.jsonl``, sorted; a file named twice counts once. A path that does not exist, or a
    folder without a history, is an error naming it."""
    result: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in HISTORY_SUFFIXES and p.is_file()
            )
            if not found:
                raise HistoryError(f"文件夹 {path} 中没有答题记录(*.jsonl)")
        elif path.is_file():
            found = [path]
        else:
            raise HistoryError(f"答题记录 {path} 不存在")
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                result.append(file)
    return result


def default_owner(path: Path) -> str:
    """Who a file's v1 runs belong to: the file's name, or for a file called ``history.jsonl``
    (a trainee's data folder copied whole) the name of its folder."""
    if path.name == HISTORY_FILE and path.parent.name:
        return path.parent.name
    return path.stem


def owner(view: SessionView, path: Path) -> str:
    """Who answered a run: its start record's ``user``, else (v1) ``default_owner(path)``."""
    if view.start is not None and view.start.user:
        return view.start.user
    return default_owner(path)


def read_records(path: Path, notes: ReadNotes) -> Iterator[Record]:
    """The records of one history file, in file order, one line at a time (``HistoryStore.scan``,
    which reads every history); lines that cannot be used go to ``notes``."""
    for item in HistoryStore(path).scan():
        if isinstance(item, BadLine):
            notes.warnings.append(item.message)
        elif isinstance(item, UnknownRecord):
            notes.unknown += 1
        else:
            yield item


def stream_sessions(records: Iterable[Record]) -> Iterator[SessionView]:
    """Runs rebuilt from ``records`` (``replay``), each handed over as soon as it is over, the
    runs still open at the end (in the order they began). Only the open runs are held, so the
    order is not the history's: sort by time where it matters. Records of a run that come after
    it was handed over (only a hand-edited file has them) make a run of their own."""
    runs = OpenRuns()
    for record in records:
        view = runs.add(record)
        if view is not None:
            yield view
    yield from runs.views()


def sessions_of(paths: Sequence[Path], notes: ReadNotes) -> Iterator[tuple[Path, SessionView]]:
    """Every run of every file, file after file, with the file it came from."""
    files = tracked(paths, "读取答题记录", len(paths)) if len(paths) > 1 else paths
    for path in files:
        for view in stream_sessions(read_records(path, notes)):
            yield path, view
