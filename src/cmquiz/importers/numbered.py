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
    参考答案
    1-5 BCDAB  6.AD 7.ABC

Sections (``一、单选题``) give the type; without one the type is inferred from the answer.
Numbering may restart (``练习一`` / ``练习二``, or simply ``1.`` again), and numbers have any
number of digits. An answer is taken only where the layout makes it one (each rule is named in
``drafts.Rule``, and ``--explain`` shows which one placed each answer):

- a marker line or piece: ``答案:B``, ``【答案】ACD``, ``正确答案:A,C``, ``答案 B``; a marker
  alone on its line takes the next line;
- in the stem's parentheses: ``（D）``, ``( B )``, ``(√)``, and lower case ``(abc)`` when every
  letter is one of the question's options (so ``(face)`` is a word, not an answer);
- letters straight after the stem or its blank: ``（ ）B``, ``……_______。B``, ``……？ACD``, or a
  ``√``/``×`` ending a judge stem;
- capital letters alone on their own line right after the options (``B``); no other bare letter;
- a key block at the end of a section or file: ``1-5 BCDAB``, ``1.B 2.C 3.AD``, or a
  ``题号 1 2 3`` / ``答案 B C D`` table, under an optional ``参考答案`` heading;
- (Word) the one option marked in red, bold, underline or highlight, when nothing else gave one.

``解析:``, ``知识点:``, ``难度:``, ``出处:`` lines fill the other fields; a ``知识点:`` line
outside any question applies to the ones after it. An explanation only ever attaches to the
question it follows. Every line is looked at once (lookahead uses a precomputed table), so the
reader is linear in the size of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..answers import judge_key, letters_of
from ..progress import tracked
from .drafts import (
    Draft,
    Note,
    Parsed,
    Place,
    Rule,
    Skip,
    SkipReason,
    join_lines,
    join_wrapped_all,
    line_place,
    option_spans,
    split_topic_label,
)

