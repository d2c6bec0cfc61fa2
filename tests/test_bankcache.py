from __future__ import annotations

import gc
import json
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from cmquiz import bankcache, loader
from cmquiz.errors import BankError
from cmquiz.loader import load_library
from cmquiz.model import Library

BANK = "bank: 缓存题库\nquestions:\n  - {id: c1, type: judge, topic: t, stem: 题干一, answer: 对}\n"


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look older than the racy-timestamp window."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def bank_and_cache_file(write_bank: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """An aged bank, its cache folder, and where its cache file goes (its folder made)."""
    path = write_bank(BANK)
    age(path)
    cache = tmp_path / "cache"
    file = bankcache.cache_file(path, cache)
    file.parent.mkdir(parents=True)
    return path, cache, file


def refuse_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: object) -> None:
        raise AssertionError(f"{path} was parsed although the cache is fresh")

    monkeypatch.setattr(loader, "load_bank", fail)


def test_second_load_comes_from_the_cache(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bank(BANK)
    age(path)
    cache = tmp_path / "cache"
    first = load_library([path], cache_dir=cache)
    assert bankcache.cache_file(path, cache).exists()
    refuse_yaml(monkeypatch)
    second = load_library([path], cache_dir=cache)
    assert second == first
    assert second.questions[0].bank == "缓存题库"


def test_a_changed_file_is_read_again(write_bank: Callable[..., Path], tmp_path: Path) -> None:
    path = write_bank(BANK)
    age(path, 120)
    cache = tmp_path / "cache"
    load_library([path], cache_dir=cache)
    path.write_text(BANK.replace("题干一", "题干二"), encoding="utf-8")
    age(path, 60)
    assert load_library([path], cache_dir=cache).questions[0].stem == "题干二"


def test_a_file_changed_just_now_is_not_cached(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_bank(BANK)  # mtime is now: it could change again within the same tick
    cache = tmp_path / "cache"
    load_library([path], cache_dir=cache)
    assert bankcache.cached_bank(path, cache) is None
    assert not bankcache.cache_file(path, cache).exists()


def test_broken_or_foreign_cache_files_are_ignored(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, cache, file = bank_and_cache_file(write_bank, tmp_path)
    file.write_text("{not json", encoding="utf-8")
    assert load_library([path], cache_dir=cache).questions[0].id == "c1"
    good = file.read_bytes()
    header, rest = good.split(b"\n", 1)
    for change in (
        {"version": "0.0.0-other"},
        {"format": 3},
        {"path": "/somewhere/else.yaml"},
        {"stamp": [1, 2]},
        {"index": [12, 345]},
        {"texts": 1},
    ):
        data = {**json.loads(header), **change}
        file.write_bytes(json.dumps(data).encode() + b"\n" + rest)
        assert bankcache.cached_bank(path, cache) is None, change
    file.write_bytes(good)
    assert bankcache.cached_bank(path, cache) is not None
    for junk in (b"[]", b"null", b"\xff\xfe", b"[" * 100_000, b'{"format": 4}', good[:-3]):
        file.write_bytes(junk)
        assert bankcache.cached_bank(path, cache) is None, junk[:10]


def test_invalid_banks_are_never_cached(write_bank: Callable[..., Path], tmp_path: Path) -> None:
    path = write_bank("bank: x\nquestions: []\n")
    age(path)
    cache = tmp_path / "cache"
    with pytest.raises(BankError):
        load_library([path], cache_dir=cache)
    assert not (cache / bankcache.CACHE_SUBDIR).exists()


def test_repeated_ids_across_cached_banks_are_still_reported(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    one = write_bank(BANK, "one.yaml")
    two = write_bank(BANK.replace("缓存题库", "另一个"), "two.yaml")
    age(one)
    age(two)
    cache = tmp_path / "cache"
    load_library([one], cache_dir=cache)
    load_library([two], cache_dir=cache)
    with pytest.raises(BankError, match="1 处错误"):
        load_library([one, two], cache_dir=cache)


def test_a_cache_of_the_wrong_shape_is_a_miss(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_bank(
        BANK.replace("type: judge", "type: single, options: [a, b]").replace(
            "answer: 对", "answer: A"
        )
    )
    age(path)
    cache = tmp_path / "cache"
    load_library([path], cache_dir=cache)
    file = bankcache.cache_file(path, cache)
    good = file.read_bytes()
    header, index, texts = good.split(b"\n", 2)
    for column, wrong in (("line", []), ("type", [7]), ("topic", ["t"]), ("begin", None)):
        columns = {**json.loads(index), column: wrong}  # a column too short, of the wrong kind
        encoded = json.dumps(columns).encode()
        fixed = {**json.loads(header), "index": [len(encoded), zlib.crc32(encoded)]}
        file.write_bytes(b"\n".join([json.dumps(fixed).encode(), encoded, texts]))
        assert bankcache.cached_bank(path, cache) is None, column
    assert load_library([path], cache_dir=cache).questions[0].options == (("A", "a"), ("B", "b"))


def test_one_cache_file_per_bank_and_only_its_own_is_read(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, one banks.json held every bank ever loaded and was read (twice) on every start:
    a small bank took 0.54 s and 375 MB after a big one had been cached once."""
    small = write_bank(BANK, "small.yaml")
    big = write_bank(
        "bank: 大题库\nquestions:\n"
        + "".join(
            f"  - {{id: b{i}, type: judge, topic: t, stem: {'长题干' * 200}{i}, answer: 对}}\n"
            for i in range(300)
        ),
        "big.yaml",
    )
    age(small)
    age(big)
    cache = tmp_path / "cache"
    load_library([small], cache_dir=cache)
    read: list[int] = []
    real = bankcache.read_at

    def counting(fd: int, size: int, offset: int) -> bytes:
        data = real(fd, size, offset)
        read.append(len(data))
        return data

    monkeypatch.setattr(bankcache, "read_at", counting)
    load_library([small], cache_dir=cache)
    alone = sum(read)
    monkeypatch.undo()
    load_library([big], cache_dir=cache)
    assert len(list((cache / bankcache.CACHE_SUBDIR).iterdir())) == 2
    assert bankcache.cache_file(big, cache).stat().st_size > 100 * alone
    monkeypatch.setattr(bankcache, "read_at", counting)
    read.clear()
    refuse_yaml(monkeypatch)
    assert load_library([small], cache_dir=cache).questions[0].id == "c1"
    assert sum(read) == alone  # one file, the same bytes as before the big bank


