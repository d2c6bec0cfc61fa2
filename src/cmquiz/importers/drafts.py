"""What every format parser produces: drafts (raw records), skips and notes, plus text helpers.

A parser turns a file into ``Draft`` records that keep the source's own words (``单选题``,
``对``, ``a,c``); ``building`` then decides what each draft is, and either builds a
``Question`` or reports a ``Skip``. Pure Python: no I/O, no typer, no rich, no yaml.
"""

from __future__ import annotations

import re
import unicodedata
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


@dataclass(frozen=True)
class Skip:
    """A record that was not imported: where it starts, why, and what was seen."""

    line: int
    reason: SkipReason
    detail: str = ""

    def __str__(self) -> str:
        detail = f",{self.detail}" if self.detail else ""
        return f"第 {self.line} 行:{self.reason.value}{detail}"


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not a skip: a repair, a dropped value."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行:{self.message}" if self.line is not None else self.message


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


# --- text helpers --------------------------------------------------------------------------

_KEY_CHARS = "A-Ha-hＡ-Ｈａ-ｈ"
_OPTION_SEPARATORS = ".．、:：)）"
OPTION_LINE = re.compile(rf"^\s*([{_KEY_CHARS}])\s*[{_OPTION_SEPARATORS}]\s*")
_CJK_SEPARATORS = "、．）："


def normalize_key(char: str) -> str:
    """``ａ``/``a``/``Ａ`` -> ``A``."""
    return unicodedata.normalize("NFKC", char).upper()


def split_topic_label(label: str) -> tuple[str | None, str]:
    """``17贷款担保管理`` -> (``17``, ``贷款担保管理``), as ``Topic.from_label`` reads it."""
    topic = Topic.from_label(label)
    return topic.code, topic.name


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
    pattern = re.compile(rf"([{letters}])\s*([{_OPTION_SEPARATORS}])")
    for match in pattern.finditer(text, start):
        separator = match.group(2)
        before = text[match.start() - 1] if match.start() > 0 else " "
        if separator in _CJK_SEPARATORS or not (before.isascii() and before.isalnum()):
            return match
    return None


def split_options(text: str) -> list[tuple[str, str]]:
    """Options written on one line (``A. 甲 B. 乙``, ``A、甲B、乙``), in key order.

    Only the next letter in sequence starts a new option, so ``A. 0.5 B. 0.7`` splits at B and
    never at a stray capital inside an option. Returns [] unless ``text`` opens with a marker.
    """
    first = OPTION_LINE.match(text)
    if first is None:
        return []
    raw_key = first.group(1)
    lower = unicodedata.normalize("NFKC", raw_key).islower()
    key = normalize_key(raw_key)
    position = first.end()
    options: list[tuple[str, str]] = []
    while True:
        next_key = chr(ord(key) + 1)
        found = _find_marker(text, next_key, position, lower) if next_key in OPTION_KEYS else None
        if found is None:
            options.append((key, text[position:].strip()))
            return options
        options.append((key, text[position : found.start()].strip()))
        key, position = next_key, found.end()


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
