"""A JSON cache of validated banks, so a start-up with unchanged banks skips YAML entirely.

One cache file per bank (``<cache dir>/banks/<hash of the bank's real path>.json``), three
parts: a header line (the bank's path, size and modification time, title, retired ids, the
length and CRC-32 of the index, the length of the texts), an index line (the questions' ids,
types, knowledge points, difficulties, answers, lines in the bank file and where their texts
are, column by column), then one line per question: the CRC-32 of its JSON, then that JSON
(stem, options, free-text fields).

A load reads the header and the index only, and gives the bank's questions as a ``Catalog``:
the columns drawing looks at, each question built when it is taken, its texts read from the
still-open file when first used (``Question.__getattr__``), each line's CRC checked. So an exam
on a large bank builds and reads only the questions it draws. After ``BULK_AFTER`` such reads
(a search, a lint, an export) the rest of the texts is read in one go. A text line that is
damaged all the same is read again from the bank file itself (when that is unchanged) and the
cache file is removed.

The cache is used only when path, size and mtime still match, it was written by the same
cmquiz version, the file has the length its header gives and the index's CRC matches; anything
unreadable, oversized or of the wrong shape is a miss, and the bank is read and cached again.
Loading one bank reads one cache file, whatever else was ever cached, so a small bank never
gets slower because a big one was loaded once. Files are written whole with the C JSON encoder
and replaced atomically (a reader keeps the file it opened). Only banks that passed validation
are stored. JSON, not pickle: a cache file can never run code.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import stat
import time
import weakref
import zlib
from contextlib import suppress
from pathlib import Path
from typing import Any

from . import __version__
from .answers import JUDGE_FALSE, JUDGE_TRUE
from .cachefiles import replace_file
from .collector import collector_paused
from .errors import CmquizError
from .fields import FREE_TEXT_FIELDS
from .frozen import trusted
from .jsonfast import dumps, loads_written
from .model import DEFERRED_FIELDS, Bank, Catalog, Question
from .qtypes import QuestionType
from .textfile import MAX_FILE_BYTES, open_descriptor, read_at
from .topics import interned_topic

CACHE_SUBDIR = "banks"
CACHE_FORMAT = 5
LEGACY_CACHE_FILE = "banks.json"  # format 2: every bank ever loaded, in one file
MAX_CACHE_BYTES = 8 * MAX_FILE_BYTES
# A file changed less than this long ago may change again within the same timestamp tick on
# coarse file systems, so it is not cached yet (the "racy timestamp" rule git uses).
RACY_SECONDS = 2.0
BULK_AFTER = 256  # texts read one by one before the rest is read at once
# A cache file stays open for reading its texts on demand only when its texts are large and
# few others are open (a folder of many banks must not run out of file descriptors); otherwise
# its texts are read at once, as they are small.
EAGER_TEXTS = 256 * 1024
MAX_OPEN_FILES = 16
_HEADER_CHUNK = 64 * 1024
_CRC_DIGITS = 8  # a text line starts with the CRC-32 of the rest, in hex


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns


def _key(path: Path) -> str:
    return os.path.realpath(path)  # never raises, unlike Path.resolve on a symlink loop


def cache_file(path: Path, cache_dir: Path) -> Path:
    """Where the bank at ``path`` is cached."""
    digest = hashlib.sha256(os.fsencode(_key(path))).hexdigest()[:32]
    return cache_dir / CACHE_SUBDIR / f"{digest}.json"


def cached_bank(path: Path, cache_dir: Path) -> Bank | None:
    """The bank at ``path`` from its cache file, or None when there is no fresh, sound one.
    Each question's text fields are read when first used (``Question.__getattr__``)."""
    stamp = _stamp(path)
    if stamp is None:
        return None
    try:
        file = cache_file(path, cache_dir)
        fd, st = open_descriptor(file, limit=MAX_CACHE_BYTES)
    except Exception:  # no cache file, or not one that can be read
        return None
    texts = _Texts(fd, path, file)  # closes the file when the last question is done with it
    texts.identity = (st.st_dev, st.st_ino)
    size = st.st_size
    try:
        header, index, texts_at = _head(fd, size)
        if not isinstance(header, dict) or (
            header.get("format") != CACHE_FORMAT
            or header.get("version") != __version__
            or header.get("path") != _key(path)
            or header.get("stamp") != list(stamp)
            or header.get("index") != [len(index), zlib.crc32(index)]
            or size != texts_at + header["texts"]
        ):
            texts.close()
            return None
        title = header["title"]
        texts.place(texts_at, header["texts"], stamp)
        if header["texts"] <= EAGER_TEXTS or _Texts.open_files > MAX_OPEN_FILES:
            texts.read_all()
        with collector_paused():  # ten thousand ids and numbers, no cycles among them
            questions = _catalog(loads_written(index), title, texts)
        return Bank(
            title=title,
            description=header["description"],
            path=str(path),
            questions=questions,
            retired=tuple(header["retired"]),
        )
    except Exception:  # a cache of the wrong shape: just a miss
        texts.close()
        return None


