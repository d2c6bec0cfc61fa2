"""Word (.docx) and Excel (.xlsx) banks, built here with python-docx and openpyxl."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import RGBColor

from cmquiz.bankfile import parse_bank_text
from cmquiz.errors import ImportSourceError
from cmquiz.importers import SkipReason, import_file
from cmquiz.importers.convert import ImportResult
from cmquiz.model import Question, QuestionType

Invoke = Callable[..., Any]


def keys(question: Question) -> str:
    return "".join(sorted(question.answer))


def png() -> bytes:
    """A valid 1x1 PNG, for a picture in a document."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def accounted(result: ImportResult) -> None:
    imported = len(result.bank.questions)
    assert imported + len(result.skips) + result.dropped_duplicates == result.records
    parse_bank_text(result.yaml_text(), "out.yaml")  # what is written, the loader accepts


# --- Word: numbered paragraphs ---------------------------------------------------------------


def numbered_docx(path: Path) -> Path:
    doc = Document()
    doc.add_heading("个人信贷业务练习(Word)", level=1)
    doc.add_paragraph("一、单选题")
    doc.add_paragraph("1. 专业担保机构为保证人的,实行(　)。")
    doc.add_paragraph("A. 专项储存,分户管理\tB. 专项储存,专户管理")
    doc.add_paragraph("C. 分项储存,分户管理\tD. 分项储存,专户管理")
    doc.add_paragraph("答案:B")
    doc.add_paragraph("解析:担保基金实行专项储存、专户管理。")
    para = doc.add_paragraph("2. 处分抵押物所得价款不足的,向( )追偿。")
    para.add_run().add_break()  # a soft line break inside the paragraph
    para.add_run("A. 抵押人 B. 借款人 C. 保证人")
    doc.add_paragraph("3. 下列哪项是图示的账户类型?")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    doc.add_paragraph("A. 甲 B. 乙")
    doc.add_paragraph("答案:A")
    doc.add_paragraph("二、判断题")
    doc.add_paragraph("4. 担保基金实行专项储存、专户管理。(√)")
    doc.add_paragraph("5. 处分抵押物的价款先抵贷款本金。(×)")
    doc.add_paragraph("参考答案")
    doc.add_paragraph("2.B")
    doc.save(str(path))
    return path


def test_numbered_paragraphs_with_a_picture_and_a_key(tmp_path: Path) -> None:
    result = import_file(numbered_docx(tmp_path / "练习.docx"), topic="担保")
    assert result.format == "docx"
    accounted(result)
    assert result.records == 5
    stems = {q.stem[:6]: q for q in result.bank.questions}
    assert keys(stems["专业担保机构"]) == "B"
    second = stems["处分抵押物所"]
    assert (keys(second), len(second.options)) == ("B", 3)  # answer from the key block
    assert [(q.type, keys(q)) for q in result.bank.questions[2:]] == [
        (QuestionType.JUDGE, "T"),
        (QuestionType.JUDGE, "F"),
    ]
    (picture,) = result.skips
    assert picture.reason is SkipReason.IMAGE
    assert str(picture).startswith("第 9 段:含图片,未导入")  # question 3; its picture is in 10
    rules = {e.qid: e.rule for e in result.explained}
    assert rules[second.id] == "答案表(第 17 段)"


# --- Word: answers shown by formatting ----------------------------------------------------


