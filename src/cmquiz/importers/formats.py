"""Every import and export format in one registry: its name, what it reads and writes, the
file suffixes that select it, and how its text is recognised.

``cmquiz import --format auto`` takes the format from the suffix when one names it, else the
first format (in registry order) whose ``looks_like`` accepts the text; ``cmquiz export`` takes
it from ``--format``, else from the output's suffix, else GIFT.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from ..model import Question
from . import aiken, csv_table, gift, numbered, seed
from .drafts import ExportResult, Parsed

_SAMPLE = 200_000  # characters of a file that detection looks at


@dataclass(frozen=True)
class Format:
    """One file format cmquiz reads, writes, or both."""

    key: str
    description: str
    read: Callable[[str], Parsed] | None = None
    write: Callable[[Sequence[Question]], ExportResult] | None = None
    looks_like: Callable[[str], bool] | None = None
    import_suffixes: tuple[str, ...] = ()
    export_suffixes: tuple[str, ...] = ()
    export_description: str = ""


# In the order detection tries them: a CSV header first; "ANSWER:" lines are neither seed nor
# (unescaped) GIFT; the seed's labels; GIFT's braces; numbered questions last.
FORMATS: tuple[Format, ...] = (
    Format(
        "csv",
        "CSV/TSV 表格(表头:题型、题干、选项A…选项H、答案、知识点、难度、解析…)",
        read=csv_table.parse,
        write=csv_table.write,
        looks_like=csv_table.looks_like,
        import_suffixes=(".csv", ".tsv"),
        export_suffixes=(".csv",),
        export_description="CSV 表格(UTF-8 带 BOM):可用 Excel/WPS 打开,也可导入 Anki",
    ),
    Format(
        "aiken",
        "Moodle Aiken(题干、A. …、ANSWER: B)",
        read=aiken.parse,
        write=aiken.write,
        looks_like=lambda text: bool(aiken.LOOKS_LIKE.search(text)),
        import_suffixes=(".aiken",),
        export_suffixes=(".aiken", ".txt"),
        export_description="Moodle Aiken:只能放单选题,其余题型不导出",
    ),
    Format(
        "seed",
        "题库导出(题目类型/题干/备选项/正确答案/题目涉及知识点…,连排版或模板版)",
        read=seed.parse,
        looks_like=lambda text: len(seed.SIGNATURE.findall(text)) >= 2,
    ),
    Format(
        "gift",
        "Moodle GIFT(::标题::题干{=对 ~错}、{T}/{F}、$CATEGORY:)",
        read=gift.parse,
        write=gift.write,
        looks_like=lambda text: bool(gift.LOOKS_LIKE.search(text)),
        import_suffixes=(".gift",),
        export_suffixes=(".gift",),
        export_description="Moodle GIFT:单选、多选、判断,保留知识点等信息,可导回",
    ),
    Format(
        "text",
        "编号题目文本(一、单选题 / 1. 题干 / A. … / 答案:B / 解析:…)",
        read=numbered.parse,
        looks_like=lambda text: bool(numbered.LOOKS_LIKE.search(text)),
    ),
)
BY_KEY = {f.key: f for f in FORMATS}
DEFAULT_EXPORT = "gift"


def format_key(name: str) -> str:
    """``GIFT``/`` gift `` -> ``gift``."""
    return re.sub(r"\s", "", name).lower()


def import_formats() -> dict[str, str]:
    """Key -> description of every format ``cmquiz import`` reads."""
    return {f.key: f.description for f in FORMATS if f.read is not None}


def export_formats() -> dict[str, str]:
    return {f.key: f.export_description for f in FORMATS if f.write is not None}


def detect_format(text: str, filename: str = "") -> str | None:
    """The key of the format ``text`` is in, or None when it looks like none of them."""
    suffix = PurePath(filename).suffix.lower()
    for fmt in FORMATS:
        if fmt.read is not None and suffix in fmt.import_suffixes:
            return fmt.key
    sample = text[:_SAMPLE]
    for fmt in FORMATS:
        if fmt.read is not None and fmt.looks_like is not None and fmt.looks_like(sample):
            return fmt.key
    return None


def export_format_for(name: str | None, output: str | None) -> str:
    """``--format`` when given, else the one the output file's suffix names, else GIFT."""
    if name is not None:
        return format_key(name)
    suffix = PurePath(output).suffix.lower() if output else ""
    for fmt in FORMATS:
        if fmt.write is not None and suffix in fmt.export_suffixes:
            return fmt.key
    return DEFAULT_EXPORT
