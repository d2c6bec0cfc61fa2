"""Properties of every reader, for any input (hypothesis):

- every record is accounted for: imported + skipped + duplicates == the records the reader found;
- random text, random bytes and mutated real files give a result or one of cmquiz's own errors,
  never another exception.
"""

from __future__ import annotations

import contextlib
import io
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmquiz.bankfile import parse_bank_text
from cmquiz.errors import CmquizError
from cmquiz.importers.convert import assemble, import_file, normalize_newlines
from cmquiz.importers.formats import BY_KEY, FORMATS

DATA = Path(__file__).parent / "data" / "import"
TEXT_FORMATS = [f.key for f in FORMATS if f.reads and not f.binary]

PIECES = [
    "一、单选题\n",
    "三、判断题\n",
    "练习二\n",
    "1. 题干( )\n",
    "2、题干（B）\n",
    "1. 重复的题\n",
    "A. 甲 B. 乙\n",
    "C. 丙\n",
    "答案：B\n",
    "答案 A\n",
    "B\n",
    "【答案】\n",
    "参考答案\n",
    "1-3 ABC\n",
    "1.B 2.C\n",
    "题号 1 2\n答案 A B\n",
    "解析：因为\n",
    "(√)\n",
    "题目类型:单选题干:甲\n",
    "备选项:A、一B、二正确答案:A\n",
    "题目涉及知识点17担保\n",
    "::t::题{=甲 ~乙}\n\n",
    "{T}\n\n",
    "// [id:x] [tag:y]\n",
    "$CATEGORY: a/b\n",
    "ANSWER: A\n",
    "题干,A,B,答案\n",
    '"甲,乙",一,二,A\n',
    "#separator:tab\n",
    "#html:true\n",
    "前\t后\t标签\n",
    '"',
    "\t",
    ",",
    "\n",
    " ",
    "\u3000",
    "(",
    "{",
    "#",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40).map("".join)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(TEXT_FORMATS), st.booleans())
def test_every_record_is_accounted_for(text: str, fmt: str, keep: bool) -> None:
    try:
        parsed = BY_KEY[fmt].read(normalize_newlines(text))
    except CmquizError:
        return  # the format refuses this text as a whole (a CSV without a header)
    result = assemble(parsed, "x.txt", fmt, keep_duplicates=keep)
    imported = len(result.bank.questions)
    assert imported + len(result.skips) + result.dropped_duplicates == result.records
    assert result.records == len(parsed.drafts) + len(parsed.skips)
    if imported:
        assert parse_bank_text(result.yaml_text(), "x.yaml").questions == result.bank.questions


def _docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    table = doc.add_table(rows=2, cols=3)
    for c, (head, value) in enumerate([("题干", "表中题"), ("A", "甲"), ("答案", "A")]):
        table.cell(0, c).text = head
        table.cell(1, c).text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["题干", "A", "B", "答案"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


clean_text = st.sampled_from([p.strip() for p in PIECES[:18]]) | st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20
)


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(clean_text, max_size=12), st.lists(st.lists(clean_text, max_size=4), max_size=6))
def test_every_record_is_accounted_for_in_word_and_excel(
    paragraphs: list[str], rows: list[list[str]]
) -> None:
    for key, data in (("docx", _docx(paragraphs)), ("xlsx", _xlsx(rows))):
        parsed = BY_KEY[key].read_bytes(data)
        result = assemble(parsed, f"x.{key}", key)
        total = len(result.bank.questions) + len(result.skips) + result.dropped_duplicates
        assert total == result.records


@cache
def real_files() -> dict[str, bytes]:
    """Every fixture, plus a Word and an Excel bank, as bytes to mutate."""
    files = {p.name: p.read_bytes() for p in sorted(DATA.iterdir()) if p.is_file()}
    files["bank.docx"] = _docx(["1. 题( )", "A. 甲 B. 乙", "答案:A", "参考答案", "1-1 A"])
    files["bank.xlsx"] = _xlsx([["题", "甲", "乙", "A"]])
    return files


def _try(path: Path, fmt: str) -> None:
    with contextlib.suppress(CmquizError):  # a message is fine; any other exception fails
        import_file(path, fmt=fmt)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["auto", *TEXT_FORMATS, "docx", "xlsx"]))
def test_random_bytes_give_a_result_or_a_cmquiz_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, fmt: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.txt"
    path.write_bytes(data)
    _try(path, fmt)


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(real_files())),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    st.sampled_from(["flip", "cut", "insert"]),
    st.sampled_from(["auto", "same"]),
)
def test_mutated_real_files_give_a_result_or_a_cmquiz_error(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    edits: list[tuple[int, int]],
    how: str,
    fmt: str,
) -> None:
    data = bytearray(real_files()[name])
    for position, value in edits:
        at = position % max(len(data), 1)
        if how == "flip" and data:
            data[at] = value
        elif how == "cut":
            del data[at:]
        else:
            data[at:at] = bytes([value])
    path = tmp_path_factory.mktemp("mutated") / name
    path.write_bytes(bytes(data))
    forced = {"docx": "docx", "xlsx": "xlsx", "gift": "gift", "csv": "csv", "tsv": "csv"}
    _try(path, forced.get(name.rsplit(".", 1)[-1], "auto") if fmt == "same" else "auto")
