"""A JSON cache of validated banks, so a start-up with unchanged banks skips YAML entirely.

One cache file per bank (``<cache dir>/banks/<hash of the bank's real path>.json``), three
parts: a header line (the bank's path, size and modification time, title, retired ids, and a
CRC-32 of the texts), an index line (per question: id, type, knowledge point, difficulty,
answer, line in the bank file, and where its texts are), then one JSON line per question with
its stem, options and free-text fields. A load decodes the header and the index and builds
every question from its index row; a question's texts are decoded when first used
(``Question.__getattr__``), so an exam on a large bank builds in full only the questions it
shows. The cache is used only when path, size and mtime still match, it was written by the same
cmquiz version and the texts' CRC matches; anything unreadable, oversized or of the wrong shape
is a miss, and the bank is read and cached again. Loading one bank reads one cache file once,
whatever else was ever cached, so a small bank never gets slower because a big one was loaded
once. Files are written whole with the C JSON encoder and replaced atomically. Only banks that
passed validation are stored. JSON, not pickle: a cache file can never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
import zlib
from contextlib import suppress
from pathlib import Path
from typing import Any

from . import __version__
from .answers import JUDGE_FALSE, JUDGE_TRUE
from .cachefiles import replace_file
from .collector import collector_paused
from .fields import FREE_TEXT_FIELDS
from .frozen import trusted
from .jsonfast import dumps, loads_written
from .model import Bank, Question
from .qtypes import QuestionType
from .textfile import MAX_FILE_BYTES, read_bytes
from .topics import interned_topic

CACHE_SUBDIR = "banks"
CACHE_FORMAT = 4
LEGACY_CACHE_FILE = "banks.json"  # format 2: every bank ever loaded, in one file
MAX_CACHE_BYTES = 8 * MAX_FILE_BYTES
# A file changed less than this long ago may change again within the same timestamp tick on
# coarse file systems, so it is not cached yet (the "racy timestamp" rule git uses).
RACY_SECONDS = 2.0


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
    Each question's text fields are decoded when first used (``Question.__getattr__``)."""
    stamp = _stamp(path)
    if stamp is None:
        return None
    try:
        blob = read_bytes(cache_file(path, cache_dir), limit=MAX_CACHE_BYTES)
        first = blob.index(b"\n")
        second = blob.index(b"\n", first + 1)
        header = json.loads(blob[:first])
        if not isinstance(header, dict) or (
            header.get("format") != CACHE_FORMAT
            or header.get("version") != __version__
            or header.get("path") != _key(path)
            or header.get("stamp") != list(stamp)
            or header.get("crc") != zlib.crc32(memoryview(blob)[second + 1 :])
        ):
            return None
        title = header["title"]
        with collector_paused():  # ten thousand small objects, no cycles among them
            questions = _questions(
                loads_written(blob[first + 1 : second]), title, _Texts(blob, second + 1)
            )
        return Bank(
            title=title,
            description=header["description"],
            path=str(path),
            questions=questions,
            retired=tuple(header["retired"]),
        )
    except Exception:  # no cache, or one of the wrong shape: just a miss
        return None


class _Texts:
    """The text fields of a cached bank's questions, one JSON line each, decoded on demand."""

    __slots__ = ("blob", "start")

    def __init__(self, blob: bytes, start: int) -> None:
        self.blob = blob
        self.start = start

    def fields(self, begin: int, end: int) -> dict[str, Any]:
        stem, options, *free = loads_written(self.blob[self.start + begin : self.start + end])
        return {
            "stem": stem,
            "options": tuple((k, v) for k, v in options),
            **dict(zip(FREE_TEXT_FIELDS, free, strict=True)),
        }


_TYPES = {t.value: t for t in QuestionType}


def _questions(rows: list[list[Any]], bank: str, texts: _Texts) -> tuple[Question, ...]:
    """The questions of the index ``rows``, their texts left to ``texts`` (read on first use).
    One loop, topics and answer keys shared: a warm start builds every question of a bank."""
    read = texts.fields
    topics: dict[tuple[str, str | None], Any] = {}
    keys: dict[tuple[bool, Any], frozenset[str]] = {}
    questions = []
    for qid, qtype, topic, code, difficulty, answer, line, begin, end in rows:
        kind = _TYPES[qtype]
        judge = kind is QuestionType.JUDGE
        the_topic = topics.get((topic, code))
        if the_topic is None:
            the_topic = topics[topic, code] = interned_topic(topic, code)
        the_keys = keys.get((judge, answer))
        if the_keys is None:
            the_keys = keys[judge, answer] = (
                frozenset({JUDGE_TRUE if answer else JUDGE_FALSE}) if judge else frozenset(answer)
            )
        questions.append(
            trusted(
                Question,
                {
                    "id": qid,
                    "type": kind,
                    "topic": the_topic,
                    "answer": the_keys,
                    "difficulty": difficulty,
                    "bank": bank,
                    "line": line,
                    "_deferred": (read, begin, end),
                },
            )
        )
    return tuple(questions)


def _rows(bank: Bank) -> tuple[list[list[Any]], bytes]:
    """The index rows and the text lines of a bank's cache (the rows point into the lines)."""
    rows: list[list[Any]] = []
    lines = bytearray()  # each line copied in at once: orjson's own buffers are freed at once
    for q in bank.questions:
        text = dumps(
            [q.stem, [list(o) for o in q.options], *(getattr(q, f) for f in FREE_TEXT_FIELDS)]
        )
        judge = q.type is QuestionType.JUDGE
        answer: Any = JUDGE_TRUE in q.answer if judge else "".join(sorted(q.answer))
        at = len(lines)
        rows.append(
            [q.id, q.type.value, q.topic.name, q.topic.code, q.difficulty, answer, q.line, at,
             at + len(text)]
        )  # fmt: skip
        lines += text
        lines += b"\n"
    return rows, bytes(lines)


def store_bank(bank: Bank, cache_dir: Path) -> None:
    """Record a validated bank; a cache that cannot be written is silently skipped."""
    if not bank.path:
        return
    path = Path(bank.path)
    stamp = _stamp(path)
    if stamp is None or time.time() - stamp[1] / 1e9 < RACY_SECONDS:
        return
    rows, texts = _rows(bank)
    header: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "path": _key(path),
        "stamp": list(stamp),
        "title": bank.title,
        "description": bank.description,
        "retired": list(bank.retired),
        "crc": zlib.crc32(texts),
    }
    encoded = b"".join([dumps(header), b"\n", dumps(rows), b"\n", texts])
    if not replace_file(cache_file(path, cache_dir), encoded):
        return
    with suppress(OSError):  # the one-file cache of earlier versions, never read again
        (cache_dir / LEGACY_CACHE_FILE).unlink()
