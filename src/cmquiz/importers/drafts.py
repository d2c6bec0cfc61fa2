"""What every format parser produces: drafts (raw records), skips and notes, plus text helpers.

A parser turns a file into ``Draft`` records that keep the source's own words (``单选题``,
``对``, ``a,c``); ``building`` then decides what each draft is, and either builds a
``Question`` or reports a ``Skip``. Pure Python: no I/O, no typer, no rich, no yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ..answers import OPTION_KEYS
from ..model import Question
from ..topics import Topic

UNCATEGORIZED = "未分类"


class SkipReason(StrEnum):
    """Why a record was not imported (the summary counts skips by these)."""

    NO_STEM = "缺少题干"
    NO_OPTIONS = "缺少选项"
    NO_ANSWER = "缺少答案"
    BAD_OPTIONS = "选项有误"
    BAD_ANSWER = "答案与选项不符"
    TYPE_MISMATCH = "题型与答案不符"
    UNSUPPORTED = "不支持的题型"
    FRAGMENT = "残片"
    IMAGE = "含图片,未导入"
    BROKEN_ROW = "表格行有误"


IMAGE_MARK = "\ufffc"
"""What a Word or Excel reader puts where a picture stood (U+FFFC, OBJECT REPLACEMENT CHARACTER):
a question whose stem or options hold one is reported, never imported without its figure."""

Place = Callable[[int], str]
"""Where a record starts, in the source's own terms: ``第 12 行``, ``第 3 段``, ``表 1 第 2 行``."""


def mark_pictures(parsed: Parsed) -> None:
    """Word and Excel readers: where ``IMAGE_MARK`` stands in a record, note the part (the
    question is then reported, not imported without its figure) and take the mark out; a picture
    in an explanation is dropped with a note."""
    for draft in parsed.drafts:
        parts = []
        if IMAGE_MARK in draft.stem:
            parts.append("题干")
            draft.stem = draft.stem.replace(IMAGE_MARK, "")
        for index, (key, text) in enumerate(draft.options):
            if IMAGE_MARK in text:
                parts.append(f"选项 {key}")
                draft.options[index] = (key, text.replace(IMAGE_MARK, ""))
        draft.pictures = tuple(parts)
        for name in ("explanation", "evidence", "source"):
            value = getattr(draft, name)
            if value and IMAGE_MARK in value:
                setattr(draft, name, value.replace(IMAGE_MARK, ""))
                parsed.warnings.append(Note(draft.line, "解析等说明里的图片未导入,文字已导入"))


def line_place(line: int) -> str:
    return f"第 {line} 行"


class Rule(StrEnum):
    """The layout rule that placed a question's answer (``cmquiz import --explain``)."""

    MARKER = "答案行(答案:/【答案】/答案 B)"
    MARKER_NEXT_LINE = "答案标记的下一行"
    IN_PARENTHESES = "题干括号内的字母或对错"
    AFTER_STEM = "紧跟题干或空白处的字母"
    TRAILING_MARK = "题干末尾的 √/×"
    ALONE_AFTER_OPTIONS = "选项后单独一行的字母"
    KEY_BLOCK = "答案表"
    EMPHASIS = "标成红色、加粗、下划线或高亮的选项"
    COLUMN = "答案列"
    SEED_LABEL = "正确答案/准确答案 标签"
    GIFT = "GIFT 的 =、~%权重% 或 {T}/{F}"
    AIKEN = "ANSWER: 行"
    ANKI = "Anki 背面的“答案:”"


@dataclass(frozen=True)
class Skip:
    """A record that was not imported: where it starts, why, and what was seen."""

    line: int
    reason: SkipReason
    detail: str = ""
    place: str = ""  # the line in the source's terms; "第 N 行" when empty

    def __str__(self) -> str:
        detail = f",{self.detail}" if self.detail else ""
        return f"{self.place or line_place(self.line)}:{self.reason.value}{detail}"


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not a skip: a repair, a dropped value."""

    line: int | None
    message: str
    place: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.place or line_place(self.line)}:{self.message}"


@dataclass
class Draft:
    """One record as the source wrote it; every field is raw text (or None when absent)."""

    line: int
    stem: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    answer: str | None = None
    type_label: str | None = None
    topic: str | None = None
    topic_code: str | None = None
    difficulty: str | None = None
    explanation: str | None = None
    evidence: str | None = None
    source: str | None = None
    author: str | None = None
    qid: str | None = None  # an id the source carries (files written by cmquiz export)
    answer_rule: str | None = None  # which layout rule placed the answer (a Rule, or its text)
    pictures: tuple[str, ...] = ()  # Word/Excel: the parts that held a picture (题干, 选项 B)

    def set_field(self, name: str, value: str) -> None:
        """Set a field by its name in the field table (``id`` is ``qid``, ``type`` the label)."""
        setattr(self, _DRAFT_ATTRIBUTES.get(name, name), value)


_DRAFT_ATTRIBUTES = {"id": "qid", "type": "type_label"}


@dataclass(frozen=True)
class ExportResult:
    """The text to write, and what the format could not hold."""

    format: str
    text: str
    exported: tuple[Question, ...]
    left_out: tuple[Question, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class Parsed:
    """A parser's result: drafts in source order, and what it could not use."""

    drafts: list[Draft] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    repairs: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    ignored_lines: list[int] = field(default_factory=list)
    place: Place = line_place

    @property
    def records(self) -> int:
        """Every record the reader found: the drafts, and the fragments it skipped itself."""
        return len(self.drafts) + len(self.skips)