_TYPE_WORDS = r"单项选择|单选|多项选择|多选|不定项选择|不定项|判断|是非"
_CN_NUMBER = "一二三四五六七八九十百零〇"
_SECTION = re.compile(
    rf"[ \t\u3000]*+(?:第?[{_CN_NUMBER}]++(?:部分|大题)?+[ \t\u3000]*+[、.．:：]?+[ \t\u3000]*+"
    rf"|[（(][{_CN_NUMBER}]++[)）][ \t\u3000]*+)(?P<type>{_TYPE_WORDS})题?(?P<rest>.*)"
)
_SECTION_BARE = re.compile(
    rf"[ \t\u3000]*+[【\[]?(?P<type>{_TYPE_WORDS})题?[】\]]?[ \t\u3000]*+[:：]?[ \t\u3000]*+"
)
_QUESTION = re.compile(
    r"[ \t\u3000]*+(?:第[ \t\u3000]*+(?P<nth>[0-9０-９]++)[ \t\u3000]*+题"
    r"[ \t\u3000]*+[.．、:：)）]?"
    r"|(?P<n>[0-9０-９]++)[ \t\u3000]*+[.．、:：)）](?![0-9０-９]))[ \t\u3000]*+(?P<rest>.*)"
)
_MAX_DIGITS = 60  # a longer "number" is text, not a question number
_TYPE_TAG = re.compile(
    rf"[ \t\u3000]*+[【\[(（][ \t\u3000]*+(?P<type>{_TYPE_WORDS})题?\s*+[】\])）]\s*+"
)
_MARKERS = re.compile(
    r"(?P<answer>【[ \t\u3000]*+(?:正确|参考|标准)?答案[ \t\u3000]*+】"
    r"|(?:正确|参考|标准)?答案[ \t\u3000]*+[:：])"
    r"|(?P<explanation>【[ \t\u3000]*+(?:答案)?(?:解析|分析)[ \t\u3000]*+】"
    r"|(?:答案)?解析[ \t\u3000]*+[:：])"
    r"|(?P<topic>【[ \t\u3000]*+(?:知识点|考点)[ \t\u3000]*+】|(?:知识点|考点)[ \t\u3000]*+[:：])"
    r"|(?P<difficulty>【[ \t\u3000]*+难度[ \t\u3000]*+】|难度[ \t\u3000]*+[:：])"
    r"|(?P<source>【[ \t\u3000]*+(?:出处|来源)[ \t\u3000]*+】|(?:出处|来源)[ \t\u3000]*+[:：])"
)
_ANSWER_MARK = re.compile(
    r"【[ \t\u3000]*+(?:正确|参考|标准)?答案[ \t\u3000]*+】"
    r"|(?:正确|参考|标准)?答案[ \t\u3000]*+[:：]"
)
# ``答案 B`` (no colon) at the start of a line
_ANSWER_SPACED = re.compile(r"[ \t\u3000]*+((?:正确|参考|标准)?答案)[ \t\u3000]++(?=[^\s:：])")
# ``参考答案`` / ``【答案】`` / ``答案:`` alone on a line: a key block, or the answer next line
_KEY_HEADING = re.compile(
    r"[ \t\u3000]*+[【\[]?[ \t\u3000]*+(?:参考答案|正确答案|标准答案|答案)(?:及解析|与解析)?"
    r"[ \t\u3000]*+[】\]]?[ \t\u3000]*+[:：]?[ \t\u3000]*+"
)
_EMPTY_PARENS = re.compile(r"[（(][ \t\u3000]*+[)）]")
_MARKER_FIELDS = ("answer", "explanation", "topic", "difficulty", "source")
_ANSWER_VALUE = re.compile(
    r"[ \t\u3000]*+(?P<value>[A-Ha-hＡ-Ｈａ-ｈ](?:[\s,，、;；/]*+[A-Ha-hＡ-Ｈａ-ｈ])*+(?![A-Za-z])"
    r"|正确|错误|对|错|[√×✓✗✔✘]|true|false|TRUE|FALSE|True|False|T|F)"
)
_PAREN_LETTERS = re.compile(
    r"[（(][ \t\u3000]*+([A-HＡ-Ｈ]{1,8}|[a-hａ-ｈ]{1,8})[ \t\u3000]*+[)）]"
)
_PAREN_JUDGE = re.compile(r"[（(][ \t\u3000]*+([√×✓✗✔✘对错]|正确|错误)[ \t\u3000]*+[)）]")
_BARE_LETTERS = re.compile(
    r"[ \t\u3000]*+([A-HＡ-Ｈ](?:[ \t\u3000,，、]*+[A-HＡ-Ｈ])*+)[ \t\u3000]*+"
)
_JUDGE_MARKS = "√×✓✗✔✘"
_BEFORE_APPENDED = frozenset("。？?！!_＿…)）.．:：；;")
_HEADING = re.compile(
    rf"[ \t\u3000]*+(?:第[{_CN_NUMBER}0-9]+[章节部分篇]|[{_CN_NUMBER}]++[ \t\u3000]*+[、.．])"
    r"[ \t\u3000]*+\S"
)
# ``练习一`` / ``习题 2`` / ``第一套``: a new exercise, whose numbering may start again at 1
_EXERCISE = re.compile(
    rf"[ \t\u3000]*+(?:练习|习题|测验|测试|自测|模拟题|试卷|第[{_CN_NUMBER}0-9]+(?:套|单元|课))"
    rf"[ \t\u3000]*+[{_CN_NUMBER}0-9０-９]*+[^。？?！!（(]{{0,24}}"
)
LOOKS_LIKE = re.compile(
    r"(?m)^[ \t\u3000]*+(?:第[ \t\u3000]*+)?[0-9０-９]++[ \t\u3000]*+题?[ \t\u3000]*+[.．、)）]"
    r"(?![0-9])"
)

# --- key blocks ----------------------------------------------------------------------------

