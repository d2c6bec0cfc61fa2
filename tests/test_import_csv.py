"""CSV/TSV tables: Chinese and English headers, delimiters, encodings, option columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmquiz.errors import ImportSourceError
from cmquiz.importers import SkipReason, import_file, import_text
from cmquiz.model import Question, QuestionType

DATA = Path(__file__).parent / "data" / "import"


def keys(question: Question) -> str:
    return "".join(sorted(question.answer))


def test_chinese_headers_bom_crlf() -> None:
    result = import_file(DATA / "bank_zh.csv")
    assert result.format == "csv"
    first, second, third, fourth, fifth = result.bank.questions
    assert (first.type, keys(first), first.topic.code, first.topic.name, first.difficulty) == (
        QuestionType.SINGLE,
        "B",
        "17",
        "贷款担保管理",
        3,
    )
    assert first.explanation == "担保基金实行专项储存、专户管理。"
    assert (second.type, keys(second), second.topic.code) == (QuestionType.MULTIPLE, "ABD", "25")
    assert (third.type, keys(third), third.options) == (QuestionType.JUDGE, "T", ())
    assert (fourth.type, keys(fourth)) == (QuestionType.MULTIPLE, "ABCD")  # no type: inferred
    assert fourth.stem == "工银私人银行服务依照（ ）的服务准则，\n为客户提供综合性服务。"
    assert (fifth.type, keys(fifth), fifth.topic.name) == (QuestionType.JUDGE, "F", "未分类")
    assert [(s.line, s.reason) for s in result.skips] == [
        (8, SkipReason.NO_ANSWER),
        (10, SkipReason.BAD_OPTIONS),
    ]  # line 9 is an empty row
    assert "选项应依次为 A、B,现为 A、C" in str(result.skips[1])


def test_english_headers_tab_separated() -> None:
    result = import_file(DATA / "bank_en.tsv")
    first, second, third = result.bank.questions
    assert (first.type, keys(first), first.topic.code, first.difficulty) == (
        QuestionType.SINGLE,
        "D",
        "19",
        2,
    )
    assert first.options[2] == ("C", "0.85")  # the empty E column adds no option
    assert (second.type, keys(second)) == (QuestionType.MULTIPLE, "ABD")
    assert (third.type, keys(third), third.topic.name) == (QuestionType.JUDGE, "T", "贷款担保管理")
    assert [(s.line, s.reason) for s in result.skips] == [(5, SkipReason.UNSUPPORTED)]
    assert [str(w) for w in result.warnings] == ["忽略了不认识的列:Remarks"]


def test_gb18030_file(tmp_path: Path) -> None:
    text = (DATA / "bank_zh.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "bank_zh.csv"
    path.write_bytes(text.encode("gb18030"))
    assert import_file(path).bank.questions == import_file(DATA / "bank_zh.csv").bank.questions


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_comes_from_the_header(delimiter: str) -> None:
    rows = [["题干", "A", "B", "答案"], ["题目, 带逗号; 和分号", "甲", "乙", "b"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    (question,) = import_text(text, "x.txt", fmt="csv").bank.questions
    assert (question.stem, keys(question)) == ("题目, 带逗号; 和分号", "B")


def test_one_options_column() -> None:
    text = (
        "题干,选项,答案\n"
        '"多行选项","A. 甲\nB. 乙\nC. 丙",C\n'
        "同一行的选项,A、甲 B、乙,A\n"
        '"不带字母的选项","甲\n乙",B\n'
        "竖线分隔,甲|乙|丙,AB\n"
    )
    questions = import_text(text, "x.csv").bank.questions
    assert [q.options for q in questions] == [
        (("A", "甲"), ("B", "乙"), ("C", "丙")),
        (("A", "甲"), ("B", "乙")),
        (("A", "甲"), ("B", "乙")),
        (("A", "甲"), ("B", "乙"), ("C", "丙")),
    ]
    assert [keys(q) for q in questions] == ["C", "A", "B", "AB"]


def test_id_column_is_kept_unless_it_is_a_row_number() -> None:
    text = "id,题干,A,B,答案\nmy-q-1,题一,甲,乙,A\n7,题二,甲,乙,B\nmy-q-1,题三,甲,乙,A\n"
    result = import_text(text, "bank.csv")
    assert [q.id for q in result.bank.questions] == ["my-q-1", "bank-001", "bank-002"]
    assert "id my-q-1 与第 2 行重复" in str(result.warnings[0])


def test_header_without_a_stem_column() -> None:
    with pytest.raises(ImportSourceError) as info:
        import_text("名称,答案\n甲,A\n", "x.csv")
    assert "找不到题干列" in info.value.message
