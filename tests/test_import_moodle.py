"""Moodle's GIFT and Aiken formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmquiz.importers import SkipReason, import_file, import_text
from cmquiz.importers.gift import escape, unescape
from cmquiz.model import Question, QuestionType

DATA = Path(__file__).parent / "data" / "import"


def keys(question: Question) -> str:
    return "".join(sorted(question.answer))


@pytest.fixture(scope="module")
def gift_questions() -> dict[str, Question]:
    result = import_file(DATA / "moodle.gift")
    return {q.stem[:6]: q for q in result.bank.questions}


def test_gift_choice_with_feedback_and_category(gift_questions: dict[str, Question]) -> None:
    first = gift_questions["专业担保机构"]
    assert (first.type, keys(first), first.topic.code, first.topic.name) == (
        QuestionType.SINGLE,
        "B",
        "17",
        "贷款担保管理",
    )
    assert first.options[0] == ("A", "专项储存，分户管理")  # the #feedback is dropped
    assert first.explanation == "担保基金实行专项储存、专户管理。"
    second = gift_questions["贷款行依法处"]  # all on one line, escaped colon
    assert second.stem == "贷款行依法处分抵押物所得的价款，清偿次序依次是: ( )"
    assert (keys(second), len(second.options)) == ("D", 4)


def test_gift_multiple_answer_weights(gift_questions: dict[str, Question]) -> None:
    question = gift_questions["以下属于抵押"]
    assert (question.type, keys(question), question.topic.code) == (
        QuestionType.MULTIPLE,
        "ABD",
        "25",
    )


def test_gift_true_false_and_comment_knowledge_point(gift_questions: dict[str, Question]) -> None:
    true = gift_questions["采用等额本金"]
    assert (true.type, keys(true), true.topic.code, true.topic.name) == (
        QuestionType.JUDGE,
        "T",
        "18",
        "个人贷款还款方式",
    )
    false = gift_questions["抵押物灭失属"]
    assert (false.type, keys(false)) == (QuestionType.JUDGE, "F")


def test_gift_escapes(gift_questions: dict[str, Question]) -> None:
    question = gift_questions["题干里的特殊"]
    assert question.stem == "题干里的特殊字符 ~ = # { } : 都要转义，50% 不用；换行\n第二行。"
    assert question.options == (("A", "选项甲 = 乙"), ("B", "选项 {丙}"))


def test_gift_html_and_missing_word(gift_questions: dict[str, Question]) -> None:
    html = gift_questions["以下哪项是私"]
    assert html.stem == "以下哪项是私人银行的服务准则？"
    assert html.option_text("A") == "保密 & 诚信"
    assert html.topic.name == "工银私人银行服务体系"
    blank = gift_questions["工行私人银行"]
    assert blank.stem == "工行私人银行客户专享理财产品系列名称为（ ）。"
    assert keys(blank) == "A"


def test_gift_other_kinds_are_reported() -> None:
    result = import_file(DATA / "moodle.gift")
    assert len(result.bank.questions) == 8
    assert [(s.line, s.reason) for s in result.skips] == [
        (line, SkipReason.UNSUPPORTED) for line in (37, 39, 41, 43, 45)
    ]
    details = " ".join(s.detail for s in result.skips)
    for kind in ("short answer", "numerical", "matching", "essay", "没有答案块"):
        assert kind in details
    assert "丢弃了 2 条选项反馈" in str(result.warnings[0])


@pytest.mark.parametrize("text", ["a~b=c#d{e}f:g\\h", "换行\n之后", "\\n 不是换行", "::x::"])
def test_gift_escape_round_trip(text: str) -> None:
    assert unescape(escape(text)) == text
    assert "\n" not in escape(text)


def test_gift_knowledge_point_from_title_when_nothing_else() -> None:
    text = "::贷款担保管理::题干{=甲 ~乙}\n\n::q-2::题干二{=甲 ~乙}\n"
    first, second = import_text(text, "x.gift", topic="默认").bank.questions
    assert first.topic.name == "贷款担保管理"
    assert second.topic.name == "默认"  # an id-like title is a name, not a knowledge point


def test_aiken() -> None:
    result = import_file(DATA / "moodle_aiken.txt", topic="贷款担保管理")
    assert result.format == "aiken"
    questions = result.bank.questions
    assert [(q.type, keys(q)) for q in questions] == [
        (QuestionType.SINGLE, "B"),
        (QuestionType.SINGLE, "D"),
        (QuestionType.SINGLE, "B"),
        (QuestionType.MULTIPLE, "AB"),
    ]
    assert questions[1].option_text("A") == "贷款利息、本金和实现抵押权的费用"  # A) style
    assert questions[2].option_text("B") == "借款人"  # lower-case b. and answer: b
    assert {q.topic.name for q in questions} == {"贷款担保管理"}
    assert [(s.line, s.reason) for s in result.skips] == [(21, SkipReason.NO_ANSWER)]