_KEY_TOKENS = re.compile(
    r"(?P<range>[0-9]++[ \t]*+[-–—~～至到][ \t]*+[0-9]++)"
    r"|(?P<num>[0-9]++)"
    r"|(?P<ans>[A-Ha-h]++|[TF](?![A-Za-z])|[√×✓✗✔✘对错]++|正确|错误)"
    r"|(?P<sep>[ \t.．:：、,，;；()（）\[\]【】|｜\-]++)"
    r"|(?P<other>.)"
)
_TABLE_HEAD = re.compile(r"[ \t\u3000]*+题号[ \t\u3000:：|｜]++(?P<rest>[0-9０-９ \t\u3000|｜]+)")
_TABLE_ANSWERS = re.compile(
    r"[ \t\u3000]*+(?:答案|参考答案|正确答案)[ \t\u3000:：|｜]++(?P<rest>.*)"
)


def _number(digits: str) -> int | None:
    """A question number (full-width digits too); None when it is too long to be one."""
    text = unicodedata.normalize("NFKC", digits).lstrip("0") or "0"
    return int(text) if len(text) <= _MAX_DIGITS else None


def key_entries(text: str) -> tuple[list[tuple[int, str]], bool] | None:
    """The answers a key line gives: ``1-5 BCDAB``, ``1.B 2.C 3.AD``, ``6-8 AB CD ABD``.

    Returns (entries, strong): strong when the line cannot be anything but a key (a range, or at
    least two numbered answers); None when it is not a key line at all.
    """
    normalized = unicodedata.normalize("NFKC", text)
    if not normalized.strip() or len(normalized) > 2000:
        return None
    tokens: list[tuple[str, str]] = []
    for match in _KEY_TOKENS.finditer(normalized):
        kind = match.lastgroup or "other"
        if kind == "other":
            return None
        if kind != "sep":
            tokens.append((kind, match.group(0)))
    entries: list[tuple[int, str]] = []
    strong = False
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        answers: list[str] = []
        following = index + 1
        while following < len(tokens) and tokens[following][0] == "ans":
            answers.append(tokens[following][1])
            following += 1
        if not answers:
            return None
        if kind == "num":
            number = _number(value)
            if number is None or len(answers) != 1:
                return None
            entries.append((number, answers[0]))
        elif kind == "range":
            low_text, high_text = re.split(r"[ \t]*[-–—~～至到][ \t]*", value, maxsplit=1)
            low, high = _number(low_text), _number(high_text)
            if low is None or high is None or not 0 <= high - low < 200:
                return None
            count = high - low + 1
            if len(answers) == 1 and _chars(answers[0], count) is not None:
                answers = _chars(answers[0], count) or []
            if len(answers) != count:
                return None
            entries.extend(zip(range(low, high + 1), answers, strict=True))
            strong = True
        else:
            return None
        index = following
    if not entries:
        return None
    return entries, strong or len(entries) >= 2


def _chars(run: str, count: int) -> list[str] | None:
    """``BCDAB`` for five questions -> one letter each; ``正确错误`` -> two words."""
    if run in ("正确", "错误"):
        return [run] if count == 1 else None
    return list(run) if len(run) == count else None


def _table_entries(head: str, answers: str) -> list[tuple[int, str]] | None:
    """``题号 1 2 3`` over ``答案 B C AD``: a key table (Word tables are read row by row)."""
    numbers = re.split(r"[ \t\u3000|｜]+", head.strip())
    values = re.split(r"[ \t\u3000|｜]+", answers.strip())
    parsed = [_number(n) if n.isdigit() else None for n in numbers]
    if not numbers or len(numbers) != len(values) or any(n is None for n in parsed):
        return None
    if not all(_KEY_TOKENS.fullmatch(v) and letters_or_judge(v) for v in values):
        return None
    return [(n, v) for n, v in zip(parsed, values, strict=True) if n is not None]


