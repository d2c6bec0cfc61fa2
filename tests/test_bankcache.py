from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cmquiz import bankcache, loader
from cmquiz.errors import BankError
from cmquiz.loader import load_library

BANK = "bank: 缓存题库\nquestions:\n  - {id: c1, type: judge, topic: t, stem: 题干一, answer: 对}\n"


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look older than the racy-timestamp window."""
    past = time.time() - seconds
    os.utime(path, (past, past))


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
    assert (cache / bankcache.CACHE_FILE).exists()
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
    assert bankcache.cached_banks([path], cache) is None


def test_broken_or_foreign_cache_files_are_ignored(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_bank(BANK)
    age(path)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / bankcache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert load_library([path], cache_dir=cache).questions[0].id == "c1"
    data = json.loads((cache / bankcache.CACHE_FILE).read_text(encoding="utf-8"))
    data["version"] = "0.0.0-other"
    (cache / bankcache.CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert bankcache.cached_banks([path], cache) is None


def test_invalid_banks_are_never_cached(write_bank: Callable[..., Path], tmp_path: Path) -> None:
    path = write_bank("bank: x\nquestions: []\n")
    age(path)
    cache = tmp_path / "cache"
    with pytest.raises(BankError):
        load_library([path], cache_dir=cache)
    assert not (cache / bankcache.CACHE_FILE).exists()


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
    data = json.loads((cache / bankcache.CACHE_FILE).read_text(encoding="utf-8"))
    for entry in data["banks"].values():
        entry["questions"][0]["options"] = ["a", "b"]  # a list where a mapping belongs
    (cache / bankcache.CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert bankcache.cached_banks([path], cache) is None
    assert load_library([path], cache_dir=cache).questions[0].options == (("A", "a"), ("B", "b"))
