"""Numbered question text, as Chinese exam-prep apps and Word documents write it::

    一、单选题
    1. 专业担保机构为保证人的,实行(　)。
    A. 专项储存,分户管理  B. 专项储存,专户管理
    答案:B
    解析:……
    2、下列说法正确的是（D）
    A．…
    二、判断题
    1. 担保基金实行专项储存、专户管理。(√)

Sections (``一、单选题``) give the type; without one the type is inferred from the answer.
Answers may be written ``答案:B``, ``【答案】ACD``, ``正确答案:A,C``, inside the stem's
parentheses ``（D）``/``(√)``, or after the stem (``答案:B`` on the same line, or ``（ ）B``);
判断 answers as 对/错, 正确/错误, √/×, T/F. ``解析:``, ``知识点:``, ``难度:``, ``出处:`` lines
fill the other fields; a ``知识点:`` line outside any question applies to the ones after it.
A number only starts a new question when it follows the previous one (or after a section), so
lists inside an explanation (``1、…`` ``2、…``) stay part of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..answers import judge_key, letters_of
from .drafts import (
    Draft,
    Note,
    Parsed,
    Skip,
    SkipReason,
    join_wrapped,
    split_options,
    split_topic_label,
)

_TYPE_WORDS = r"单项选择|单选|多项选择|多选|不定项选择|不定项|判断|是非"
_SECTION = re.compile(
    rf"^\s*(?:第?[一二三四五六七八九十]+(?:部分|大题)?\s*[、.．:：\s]\s*"
    rf"|[（(][一二三四五六七八九十]+[)）]\s*)(?P<type>{_TYPE_WORDS})题?(?P<rest>.*)$"
)
_SECTION_BARE = re.compile(rf"^\s*[【\[]?(?P<type>{_TYPE_WORDS})题?[】\]]?\s*[:：]?\s*$")
_QUESTION = re.compile(
    r"^\s*(?:第\s*(?P<nth>[0-9０-９]{1,4})\s*题\s*[.．、:：)）]?"
    r"|(?P<n>[0-9０-９]{1,4})\s*[.．、:：)）](?![0-9０-９]))\s*(?P<rest>.*)$"
)
_TYPE_TAG = re.compile(rf"^\s*[【\[(（]\s*(?P<type>{_TYPE_WORDS})题?\s*[】\])）]\s*")
_MARKERS = re.compile(
    r"(?P<answer>【\s*(?:正确|参考|标准)?答案\s*】|(?:正确|参考|标准)?答案\s*[:：])"
    r"|(?P<explanation>【\s*(?:答案)?(?:解析|分析)\s*】|(?:答案)?解析\s*[:：])"
    r"|(?P<topic>【\s*(?:知识点|考点)\s*】|(?:知识点|考点)\s*[:：])"
    r"|(?P<difficulty>【\s*难度\s*】|难度\s*[:：])"
    r"|(?P<source>【\s*(?:出处|来源)\s*】|(?:出处|来源)\s*[:：])"
)
_ANSWER_MARK = re.compile(r"【\s*(?:正确|参考|标准)?答案\s*】|(?:正确|参考|标准)?答案\s*[:：]")
_EMPTY_PARENS = re.compile(r"[（(]\s*[)）]")
_MARKER_FIELDS = ("answer", "explanation", "topic", "difficulty", "source")
_ANSWER_VALUE = re.compile(
    r"\s*(?P<value>[A-Ha-hＡ-Ｈａ-ｈ](?:[\s,，、;；/]*[A-Ha-hＡ-Ｈａ-ｈ])*(?![A-Za-z])"
    r"|正确|错误|对|错|[√×✓✗✔✘]|true|false|TRUE|FALSE|True|False|T|F)"
)
_PAREN_LETTERS = re.compile(r"[（(]\s*([A-HＡ-Ｈ]{1,8})\s*[)）]")  # upper case: "(face)" is a word
_PAREN_JUDGE = re.compile(r"[（(]\s*([√×✓✗✔✘对错]|正确|错误)\s*[)）]")
_TRAILING_LETTERS = re.compile(r"([（(]\s*[)）])\s*([A-H]{1,8})\s*$")
_TRAILING_MARK = re.compile(r"\s*([√×✓✗✔✘])\s*$")
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百0-9]+[章节部分篇]|[一二三四五六七八九十]+\s*[、.．])\s*\S"
)
LOOKS_LIKE = re.compile(r"(?m)^\s*(?:第\s*)?[0-9０-９]{1,4}\s*题?\s*[.．、)）](?![0-9])")


@dataclass
class _Record:
    draft: Draft
    number: int
    state: str = "stem"  # stem | options | answer | explanation
    type_tag: str | None = None
    answer_next: bool = False  # ``【答案】`` ended its line: the answer is on the next one


def _split_markers(line: str) -> list[tuple[str | None, str]]:
    """``D. 甲 答案:B 解析:…`` -> [(None, 'D. 甲'), ('answer', 'B'), ('explanation', '…')]."""
    matches = list(_MARKERS.finditer(line))
    pieces: list[tuple[str | None, str]] = [(None, line[: matches[0].start()] if matches else line)]
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        name = next(f for f in _MARKER_FIELDS if match.group(f))
        pieces.append((name, line[match.end() : end].strip()))
    return pieces


def _stem_and_options(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Options written on the question line itself: ``1. 题干（ ） A. 甲 B. 乙``."""
    for match in re.finditer(r"(?:(?<=\s)|(?<=[)）]))[AaＡａ]\s*[.．、)）]", text):
        options = split_options(text[match.start() :])
        if len(options) >= 2:
            return text[: match.start()].rstrip(), options
    return text, []


