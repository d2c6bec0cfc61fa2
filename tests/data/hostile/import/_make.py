"""Writes the hostile import corpus next to this file (run it to rebuild: python _make.py).

Each file is malformed or hostile for one reader; tests/test_import_hostile.py imports every one
in a subprocess with a timeout and wants one clear message or a correct result, no traceback,
no hang, and no terminal control character in anything printed or written.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
QUESTION = "1. 担保基金实行( )。\nA. 专户管理 B. 分户管理\n答案:A\n"


def docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["题干", "A", "B", "答案"])
    for n in range(50):
        sheet.append([f"题{n}( )", "甲", "乙", "A"])
    sheet.merge_cells("A10:D40")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def files() -> dict[str, bytes]:
    text = {
        "nul_bytes.txt": "1. 含\x00空字符的题干( )\nA. 甲\x00 B. 乙\n答案:A\n\x00\x00\n",
        "rich_markup.txt": (
            "1. [bold red]不是粗体[/] [link=http://x]链接[/link]( )\n"
            "A. [b]甲[/b] B. [/]\n答案:A\n解析:[italic]斜体[/italic]\n"
        ),
        "ansi_osc.txt": (
            "1. \x1b[31m红色\x1b[0m\x1b]0;改标题\x07\x1b]8;;http://x\x1b\\链接\x1b]8;;\x1b\\( )\n"
            "A. \x1b[2J清屏 B. \x9b31m乙\n答案:A\n"
        ),
        "bidi.txt": "1. \u202e反向\u202c覆盖\u2066隔离\u2069( )\nA. \u202d甲 B. 乙\u200f\n答案:B\n",
        "million_stem.txt": "1. " + "x" * 1_000_000 + "( )\nA. 甲 B. 乙\n答案:A\n",
        "million_option.csv": "题干,A,B,答案\n题," + "a" * 1_000_000 + ",乙,A\n",
        "huge_numbers.txt": (
            "9" * 5000
            + ". 题号有五千位\n答案:对\n1. 题( )\nA. 甲 B. 乙\n答案:A\n难度:"
            + "7" * 5000
            + "\n"
        ),
        "blank_lines.txt": "\n" * 40_000,
        "space_lines.txt": " \n" * 40_000,
        "open_parens.txt": "(\n" * 40_000,
        "section_spaces.txt": QUESTION + "一" + " " * 200_000 + "x\n",
        "gift_comment_spaces.gift": "// a" + " " * 200_000 + "b\n::a::b{=c ~d}\n",
        "gift_unclosed.gift": "::a::题{=甲 ~乙\n\n::b::{{{{{{{{{{" + "{" * 10_000 + "\n",
        "gift_short_numerical.gift": "::a::简答{=北京}\n\n::b::数值{#3:1}\n\n::c::题{北京}\n",
        "csv_parens_header.csv": "题干," + "(" * 200_000 + "\n甲,乙\n",
        "csv_stray_quote.csv": '题干,A,B,答案\n好,甲,乙,A\n"坏,甲,乙,A\n' + "x,y,z,A\n" * 100,
        "csv_no_header.csv": "甲,乙,丙\n1,2,3\n",
        "seed_fragments.txt": "B、二\n准确答案:B\n" * 2000
        + "题目类型:单选\n题干:x\n备选项:A、一\n",
        "aiken_no_answer.txt": "题干\nA. 甲\nB. 乙\n\n" * 50 + "ANSWER: Z\n",
        "anki_odd_header.txt": (
            "#separator:\n#html:maybe\n#columns:\n"  # empty and odd values
            "#tags column:99999999999\n甲\t乙\n"
        ),
        "empty.txt": "",
        "crlf_cr_mixed.txt": QUESTION.replace("\n", "\r\n") + "2. 题二( )\rA. 甲\rB. 乙\r答案:B\r",
        "only_answers.txt": "答案:A\n答案:B\n参考答案\n1-5 ABCDE\n",
        "key_without_questions.txt": "参考答案\n1-100 " + "A" * 100 + "\n",
    }
    data = {name: value.encode("utf-8") for name, value in text.items()}
    data["invalid_utf8_mid.txt"] = QUESTION.encode() + b"\xff\xfe\xfd\x80" + QUESTION.encode()
    data["utf16_le_bom.txt"] = codecs.BOM_UTF16_LE + QUESTION.encode("utf-16-le")
    data["utf16_be_bom.csv"] = codecs.BOM_UTF16_BE + "题干,A,B,答案\n题,甲,乙,A\n".encode(
        "utf-16-be"
    )
    data["utf16_odd_length.txt"] = codecs.BOM_UTF16_LE + b"\x31\x00\x2e"
    data["gb18030.txt"] = QUESTION.encode("gb18030")
    data["random_bytes.bin"] = bytes((n * 7919 + 13) % 256 for n in range(4096))
    data["old_word.doc"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    data["old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    data["wps_text.wps"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    data["wps_sheet.et"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", QUESTION)
    data["zip_not_docx.docx"] = plain_zip.getvalue()
    data["zip_not_office.zip"] = plain_zip.getvalue()
    whole_xlsx = xlsx()
    data["merged.xlsx"] = whole_xlsx
    data["truncated.xlsx"] = whole_xlsx[: len(whole_xlsx) // 2]
    whole_docx = docx([QUESTION, "[bold]字面[/bold]"])
    data["truncated.docx"] = whole_docx[: len(whole_docx) // 3]
    data["markup.docx"] = docx(["1. [bold]字面[/bold]( )", "A. 甲 B. 乙", "答案:A"])
    return data


def main() -> None:
    for name, value in files().items():
        (HERE / name).write_bytes(value)


if __name__ == "__main__":
    main()