def _head(fd: int, size: int) -> tuple[Any, bytes, int]:
    """The decoded header of an open cache file, its index line, and where its texts start."""
    chunk = read_at(fd, min(size, _HEADER_CHUNK), 0)
    while b"\n" not in chunk and len(chunk) < size:  # a header with many retired ids
        more = read_at(fd, min(size - len(chunk), len(chunk)), len(chunk))
        if not more:  # the file shrank since it was opened
            raise ValueError("the file ends inside its header")
        chunk += more
    first = chunk.index(b"\n")
    header = loads_written(chunk[:first])
    length = header["index"][0]
    index = chunk[first + 1 : first + 1 + length]
    if len(index) < length:
        index += read_at(fd, length - len(index), first + 1 + len(index))
    if read_at(fd, 1, first + 1 + length) != b"\n":
        raise ValueError("the index line does not end where the header says")
    return header, index, first + length + 2


class CacheDamagedError(CmquizError):
    """A question's texts could not be read from the cache, nor from an unchanged bank file."""


class _Texts:
    """The text lines of a cached bank, read from its open cache file on demand (one by one,
    then, after ``BULK_AFTER`` reads, all at once). The file is closed when every question
    that may still need it is gone, or once everything is read. When a line is found damaged,
    this and every later question's texts come from the bank file, read once."""

    open_files = 0  # cache files open for reading texts on demand, in this process

    def __init__(self, fd: int, bank_path: Path, cache_path: Path) -> None:
        self.fd = fd
        self.bank_path = bank_path
        self.cache_path = cache_path
        self.identity: tuple[int, int] | None = None  # the cache file's device and inode
        self.start = self.length = self.reads = 0
        self.stamp: tuple[int, int] | None = None
        self.buffer: bytes | None = None
        self.begins: list[int] = []  # each question's first byte, to find it again
        self.ids: list[str] = []
        self.from_bank: dict[str, Question] | None = None  # after a damaged line
        _Texts.open_files += 1
        self._closer = weakref.finalize(self, _close_descriptor, fd)

    def place(self, start: int, length: int, stamp: tuple[int, int]) -> None:
        self.start, self.length, self.stamp = start, length, stamp

    def close(self) -> None:
        self._closer()

    def read_all(self) -> None:
        """Read every text line now and close the file."""
        self.buffer = read_at(self.fd, self.length, self.start)
        self.close()

    def fields(self, begin: int, end: int) -> dict[str, Any]:
        """The text fields of the line ``[begin, end)`` of the texts, its CRC checked."""
        if self.from_bank is not None:
            return self._from_bank(begin)
        if self.buffer is None and self.reads >= BULK_AFTER:
            self.read_all()
        self.reads += 1
        try:
            if self.buffer is not None:
                line = self.buffer[begin:end]
            else:
                line = read_at(self.fd, end - begin, self.start + begin)
            body = line[_CRC_DIGITS:]
            if int(line[:_CRC_DIGITS], 16) != zlib.crc32(body):
                raise ValueError("CRC mismatch")
            stem, options, *free = loads_written(body)
            fields = {
                "stem": stem,
                "options": tuple((k, v) for k, v in options),
                **dict(zip(FREE_TEXT_FIELDS, free, strict=True)),
            }
        except Exception:  # damaged since it was written: the bank file has the truth
            return self._from_bank(begin)
        return fields

    def _from_bank(self, begin: int) -> dict[str, Any]:
        """The texts of the question whose line starts at ``begin``, read from the bank file
        itself (which must be unchanged since the cache was checked). The first time, the
        bank file is read and kept, the cache file closed, and removed unless another process
        has replaced it since, so the next start writes it again."""
        if self.from_bank is None:
            from .loader import load_bank  # only for a damaged cache

            with suppress(OSError):
                st = os.stat(self.cache_path)
                if (st.st_dev, st.st_ino) == self.identity:
                    os.unlink(self.cache_path)
            if _stamp(self.bank_path) != self.stamp:  # its sound lines can still be read
                raise CacheDamagedError(
                    f"题库缓存已损坏,题库文件 {self.bank_path} 也在本次运行中改动过:请重新运行命令"
                )
            self.close()
            self.from_bank = {q.id: q for q in load_bank(self.bank_path).questions}
        question = self.from_bank[self.ids[bisect.bisect_left(self.begins, begin)]]
        return {name: getattr(question, name) for name in DEFERRED_FIELDS}


