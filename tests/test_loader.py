from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cmquiz.errors import BankError
from cmquiz.loader import load_bank, load_library
from cmquiz.model import QuestionType
from cmquiz.textclean import clean_text

GOOD = """
    bank: 个人信贷业务
    defaults:
      source: 学习资料
      topic: 贷款担保管理
      topic_code: 17
    questions:
      - id: c-1
        type: single
        stem: 专业担保机构为保证人的,实行()。
        options:
          A: 专项储存,分户管理
          B: 专项储存,专户管理
        answer: B
      - id: c-2
        type: 多选
        difficulty: 3
        stem: 多选题干
        options: [甲, 乙, 丙]
        answer: [a, c]
      - id: c-3
        type: judge
        topic: 别的知识点
        stem: 判断题干
        answer: 对
"""

WriteBank = Callable[..., Path]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(path)
    return [str(p) for p in info.value.problems]


def test_a_good_bank_loads_with_defaults_applied(write_bank: WriteBank) -> None:
    bank = load_bank(write_bank(GOOD))
    assert bank.title == "个人信贷业务"
    first, second, third = bank.questions
    assert first.source == "学习资料"
    assert first.topic.code == "17"  # an unquoted number becomes text
    assert first.answer == frozenset("B")
    assert second.type is QuestionType.MULTIPLE
    assert second.options == (("A", "甲"), ("B", "乙"), ("C", "丙"))
    assert second.answer == frozenset("AC")
    assert second.difficulty == 3
    assert third.topic.name == "别的知识点"  # a question's own field beats the default
    assert third.answer == frozenset("T")


def test_malformed_yaml_names_line_and_column(write_bank: WriteBank) -> None:
    path = write_bank("bank: x\nquestions:\n  - id: a\n    stem: [unclosed\n")
    (message,) = problems_of(path)
    assert "YAML 语法错误" in message
    assert "第 " in message
    assert "列" in message


def test_missing_and_unknown_fields_are_all_reported(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - id: q1
            type: single
            topic: t
            stme: typo
            options: {A: a, B: b}
            answer: A
    """)
    messages = problems_of(path)
    assert any("questions[0](q1).stme" in m and "是不是 stem" in m for m in messages)
    assert any("questions[0](q1).stem" in m and "缺少必填字段 stem" in m for m in messages)


def test_answer_not_among_options(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - id: q1
            type: single
            topic: t
            stem: s
            options: {A: a, B: b, C: c, D: d}
            answer: E
    """)
    (message,) = problems_of(path)
    assert message.startswith("第 8 行")
    assert "questions[0](q1).answer" in message
    assert "没有选项 E(选项为 A–D)" in message


def test_single_choice_with_two_answers(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - {id: q1, type: single, topic: t, stem: s, options: [a, b, c], answer: AB}
    """)
    (message,) = problems_of(path)
    assert "单选题只能有一个答案" in message


def test_multiple_choice_needs_two_answers(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - {id: q1, type: multiple, topic: t, stem: s, options: [a, b, c], answer: A}
    """)
    assert "至少要有两个正确答案" in problems_of(path)[0]


def test_duplicate_id_within_a_file(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - {id: q1, type: judge, topic: t, stem: s, answer: true}
          - {id: q1, type: judge, topic: t, stem: s2, answer: false}
    """)
    (message,) = problems_of(path)
    assert "questions[1](q1).id" in message
    assert "id 重复(第 3 行已使用)" in message


def test_duplicate_id_across_files(write_bank: WriteBank) -> None:
    one = write_bank(
        "bank: a\nquestions:\n  - {id: same, type: judge, topic: t, stem: s, answer: 对}\n",
        "one.yaml",
    )
    two = write_bank(
        "bank: b\nquestions:\n  - {id: same, type: judge, topic: t, stem: s, answer: 错}\n",
        "two.yaml",
    )
    with pytest.raises(BankError) as info:
        load_library([one, two])
    (problem,) = info.value.problems
    assert problem.file == str(two)
    assert problem.line == 3
    assert str(problem).startswith("第 3 行 (same).id")
    assert "same" in str(problem)
    assert str(one) in str(problem)


def test_difficulty_out_of_range(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - {id: q1, type: judge, topic: t, stem: s, answer: true, difficulty: 6}
          - {id: q2, type: judge, topic: t, stem: s, answer: true, difficulty: 2.5}
          - {id: q3, type: judge, topic: t, stem: s, answer: true, difficulty: true}
    """)
    messages = problems_of(path)
    assert len(messages) == 3
    assert "难度 6 超出范围" in messages[0]
    assert all("difficulty" in m for m in messages)


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n"])
def test_empty_file(write_bank: WriteBank, content: str) -> None:
    assert "文件为空" in problems_of(write_bank(content))[0]


def test_gb18030_file_is_read_correctly(write_bank: WriteBank) -> None:
    text = (
        "bank: 国标题库\nquestions:\n"
        "  - {id: q1, type: judge, topic: 知识点, stem: 判断题, answer: 对}\n"
    )
    bank = load_bank(write_bank(text.encode("gb18030")))
    assert bank.title == "国标题库"
    assert bank.questions[0].stem == "判断题"


def test_utf8_bom_is_accepted(write_bank: WriteBank) -> None:
    text = "bank: 题库\nquestions:\n  - {id: q1, type: judge, topic: t, stem: s, answer: 错}\n"
    assert load_bank(write_bank(b"\xef\xbb\xbf" + text.encode())).title == "题库"


