"""Reading one or many answer histories as a stream of runs, for stats over a whole department.

A training department copies its trainees' ``history.jsonl`` files into a folder (or names them
with ``--history``); ``history_files`` finds them. ``read_records`` reads a file line by line
(never the whole file at once) and ``stream_sessions`` groups its records by session and hands
each run over, rebuilt by ``replay.replay``, as soon as it can no longer change: when its end
record says it is over (handed in, timed out, abandoned, or a practice or review run that ended),
else at the end of the file. Only the runs still open are held, so memory does not grow with the
history. ``owner`` says who answered a run: the ``user`` of its start record (``--user``, else the
login name), or for v1 records, which name nobody, the file's name.

Lines are read as ``history.HistoryStore.scan`` reads them: a torn last line or a line that is not
JSON is skipped with a warning, a record this release cannot trust is skipped with a warning
naming the field (``records.record_from_dict``), records of unknown kinds are counted. An answer
record in exactly the form cmquiz writes is built without the per-field reader
(``_fast_answer``): it yields the record ``record_from_dict`` would, and anything else goes
through ``record_from_dict`` (a property test checks the two agree).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import HistoryError, describe_os_error
from .paths import HISTORY_FILE
from .records import (
    AnswerRecord,
    EndRecord,
    Mode,
    Record,
    RecordFormatError,
    StartRecord,
    Status,
    UnknownRecord,
    record_from_dict,
)
from .replay import SessionView, replay
from .topics import Topic

HISTORY_SUFFIXES = (".jsonl",)
_MODES = {m.value: m for m in Mode}
_MAX_INT = 2**63
_MAX_NUMBER = 1e12


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


def _decode(line: str) -> Any:
    return _DECODER.decode(line)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number cmquiz writes")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def read_records(path: Path, notes: ReadNotes) -> Iterator[Record]:
    """The records of one history file, in file order, one line at a time; lines that cannot
    be used go to ``notes``."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; reading is lazy
    except FileNotFoundError:
        return
    except OSError as exc:
        raise HistoryError(f"无法读取答题记录 {path}:{describe_os_error(exc)}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path} 第 {number} 行"
            try:
                data = _decode(raw.decode("utf-8"))
            except (ValueError, RecursionError):
                torn = not raw.endswith(b"\n")
                reason = "不完整(上次写入被中断)" if torn else "不是有效的 JSON"
                notes.warnings.append(f"{where}{reason},已跳过")
                continue
            fast = _fast_answer(data)
            if fast is not None:
                yield fast
                continue
            try:
                record = record_from_dict(data)
            except RecordFormatError as problem:
                notes.warnings.append(f"{where}无法使用({problem}),已跳过")
                continue
            if isinstance(record, UnknownRecord):
                notes.unknown += 1
                continue
            yield record


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value < _MAX_INT


def _number(value: Any) -> bool:
    return (type(value) is float or type(value) is int) and 0 <= value < _MAX_NUMBER


def _fast_answer(data: Any) -> AnswerRecord | None:
    """A v2 answer record written the way cmquiz writes it, built directly; None for anything
    else (``record_from_dict`` then reads it, and says what is wrong with it)."""
    if type(data) is not dict or data.get("kind") != "answer":
        return None
    version: Any = data.get("v")
    if type(version) is not int or version != 2:
        return None
    get = data.get
    session: Any = get("session")
    index: Any = get("index")
    qid: Any = get("qid")
    given: Any = get("given")
    points: Any = get("points")
    max_points: Any = get("max_points")
    correct: Any = get("correct")
    ts: Any = get("ts")
    mode: Any = get("mode")
    qtype: Any = get("type")
    topic: Any = get("topic")
    code: Any = get("topic_code")
    rev: Any = get("rev")
    elapsed: Any = get("elapsed_ms")
    if not (
        type(session) is str
        and _count(index)
        and type(qid) is str
        and type(given) is list
        and all(type(g) is str for g in given)
        and _number(points)
        and _number(max_points)
        and math.isfinite(points)
        and math.isfinite(max_points)
        and type(correct) is bool
        and type(ts) is str
        and type(mode) is str
        and mode in _MODES
        and type(qtype) is str
        and type(topic) is str
        and (code is None or type(code) is str)
        and (rev is None or type(rev) is str)
        and _count(elapsed)
    ):
        return None
    try:
        moment = datetime.fromisoformat(ts)
    except ValueError:
        return None
    return AnswerRecord(
        session=session,
        mode=_MODES[mode],
        ts=moment if moment.tzinfo else moment.replace(tzinfo=UTC),
        qid=qid,
        topic=Topic(topic, code),
        type=qtype,
        given=tuple(given),
        correct=correct,
        points=float(points),
        max_points=float(max_points),
        elapsed_ms=elapsed,
        index=index,
        rev=rev,
        version=2,
    )


def _final(record: EndRecord, mode: Mode | None) -> bool:
    """Nothing more can be recorded for a run after this end record: an exam handed in, timed
    out or abandoned, any practice or review run that ended (only exams are resumed)."""
    if record.status is not Status.INTERRUPTED:
        return True
    return record.version == 1 or (mode is not None and mode is not Mode.EXAM)


def stream_sessions(records: Iterable[Record]) -> Iterator[SessionView]:
    """Runs rebuilt from ``records`` (``replay``), each handed over as soon as it is over, the
    runs still open at the end (in the order they began). Only the open runs are held, so the
    order is not the history's: sort by time where it matters. Records of a run that come after
    it was handed over (only a hand-edited file has them) make a run of their own."""
    open_runs: dict[str, list[Record]] = {}
    modes: dict[str, Mode] = {}
    for record in records:
        sid: str | None = getattr(record, "session", None)
        if sid is None:
            continue  # a record that belongs to no run
        bucket = open_runs.get(sid)
        if bucket is None:
            bucket = open_runs[sid] = []
        bucket.append(record)
        if isinstance(record, StartRecord):
            modes[sid] = record.mode
        elif isinstance(record, AnswerRecord):
            modes.setdefault(sid, record.mode)
        elif isinstance(record, EndRecord) and _final(record, modes.get(sid, record.mode)):
            del open_runs[sid]
            modes.pop(sid, None)
            yield replay(bucket)[sid]
    for sid, bucket in open_runs.items():
        yield replay(bucket)[sid]


def sessions_of(paths: Sequence[Path], notes: ReadNotes) -> Iterator[tuple[Path, SessionView]]:
    """Every run of every file, file after file, with the file it came from."""
    for path in paths:
        for view in stream_sessions(read_records(path, notes)):
            yield path, view