def _close_descriptor(fd: int) -> None:
    _Texts.open_files -= 1
    os.close(fd)


_TYPES = tuple(QuestionType)  # a type's number in the index


def _catalog(columns: dict[str, Any], bank: str, texts: _Texts) -> Catalog:
    """The questions of the index ``columns`` as a catalog: what drawing looks at is ready,
    a question is built when it is taken, its texts read when first used (``texts``)."""
    read = texts.fields
    ids = columns["id"]
    count = len(ids)
    kinds = list(map(_TYPES.__getitem__, columns["type"]))  # a bad number: a miss
    topic_of = [interned_topic(name, code) for name, code in columns["topics"]]
    topics = list(map(topic_of.__getitem__, columns["topic"]))
    difficulties, answers, lines = columns["difficulty"], columns["answer"], columns["line"]
    begins = columns["begin"]
    if not count == len(difficulties) == len(answers) == len(lines) == len(begins):
        raise ValueError("the columns of the index differ in length")
    ends = [at - 1 for at in begins[1:]]  # a line ends before the next begins, less its "\n"
    ends.append(texts.length - 1)
    texts.begins, texts.ids = begins, ids
    keys: dict[tuple[bool, Any], frozenset[str]] = {}

    def build(i: int) -> Question:
        kind, answer = kinds[i], answers[i]
        judge = kind is QuestionType.JUDGE
        the_keys = keys.get((judge, answer))
        if the_keys is None:
            the_keys = keys[judge, answer] = (
                frozenset({JUDGE_TRUE if answer else JUDGE_FALSE}) if judge else frozenset(answer)
            )
        return trusted(
            Question,
            {
                "id": ids[i],
                "type": kind,
                "topic": topics[i],
                "answer": the_keys,
                "difficulty": difficulties[i],
                "bank": bank,
                "line": lines[i],
                "_deferred": (read, begins[i], ends[i]),
            },
        )

    return Catalog(ids, kinds, topics, [bank] * count, build)


def _index(bank: Bank) -> tuple[dict[str, Any], bytes]:
    """The index columns and the text lines of a bank's cache (the index points into them)."""
    types = {kind: number for number, kind in enumerate(_TYPES)}
    topics: dict[tuple[str, str | None], int] = {}
    columns: dict[str, list[Any]] = {
        name: [] for name in ("id", "type", "topic", "difficulty", "answer", "line", "begin")
    }
    lines = bytearray()  # each line copied in at once: orjson's own buffers are freed at once
    for q in bank.questions:
        text = dumps(
            [q.stem, [list(o) for o in q.options], *(getattr(q, f) for f in FREE_TEXT_FIELDS)]
        )
        judge = q.type is QuestionType.JUDGE
        topic = topics.setdefault((q.topic.name, q.topic.code), len(topics))
        for name, value in (
            ("id", q.id),
            ("type", types[q.type]),
            ("topic", topic),
            ("difficulty", q.difficulty),
            ("answer", JUDGE_TRUE in q.answer if judge else "".join(sorted(q.answer))),
            ("line", q.line),
            ("begin", len(lines)),
        ):
            columns[name].append(value)
        lines += b"%08x" % zlib.crc32(text)
        lines += text
        lines += b"\n"
    return {"topics": [list(t) for t in topics], **columns}, bytes(lines)


def store_bank(bank: Bank, cache_dir: Path) -> None:
    """Record a validated bank; a cache that cannot be written is silently skipped."""
    if not bank.path:
        return
    path = Path(bank.path)
    stamp = _stamp(path)
    if stamp is None or time.time() - stamp[1] / 1e9 < RACY_SECONDS:
        return
    columns, texts = _index(bank)
    index = dumps(columns)
    header: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "path": _key(path),
        "stamp": list(stamp),
        "title": bank.title,
        "description": bank.description,
        "retired": list(bank.retired),
        "index": [len(index), zlib.crc32(index)],
        "texts": len(texts),
    }
    encoded = b"".join([dumps(header), b"\n", index, b"\n", texts])
    if not replace_file(cache_file(path, cache_dir), encoded):
        return
    with suppress(OSError):  # the one-file cache of earlier versions, never read again
        (cache_dir / LEGACY_CACHE_FILE).unlink()
