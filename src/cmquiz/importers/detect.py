"""Which format a file to import is in: from its suffix when that is unambiguous, else from
what its text looks like (``--format`` overrides both)."""

from __future__ import annotations

from pathlib import PurePath

from . import aiken, csv_table, gift, numbered, seed

FORMATS: dict[str, str] = {
    "seed": "题库导出(题目类型/题干/备选项/正确答案/题目涉及知识点…,连排版或模板版)",
    "text": "编号题目文本(一、单选题 / 1. 题干 / A. … / 答案:B / 解析:…)",
    "csv": "CSV/TSV 表格(表头:题型、题干、选项A…选项H、答案、知识点、难度、解析…)",
    "aiken": "Moodle Aiken(题干、A. …、ANSWER: B)",
    "gift": "Moodle GIFT(::标题::题干{=对 ~错}、{T}/{F}、$CATEGORY:)",
}
_SUFFIXES = {".gift": "gift", ".csv": "csv", ".tsv": "csv", ".aiken": "aiken"}
_SAMPLE = 200_000


def detect_format(text: str, filename: str = "") -> str | None:
    """A key of ``FORMATS``, or None when the text matches none of them."""
    by_suffix = _SUFFIXES.get(PurePath(filename).suffix.lower())
    if by_suffix is not None:
        return by_suffix
    sample = text[:_SAMPLE]
    if csv_table.looks_like(sample):
        return "csv"
    if aiken.LOOKS_LIKE.search(sample):  # "ANSWER:" lines: neither seed nor (unescaped) GIFT
        return "aiken"
    if len(seed.SIGNATURE.findall(sample)) >= 2:
        return "seed"
    if gift.LOOKS_LIKE.search(sample):
        return "gift"
    if numbered.LOOKS_LIKE.search(sample):
        return "text"
    return None
