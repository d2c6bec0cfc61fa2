"""Every import and export format in one registry: its name, what it reads and writes, the
file suffixes that select it, and how its content is recognised.

The registry names each format's module instead of importing it, so ``cmquiz --help`` (whose
``--format`` help comes from here) loads no reader, and python-docx or openpyxl are imported
only when a Word or Excel file is read.

``cmquiz import --format auto`` first looks at the bytes (a zip holding ``word/`` is Word, one
holding ``xl/`` is Excel), then at the suffix when one names a text format, then asks each text
format in registry order whether the text looks like it. ``cmquiz export`` takes the format from
``--format``, else from the output's suffix, else GIFT.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ..model import Question
    from .drafts import ExportResult, Parsed

_SAMPLE = 200_000  # characters of a file that text detection looks at


@dataclass(frozen=True)
class Format:
    """One file format cmquiz reads, writes, or both (``module`` is in ``cmquiz.importers``)."""

    key: str
    description: str
    module: str
    reads: bool = True
    writes: bool = False
    binary: bool = False  # read from bytes (Word, Excel), not from decoded text
    detect: bool = True  # its module has ``looks_like`` (text) or ``looks_like_bytes``
    import_suffixes: tuple[str, ...] = ()
    export_suffixes: tuple[str, ...] = ()
    export_description: str = ""

    def _function(self, name: str) -> Callable[..., Any]:
        module = importlib.import_module(f"{__package__}.{self.module}")
        return cast("Callable[..., Any]", getattr(module, name))

    def read(self, text: str) -> Parsed:
        return cast("Parsed", self._function("parse")(text))

    def read_bytes(self, data: bytes) -> Parsed:
        return cast("Parsed", self._function("parse_bytes")(data))

    def write(self, questions: Sequence[Question]) -> ExportResult:
        return cast("ExportResult", self._function("write")(questions))

    def looks_like(self, text: str) -> bool:
        return self.detect and not self.binary and bool(self._function("looks_like")(text))

    def looks_like_bytes(self, data: bytes) -> bool:
        return self.detect and self.binary and bool(self._function("looks_like_bytes")(data))


# In the order detection tries them: Word and Excel by their bytes; Anki's "#separator:"
# header; a CSV header; "ANSWER:" lines are neither seed nor (unescaped) GIFT; the seed's
# labels; GIFT's braces; numbered questions last.
FORMATS: tuple[Format, ...] = (
    Format(
        "docx",
        "Word 文档 .docx(编号题目、表格题、参考答案表;没有答案行时取红色/加粗/下划线/高亮的选项)",
        "word",
        binary=True,
        import_suffixes=(".docx",),
    ),
    Format(
        "xlsx",
        "Excel 工作簿 .xlsx(任一工作表中带表头的表格,表头同 CSV)",
        "excel",
        binary=True,
        import_suffixes=(".xlsx", ".xlsm"),
    ),
    Format(
        "anki",
        "Anki 文本(#separator:/#html:/#columns: 等文件头;cmquiz 导出的 正面/背面/标签)",
        "anki",
        writes=True,
        export_description="Anki 文本:Anki 按默认设置导入为“问答题”笔记(正面、背面、标签)",
    ),
    Format(
        "csv",
        "CSV/TSV 表格(表头:题型、题干、选项A…选项H、答案、知识点、难度、解析…)",
        "csv_table",
        writes=True,
        import_suffixes=(".csv", ".tsv"),
        export_suffixes=(".csv",),
        export_description="CSV 表格(UTF-8 带 BOM):可用 Excel/WPS 打开",
    ),
    Format(
        "aiken",
        "Moodle Aiken(题干、A. …、ANSWER: B)",
        "aiken",
        writes=True,
        import_suffixes=(".aiken",),
        export_suffixes=(".aiken", ".txt"),
        export_description="Moodle Aiken:只能放单选题,其余题型不导出",
    ),
    Format(
        "seed",
        "题库导出(题目类型/题干/备选项/正确答案/题目涉及知识点…,连排版或模板版)",
        "seed",
    ),
    Format(
        "gift",
        "Moodle GIFT(::标题::题干{=对 ~错}、{T}/{F}、$CATEGORY:)",
        "gift",
        writes=True,
        import_suffixes=(".gift",),
        export_suffixes=(".gift",),
        export_description="Moodle GIFT:单选、多选、判断,保留知识点等信息,可导回",
    ),
    Format(
        "text",
        "编号题目文本(一、单选题 / 1. 题干 / A. … / 答案:B / 解析:… / 参考答案 1-5 BCDAB)",
        "numbered",
    ),
)
BY_KEY = {f.key: f for f in FORMATS}
DEFAULT_EXPORT = "gift"


def format_key(name: str) -> str:
    """``GIFT``/`` gift `` -> ``gift``."""
    return re.sub(r"\s", "", name).lower()


def import_formats() -> dict[str, str]:
    """Key -> description of every format ``cmquiz import`` reads."""
    return {f.key: f.description for f in FORMATS if f.reads}


def export_formats() -> dict[str, str]:
    return {f.key: f.export_description for f in FORMATS if f.writes}


def import_format_help() -> str:
    """``--format`` help of ``cmquiz import``: every key, from the registry."""
    return "auto(自动识别), " + ", ".join(f.key for f in FORMATS if f.reads)


def export_format_help() -> str:
    keys = ", ".join(f.key for f in FORMATS if f.writes)
    return f"{keys};默认按 -o 的扩展名,否则 {DEFAULT_EXPORT}。"


def detect_bytes(data: bytes) -> str | None:
    """The key of a binary format (Word, Excel) whose bytes these are, or None."""
    for fmt in FORMATS:
        if fmt.binary and fmt.looks_like_bytes(data):
            return fmt.key
    return None


def detect_format(text: str, filename: str = "") -> str | None:
    """The key of the text format ``text`` is in, or None when it looks like none of them."""
    suffix = PurePath(filename).suffix.lower()
    for fmt in FORMATS:
        if not fmt.binary and suffix in fmt.import_suffixes:
            return fmt.key
    sample = text[:_SAMPLE]
    for fmt in FORMATS:
        if fmt.looks_like(sample):
            return fmt.key
    return None


def export_format_for(name: str | None, output: str | None) -> str:
    """``--format`` when given, else the one the output file's suffix names, else GIFT."""
    if name is not None:
        return format_key(name)
    suffix = PurePath(output).suffix.lower() if output else ""
    for fmt in FORMATS:
        if fmt.writes and suffix in fmt.export_suffixes:
            return fmt.key
    return DEFAULT_EXPORT
