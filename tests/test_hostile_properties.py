"""Issue 13.4, bank side: random text, random bytes and mutated real banks thrown at the loader.
Only ``BankError`` ever comes out, and whatever loads is clean."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmquiz.bankcache import cached_bank, store_bank
from cmquiz.bankfile import parse_bank_text
from cmquiz.errors import BankError
from cmquiz.loader import load_bank
from cmquiz.model import Bank
from cmquiz.textclean import clean_text
from cmquiz.textfile import decode

BANKS = sorted((Path(__file__).resolve().parents[1] / "src" / "cmquiz" / "banks").glob("*.yaml"))
SAMPLES = [path.read_bytes() for path in BANKS] + [
    (Path(__file__).parent / "data" / "mini.yaml").read_bytes()
]
YAML_PIECES = [
    "-",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!python/object:os.system ",
    "!x ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "\n",
    "  ",
    "\t",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "<<: ",
    "? ",
    "@",
    "`",
    "\\",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\ud800",
    "题",
    "对",
    "A",
    "9" * 5000,
    "0x",
    "true",
    "null",
    "~",
    ".nan",
    "bank",
    "questions",
    "id",
    "type",
    "options",
    "answer",
    "stem",
    "topic",
    "difficulty",
    "retired",
    "defaults",
    "version",
]

fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_loaded(bank: Bank) -> None:
    assert bank.questions
    for question in bank.questions:
        assert question.id
        for text in (question.stem, question.topic.name, *(t for _, t in question.options)):
            assert text == clean_text(text)  # controls stripped, nothing else


def parse(text: str) -> None:
    problems = []
    try:
        bank = parse_bank_text(text, "f.yaml")
    except BankError as error:
        problems = error.problems
    else:
        check_loaded(bank)
        return
    assert problems
    assert all(p.file == "f.yaml" for p in problems)


def load_bytes(data: bytes) -> Bank | None:
    problems = []
    try:
        return parse_bank_text(decode(data, "f.yaml"), "f.yaml")
    except BankError as error:
        problems = error.problems
    assert problems
    return None


@fast
@given(st.text())
def test_random_text(text: str) -> None:
    parse(text)


@fast
@given(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=60).map("".join))
def test_random_yaml_like_text(text: str) -> None:
    parse(text)
    parse("bank: x\nquestions:\n  - " + text)


@fast
@given(st.binary())
def test_random_bytes(data: bytes) -> None:
    if (bank := load_bytes(data)) is not None:
        check_loaded(bank)


mutation = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "replace", "swap", "flip"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(YAML_PIECES).map(lambda s: s.encode("utf-8", "surrogatepass"))
    | st.binary(max_size=8),
)


def mutate(data: bytes, changes: list[tuple[str, float, float, bytes]]) -> bytes:
    for kind, a, b, piece in changes:
        i, j = sorted((int(a * len(data)), int(b * len(data))))
        j = min(j, i + 200)
        if kind == "delete":
            data = data[:i] + data[j:]
        elif kind == "duplicate":
            data = data[:j] + data[i:j] + data[j:]
        elif kind == "insert":
            data = data[:i] + piece + data[i:]
        elif kind == "replace":
            data = data[:i] + piece + data[i + len(piece) :]
        elif kind == "swap":
            lines = data.split(b"\n")
            k, m = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
            lines[k], lines[m] = lines[m], lines[k]
            data = b"\n".join(lines)
        elif data:
            k = min(i, len(data) - 1)
            data = data[:k] + bytes([data[k] ^ (1 << int(b * 7.99))]) + data[k + 1 :]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_real_banks(sample: bytes, changes: list[tuple[str, float, float, bytes]]) -> None:
    if (bank := load_bytes(mutate(sample, changes))) is not None:
        check_loaded(bank)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.lists(mutation, max_size=2))
def test_mutated_banks_through_files_and_the_cache(
    sample: bytes, changes: list[tuple[str, float, float, bytes]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.yaml"
        path.write_bytes(mutate(sample, changes))
        past = time.time() - 60
        os.utime(path, (past, past))
        try:
            bank = load_bank(path)
        except BankError:
            return
        cache = Path(tmp) / "cache"
        store_bank(bank, cache)
        assert cached_bank(path, cache) == bank