@pytest.fixture
def lazy_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts read on demand however small the bank (only large banks' are, by default)."""
    monkeypatch.setattr(bankcache, "EAGER_TEXTS", 0)


def big_bank(write_bank: Callable[..., Path], count: int) -> Path:
    path = write_bank(
        "bank: 大题库\nquestions:\n"
        + "".join(
            f"  - {{id: b{i}, type: judge, topic: t{i % 7}, stem: 题干{i}, answer: 对,"
            f" explanation: 解析{i}}}\n"
            for i in range(count)
        ),
    )
    age(path)
    return path


@pytest.mark.usefixtures("lazy_texts")
def test_a_warm_load_reads_the_index_and_only_the_texts_it_shows(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, cache, file, parsed = cached_big_bank(write_bank, tmp_path, 2000)
    size = file.stat().st_size
    read: list[int] = []
    real = bankcache.read_at
    monkeypatch.setattr(
        bankcache, "read_at", lambda fd, n, at: read.append(len(data := real(fd, n, at))) or data
    )
    cached = load_library([path], cache_dir=cache)
    assert sum(read) < size / 2  # the header and the index, hardly any text
    read.clear()
    assert cached.questions[5].stem == "题干5"
    assert cached.questions[1999].explanation == "解析1999"
    assert len(read) == 2  # one small read for each
    read.clear()
    assert [q.stem for q in cached.questions] == [q.stem for q in parsed.questions]
    # BULK_AFTER single reads in all (two of them above), then every text at once
    assert len(read) == bankcache.BULK_AFTER - 2 + 1
    assert read[-1] > 100 * max(read[:-1])
    assert cached == parsed


def cached_big_bank(
    write_bank: Callable[..., Path], tmp_path: Path, count: int = 20
) -> tuple[Path, Path, Path, Library]:
    """A bank of ``count`` questions loaded once (so cached): its path, the cache folder, its
    cache file and the library parsed from it."""
    path = big_bank(write_bank, count)
    cache = tmp_path / "cache"
    parsed = load_library([path], cache_dir=cache)
    return path, cache, bankcache.cache_file(path, cache), parsed


def flip_text_byte(file: Path, text: str) -> None:
    """Change the last character of ``text`` (found in the texts only) in the cache file."""
    data = bytearray(file.read_bytes())
    marker = f'"{text}"'.encode()
    at = data.index(marker) + len(marker) - 2
    data[at] ^= 0x01  # "7" becomes "6": the line's CRC no longer matches
    file.write_bytes(bytes(data))


def damaged_cache(
    write_bank: Callable[..., Path], tmp_path: Path, *texts: str
) -> tuple[Path, Path, Path, Library, Library]:
    """A cached bank whose cache file then had the lines holding ``texts`` damaged, loaded
    again: its path, cache folder, cache file, the parsed library and the cached one."""
    path, cache, file, parsed = cached_big_bank(write_bank, tmp_path, 30)
    for text in texts:
        flip_text_byte(file, text)
    cached = load_library([path], cache_dir=cache)  # the header and index are sound
    return path, cache, file, parsed, cached


@pytest.mark.usefixtures("lazy_texts")
def test_a_damaged_text_line_is_read_from_the_unchanged_bank(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, cache, file, parsed, cached = damaged_cache(write_bank, tmp_path, "解析7")
    assert cached.questions[7].explanation == parsed.questions[7].explanation == "解析7"
    assert cached.questions[7].stem == "题干7"
    assert not file.exists()  # removed: the next start writes it again
    assert cached == parsed
    load_library([path], cache_dir=cache)
    assert file.exists()


@pytest.mark.usefixtures("lazy_texts")
def test_a_damaged_text_line_of_a_bank_changed_since_is_an_error(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, _, _, _, cached = damaged_cache(write_bank, tmp_path, "题干3")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(bankcache.CacheDamagedError, match="题库缓存已损坏") as caught:
        _ = cached.questions[3].stem
    assert str(path) in caught.value.message
    assert cached.questions[4].stem == "题干4"  # the other lines are still sound


def test_a_truncated_or_extended_cache_file_is_a_miss(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, cache, file, _ = cached_big_bank(write_bank, tmp_path)
    good = file.read_bytes()
    for wrong in (good[:-1], good + b"x", good[: len(good) // 2]):
        file.write_bytes(wrong)
        assert bankcache.cached_bank(path, cache) is None
    file.write_bytes(good)
    assert bankcache.cached_bank(path, cache) is not None


def open_files() -> int:
    """Files this process has open, once garbage left by other tests is collected (so that a
    collection in the middle of a test does not close one of theirs)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc/self/fd here to count open files")
    gc.collect()
    return len(list(fds.iterdir()))


@pytest.mark.usefixtures("lazy_texts")
def test_the_cache_file_is_closed_with_its_last_question(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, cache, file, _ = cached_big_bank(write_bank, tmp_path, 5)
    before = open_files()
    bank = bankcache.cached_bank(path, cache)
    assert bank is not None
    assert open_files() == before + 1
    del bank
    assert open_files() == before
    for _ in range(3):  # a miss closes what it opened
        file.write_bytes(file.read_bytes() + b"x")
        assert bankcache.cached_bank(path, cache) is None
        assert open_files() == before


def test_small_banks_are_read_whole_and_few_files_stay_open(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of many banks must not run out of file descriptors: a small bank's texts are
    read at load (its file closed at once), and at most MAX_OPEN_FILES stay open."""
    banks = [
        write_bank(BANK.replace("c1", f"c{i}").replace("缓存题库", f"题库{i}"), f"b{i}.yaml")
        for i in range(12)
    ]
    for bank in banks:
        age(bank)
    cache = tmp_path / "cache"
    parsed = load_library(banks, cache_dir=cache)
    before = open_files()
    cached = load_library(banks, cache_dir=cache)
    assert cached.parsed == ()
    assert open_files() == before  # every bank small: read whole, nothing left open
    monkeypatch.setattr(bankcache, "EAGER_TEXTS", 0)
    # (files other tests' banks still hold count too)
    monkeypatch.setattr(bankcache, "MAX_OPEN_FILES", bankcache._Texts.open_files + 4)
    lazy = load_library(banks, cache_dir=cache)
    assert open_files() == before + 4  # then the rest read whole
    assert lazy == cached == parsed
    del lazy
    assert open_files() == before


@pytest.mark.usefixtures("lazy_texts")
def test_damaged_lines_read_the_bank_file_once(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _, _, parsed, cached = damaged_cache(write_bank, tmp_path, "题干3", "题干11", "题干20")
    reads: list[Path] = []
    real = loader.load_bank
    monkeypatch.setattr(loader, "load_bank", lambda p: reads.append(p) or real(p))
    assert [q.stem for q in cached.questions] == [q.stem for q in parsed.questions]
    assert reads == [path]  # read once, for the first damaged line; the rest from it


def test_a_cache_replaced_by_another_process_is_not_removed(
    write_bank: Callable[..., Path], tmp_path: Path, lazy_texts: None
) -> None:
    _, _, file, _, cached = damaged_cache(write_bank, tmp_path, "题干3")
    fresh = file.with_suffix(".new")
    fresh.write_bytes(b"another process's cache")
    os.replace(fresh, file)  # what replace_file does in another process
    assert cached.questions[3].stem == "题干3"  # from the bank file
    assert file.read_bytes() == b"another process's cache"


def test_a_cache_file_that_shrinks_while_its_header_is_read_is_a_miss(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header longer than the first read (many retired ids), and the file cut short by
    another program just after it was opened: a miss, not a wait for bytes that never come."""
    retired = "".join(f"  - old{i:05d}\n" for i in range(8000))
    path = write_bank(BANK.replace("questions:", f"retired:\n{retired}questions:"))
    age(path)
    cache = tmp_path / "cache"
    load_library([path], cache_dir=cache)
    file = bankcache.cache_file(path, cache)
    assert file.read_bytes().index(b"\n") > 70_000  # past the first read of 64 KiB
    real = bankcache.open_descriptor

    def shrinking(target: Path, *, limit: int) -> tuple[int, os.stat_result]:
        opened = real(target, limit=limit)
        os.truncate(target, 70_000)
        return opened

    monkeypatch.setattr(bankcache, "open_descriptor", shrinking)
    assert bankcache.cached_bank(path, cache) is None


def test_a_fresh_bank_is_cached_even_when_another_fails(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_bank(BANK, "good.yaml")
    bad = write_bank("bank: x\n", "bad.yaml")
    age(good)
    age(bad)
    cache = tmp_path / "cache"
    with pytest.raises(BankError):
        load_library([good, bad], cache_dir=cache)
    assert bankcache.cached_bank(good, cache) is not None


def test_the_old_single_cache_file_is_removed(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_bank(BANK)
    age(path)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / bankcache.LEGACY_CACHE_FILE).write_text('{"format": 2, "banks": {}}', "utf-8")
    load_library([path], cache_dir=cache)
    assert not (cache / bankcache.LEGACY_CACHE_FILE).exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_in_place_of_a_cache_file_is_a_miss(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path, cache, file = bank_and_cache_file(write_bank, tmp_path)
    os.mkfifo(file)
    assert bankcache.cached_bank(path, cache) is None
    assert load_library([path], cache_dir=cache).questions[0].id == "c1"


def test_cache_files_are_written_with_the_c_encoder(
    write_bank: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bank(BANK)
    age(path)

    def slow(*args: object, **kwargs: object) -> None:
        raise AssertionError("json.dump encodes in Python, chunk by chunk")

    monkeypatch.setattr(json, "dump", slow)
    load_library([path], cache_dir=tmp_path / "cache")
    assert bankcache.cached_bank(path, tmp_path / "cache") is not None


def test_texts_are_decoded_only_when_used_and_equal_the_parsed_bank(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    text = BANK + (
        "  - {id: c2, type: multiple, topic: t2, topic_code: '7', difficulty: 3, stem: 题干二,\n"
        "     options: {A: 甲, B: 乙, C: 丙}, answer: AC, explanation: 解析, source: 出处}\n"
    )
    path = write_bank(text)
    age(path)
    cache = tmp_path / "cache"
    parsed = load_library([path], cache_dir=cache)
    cached = load_library([path], cache_dir=cache)
    one, two = cached.questions
    assert "_deferred" in vars(one)
    assert "_deferred" in vars(two)
    assert "stem" not in vars(two)
    assert two.type.value == "multiple"
    assert two.topic.label == "7 t2"
    assert two.answer == frozenset("AC")
    assert "_deferred" in vars(two)  # the index fields do not decode the texts
    assert two.options == (("A", "甲"), ("B", "乙"), ("C", "丙"))
    assert "_deferred" not in vars(two)
    assert two.explanation == "解析"
    assert two.evidence is None
    assert cached == parsed  # field by field, texts included
    assert [hash(q) for q in cached.questions] == [hash(q) for q in parsed.questions]
    assert [q.rev for q in cached.questions] == [q.rev for q in parsed.questions]
    assert [q.line for q in cached.questions] == [q.line for q in parsed.questions]
    with pytest.raises(AttributeError):
        _ = one.no_such_field  # type: ignore[attr-defined]


def test_without_libyaml_banks_still_load_and_the_user_is_told_once(tmp_path: Path) -> None:
    """A PyYAML built without libyaml (no C loader): the pure-Python loader reads the banks,
    with a one-line warning when a bank is parsed; a second run reads the cache, silently."""
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['yaml._yaml'] = None\n"  # as if libyaml were not there
        "import yaml; assert not hasattr(yaml, 'CSafeLoader')\n"
        "from cmquiz.cli import main; main()\n"
    )
    env = {**os.environ, "CMQUIZ_HOME": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "100"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, "topics"], env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "贷款担保" in run.stdout
    assert runs[0].stderr.count("PyYAML 没有 libyaml") == 1
    assert "libyaml" not in runs[1].stderr