# --- text helpers --------------------------------------------------------------------------

_KEY_CHARS = "A-Ha-hＡ-Ｈａ-ｈ"
_OPTION_SEPARATORS = ".．、:：)）"
OPTION_LINE = re.compile(rf"^\s*+([{_KEY_CHARS}])\s*+[{_OPTION_SEPARATORS}]\s*+")
_CJK_SEPARATORS = "、．）："


def normalize_key(char: str) -> str:
    """``ａ``/``a``/``Ａ`` -> ``A``."""
    return unicodedata.normalize("NFKC", char).upper()


def split_topic_label(label: str) -> tuple[str | None, str]:
    """``17贷款担保管理`` -> (``17``, ``贷款担保管理``), as ``Topic.from_label`` reads it."""
    topic = Topic.from_label(label)
    return topic.code, topic.name


def join_lines(parts: list[str]) -> str:
    """Lines of one field joined with line breaks (blank edges dropped)."""
    return "\n".join(parts)


def join_wrapped_all(parts: list[str]) -> str:
    """``join_wrapped`` over many pieces, in time linear in their total length."""
    out: list[str] = []
    last = ""
    for raw in parts:
        piece = raw.strip()
        if not piece:
            continue
        ascii_words = last and last[-1].isascii() and last[-1].isalnum()
        if ascii_words and piece[0].isascii() and piece[0].isalnum():
            out.append(" ")
        out.append(piece)
        last = piece
    return "".join(out)


def join_wrapped(head: str, tail: str) -> str:
    """Join a line broken by a PDF conversion: no space between CJK text, one between words."""
    head, tail = head.rstrip(), tail.strip()
    if not head:
        return tail
    if not tail:
        return head
    if head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum():
        return f"{head} {tail}"
    return head + tail


def _find_marker(text: str, key: str, start: int, lower: bool) -> re.Match[str] | None:
    """The next option marker for ``key`` at or after ``start``.

    After a CJK separator (``B、``, ``B．``, ``B）``) any character may precede the letter (the
    seed runs options together: ``A、0.6B、0.7``); after an ASCII one (``B.``, ``B)``) the letter
    must not follow a letter or digit, so ``0.6B.0`` or ``PlanB.`` are not split.
    """
    letters = key + chr(ord(key) - ord("A") + ord("Ａ"))
    if lower:
        letters += key.lower() + chr(ord(key) - ord("A") + ord("ａ"))
    pattern = re.compile(rf"([{letters}])[ \t\u3000]*+([{_OPTION_SEPARATORS}])")
    for match in pattern.finditer(text, start):
        separator = match.group(2)
        before = text[match.start() - 1] if match.start() > 0 else " "
        if separator in _CJK_SEPARATORS or not (before.isascii() and before.isalnum()):
            return match
    return None


def option_spans(text: str) -> list[tuple[str, int, int]]:
    """Where each option of a line stands: ``(key, start, end)`` of its text, in key order.

    Only the next letter in sequence starts a new option, so ``A. 0.5 B. 0.7`` splits at B and
    never at a stray capital inside an option. Returns [] unless ``text`` opens with a marker.
    Linear in the line: each marker search goes on from where the last one stopped.
    """
    first = OPTION_LINE.match(text)
    if first is None:
        return []
    raw_key = first.group(1)
    lower = unicodedata.normalize("NFKC", raw_key).islower()
    key = normalize_key(raw_key)
    position = first.end()
    spans: list[tuple[str, int, int]] = []
    while True:
        next_key = chr(ord(key) + 1)
        found = _find_marker(text, next_key, position, lower) if next_key in OPTION_KEYS else None
        if found is None:
            spans.append((key, position, len(text)))
            return spans
        spans.append((key, position, found.start()))
        key, position = next_key, found.end()


def split_options(text: str) -> list[tuple[str, str]]:
    """Options written on one line (``A. 甲 B. 乙``, ``A、甲B、乙``), in key order."""
    return [(key, text[start:end].strip()) for key, start, end in option_spans(text)]


def shorten(text: str, width: int = 24) -> str:
    """The start of a text for a one-line report: ``专业担保机构为保证人的,原则上…``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def line_ranges(lines: list[int], limit: int = 6) -> str:
    """``[1, 2, 3, 7]`` -> ``第 1–3、7 行``."""
    spans: list[tuple[int, int]] = []
    for number in sorted(set(lines)):
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:limit]]
    more = "…" if len(spans) > limit else ""
    return f"第 {'、'.join(shown)}{more} 行"
