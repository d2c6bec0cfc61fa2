"""Numbered question text (exam-prep apps, Word): sections, answer styles, messy input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmquiz.importers import SkipReason, import_file, import_text
from cmquiz.importers.drafts import split_options
from cmquiz.model import Question, QuestionType

DATA = Path(__file__).parent / "data" / "import"
EXAM = DATA / "numbered_exam.txt"


def keys(question: Question) -> str:
    return "".join(sorted(question.answer))


def by_stem(questions: tuple[Question, ...], start: str) -> Question:
    (question,) = [q for q in questions if q.stem.startswith(start)]
    return question


def test_exam_prep_export() -> None:
    result = import_file(EXAM)
    assert result.format == "text"
    questions = result.bank.questions
    assert [(q.type, keys(q)) for q in questions] == [
        (QuestionType.SINGLE, "B"),
        (QuestionType.SINGLE, "D"),
        (QuestionType.SINGLE, "B"),
        (QuestionType.SINGLE, "D"),
        (QuestionType.MULTIPLE, "ABD"),
        (QuestionType.MULTIPLE, "ABCD"),
        (QuestionType.JUDGE, "T"),
        (QuestionType.JUDGE, "F"),
        (QuestionType.JUDGE, "T"),
        (QuestionType.JUDGE, "F"),
        (QuestionType.JUDGE, "T"),
    ]
    assert [(s.line, s.reason) for s in result.skips] == [
        (41, SkipReason.NO_ANSWER),
        (45, SkipReason.BAD_ANSWER),
    ]
    assert result.ignored_lines == (1,)


def test_options_on_one_line_full_width_and_lower_case() -> None:
    questions = import_file(EXAM).bank.questions
    first = questions[0]
    assert first.options == (
        ("A", "专项储存，分户管理"),
        ("B", "专项储存，专户管理"),
        ("C", "分项储存，分户管理"),
        ("D", "分项储存，专户管理"),
    )
    assert questions[1].option_text("A") == "贷款利息、本金和实现抵押权的费用"  # Ａ．
    third = questions[2]  # answer appended to the stem line, options a. b. c. d.
    assert third.stem == "处分抵押物所得价款不足以清偿的，贷款行应当就不足部分继续向（ ）追偿。"
    assert third.option_text("B") == "借款人"
    assert questions[3].options[2] == ("C", "0.85")  # A、0.6 B、0.7 C、0.85 D、0.9


def test_answer_in_the_stem_is_taken_out_of_it() -> None:
    questions = import_file(EXAM).bank.questions
    assert questions[1].stem == "贷款行依法处分抵押物所得的价款，清偿次序依次是（ ）"  # was （D）
    assert by_stem(questions, "担保基金实行").stem == "担保基金实行专项储存、专户管理。（ ）"  # (√)
    assert by_stem(questions, "处分抵押物的价款先抵").stem == "处分抵押物的价款先抵贷款本金。"  # ×


def test_explanation_keeps_its_own_numbered_list() -> None:
    first = import_file(EXAM).bank.questions[0]
    assert first.explanation == (
        "担保基金实行专项储存、专户管理。\n1、“专项”指单独存放；\n2、“专户”指在我行开立的专门账户。"
    )
    assert first.difficulty == 3


def test_knowledge_points_from_section_lines() -> None:
    questions = import_file(EXAM).bank.questions
    assert {(q.topic.code, q.topic.name) for q in questions[:4]} == {("17", "贷款担保管理")}
    assert {(q.topic.code, q.topic.name) for q in questions[4:6]} == {("25", "个人贷款风险管理")}


def test_crlf_gb18030_and_bom_read_the_same(tmp_path: Path) -> None:
    text = EXAM.read_text(encoding="utf-8")
    expected = import_file(EXAM).bank.questions
    variants = {
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "gbk.txt": text.replace("\n", "\r\n").encode("gb18030"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
    }
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        got = import_file(path, id_prefix="numbered-exam").bank.questions
        assert got == expected, name


def test_word_export_without_sections_infers_types() -> None:
    result = import_file(DATA / "numbered_word.txt")
    first, second, third, fourth = result.bank.questions
    assert (first.type, keys(first), first.topic.name) == (QuestionType.SINGLE, "A", "客户分类管理")
    assert first.options[0] == ("A", "客户价值和业务需求")  # full-width spaces between options
    assert (second.type, keys(second), second.options) == (QuestionType.JUDGE, "T", ())
    assert (third.type, keys(third)) == (QuestionType.MULTIPLE, "ABC")
    assert third.explanation == "建立客户档案，记录客户的基本信息、\n业务往来记录和需求偏好等。"
    assert (fourth.type, keys(fourth), fourth.stem) == (
        QuestionType.JUDGE,
        "T",
        "银行应当及时回应客户需求和反馈。（ ）",
    )
    assert second.topic.name == "未分类"
    assert result.uncategorized == 3  # a 知识点 line after a question belongs to that question


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("答案：B", "B"),
        ("答案:b", "B"),
        ("【答案】C", "C"),
        ("正确答案：A,C", "AC"),
        ("参考答案： a、c ", "AC"),
        ("【正确答案】ＡＣ", "AC"),
        ("标准答案:A C", "AC"),
    ],
)
def test_answer_spellings(written: str, expected: str) -> None:
    text = f"1. 题干（ ）\nA. 甲\nB. 乙\nC. 丙\n{written}\n"
    (question,) = import_text(text, "x.txt").bank.questions
    assert keys(question) == expected


@pytest.mark.parametrize("written", ["对", "正确", "√", "T", "true", "（√）", "(对)"])
def test_judge_true_spellings(written: str) -> None:
    in_stem = written.startswith(("(", "（"))
    answer_line = written if in_stem else f"\n答案：{written}"
    text = f"三、判断题\n1. 判断题干。{answer_line}\n"
    (question,) = import_text(text, "x.txt").bank.questions
    assert (question.type, keys(question)) == (QuestionType.JUDGE, "T")


@pytest.mark.parametrize("written", ["错", "错误", "×", "F", "false"])
def test_judge_false_spellings(written: str) -> None:
    (question,) = import_text(f"1. 判断题干。\n答案：{written}\n", "x.txt").bank.questions
    assert (question.type, keys(question)) == (QuestionType.JUDGE, "F")


def test_answer_after_empty_parentheses_and_type_tag() -> None:
    (question,) = import_text("1.【单选题】带标签的题（ ）B\nA.一\nB.二\n", "x.txt").bank.questions
    assert (question.type, keys(question), question.stem) == (
        QuestionType.SINGLE,
        "B",
        "带标签的题（ ）",
    )


def test_options_on_the_question_line() -> None:
    (question,) = import_text("1. 题干（ ） A. 甲 B. 乙 C. 丙\n答案：C\n", "x.txt").bank.questions
    assert question.stem == "题干（ ）"
    assert question.options == (("A", "甲"), ("B", "乙"), ("C", "丙"))


def test_type_from_section_conflicting_with_the_answer_is_skipped() -> None:
    text = (
        "一、单选题\n1. 题干\nA. 甲\nB. 乙\n答案：AB\n"
        "二、多选题\n2. 题干二\nA. 甲\nB. 乙\n答案：A\n"
        "3. 好的题\nA. 甲\nB. 乙\n答案：AB\n"
    )
    result = import_text(text, "x.txt", fmt="text")
    assert len(result.bank.questions) == 1
    assert [(s.line, s.reason) for s in result.skips] == [
        (2, SkipReason.TYPE_MISMATCH),
        (7, SkipReason.TYPE_MISMATCH),
    ]
    assert "单选题只能有一个答案,现为 AB" in str(result.skips[0])


def test_an_answer_before_any_question_is_reported() -> None:
    result = import_text("答案：B\n1. 题干\nA. 甲\nB. 乙\n答案：A\n", "x.txt", fmt="text")
    assert [(s.line, s.reason) for s in result.skips] == [(1, SkipReason.FRAGMENT)]


def test_split_options_only_at_the_next_letter() -> None:
    assert split_options("A. 0.5 B. 0.7 C. 0.85") == [("A", "0.5"), ("B", "0.7"), ("C", "0.85")]
    assert split_options("A、0.6B、0.7") == [("A", "0.6"), ("B", "0.7")]
    # never split after a letter or a digit
    assert split_options("A. PlanB. 0.6B.0.7") == [("A", "PlanB. 0.6B.0.7")]
    assert split_options("A. 甲 C. 丙") == [("A", "甲 C. 丙")]
    assert split_options("不是选项") == []


def test_question_numbers_in_every_style() -> None:
    text = (
        "第1题 甲（ ）\nA. 一\nB. 二\n答案：A\n2) 乙\n答案：对\n"
        "３．丙\n答案：错\n第4题：丁\n答案：对\n"
    )
    questions = import_text(text, "x.txt", fmt="text").bank.questions
    assert [q.stem for q in questions] == ["甲（ ）", "乙", "丙", "丁"]


def test_a_word_in_parentheses_is_not_an_answer() -> None:
    text = "1. 请选择 (face) 的含义（ ）\nA. 脸\nB. 手\n2. 另一题（B）\nA. 甲\nB. 乙\n"
    result = import_text(text, "x.txt", fmt="text")
    assert [q.stem for q in result.bank.questions] == ["另一题（ ）"]
    assert [(s.line, s.reason) for s in result.skips] == [(1, SkipReason.NO_ANSWER)]