def test_undecodable_file_says_so(write_bank: WriteBank) -> None:
    path = write_bank(b"bank: x\nquestions: \xff\xff\xff\n")
    (message,) = problems_of(path)
    assert "不是 UTF-8" in message
    assert message.startswith("第 2 行")


def test_python_tags_are_refused_and_never_run(write_bank: WriteBank, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write_bank(f"""
        bank: !!python/object/apply:os.system ["touch {marker}"]
        questions:
          - id: q1
            type: judge
            topic: t
            stem: !!python/name:os.getcwd
            answer: true
    """)
    messages = problems_of(path)
    assert len(messages) == 2
    assert all("不允许的 YAML 标签" in m for m in messages)
    assert not marker.exists()


def test_every_problem_in_a_file_is_reported_at_once(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - {id: q1, type: single, topic: t, stem: s, options: [a, b], answer: C}
          - {id: "bad id", type: judge, topic: t, stem: s, answer: maybe}
          - {id: q3, type: essay, topic: t, stem: s, answer: A}
          - {id: q4, type: judge, topic: t, stem: s, options: [a, b], answer: true}
          - {id: q5, type: single, topic: "", stem: s, options: [a], answer: A}
    """)
    messages = problems_of(path)
    joined = "\n".join(messages)
    assert "questions[0](q1).answer" in joined
    assert "id 只能包含" in joined
    assert "questions[1](bad id).answer" in joined
    assert "未知题型 essay" in joined
    assert "判断题不应有选项" in joined
    assert "questions[4](q5).topic: 不能为空" in joined
    assert "选项应有 2 到 8 个" in joined
    assert len(messages) >= 7


def test_top_level_problems(write_bank: WriteBank) -> None:
    messages = problems_of(write_bank("title: x\nquestions: []\nversion: 2\n"))
    joined = "\n".join(messages)
    assert "未知字段 title" in joined
    assert "缺少字段 bank" in joined
    assert "题目列表为空" in joined
    assert "不支持的题库格式版本" in joined


def test_a_numeric_id_must_be_quoted(write_bank: WriteBank) -> None:
    path = write_bank(
        "bank: x\nquestions:\n  - {id: 001, type: judge, topic: t, stem: s, answer: true}\n"
    )
    assert "数字请加引号" in problems_of(path)[0]


def test_options_keep_their_spelling(write_bank: WriteBank) -> None:
    path = write_bank(
        "bank: x\nquestions:\n  - {id: q, type: single, topic: t, stem: s, "
        "options: {A: 0.70, B: 0.85, C: yes}, answer: a}\n"
    )
    assert load_bank(path).questions[0].options == (("A", "0.70"), ("B", "0.85"), ("C", "yes"))


def test_options_out_of_order_and_repeated_keys(write_bank: WriteBank) -> None:
    path = write_bank("""
        bank: x
        questions:
          - id: q1
            type: single
            topic: t
            stem: s
            options: {A: a, C: c}
            answer: A
          - id: q2
            type: single
            topic: t
            stem: s
            options: {A: a, B: b}
            answer: A
            answer: B
    """)
    joined = "\n".join(problems_of(path))
    assert "选项应依次为 A、B" in joined
    assert "字段重复" in joined


def test_control_characters_are_stripped() -> None:
    assert clean_text("红\x1b[31m色\x07\u202e字\r\n第二行  ") == "红[31m色字\n第二行"


def test_load_library_reads_directories(tmp_path: Path, write_bank: WriteBank) -> None:
    write_bank(
        "bank: a\nquestions:\n  - {id: a1, type: judge, topic: t, stem: s, answer: 对}\n", "a.yaml"
    )
    write_bank(
        "bank: b\nquestions:\n  - {id: b1, type: judge, topic: t, stem: s, answer: 错}\n", "b.yml"
    )
    (tmp_path / "banks" / "notes.txt").write_text("not a bank")
    library = load_library([tmp_path / "banks"])
    assert [b.title for b in library.banks] == ["a", "b"]
    assert set(library.by_id()) == {"a1", "b1"}


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(BankError) as info:
        load_library([tmp_path])
    assert "没有找到题库文件" in str(info.value.problems[0])
    with pytest.raises(BankError) as info:
        load_library([tmp_path / "nope.yaml"])
    assert "文件不存在" in str(info.value.problems[0])


def test_retired_ids_are_never_reused(write_bank) -> None:  # type: ignore[no-untyped-def]
    path = write_bank(
        """
        bank: 测试
        retired:
          - old-1
        questions:
          - id: old-1
            type: judge
            topic: 知识点
            stem: 题干
            answer: true
          - id: new-1
            type: judge
            topic: 知识点
            stem: 另一题
            answer: false
        """
    )
    with pytest.raises(BankError) as caught:
        load_library([path])
    (problem,) = caught.value.problems
    assert problem.where == "questions[0](old-1).id"
    assert "已停用" in problem.message
    assert "第 3 行" in problem.message


def test_checked_questions_equal_what_the_constructor_builds() -> None:
    """``Checked.question`` skips the constructor's checks: what it builds is the same."""
    import dataclasses

    from cmquiz.loader import expand_bank_paths, load_bank
    from cmquiz.model import Question
    from cmquiz.paths import bundled_banks_dir

    for path in expand_bank_paths([bundled_banks_dir()]):
        for q in load_bank(path).questions:
            fields = {f.name: getattr(q, f.name) for f in dataclasses.fields(Question)}
            built = Question(**fields)
            assert built == q
            assert vars(built) == vars(q)  # every field, bank and line included
            assert built.rev == q.rev
