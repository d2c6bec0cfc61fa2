"""``cmquiz export`` and the exporters: export -> import gives back the same questions."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.bankfile import parse_bank_text
from cmquiz.importers import export_questions, import_text
from cmquiz.importers.csv_table import EXPORT_COLUMNS
from cmquiz.loader import load_bank, load_library
from cmquiz.model import Question, QuestionType
from strategies import questions

REPO = Path(__file__).resolve().parents[1]
BANKS = REPO / "src" / "cmquiz" / "banks"
DATA = Path(__file__).parent / "data"
Invoke = Callable[..., Any]


def banks(**kwargs: Any) -> st.SearchStrategy[list[Question]]:
    return st.lists(questions(**kwargs), min_size=1, max_size=5, unique_by=lambda q: q.id)


def round_trip(original: list[Question], to: str, suffix: str, **options: Any) -> list[Question]:
    exported = export_questions(original, to)
    result = import_text(exported.text, f"bank{suffix}", **options)
    assert not result.skips, result.skips
    reloaded = parse_bank_text(result.yaml_text(), "bank.yaml")  # the YAML holds it too
    assert reloaded.questions == result.bank.questions
    return list(result.bank.questions)


@settings(deadline=None)
@given(banks())
def test_gift_round_trip(original: list[Question]) -> None:
    assert round_trip(original, "gift", ".gift") == original


@settings(deadline=None)
@given(banks())
def test_csv_round_trip(original: list[Question]) -> None:
    assert round_trip(original, "csv", ".csv") == original


@settings(deadline=None)
@given(banks(types=(QuestionType.SINGLE,), newlines=False))
def test_aiken_round_trip(original: list[Question]) -> None:
    result = export_questions(original, "aiken")
    exported = result.exported
    refused = [q for q in original if q not in exported]
    assert len(result.notes) >= len(refused)  # each refusal is named in a note
    if not exported:
        return
    back = round_trip(list(exported), "aiken", ".txt", fmt="aiken", topic="知识点")
    assert [(q.type, q.stem, q.options, q.answer) for q in back] == [
        (q.type, q.stem, q.options, q.answer) for q in exported
    ]
    assert {q.topic.name for q in back} == {"知识点"}


def test_aiken_leaves_out_what_it_cannot_hold() -> None:
    library = load_library([DATA / "mini.yaml"])
    result = export_questions(library.questions, "aiken")
    assert [q.id for q in result.exported] == ["t-guar-1", "t-etq-1"]
    assert [q.id for q in result.left_out] == ["t-guar-2", "t-guar-3", "t-etq-2"]
    assert "ANSWER: B" in result.text


def test_aiken_writes_one_line_per_text() -> None:
    question = Question(
        id="q",
        type=QuestionType.SINGLE,
        topic="t",
        stem="第一行\n第二行",
        options=(("A", "甲\n乙"), ("B", "丙")),
        answer=frozenset("A"),
    )
    result = export_questions([question], "aiken")
    assert result.text == "第一行 第二行\nA. 甲 乙\nB. 丙\nANSWER: A\n"
    assert "换行" in result.notes[0]


def test_gift_layout() -> None:
    text = export_questions(load_library([BANKS]).questions, "gift").text
    assert "$CATEGORY: $course$/top/个人信贷业务/17 贷款担保管理\n" in text
    assert (
        "// [id:credit-17-001] [tag:17 贷款担保管理]\n// 知识点: 贷款担保管理\n// 知识点代码: 17\n"
    ) in text
    assert "::pb-003::" in text
    assert "~%25%保密\n~%25%诚信\n~%25%审慎\n~%25%专业\n" in text
    assert "清偿次序依次是\\:()。{" in text  # the colon is escaped


def test_csv_opens_in_a_spreadsheet_and_has_anki_columns() -> None:
    text = export_questions(load_library([DATA / "mini.yaml"]).questions, "csv").text
    assert text.startswith("\ufeff正面,背面,标签,id,题型,")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    first = rows[0]
    assert first["题型"] == "单选"
    assert first["答案"] == "B"
    assert first["正面"].startswith("处分抵押物所得价款不足以清偿相关款项的")
    assert "<br>A. 抵押人<br>B. 借款人" in first["正面"]
    assert first["背面"] == "答案:B B. 借款人<br>解析:不足部分仍是借款人的债务。"
    assert first["标签"] == "17_贷款担保管理"
    judge = rows[2]
    assert (judge["题型"], judge["答案"], judge["选项A"]) == ("判断", "对", "")


# --- the command -----------------------------------------------------------------------------


def test_export_gift_to_stdout(invoke: Invoke) -> None:
    result = invoke("--bank", str(BANKS), "export")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("// 由 cmquiz 导出")
    questions = load_library([BANKS]).questions
    counts = "、".join(
        f"{t.label} {n}" for t in QuestionType if (n := sum(1 for q in questions if q.type is t))
    )
    assert f"已导出 {len(questions)} 道题({counts}),格式 gift" in result.stderr


def test_export_then_import_round_trips_the_bundled_banks(invoke: Invoke, tmp_path: Path) -> None:
    library = load_library([BANKS])
    for fmt in ("gift", "csv"):
        out = tmp_path / f"all.{fmt}"
        exported = invoke("--bank", str(BANKS), "export", "-o", str(out))  # format from suffix
        assert exported.exit_code == 0, exported.output
        back = tmp_path / f"back-{fmt}.yaml"
        clash = invoke("import", str(out), "-o", str(back))  # the bundled banks have these ids
        assert clash.exit_code == 1
        assert "id 与已加载的题库重复" in clash.stderr
        assert not back.exists()
        imported = invoke("import", str(out), "-o", str(back), "--allow-id-clash")
        assert imported.exit_code == 0, imported.output
        assert load_bank(back).questions == library.questions


def test_export_aiken_reports_what_it_left_out(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "mini.txt"
    result = invoke(
        "--bank", str(DATA / "mini.yaml"), "export", "--format", "aiken", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "已导出 2 道题(单选 2)" in result.stderr
    assert "Aiken 只能放单选题,未导出 3 道" in result.stderr
    assert "多选 1 道:t-guar-2" in result.stderr
    assert "判断 2 道:t-guar-3, t-etq-2" in result.stderr
    assert out.read_text(encoding="utf-8").count("ANSWER:") == 2


def test_export_topic_filter_and_overwrite(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "guar.csv"
    result = invoke("--bank", str(DATA / "mini.yaml"), "export", "-t", "17", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "已导出 3 道题" in result.stderr
    again = invoke("--bank", str(DATA / "mini.yaml"), "export", "-o", str(out))
    assert again.exit_code == 1
    assert "已存在" in again.stderr
    forced = invoke("--bank", str(DATA / "mini.yaml"), "export", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    unknown = invoke("--bank", str(DATA / "mini.yaml"), "export", "-t", "没有这个")
    assert unknown.exit_code == 2


def test_export_usage_errors(invoke: Invoke, tmp_path: Path) -> None:
    bad = invoke("--bank", str(DATA / "mini.yaml"), "export", "--format", "docx")
    assert bad.exit_code == 2
    assert "未知的导出格式 docx" in bad.stderr
    judge_only = tmp_path / "judge.yaml"
    judge_only.write_text(
        "bank: j\nquestions:\n  - {id: j1, type: judge, topic: t, stem: s, answer: true}\n",
        encoding="utf-8",
    )
    nothing = invoke("--bank", str(judge_only), "export", "--format", "aiken")
    assert nothing.exit_code == 2
    assert "Aiken 只能放单选题" in nothing.stderr


# --- any input: a report or a clear error, never a crash -----------------------------------

TOKENS = [
    "题目类型:",
    "单选",
    "题干:",
    "备选项:",
    "A、",
    "B、",
    "正确答案:",
    "准确答案:",
    "题目涉及知识点",
    "题目涉及知识",
    "题目难度",
    "出题人",
    "一、单选题",
    "1. ",
    "2、",
    "答案：",
    "【答案】",
    "解析：",
    "知识点：",
    "（ ）",
    "(√)",
    "ANSWER: ",
    "A. ",
    "b) ",
    "{",
    "}",
    "=",
    "~",
    "%50%",
    "#",
    "####",
    "::",
    "\\",
    "$CATEGORY: a/b",
    "// 知识点: x",
    "{T}",
    "->",
    "题干,A,B,答案",
    ",",
    "\t",
    '"',
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "甲",
    "乙",
    "B",
    "对",
]


@settings(deadline=None, max_examples=300)
@given(
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60),
    st.sampled_from(["auto", "seed", "text", "csv", "aiken", "gift"]),
)
def test_no_input_crashes_an_importer(pieces: list[str], fmt: str) -> None:
    from cmquiz.errors import CmquizError

    try:
        result = import_text("".join(pieces), "fuzz.txt", fmt=fmt)
    except CmquizError:
        return  # nothing importable, or not the format: a message, not a traceback
    parse_bank_text(result.yaml_text(), "fuzz.yaml")
