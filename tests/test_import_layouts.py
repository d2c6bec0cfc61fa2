"""Where real banks put the answer, numbering that restarts, numbers of any size, duplicates,
``--explain``, ids, and the CSV/GIFT/number edge cases of issues 11, 13 and 15."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmquiz.bankfile import parse_bank_text
from cmquiz.errors import ImportSourceError
from cmquiz.importers import SkipReason, export_questions, import_text
from cmquiz.importers.convert import id_prefix_for
from cmquiz.importers.drafts import Rule
from cmquiz.model import Question, QuestionType
from cmquiz.topics import Topic

Invoke = Callable[..., Any]


def keys(question: Question) -> str:
    return "".join(sorted(question.answer))


def only(text: str, **options: Any) -> Question:
    (question,) = import_text(text, "x.txt", fmt="text", **options).bank.questions
    return question


# --- answer keys where real banks put them --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer", "stem", "rule"),
    [
        (
            "1. 空白处填( )。_______。B\nA. 甲\nB. 乙\n",
            "B",
            "空白处填( )。_______。",
            Rule.AFTER_STEM,
        ),
        ("1. 哪些正确？ACD\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n", "ACD", "哪些正确？", Rule.AFTER_STEM),
        ("1. 选择（ ）B\nA. 甲\nB. 乙\n", "B", "选择（ ）", Rule.AFTER_STEM),
        ("1. 小写字母（abc）\nA. 甲\nB. 乙\nC. 丙\n", "ABC", "小写字母（ ）", Rule.IN_PARENTHESES),
        ("1. 带空格的( B )\nA. 甲\nB. 乙\n", "B", "带空格的( )", Rule.IN_PARENTHESES),
        ("1. 单独一行\nA. 甲\nB. 乙\nB\n", "B", "单独一行", Rule.ALONE_AFTER_OPTIONS),
        ("1. 答案后是空格\nA. 甲\nB. 乙\n答案 B\n", "B", "答案后是空格", Rule.MARKER),
        ("1. 方括号\nA. 甲\nB. 乙\n【答案】B\n", "B", "方括号", Rule.MARKER),
        (
            "1. 标记单独一行\nA. 甲\nB. 乙\n【答案】\nA\n",
            "A",
            "标记单独一行",
            Rule.MARKER_NEXT_LINE,
        ),
        ("1. 只有三个选项( )\nA. 甲\nB. 乙\nC. 丙\n答案:C\n", "C", "只有三个选项( )", Rule.MARKER),
    ],
)
def test_answer_layouts(text: str, answer: str, stem: str, rule: Rule) -> None:
    result = import_text(text, "x.txt", fmt="text")
    (question,) = result.bank.questions
    assert (keys(question), question.stem) == (answer, stem)
    assert result.explained[0].rule == rule.value


@pytest.mark.parametrize(
    "text",
    [
        "1. 请选择 (face) 的含义（ ）\nA. 脸\nB. 手\n",  # a word in parentheses
        "1. 括号里的字母不在选项里（abe）\nA. 甲\nB. 乙\nC. 丙\n",
        "1. 大小写混在一起（Bad）\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n",
        "1. 以字母结尾的词 Plan B\nA. 甲\nB. 乙\n",  # no punctuation before the letter
        "1. 不在选项里。E\nA. 甲\nB. 乙\n",
        "1. 字母重复。AA\nA. 甲\nB. 乙\n",
        "1. 选项之前的单独字母\nB\nA. 甲\nB. 乙\n",  # before the options: part of the stem
        "1. 解析之后的单独字母\nA. 甲\nB. 乙\n解析:无\nB\n",
        "1. 小写单独一行\nA. 甲\nB. 乙\nb\n",
    ],
)
def test_never_an_invented_answer(text: str) -> None:
    result = import_text(text + "2. 另一题( )\nA. 一\nB. 二\n答案:A\n", "x.txt", fmt="text")
    assert [q.stem for q in result.bank.questions] == ["另一题( )"]
    assert [s.reason for s in result.skips] == [SkipReason.NO_ANSWER]


def test_key_blocks_at_the_end_of_sections_and_of_the_file() -> None:
    questions = "".join(f"{n}. 题{n}( )\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n" for n in range(1, 6))
    judges = "".join(f"{n}. 判断{n}。\n" for n in range(1, 4))
    text = (
        "一、单选题\n" + questions + "参考答案:1-5 BCDAB\n"
        "二、多选题\n" + questions.replace("题", "多") + "参考答案\n1.AB 2.CD 3.ABD\n4.BC 5.ACD\n"
        "三、判断题\n" + judges + "答案\n题号 1 2 3\n答案 √ × 对\n"
    )
    result = import_text(text, "x.txt", fmt="text")
    assert [keys(q) for q in result.bank.questions] == [
        *"BCDAB",
        "AB",
        "CD",
        "ABD",
        "BC",
        "ACD",
        "T",
        "F",
        "T",
    ]
    assert not result.skips
    assert result.explained[0].rule == "答案表(第 27 行)"


def test_a_key_block_for_two_exercises_without_headings() -> None:
    one = "1. 甲题( )\nA. 一\nB. 二\n2. 乙题( )\nA. 一\nB. 二\n"
    two = one.replace("甲", "丙").replace("乙", "丁")
    result = import_text(one + two + "参考答案\n1-2 AB\n1-2 BA\n", "x.txt", fmt="text")
    assert [(q.stem[:2], keys(q)) for q in result.bank.questions] == [
        ("甲题", "A"),
        ("乙题", "B"),
        ("丙题", "B"),
        ("丁题", "A"),
    ]


def test_a_key_that_disagrees_is_reported_and_the_question_keeps_its_own() -> None:
    result = import_text("1. 题( )\nA. 一\nB. 二\n答案:A\n\n参考答案\n1-1 B\n", "x.txt", fmt="text")
    assert keys(result.bank.questions[0]) == "A"
    assert "答案表中第 1 题的答案 B 与题目里的答案 A 不同" in str(result.warnings[0])


# --- numbering: restarts, sections, any size (issue 15) -------------------------------------


def test_two_exercises_numbered_from_one_lose_nothing() -> None:
    text = (
        "练习一\n"
        "1. 担保基金实行专户管理。(√)\n"
        "2. 处分抵押物先抵本金。(×)\n"
        "解析:先抵实现抵押权的费用。\n"
        "练习二\n"
        "1. 等额本金前期还款多。(√)\n"
        "解析:练习二第 1 题的解析。\n"
        "2. 贷款利率下限为( )倍\n"
        "A. 0.9 B. 0.8\n"
        "答案:A\n"
        "3. 抵押物灭失属于风险。(√)\n"
    )
    result = import_text(text, "x.txt", fmt="text")
    assert result.records == 5
    questions = result.bank.questions
    assert [q.stem[:4] for q in questions] == [
        "担保基金",
        "处分抵押",
        "等额本金",
        "贷款利率",
        "抵押物灭",
    ]
    assert questions[1].explanation == "先抵实现抵押权的费用。"
    assert questions[2].explanation == "练习二第 1 题的解析。"
    assert questions[0].explanation is None


def test_restart_without_a_heading_and_an_explanation_list() -> None:
    text = (
        "1. 第一题( )\nA. 甲\nB. 乙\n答案:A\n解析:理由如下\n1、第一条\n2、第二条\n"
        "1. 重新编号的题( )\nA. 甲\nB. 乙\n答案:B\n"
    )
    result = import_text(text, "x.txt", fmt="text")
    first, second = result.bank.questions
    assert first.explanation == "理由如下\n1、第一条\n2、第二条"
    assert (second.stem, keys(second)) == ("重新编号的题( )", "B")


def test_a_numbered_list_inside_a_stem_is_not_a_restart() -> None:
    text = "5. 下列说法正确的有( )\n1、甲\n2、乙\nA. 1和2\nB. 只有1\n答案:A\n"
    question = only(text)
    assert question.stem == "下列说法正确的有( )\n1、甲\n2、乙"
    assert question.options == (("A", "1和2"), ("B", "只有1"))


def test_numbers_past_9999_and_of_any_length() -> None:
    lines = [
        f"{n}. 题目{n}\n答案:{'对' if n % 2 else '错'}\n解析:第{n}题\n" for n in range(9998, 10003)
    ]
    huge = "9" * 5000
    text = "".join(lines) + f"{huge}. 数字超过 4300 位的题号\n答案:对\n"
    result = import_text(text, "x.txt", fmt="text")
    questions = result.bank.questions
    assert [q.explanation for q in questions[:4]] == [f"第{n}题" for n in range(9998, 10002)]
    assert (questions[4].stem, keys(questions[4])) == ("题目10002", "F")
    assert len(questions) == 5  # a 5000-digit "number" is no question number: it is text
    assert (questions[-1].explanation or "").endswith("数字超过 4300 位的题号")


def test_difficulty_and_numbers_with_thousands_of_digits_do_not_crash() -> None:
    digits = "7" * 5000
    csv_text = f"题干,A,B,答案,难度\n题,甲,乙,A,{digits}\n"
    result = import_text(csv_text, "x.csv")
    assert result.bank.questions[0].difficulty is None
    assert "不是 1–5" in str(result.warnings[0])
    text = f"1. 题( )\nA. 甲\nB. 乙\n答案:A\n难度:{digits}\n{digits}-{digits} AB\n"
    assert len(import_text(text, "x.txt", fmt="text").bank.questions) == 1
    gift = f"::t::题{{~%{digits}%甲 ~%-{digits}%乙 ~丙}}\n"
    (question,) = import_text(gift, "x.gift").bank.questions  # a huge weight: still a weight
    assert keys(question) == "A"


# --- every record accounted for, duplicates, --explain --------------------------------------

DUPLICATED = (
    "1. 重复的题( )\nA. 甲\nB. 乙\n答案:A\n"
    "2. 另一道( )\nA. 甲\nB. 乙\n答案:B\n"
    "3. 重复的题( )\nA. 甲\nB. 乙\n答案:B\n"
    "4. 没有答案( )\nA. 甲\nB. 乙\n"
)


def test_duplicates_are_imported_once_and_reported_with_both_lines() -> None:
    result = import_text(DUPLICATED, "x.txt", fmt="text")
    assert [q.stem for q in result.bank.questions] == ["重复的题( )", "另一道( )"]
    (duplicate,) = result.duplicates
    assert (duplicate.line, duplicate.first_line, duplicate.same_answer) == (9, 1, False)
    assert result.records == 4
    assert len(result.bank.questions) + len(result.skips) + result.dropped_duplicates == 4
    kept = import_text(DUPLICATED, "x.txt", fmt="text", keep_duplicates=True)
    assert len(kept.bank.questions) == 3
    assert len(kept.bank.questions) + len(kept.skips) + kept.dropped_duplicates == 4


def test_the_report_adds_up_and_explains(invoke: Invoke, tmp_path: Path) -> None:
    src = tmp_path / "dup.txt"
    src.write_text(DUPLICATED, encoding="utf-8")
    result = invoke("import", str(src), "--explain")
    assert result.exit_code == 0, result.output
    assert "找到 4 条记录:导入 2、跳过 1、重复 1" in result.stderr
    assert "第 9 行 与 第 1 行:“重复的题( )”,但答案不同" in result.stderr
    assert "答案的来源:答案行(答案:/【答案】/答案 B) 2" in result.stderr
    assert "第 1 行 dup-001:答案 A ← 答案行" in result.stderr
    kept = invoke("import", str(src), "--keep-duplicates")
    assert "找到 4 条记录:导入 3、跳过 1、重复 0" in kept.stderr
    assert len(parse_bank_text(kept.stdout, "x").questions) == 3


# --- ids ------------------------------------------------------------------------------------


def test_id_prefixes_never_shared_and_stable() -> None:
    names = ["题库一.txt", "题库二.txt", "第1章.txt", "第1节.txt", "银行.docx", "credit.txt"]
    prefixes = [id_prefix_for(n) for n in names]
    assert len(set(prefixes)) == len(prefixes)
    assert prefixes[-1] == "credit"
    assert prefixes[2].startswith("1-")
    assert len(prefixes[0]) == 6
    assert prefixes == [id_prefix_for(n) for n in names]  # the same file, the same prefix
    assert id_prefix_for("000_e7e4e28864bc092d.txt") == "000-e7e4e28864bc092d"
    long = "a" * 30
    assert id_prefix_for(f"{long}1.txt") != id_prefix_for(f"{long}2.txt")


def test_ids_already_loaded_stop_the_import(invoke: Invoke, tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "mine.yaml").write_text(
        "bank: 我的\nquestions:\n  - {id: q-001, type: judge, topic: t, stem: s, answer: true}\n",
        encoding="utf-8",
    )
    src = tmp_path / "q.txt"
    src.write_text("1. 新题\n答案:对\n", encoding="utf-8")
    out = tmp_path / "new.yaml"
    clash = invoke("--bank", str(banks), "import", str(src), "-o", str(out))
    assert clash.exit_code == 1
    assert "1 个 id 与已加载的题库重复:q-001" in clash.stderr
    assert "--id-prefix" in clash.stderr
    assert not out.exists()
    again = invoke("--bank", str(banks), "import", str(src), "-o", str(out), "--id-prefix", "n")
    assert again.exit_code == 0, again.output
    replace = invoke("--bank", str(banks), "import", str(src), "-o", str(banks / "mine.yaml"))
    assert replace.exit_code == 1  # the output exists: --force needed
    forced = invoke(
        "--bank", str(banks), "import", str(src), "-o", str(banks / "mine.yaml"), "--force"
    )
    assert forced.exit_code == 0, forced.output  # the bank being replaced does not count


# --- CSV: stray quotes, huge cells, formulas ------------------------------------------------


def test_csv_with_an_unclosed_quote_reports_the_row() -> None:
    text = '题干,A,B,答案\n好的题,甲,乙,A\n"坏的题,甲,乙,B\n后面,甲,乙,A\n'
    result = import_text(text, "x.csv")
    assert [q.stem for q in result.bank.questions] == ["好的题"]
    (broken,) = result.skips
    assert (broken.line, broken.reason) == (3, SkipReason.BROKEN_ROW)
    assert "引号没有配对" in broken.detail
    assert "第 4 行" in broken.detail


def test_csv_with_a_first_line_over_128_kib() -> None:
    cell = "长" * 200_000
    result = import_text(f"题干,A,B,答案,解析\n题,甲,乙,A,{cell}\n", "x.csv")
    assert result.bank.questions[0].explanation == cell
    with pytest.raises(ImportSourceError, match="找不到题干列"):
        import_text(f"{cell},答案\n题,A\n", "x.csv")


def test_formula_cells_are_written_as_text_and_read_back() -> None:
    question = Question(
        id="f-1",
        type=QuestionType.SINGLE,
        topic=Topic("+知识点"),
        stem='=HYPERLINK("http://x")',
        options=(("A", "-1"), ("B", "@SUM(A1)"), ("C", "'=已有撇号")),
        answer=frozenset("A"),
        explanation="+解析",
    )
    text = export_questions([question], "csv").text
    assert ',"\'=HYPERLINK(""http://x"")",' in text
    assert ",'-1,'@SUM(A1),''=已有撇号," in text
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in text.split(","))
    (back,) = import_text(text, "bank.csv").bank.questions
    assert back == question


# --- GIFT and Aiken as Moodle reads them ---------------------------------------------------


def test_gift_export_escapes_what_moodle_would_misread() -> None:
    question = Question(
        id="g-1",
        type=QuestionType.SINGLE,
        topic=Topic("a]b<c>"),
        stem="[html]不是格式",
        options=(("A", "[markdown]甲"), ("B", "%50%乙"), ("C", "丙")),
        answer=frozenset("B"),
        explanation="[moodle]解析",
        bank="/斜杠开头的题库/",
    )
    text = export_questions([question], "gift").text
    assert "$CATEGORY: $course$/top/ //斜杠开头的题库// /a]b<c>\n" in text
    assert "// [id:g-1] [tag:a\\]bc]\n" in text
    assert "::g-1::[plain][html]不是格式{" in text
    assert "~[plain][markdown]甲\n=[plain]%50%乙\n~丙\n####[plain][moodle]解析\n" in text
    (back,) = import_text(text, "x.gift").bank.questions
    assert back == question
    category = "$course$/top/ //斜杠开头的题库// /a]b<c>"
    parts = [p for p in category.split("/") if p]  # Moodle splits on single slashes only
    assert len(parts) != 3  # naive splitting would break it; Moodle's rule keeps 4 levels


def test_gift_import_strips_answer_formats_and_reports_other_kinds() -> None:
    text = (
        "::q1::[html]<b>题干</b>{=[plain]<i>字面</i> ~[html]<i>斜体</i>}\n\n"
        "::q2::简答{=北京 =北京市}\n\n"
        "::q3::单个答案的简答{北京}\n\n"
        "::q4::数值{#3:1}\n\n"
        "// [id:moodle-7] [tag:18 还款方式]\n::q5::来自 Moodle 4{~甲 =乙}\n"
    )
    result = import_text(text, "x.gift")
    first, moodle = result.bank.questions
    assert first.stem == "题干"
    assert first.options == (("A", "<i>字面</i>"), ("B", "斜体"))
    assert (moodle.id, moodle.topic) == ("moodle-7", Topic("还款方式", "18"))
    assert [(s.reason, s.detail) for s in result.skips] == [
        (SkipReason.UNSUPPORTED, "GIFT 填空/简答题(short answer)"),
        (SkipReason.UNSUPPORTED, "GIFT 填空/简答题(short answer)"),
        (SkipReason.UNSUPPORTED, "GIFT 数值题(numerical)"),
    ]


@pytest.mark.parametrize(
    ("stem", "how"),
    [
        ("A. 看起来像选项的题干", "选项行"),
        ("B) 也像", "选项行"),
        ("ANSWER: x", "ANSWER: 行"),
        ("x", "空行"),
    ],
)
def test_aiken_export_refuses_a_stem_moodle_misreads(stem: str, how: str) -> None:
    question = Question(
        id="k-1",
        type=QuestionType.SINGLE,
        topic=Topic("t"),
        stem=stem,
        options=(("A", "甲"), ("B", "乙")),
        answer=frozenset("A"),
    )
    result = export_questions([question], "aiken")
    assert not result.exported
    assert f"未导出 k-1:题干“{stem}”在 Moodle 的 Aiken 导入里会被读成{how}" in result.notes[0]