class _Reader:
    def __init__(self) -> None:
        self.parsed = Parsed()
        self.record: _Record | None = None
        self.section_type: str | None = None
        self.section_topic: str | None = None
        self.last_number: int | None = None
        self.lines: list[str] = []

    def close(self) -> None:
        record = self.record
        self.record = None
        if record is None:
            return
        draft = record.draft
        draft.type_label = record.type_tag or self.section_type
        if draft.topic is None and self.section_topic:
            draft.topic = self.section_topic
        if draft.topic is not None and draft.topic_code is None:
            draft.topic_code, draft.topic = split_topic_label(draft.topic)
        _answer_from_stem(draft, self.parsed.warnings)
        self.parsed.drafts.append(draft)

    def _starts_question(self, n: int, rest: str, line: int) -> bool:
        """Whether ``n.`` opens a new question: it must follow the last number; inside an
        explanation (which may hold its own ``1、`` ``2、`` list) it must also look like a
        question: blank parentheses or an answer on its line, or options or an answer next."""
        record = self.record
        if record is None or self.last_number is None:
            return True
        if record.state != "explanation":
            return n > self.last_number
        if n != self.last_number + 1:
            return False
        if _ANSWER_MARK.search(rest) or any(
            p.search(rest) for p in (_EMPTY_PARENS, _PAREN_LETTERS, _PAREN_JUDGE)
        ):
            return True
        following = next(
            (self.lines[i].strip() for i in range(line, len(self.lines)) if self.lines[i].strip()),
            "",
        )
        return bool(split_options(following)) or bool(_ANSWER_MARK.match(following))

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        if not text:
            return
        section = _SECTION.match(text) or _SECTION_BARE.match(text)
        if section or _HEADING.match(text):
            self.close()
            self.section_type = section.group("type") if section else None
            self.last_number = None
            if not section:  # a chapter heading: a new part, its own knowledge points
                self.section_topic = None
                self.parsed.ignored_lines.append(number)
            return
        record = self.record
        if record is not None and record.answer_next:
            record.answer_next = False
            found = _ANSWER_VALUE.fullmatch(text)
            if found:
                record.draft.answer = found.group("value")
                return
        pieces = _split_markers(text)
        head = pieces[0][1].strip()
        if head:
            self._head(number, head)
        for name, value in pieces[1:]:
            assert name is not None
            self._marker(number, name, value)

    def _head(self, number: int, text: str) -> None:
        question = _QUESTION.match(text)
        if question:
            n = int(unicodedata.normalize("NFKC", question.group("n") or question.group("nth")))
            if self._starts_question(n, question.group("rest"), number):
                self.close()
                self.last_number = n
                rest = question.group("rest")
                tag = _TYPE_TAG.match(rest)
                opened = _Record(Draft(line=number), n, type_tag=tag.group("type") if tag else None)
                rest = rest[tag.end() :] if tag else rest
                opened.draft.stem, options = _stem_and_options(rest.strip())
                if options:
                    opened.draft.options, opened.state = options, "options"
                self.record = opened
                return
        record = self.record
        if record is None:
            self.parsed.ignored_lines.append(number)
            return
        draft = record.draft
        options = split_options(text)
        if options and record.state in ("stem", "options", "answer"):
            expected = chr(ord(draft.options[-1][0]) + 1) if draft.options else "A"
            if options[0][0] == expected:
                draft.options.extend(options)
                record.state = "options" if record.state != "answer" else record.state
                return
        if record.state == "stem":
            draft.stem = f"{draft.stem}\n{text}" if draft.stem else text
        elif record.state == "options" and draft.options:
            key, head = draft.options[-1]
            draft.options[-1] = (key, join_wrapped(head, text))
        elif record.state == "explanation":
            draft.explanation = f"{draft.explanation}\n{text}" if draft.explanation else text
        else:
            self.parsed.ignored_lines.append(number)

    def _marker(self, number: int, name: str, value: str) -> None:
        record = self.record
        if record is None:
            if name == "topic" and value:
                self.section_topic = value
            elif name == "answer":
                self.parsed.skips.append(
                    Skip(number, SkipReason.FRAGMENT, f"答案 {value} 前面没有题目")
                )
            else:
                self.parsed.ignored_lines.append(number)
            return
        draft = record.draft
        if name == "answer":
            if not value:
                record.state, record.answer_next = "answer", True
                return
            found = _ANSWER_VALUE.match(value)
            answer = found.group("value") if found else value
            if draft.answer is not None and draft.answer != answer:
                self.parsed.warnings.append(
                    Note(
                        number,
                        (f"第 {record.number} 题有两个答案 {draft.answer} 和 {answer},用第一个"),
                    )
                )
            elif draft.answer is None:
                draft.answer = answer
            record.state = "answer"
        elif name == "explanation":
            draft.explanation = value or draft.explanation
            record.state = "explanation"
        elif name == "topic":
            draft.topic = value or draft.topic
        elif name == "difficulty":
            draft.difficulty = value or draft.difficulty
        elif name == "source":
            draft.source = value or draft.source


