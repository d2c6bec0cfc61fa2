"""Issue 15.3, bank side: a number longer than Python converts (4,300 digits) in any field of a bank
is a clear problem or plain text, never a crash."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmquiz.errors import BankError
from cmquiz.loader import load_bank
from cmquiz.yamlnodes import HUGE_INT, MAX_INT_DIGITS, safe_int

LIMIT = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
BIG = "9" * (LIMIT + 700)
SPELLINGS = {
    "decimal": BIG,
    "negative": "-" + BIG,
    "plus": "+" + BIG,
    "underscored": "1_" + "_".join(BIG[:3000]),
    "leading zeros": "0" * (LIMIT + 1) + "7",
    "hex": "0x" + "f" * (LIMIT + 1),
    "octal": "0" + "7" * (LIMIT + 1),  # YAML 1.1 octal
    "binary": "0b" + "1" * (LIMIT * 4),
}

QUESTION = {
    "id": "q1",
    "type": "single",
    "topic": "t",
    "topic_code": "1",
    "difficulty": "2",
    "stem": "s",
    "options": "{A: a, B: b}",
    "answer": "A",
}


def bank_with(tmp_path: Path, top: str = "", **fields: str) -> Path:
    question = {**QUESTION, **fields}
    body = "\n".join(f"    {k}: {v}" for k, v in question.items() if v)
    path = tmp_path / "big.yaml"
    path.write_text(f"{top}bank: 题库\nquestions:\n  -\n{body}\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(path)
    shown = [str(p) for p in info.value.problems]
    assert all(len(line) < 300 for line in shown), "a huge number is quoted whole"
    return shown


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("difficulty", "超出范围"),
        ("id", "id 应为文本"),
        ("answer", "不是选项字母"),
        ("type", "未知题型"),
    ],
)
def test_a_huge_number_in_a_field_is_a_problem(
    tmp_path: Path, spelling: str, field: str, expected: str
) -> None:
    value = SPELLINGS[spelling]
    (message,) = problems(bank_with(tmp_path, **{field: value}))
    assert field in message
    if spelling == "leading zeros" and field == "difficulty":
        expected = "难度 7 超出范围"
    assert expected in message


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_huge_numbers_where_text_is_expected_are_text(tmp_path: Path, spelling: str) -> None:
    value = SPELLINGS[spelling]
    path = bank_with(tmp_path, topic=value, topic_code=value, stem=value, explanation=value)
    question = load_bank(path).questions[0]
    assert question.topic.name == value
    assert question.topic.code == value
    assert question.stem == value


def test_huge_numbers_in_options(tmp_path: Path) -> None:
    path = bank_with(tmp_path, options=f"[{BIG}, -{BIG}]")
    assert load_bank(path).questions[0].options == (("A", BIG), ("B", "-" + BIG))
    path.write_text(
        "bank: 题库\nquestions:\n  - id: q1\n    type: single\n    topic: t\n    stem: s\n"
        f"    answer: A\n    options:\n      ? {BIG}\n      : a\n      B: b\n",
        encoding="utf-8",
    )
    first, second = problems(path)
    assert "选项应依次为 A、B,现为 999" in first
    assert "键 999" in second


def test_huge_numbers_in_lists_and_top_level_fields(tmp_path: Path) -> None:
    (message,) = problems(bank_with(tmp_path, answer=f"[{BIG}]"))
    assert "不是选项字母" in message
    (message,) = problems(bank_with(tmp_path, top=f"version: {BIG}\n"))
    assert "不支持的题库格式版本" in message
    path = bank_with(tmp_path, top=f"retired: [{BIG}]\n")
    assert load_bank(path).retired == (BIG,)
    path = bank_with(tmp_path, top=f"defaults: {{difficulty: {BIG}}}\n", difficulty="")
    (message,) = problems(path)
    assert "超出范围" in message
    path.write_text(f"bank: {BIG}\n? {BIG}\n: 1\nquestions:\n  - ? {BIG}\n    : 1\n", "utf-8")
    messages = problems(path)
    assert sum("键 9999" in m and "… 太长" in m for m in messages) == 2


def test_a_huge_numeric_id_is_shortened_where_it_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "ids.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            bank: 题库
            retired: [{"a" * 5000}]
            questions:
              - {{id: {"a" * 5000}, type: judge, topic: t, stem: s, answer: 对}}
            """),
        encoding="utf-8",
    )
    (message,) = problems(path)
    assert "(aaaa" in message
    assert "…" in message


def test_safe_int_spellings() -> None:
    assert safe_int("42") == 42
    assert safe_int("-7") == -7
    assert safe_int("+1_000") == 1000
    assert safe_int("0x1F") == 31
    assert safe_int("0o17") == 15
    assert safe_int("0b101") == 5
    assert safe_int("0" * 5000 + "3") == 3
    assert safe_int("1" * (MAX_INT_DIGITS + 1)) == HUGE_INT
    assert safe_int("-" + "1" * (MAX_INT_DIGITS + 1)) == -HUGE_INT
    for not_a_number in ("", "-", "0x", "1:30", "12a", "0b102", "--5", "١٢"):
        assert safe_int(not_a_number) is None


@given(st.text(alphabet="0123456789abcdefxob_+- ", max_size=6000))
def test_safe_int_never_raises(text: str) -> None:
    value = safe_int(text)
    assert value is None or abs(value) <= HUGE_INT