def letters_or_judge(value: str) -> bool:
    return letters_of(value) is not None or judge_key(value) is not None


# --- records -------------------------------------------------------------------------------


@dataclass
class _Record:
    draft: Draft
    number: int
    state: str = "stem"  # stem | options | answer | explanation
    type_tag: str | None = None
    answer_next: bool = False  # ``【答案】`` ended its line: the answer is on the next one
    stem: list[str] = field(default_factory=list)
    options: list[tuple[str, list[str]]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    emphasized: set[str] = field(default_factory=set)
    last_option_line: int = 0

    def option_keys(self) -> str:
        return "".join(key for key, _ in self.options)


@dataclass
class _Group:
    """The questions of one section or one run of numbering, for key blocks to find."""

    label: str | None
    by_number: dict[int, list[Draft]] = field(default_factory=dict)


def _split_markers(line: str) -> list[tuple[str | None, str]]:
    """``D. 甲 答案:B 解析:…`` -> [(None, 'D. 甲'), ('answer', 'B'), ('explanation', '…')]."""
    matches = list(_MARKERS.finditer(line))
    pieces: list[tuple[str | None, str]] = [(None, line[: matches[0].start()] if matches else line)]
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        name = next(f for f in _MARKER_FIELDS if match.group(f))
        pieces.append((name, line[match.end() : end].strip()))
    return pieces


_INLINE_A = re.compile(r"(?:(?<=\s)|(?<=[)）]))[AaＡａ][ \t\u3000]*+[.．、)）]")
_INLINE_B = re.compile(r"[BbＢｂ][ \t\u3000]*+[.．、)）]")


def inline_option_start(text: str) -> int | None:
    """Where options written on the question line itself begin (``1. 题干（ ） A. 甲 B. 乙``).

    Only an ``A`` marker with a ``B`` marker after it is tried, so a line of many stray ``a.``
    costs one pass, not one pass per candidate."""
    last_b = -1
    for match in _INLINE_B.finditer(text):
        last_b = match.start()
    for match in _INLINE_A.finditer(text):
        if match.start() >= last_b:
            return None
        if len(option_spans(text[match.start() :])) >= 2:
            return match.start()
    return None


def option_spans_of_line(text: str) -> list[tuple[str, int, int]]:
    """Option spans of a line of a Word document: an option line, or a question line with its
    options (for the Word reader, which marks the options shown in red or bold)."""
    spans = option_spans(text)
    if spans:
        return spans
    question = _QUESTION.fullmatch(text)
    if question is None:
        return []
    start = inline_option_start(text)
    if start is None:
        return []
    return [(k, a + start, b + start) for k, a, b in option_spans(text[start:])]


class _Reader:
    def __init__(self, lines: list[str], place: Place, emphasized: dict[int, set[str]]) -> None:
        self.parsed = Parsed(place=place)
        self.place = place
        self.lines = lines
        self.emphasized = emphasized
        self.record: _Record | None = None
        self.section_type: str | None = None
        self.section_topic: str | None = None
        self.last_number: int | None = None
        # next_text[i]: the first non-blank line after line i (0-based), stripped
        self.next_text = [""] * (len(lines) + 1)
        following = ""
        for index in range(len(lines) - 1, -1, -1):
            self.next_text[index] = following
            stripped = lines[index].strip()
            if stripped:
                following = stripped
        self.groups: list[_Group] = [_Group(None)]
        self.keyed: set[int] = set()  # id() of drafts a key block answered
        self.key_mode = False
        self.key_cursor = 0  # the group a key block is filling
        self.key_start_group = 0  # groups before this were answered by an earlier key block
        self.pending_table: tuple[int, str] | None = None  # a 题号 row waiting for its 答案 row
        self.emphasis: dict[int, set[str]] = {}  # id(draft) -> option keys shown emphasized

    # -- records ------------------------------------------------------------------------------

    def close(self) -> None:
        record = self.record
        self.record = None
        if record is None:
            return
        draft = record.draft
        draft.stem = join_lines(record.stem)
        draft.options = [(key, join_wrapped_all(parts)) for key, parts in record.options]
        if record.explanation:
            draft.explanation = join_lines(record.explanation)
        draft.type_label = record.type_tag or self.section_type
        if draft.topic is None and self.section_topic:
            draft.topic = self.section_topic
        if draft.topic is not None and draft.topic_code is None:
            draft.topic_code, draft.topic = split_topic_label(draft.topic)
        _answer_from_stem(draft, self.parsed.warnings)
        if record.emphasized:
            self.emphasis[id(draft)] = record.emphasized
        self.parsed.drafts.append(draft)
        self.groups[-1].by_number.setdefault(record.number, []).append(draft)

    def new_group(self, label: str | None) -> None:
        if self.groups[-1].by_number:
            self.groups.append(_Group(label))
        else:
            self.groups[-1].label = label

    def _looks_like_question(self, rest: str, index: int) -> bool:
        """Blank parentheses or an answer on its line, or options or an answer next."""
        if _ANSWER_MARK.search(rest):
            return True
        if any(p.search(rest) for p in (_EMPTY_PARENS, _PAREN_LETTERS, _PAREN_JUDGE)):
            return True
        following = self.next_text[index]
        return bool(option_spans(following)) or bool(_ANSWER_MARK.match(following.lstrip()))

    def _starts_question(self, n: int, rest: str, index: int) -> bool:
        """Whether ``n.`` opens a new question. A higher number does, except inside an
        explanation (which may hold its own ``1、`` ``2、`` list); any number does when the line
        looks like a question, so numbering that starts again at 1 loses nothing."""
        record = self.record
        if record is None or self.last_number is None:
            return True
        if record.state != "explanation" and n > self.last_number:
            return True
        if record.state == "stem" and not _answered_in_stem(record):
            return False  # ``1、甲`` ``2、乙`` listed inside a stem that has no answer yet
        return self._looks_like_question(rest, index)

    # -- lines --------------------------------------------------------------------------------

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        if not text:
            return
        index = number - 1
        if self._key_line(number, text, index):
            return
        self.key_mode = False
        section = _SECTION.fullmatch(text) or _SECTION_BARE.fullmatch(text)
        if section or _HEADING.match(text) or self._exercise(text):
            self.close()
            self.section_type = section.group("type") if section else None
            self.last_number = None
            self.new_group(text)
            if not section:  # a chapter heading: a new part, its own knowledge points
                self.section_topic = None
                self.parsed.ignored_lines.append(number)
            return
        record = self.record
        if record is not None and record.answer_next:
            record.answer_next = False
            found = _ANSWER_VALUE.fullmatch(text)
            if found:
                self._set_answer(record, number, found.group("value"), Rule.MARKER_NEXT_LINE)
                return
        spaced = _ANSWER_SPACED.match(text)
        if spaced:
            text = f"{spaced.group(1)}:{text[spaced.end() :]}"
        if record is not None and self._bare_letters(record, number, text):
            return
        pieces = _split_markers(text)
        head = pieces[0][1].strip()
        if head:
            self._head(number, head, index)
        for name, value in pieces[1:]:
            assert name is not None
            self._marker(number, name, value)

    def _exercise(self, text: str) -> bool:
        """``练习二`` starts a new exercise, unless it can be the next line of an open stem."""
        if _EXERCISE.fullmatch(text) is None:
            return False
        record = self.record
        if record is None or record.state != "stem" or record.options:
            return True
        return bool(record.stem and _PAREN_JUDGE.search(record.stem[-1]))

    def _bare_letters(self, record: _Record, number: int, text: str) -> bool:
        """Capital letters alone on the line right after the options: the answer."""
        if record.state != "options" or record.draft.answer is not None or not record.options:
            return False
        found = _BARE_LETTERS.fullmatch(text)
        if found is None:
            return False
        letters = letters_of(found.group(1))
        keys = record.option_keys()
        if not letters or len(set(letters)) != len(letters) or not set(letters) <= set(keys):
            return False
        self._set_answer(record, number, letters, Rule.ALONE_AFTER_OPTIONS)
        record.state = "answer"
        return True

    def _head(self, number: int, text: str, index: int) -> None:
        question = _QUESTION.fullmatch(text)
        n = None
        if question:
            n = _number(question.group("n") or question.group("nth"))
        if question and n is not None and self._starts_question(n, question.group("rest"), index):
            self.close()
            if self.last_number is not None and n <= self.last_number:
                self.new_group(None)  # numbering starts again: a new exercise
            self.last_number = n
            rest = question.group("rest")
            tag = _TYPE_TAG.match(rest)
            opened = _Record(Draft(line=number), n, type_tag=tag.group("type") if tag else None)
            rest = (rest[tag.end() :] if tag else rest).strip()
            start = inline_option_start(rest)
            if start is not None:
                opened.stem.append(rest[:start].rstrip())
                self._add_options(opened, number, rest[start:], option_spans(rest[start:]))
                opened.state = "options"
            else:
                opened.stem.append(rest)
            self.record = opened
            return
        record = self.record
        if record is None:
            self.parsed.ignored_lines.append(number)
            return
        spans = option_spans(text)
        if spans and record.state in ("stem", "options", "answer"):
            expected = chr(ord(record.options[-1][0]) + 1) if record.options else "A"
            if spans[0][0] == expected:
                self._add_options(record, number, text, spans)
                record.state = "options" if record.state != "answer" else record.state
                return
        if record.state == "stem":
            record.stem.append(text)
        elif record.state == "options" and record.options:
            record.options[-1][1].append(text)
        elif record.state == "explanation":
            record.explanation.append(text)
        else:
            self.parsed.ignored_lines.append(number)

    def _add_options(
        self, record: _Record, number: int, text: str, spans: list[tuple[str, int, int]]
    ) -> None:
        marked = self.emphasized.get(number, set())
        for key, start, end in spans:
            record.options.append((key, [text[start:end].strip()]))
            if key in marked:
                record.emphasized.add(key)
        record.last_option_line = number

    def _set_answer(self, record: _Record, number: int, value: str, rule: Rule) -> None:
        draft = record.draft
        if draft.answer is not None and draft.answer != value:
            self.parsed.warnings.append(
                Note(number, f"第 {record.number} 题有两个答案 {draft.answer} 和 {value},用第一个")
            )
        elif draft.answer is None:
            draft.answer, draft.answer_rule = value, rule

    def _marker(self, number: int, name: str, value: str) -> None:
        record = self.record
        if name == "answer" and value:
            key = key_entries(value)
            if key is not None and (key[1] or record is None):
                self.close()
                self._start_key_block()
                self._apply(number, key[0])
                return
        if record is None:
            if name == "topic" and value:
                self.section_topic = value
            elif name == "answer" and not value:
                self._start_key_block()
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
                if record.state in ("answer", "explanation") and draft.answer is not None:
                    self.close()  # a 参考答案 heading after a whole question: a key block
                    self._start_key_block()
                    return
                record.state, record.answer_next = "answer", True
                return
            found = _ANSWER_VALUE.match(value)
            self._set_answer(record, number, found.group("value") if found else value, Rule.MARKER)
            record.state = "answer"
        elif name == "explanation":
            if value:
                record.explanation.append(value)
            record.state = "explanation"
        elif name == "topic":
            draft.topic = value or draft.topic
        elif name == "difficulty":
            draft.difficulty = value or draft.difficulty
        elif name == "source":
            draft.source = value or draft.source

    # -- key blocks ---------------------------------------------------------------------------

    def _start_key_block(self) -> None:
        if not self.key_mode:
            self.key_mode = True
            self.key_cursor = self.key_start_group

    def _key_line(self, number: int, text: str, index: int) -> bool:
        """A key block line (or its heading); answers go to the questions above it."""
        heading = _KEY_HEADING.fullmatch(text)
        if heading is not None:
            following = self.next_text[index]
            if key_entries(following) is not None or _TABLE_HEAD.fullmatch(following):
                self.close()
                self._start_key_block()
                return True
            return False
        if self.pending_table is not None:
            head_line, head = self.pending_table
            self.pending_table = None
            answers = _TABLE_ANSWERS.fullmatch(text)
            entries = _table_entries(head, answers.group("rest")) if answers else None
            if entries:
                self.close()
                self._start_key_block()
                self._apply(number, entries)
                return True
            self.parsed.ignored_lines.append(head_line)
        table = _TABLE_HEAD.fullmatch(text)
        if table is not None and _TABLE_ANSWERS.match(self.next_text[index]):
            self.pending_table = (number, table.group("rest"))
            return True
        if self.key_mode:
            section = _SECTION.fullmatch(text) or _SECTION_BARE.fullmatch(text)
            following = self.next_text[index]
            keyed_next = key_entries(following) is not None or _TABLE_HEAD.fullmatch(following)
            if section is not None and keyed_next:
                self._key_section(section.group("type"))
                return True
        found = key_entries(text)
        if found is None:
            return False
        entries, strong = found
        if not strong and not self.key_mode:
            return False
        self.close()
        self._start_key_block()
        self._apply(number, entries)
        return True

    def _key_section(self, label: str) -> None:
        """``一、单选题`` inside a key block: the answers after it are for that section."""
        for index in range(self.key_cursor, len(self.groups)):
            group_label = self.groups[index].label or ""
            if label in group_label:
                self.key_cursor = index
                return

    def _apply(self, number: int, entries: list[tuple[int, str]]) -> None:
        rule = f"{Rule.KEY_BLOCK.value}({self.place(number)})"
        for n, value in entries:
            target = None
            for index in range(self.key_cursor, len(self.groups)):
                drafts = self.groups[index].by_number.get(n, [])
                target = next((d for d in drafts if id(d) not in self.keyed), None)
                if target is not None:
                    self.key_cursor = index
                    break
            if target is None:
                self.parsed.warnings.append(
                    Note(number, f"答案表中第 {n} 题的答案 {value} 找不到对应的题目")
                )
                continue
            self.keyed.add(id(target))
            if target.answer is None:
                target.answer, target.answer_rule = value, rule
            elif not _same_answer(target.answer, value):
                self.parsed.warnings.append(
                    Note(
                        number,
                        f"答案表中第 {n} 题的答案 {value} 与题目里的答案 {target.answer} 不同,"
                        "用题目里的",
                    )
                )

    def finish(self) -> Parsed:
        self.close()
        if self.pending_table is not None:
            self.parsed.ignored_lines.append(self.pending_table[0])
        for draft in self.parsed.drafts:
            marked = self.emphasis.get(id(draft))
            keys = {key for key, _ in draft.options}
            if draft.answer is None and marked and marked < keys:
                draft.answer = "".join(sorted(marked))
                draft.answer_rule = Rule.EMPHASIS
        return self.parsed

    def end_key_block(self) -> None:
        """The questions after a key block are answered by the next one."""
        self.key_mode = False
        self.new_group(None)
        self.key_start_group = len(self.groups) - 1


def _answered_in_stem(record: _Record) -> bool:
    """A stem that already holds its answer (``(√)``, ``(B)``, ``…。×``): the question is whole."""
    if record.draft.answer is not None:
        return True
    last = record.stem[-1].rstrip() if record.stem else ""
    if last and last[-1] in _JUDGE_MARKS:
        return True
    return bool(_PAREN_JUDGE.search(last) or _PAREN_LETTERS.search(last))


def _same_answer(first: str, second: str) -> bool:
    letters = letters_of(first)
    if letters is not None and letters_of(second) is not None:
        return sorted(letters) == sorted(letters_of(second) or "")
    judged = judge_key(first)
    return judged is not None and judged == judge_key(second)


def _blank(match: re.Match[str]) -> str:
    """``（D）`` -> ``（ ）``: the answer leaves the stem, its brackets stay."""
    return f"{match.group(0)[0]} {match.group(0)[-1]}"


def _valid_letters(raw: str, keys: str) -> str | None:
    letters = letters_of(raw)
    if not letters or len(set(letters)) != len(letters) or not set(letters) <= set(keys):
        return None
    return letters


def _appended_letters(stem: str, keys: str) -> tuple[str, str] | None:
    """``……_______。B`` / ``……？ACD`` / ``……（ ）B``: capital letters straight after the stem's
    closing punctuation or blank, when they are letters of the question's options."""
    text = stem.rstrip()
    end = len(text)
    start = end
    while start > 0 and end - start < 8 and text[start - 1] in "ABCDEFGHＡＢＣＤＥＦＧＨ":
        start -= 1
    if start == end or start == 0:
        return None
    before = text[:start].rstrip(" \t\u3000")
    if not before or before[-1] not in _BEFORE_APPENDED:
        return None
    letters = _valid_letters(text[start:end], keys)
    return (letters, before) if letters else None


def _answer_from_stem(draft: Draft, warnings: list[Note]) -> None:
    """An answer written into the stem (``（D）``, ``(abc)``, ``(√)``, ``（ ）B``, ``…。×``) is
    taken out of it; with an explicit answer too, a matching one is only blanked."""
    stem = draft.stem
    if draft.options:
        keys = "".join(k for k, _ in draft.options)
        appended = _appended_letters(stem, keys) if draft.answer is None else None
        if appended is not None:
            draft.answer, draft.stem = appended
            draft.answer_rule = Rule.AFTER_STEM
            return
        found = [m for m in _PAREN_LETTERS.finditer(stem) if _valid_letters(m.group(1), keys)]
        if len(found) == 1:
            letters = _valid_letters(found[0].group(1), keys)
            given = letters_of(draft.answer) if draft.answer else None
            if draft.answer is None or letters == given:
                if draft.answer is None:
                    draft.answer, draft.answer_rule = letters, Rule.IN_PARENTHESES
                match = found[0]
                draft.stem = stem[: match.start()] + _blank(match) + stem[match.end() :]
        elif len(found) > 1 and draft.answer is None:
            warnings.append(Note(draft.line, "题干中有多处括号内的字母,无法确定哪一个是答案"))
        return
    judged = _PAREN_JUDGE.findall(stem)
    if len(judged) == 1:
        key = judge_key(judged[0])
        if draft.answer is None or judge_key(draft.answer) == key:
            if draft.answer is None:
                draft.answer, draft.answer_rule = judged[0], Rule.IN_PARENTHESES
            draft.stem = _PAREN_JUDGE.sub(_blank, stem)
        return
    text = stem.rstrip()
    if draft.answer is None and text and text[-1] in _JUDGE_MARKS and len(text) > 1:
        draft.answer, draft.stem = text[-1], text[:-1].rstrip()
        draft.answer_rule = Rule.TRAILING_MARK


def parse(
    text: str, place: Place = line_place, emphasized: dict[int, set[str]] | None = None
) -> Parsed:
    """Read numbered questions. ``place`` names a line for the report (Word: ``第 N 段``);
    ``emphasized`` gives, per line, the option letters shown in red/bold/underline/highlight."""
    reader = _Reader(text.split("\n"), place, emphasized or {})
    lines = tracked(reader.lines, "识别题目", len(reader.lines))
    for number, line in enumerate(lines, start=1):
        was_key = reader.key_mode
        reader.line(number, line)
        if was_key and not reader.key_mode:
            reader.end_key_block()
    return reader.finish()


def looks_like(text: str) -> bool:
    return bool(LOOKS_LIKE.search(text))