def _blank(match: re.Match[str]) -> str:
    """``（D）`` -> ``（ ）``: the answer leaves the stem, its brackets stay."""
    return f"{match.group(0)[0]} {match.group(0)[-1]}"


def _answer_from_stem(draft: Draft, warnings: list[Note]) -> None:
    """An answer written into the stem (``（D）``, ``(√)``, ``（ ）B``, ``…。√``) is taken out
    of it; with an explicit answer too, a matching one is only blanked."""
    stem = draft.stem
    if draft.options:
        found = _PAREN_LETTERS.findall(stem)
        trailing = _TRAILING_LETTERS.search(stem)
        if draft.answer is None and trailing:
            draft.answer, draft.stem = trailing.group(2), stem[: trailing.start(2)].rstrip()
        elif len(found) == 1:
            letters = letters_of(found[0])
            given = letters_of(draft.answer) if draft.answer else None
            if draft.answer is None or letters == given:
                draft.answer = draft.answer or found[0]
                draft.stem = _PAREN_LETTERS.sub(_blank, stem)
        elif len(found) > 1 and draft.answer is None:
            warnings.append(Note(draft.line, "题干中有多处括号内的字母,无法确定哪一个是答案"))
        return
    judged = _PAREN_JUDGE.findall(stem)
    if len(judged) == 1:
        key = judge_key(judged[0])
        if draft.answer is None or judge_key(draft.answer) == key:
            draft.answer = draft.answer or judged[0]
            draft.stem = _PAREN_JUDGE.sub(_blank, stem)
        return
    mark = _TRAILING_MARK.search(stem)
    if mark and draft.answer is None:
        draft.answer, draft.stem = mark.group(1), stem[: mark.start()].rstrip()


def parse(text: str) -> Parsed:
    reader = _Reader()
    reader.lines = text.split("\n")
    for number, line in enumerate(reader.lines, start=1):
        reader.line(number, line)
    reader.close()
    return reader.parsed