def coloured_docx(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("营销练习(正确选项标红)")

    def question(number: int, stem: str, options: list[str], mark: set[int], how: str) -> None:
        doc.add_paragraph(f"{number}. {stem}")
        for index, text in enumerate(options):
            para = doc.add_paragraph()
            run = para.add_run(f"{'ABCD'[index]}. {text}")
            if index in mark:
                if how == "red":
                    run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
                elif how == "bold":
                    run.bold = True
                elif how == "underline":
                    run.underline = True
                else:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    question(1, "客户分类的依据是( )", ["客户价值", "客户年龄", "住址"], {0}, "red")
    question(2, "建档应记录( )", ["基本信息", "往来记录", "竞争报价"], {0, 1}, "bold")
    question(3, "回访的时间是( )", ["随时", "约定时间"], {1}, "underline")
    question(4, "投诉处理首先要( )", ["倾听", "辩解", "推诿", "拖延"], {0}, "highlight")
    question(5, "所有选项都加粗,不能作答案( )", ["甲", "乙"], {0, 1}, "bold")
    para = doc.add_paragraph("6. 同一行的选项( ) A. 对的 ")  # options on the question line
    para.add_run("B. 标红的").font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    doc.add_paragraph("7. 有答案行时不看颜色( )")
    doc.add_paragraph("A. 甲").runs[0].bold = True
    doc.add_paragraph("B. 乙")
    doc.add_paragraph("答案:B")
    doc.save(str(path))
    return path


def test_answers_shown_in_red_bold_underline_or_highlight(tmp_path: Path) -> None:
    result = import_file(coloured_docx(tmp_path / "marked.docx"), topic="营销")
    accounted(result)
    got = [(q.type, keys(q)) for q in result.bank.questions]
    assert got == [
        (QuestionType.SINGLE, "A"),
        (QuestionType.MULTIPLE, "AB"),
        (QuestionType.SINGLE, "B"),
        (QuestionType.SINGLE, "A"),
        (QuestionType.SINGLE, "B"),
        (QuestionType.SINGLE, "B"),  # the answer line wins over the bold option A
    ]
    (unmarked,) = result.skips  # every option bold: nothing marks the answer
    assert (unmarked.reason, unmarked.place) == (SkipReason.NO_ANSWER, "第 18 段")
    rules = [e.rule for e in result.explained]
    assert rules[:5] == ["标成红色、加粗、下划线或高亮的选项"] * 5
    assert rules[5].startswith("答案行")


# --- Word: tables ------------------------------------------------------------------------


def table_docx(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("题库(表格版)")
    rows = [
        ["题型", "题干", "A", "B", "C", "D", "答案", "知识点"],
        ["单选", "贷款利率下限为基准利率的( )倍", "0.6", "0.7", "0.85", "0.9", "D", "利率"],
        ["", "等额本金还款法的总利息( )", "较多", "较少", "相同", "不定", "B", ""],
        ["多选", "抵押设立环节的风险有( )", "无效抵押", "重复抵押", "灭失", "查封", "ABD", "风险"],
        ["判断", "担保基金专户管理。", "", "", "", "", "对", "担保"],
        ["单选", "这一行的答案不在选项里( )", "甲", "乙", "", "", "E", "风险"],
    ]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    single = table.cell(1, 0).merge(table.cell(2, 0))  # 单选 written once for two rows
    single.text = "单选"
    topic = table.cell(1, 7).merge(table.cell(2, 7))
    topic.text = "利率"
    doc.add_paragraph("下面的题写在一个两列的表格里:")
    loose = doc.add_table(rows=4, cols=2)
    for r, (left, right) in enumerate(
        [("1", "客户投诉首先应当( )"), ("A", "倾听"), ("B", "辩解"), ("答案", "A")]
    ):
        loose.cell(r, 0).text = left
        loose.cell(r, 1).text = right
    doc.add_paragraph("2. 营销前应了解客户需求( )")
    doc.add_paragraph("A. 需要 B. 不需要")
    doc.add_paragraph("参考答案")
    key = doc.add_table(rows=2, cols=2)
    for c, (number, answer) in enumerate([("题号", "答案"), ("2", "A")]):
        key.cell(0, c).text = number
        key.cell(1, c).text = answer
    doc.save(str(path))
    return path


def test_a_word_table_bank_with_merged_cells_and_a_key_table(tmp_path: Path) -> None:
    result = import_file(table_docx(tmp_path / "表格题库.docx"))
    accounted(result)
    assert result.records == 7
    questions = result.bank.questions
    first, second = questions[0], questions[1]
    assert (first.type, keys(first), first.topic.name) == (QuestionType.SINGLE, "D", "利率")
    # the merged 题型 and 知识点 cells count for both rows they cover
    assert (second.type, keys(second), second.topic.name) == (QuestionType.SINGLE, "B", "利率")
    assert (questions[2].type, keys(questions[2])) == (QuestionType.MULTIPLE, "ABD")
    assert (questions[3].type, keys(questions[3])) == (QuestionType.JUDGE, "T")
    loose = [q for q in questions if q.stem.startswith("客户投诉")]
    assert [(q.options, keys(q)) for q in loose] == [((("A", "倾听"), ("B", "辩解")), "A")]
    keyed = [q for q in questions if q.stem.startswith("营销前")]
    assert [keys(q) for q in keyed] == ["A"]  # from the 题号/答案 key table
    (bad,) = result.skips
    assert (bad.reason, bad.place) == (SkipReason.BAD_ANSWER, "表 1 第 6 行")


# --- Excel ------------------------------------------------------------------------------


def workbook(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes["A1"] = "本工作簿第二张表是题库"
    sheet = book.create_sheet("题库")
    sheet["A1"] = "个人贷款练习"
    sheet.append([])
    sheet.append(["题型", "知识点", "题干", "选项A", "选项B", "选项C", "答案", "难度"])
    sheet.append(["单选", "17 贷款担保管理", "担保基金实行( )", "专户", "分户", "混合", "A", 3])
    sheet.append(["单选", None, "处分抵押物价款不足,向( )追偿", "抵押人", "借款人", "", "B", 2.0])
    sheet.merge_cells("B4:B5")  # the knowledge point written once for two rows
    sheet.append(["判断", "18 还款方式", "等额本金前期还款多。", None, None, None, True, None])
    sheet.append(["单选", "18 还款方式", "见图,哪种还款方式( )", "等额本金", "等额本息", "", "A"])
    sheet.add_image(Image(io.BytesIO(png())), "C7")
    sheet.append(["单选", "18 还款方式", "", "'=甲", "乙", "", "A"])
    sheet["C8"].value = "=1+1 不是公式( )"
    sheet["C8"].data_type = "s"  # text that starts with "=", as Excel keeps a typed '=1+1
    marked = book.create_sheet("标色")
    marked.append(["题干", "A", "B", "C"])
    marked.append(["红色的是答案( )", "甲", "乙", "丙"])
    marked["C2"].font = Font(color="FFFF0000")
    marked.append(["黄色底纹的是答案( )", "甲", "乙", "丙"])
    marked["B3"].fill = PatternFill("solid", fgColor="FFFFFF00")
    marked.append(["都没标( )", "甲", "乙", "丙"])
    book.save(str(path))
    return path


def test_an_excel_bank_in_any_sheet(tmp_path: Path) -> None:
    result = import_file(workbook(tmp_path / "题库.xlsx"))
    assert result.format == "xlsx"
    accounted(result)
    assert result.records == 8
    questions = result.bank.questions
    first, second, judge = questions[0], questions[1], questions[2]
    assert (first.type, keys(first), first.topic.code, first.difficulty) == (
        QuestionType.SINGLE,
        "A",
        "17",
        3,
    )
    assert (keys(second), second.topic.code, second.difficulty) == ("B", "17", 2)  # merged cell
    assert (judge.type, keys(judge)) == (QuestionType.JUDGE, "T")
    formula = [q for q in questions if q.stem.startswith("=1+1")]
    assert formula[0].option_text("A") == "=甲"  # the apostrophe that kept it text is gone
    coloured = [(q.stem[:4], keys(q)) for q in questions if q.topic.name == "未分类"]
    assert coloured == [("红色的是", "B"), ("黄色底纹", "A")]
    reasons = {(s.place, s.reason) for s in result.skips}
    assert reasons == {
        ("工作表 题库 第 7 行", SkipReason.IMAGE),
        ("工作表 标色 第 4 行", SkipReason.NO_ANSWER),
    }
    assert any("工作表 说明" in str(w) for w in result.warnings)


def test_a_workbook_without_a_header_is_read_as_numbered_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (
        ["1. 题干一( )"],
        ["A. 甲", "B. 乙"],
        ["答案:B"],
        ["2. 题干二(A)"],
        ["A. 丙 B. 丁"],
    ):
        sheet.append(row)
    path = tmp_path / "numbered.xlsx"
    book.save(str(path))
    result = import_file(path, topic="x")
    assert [keys(q) for q in result.bank.questions] == ["B", "A"]


# --- files that are not what they seem -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ["旧版 Word", ".docx"]),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ["旧版 Excel", ".xlsx"]),
        ("bank.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 60, ["WPS", ".docx"]),
        ("bank.et", b"anything", ["WPS 表格", ".xlsx"]),
        ("ole.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 60, ["另存为"]),
    ],
)
def test_old_office_and_wps_files_say_how_to_convert(
    invoke: Invoke, tmp_path: Path, name: str, data: bytes, words: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr


def test_a_zip_that_is_not_office_and_a_truncated_workbook(tmp_path: Path) -> None:
    import zipfile

    plain = tmp_path / "archive.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "1. 题\nA. 甲\nB. 乙\n答案:A\n")
    with pytest.raises(ImportSourceError, match="不是 Word"):
        import_file(plain)
    whole = workbook(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportSourceError, match="已损坏"):
        import_file(cut)
    fake = tmp_path / "fake.docx"
    fake.write_text("1. 题\nA. 甲\nB. 乙\n答案:A\n", encoding="utf-8")
    assert len(import_file(fake).bank.questions) == 1  # a text file named .docx is still text
