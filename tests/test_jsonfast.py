"""The history reader decodes lines with orjson when it is installed and reads again with the
standard library whatever orjson refuses or what does not make a valid record: both paths give
the same records and the same warnings, line for line."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz import jsonfast
from cmquiz.history import HistoryStore
from cmquiz.records import AnswerRecord, Mode, PaperItem, StartRecord
from cmquiz.scoring import MultiRule
from cmquiz.topics import Topic

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
ANSWER = AnswerRecord(
    session="s1", mode=Mode.EXAM, ts=T0, qid="q-1", topic=Topic("贷款担保", "17"), type="single",
    given=("B",), correct=True, points=1.0, max_points=1.0, elapsed_ms=5300, index=0,
    rev="abc123def456",
).to_dict()  # fmt: skip
START = StartRecord(
    session="s1", mode=Mode.EXAM, ts=T0, rule=MultiRule.PARTIAL,
    items=(PaperItem("q-1", "abc123def456", 0.5, "single", Topic("贷款担保", "17")),),
).to_dict()  # fmt: skip

# Raw JSON texts where the two parsers differ, or that no record may hold.
EDGE_VALUES = [
    "1e400", "-1e400", "NaN", "Infinity", str(2**63), str(2**64), str(2**64 + 1), "1" * 30,
    "1" * 401, '"\\ud800"', '"\\udc00x"', '"a\\u0000b"', "1.5", "0.1", "-0", "true", "null",
    "[]", "{}", '"2026-11-29T02:00:00"', '"贷款"', "[" * 50 + "]" * 50,
]  # fmt: skip


def line_with(record: dict[str, Any], field: str, raw: str, duplicate: bool) -> str:
    text = json.dumps(record, ensure_ascii=False)
    extra = f', "{field}": {raw}'
    if duplicate:  # the same key twice: both parsers keep the last
        return text[:-1] + extra + "}"
    body = json.dumps({k: v for k, v in record.items() if k != field}, ensure_ascii=False)
    return body[:-1] + extra + "}"


@contextmanager
def decoder(fast: bool) -> Iterator[None]:
    before = jsonfast.FAST
    jsonfast.FAST = fast
    try:
        yield
    finally:
        jsonfast.FAST = before


def test_orjson_is_installed_so_the_fast_path_is_the_one_tested() -> None:
    assert jsonfast.FAST, "orjson is a dependency of cmquiz"


lines = st.one_of(
    st.builds(
        line_with,
        st.sampled_from([ANSWER, START]),
        st.sampled_from(sorted({*ANSWER, *START})),
        st.sampled_from(EDGE_VALUES),
        st.booleans(),
    ),
    st.sampled_from(
        [
            json.dumps(ANSWER),
            json.dumps(START),
            "\ufeff" + json.dumps(ANSWER),
            "{",
            "[1,2]",
            '{"v":2,"kind":"answer"',
            "null",
            '"x"',
            json.dumps(ANSWER)[:-1] + ",}",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines, min_size=1, max_size=8))
def test_both_decoders_give_the_same_records_and_warnings(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder) / "history.jsonl")
        store.path.write_bytes("\n".join(texts).encode("utf-8", "surrogatepass") + b"\n")
        with decoder(True):
            fast = list(store.scan())
        with decoder(False):
            standard = list(store.scan())
    assert fast == standard


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_dumps_writes_what_the_standard_encoder_writes(value: Any) -> None:
    written = jsonfast.dumps(value)
    assert json.loads(written) == value
    assert jsonfast.loads_written(written) == value  # a lone surrogate too (json reads it)
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(value, ensure_ascii=False)):
        assert written == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
