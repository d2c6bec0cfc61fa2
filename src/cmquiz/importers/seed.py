"""The exam-bank export of the seed material, in both of its layouts.

Run-together (one record per line pair, labels glued to values)::

    题目类型:单选题干:……()。
    备选项:A、……B、……C、……D、……正确答案:B题目涉及知识点17贷款担保管理题目难度出题人

Multi-line template (each label alone on a line, its value on the next)::

    题目涉及知识点 / 工银私人银行服务体系 / 题目难度 / 2 / 教材出处(页码)或资料文件依据 / …
    题目类型: / 单选题 / 题干: / … / 备选项: / A、… / B、… / 准确答案: / B

How it reads a file: every line is cut into labelled pieces; the *core* of a record is
题目类型/题干/备选项/答案, and the attributes (知识点, 难度, 出处, 出题人) sit between cores.
An attribute written on the same line as a record's answer belongs to that record (it trails);
template attributes lead the record after them, unless the file puts them after its first
record. When a gap holds two of the same attribute, the first trails and the last leads.

PDF conversions break records. A record cut off after option A whose remaining options and
answer turn up later as an orphan fragment (``B、…`` … ``准确答案:``) is put back together and
reported as a repair; every other fragment, and every record that stays incomplete, is skipped
with its line number. A value whose label was lost just before ``题目难度`` is the knowledge
point (the template's order). The garbled label ``题目涉及知识18个人贷款还款方式点`` is read as
code 18, name 个人贷款还款方式.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .drafts import (
    OPTION_LINE,
    Draft,
    Note,
    Parsed,
    Rule,
    Skip,
    SkipReason,
    join_wrapped_all,
    shorten,
    split_options,
    split_topic_label,
)

_LABELS = re.compile(
    r"(?P<type>题目类型\s*[:：]?)"
    r"|(?P<stem>题干\s*[:：])"
    r"|(?P<options>备选项\s*[:：]?)"
    r"|(?P<answer>(?:正确|准确|参考|标准)答案\s*[:：]?)"
    r"|(?P<topic>题目涉及知识(?P<dian>点)?\s*[:：]?)"
    r"|(?P<difficulty>题目难度\s*[:：]?)"
    r"|(?P<source>教材出处(?:\s*[(（]\s*页码\s*[)）])?(?:或资料文件依据)?\s*[:：]?)"
    r"|(?P<author>出题人\s*[:：]?)"
)
_FIELDS = ("type", "stem", "options", "answer", "topic", "difficulty", "source", "author")
ATTRIBUTES = ("topic", "difficulty", "source", "author")
# A value whose label was lost, just before this label, is the template field that precedes it.
_LOST_LABEL = {"difficulty": "topic", "source": "difficulty", "type": "source"}
_ANSWER_ONLY = re.compile(r"[A-Ha-hＡ-Ｈａ-ｈ]{1,8}|[√×✓✗对错]|正确|错误")
SIGNATURE = re.compile(r"题目类型|备选项|题目涉及知识")


@dataclass
class _Token:
    field: str | None  # None: text with no label
    value: str
    line: int
    alone: bool = False  # a label alone on its line (template layout)
    garbled: bool = False  # 题目涉及知识 without 点
    partial: bool = False  # free text that shares its line with labels


@dataclass
class _Core:
    draft: Draft
    multiline: bool
    stem_open: bool = False
    stem_inline: bool = False
    in_options: bool = False
    answered: bool = False
    closed: bool = False
    repaired: bool = False
    stem_more: list[str] = field(default_factory=list)  # further stem lines, joined at the end
    wrapped: dict[int, list[str]] = field(default_factory=dict)  # option index -> wrapped text


@dataclass
class _Attribute:
    field: str
    value: str
    line: int
    inline: bool


@dataclass
class _Fragment:
    line: int
    end_line: int
    options: list[tuple[str, str]] = field(default_factory=list)
    answer: str | None = None
    closed: bool = False
    wrapped: dict[int, list[str]] = field(default_factory=dict)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for number, line in enumerate(text.split("\n"), start=1):
        matches = list(_LABELS.finditer(line))
        if not matches:
            if line.strip():
                tokens.append(_Token(None, line.strip(), number))
            continue
        prefix = line[: matches[0].start()].strip()
        if prefix:
            tokens.append(_Token(None, prefix, number, partial=True))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip()
            name = next(f for f in _FIELDS if match.group(f))
            alone = len(matches) == 1 and not value and not prefix
            garbled = name == "topic" and not match.group("dian")
            tokens.append(_Token(name, value, number, alone=alone, garbled=garbled))
    return tokens


class _Reader:
    """One pass over the tokens: cores, attributes and fragments in source order."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.sequence: list[_Core | _Attribute] = []
        self.fragments: list[_Fragment] = []
        self.ignored: list[int] = []
        self.core: _Core | None = None
        self.fragment: _Fragment | None = None

    # -- helpers ------------------------------------------------------------------------------

    def _value(self, index: int) -> tuple[str, int]:
        """A label's value: on its own line, else the next line when that has no label."""
        token = self.tokens[index]
        if token.value or not token.alone:
            return token.value, index
        if index + 1 < len(self.tokens):
            following = self.tokens[index + 1]
            if following.field is None and not OPTION_LINE.match(following.value):
                return following.value, index + 1
        return "", index

    def _next_label(self, index: int) -> str | None:
        """The label of the token right after ``index`` (None when that is plain text)."""
        return self.tokens[index + 1].field if index + 1 < len(self.tokens) else None

    def _close(self) -> None:
        if self.core is not None:
            self.core.closed = True
            self.core = None
        if self.fragment is not None:
            self.fragment.closed = True
            self.fragment = None

    def _open(self, line: int, multiline: bool) -> _Core:
        self._close()
        self.core = _Core(Draft(line=line), multiline=multiline)
        self.sequence.append(self.core)
        return self.core

    # -- the pass -----------------------------------------------------------------------------

    def read(self) -> None:
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.field in ATTRIBUTES:
                self._close()
                value, index = self._value(index)
                if token.garbled and value.endswith("点"):
                    value = value[:-1]
                self.sequence.append(_Attribute(token.field, value, token.line, not token.alone))
            elif token.field == "type":
                value, index = self._value(index)
                self._open(token.line, token.alone).draft.type_label = value or None
            elif token.field == "stem":
                self._stem(token)
            elif token.field == "options":
                self._options_label(token)
            elif token.field == "answer":
                value, index = self._value(index)
                self._answer(token, value, self.tokens[index].line)
            else:
                self._free(token, index)
            index += 1
        self._close()

    def _stem(self, token: _Token) -> None:
        core = self.core
        if core is None or core.draft.stem or core.draft.options or core.answered:
            core = self._open(token.line, token.alone)
        if token.value:
            core.draft.stem, core.stem_inline = token.value, True
        else:
            core.stem_open = True

    def _options_label(self, token: _Token) -> None:
        core = self.core
        if core is not None and not core.draft.options:
            core.stem_open, core.in_options = False, True
            core.draft.options.extend(split_options(token.value))
            return
        self._close()
        self.fragment = _Fragment(token.line, token.line, split_options(token.value))
        self.fragments.append(self.fragment)

    def _answer(self, token: _Token, value: str, end_line: int) -> None:
        if self.core is not None:
            self.core.draft.answer, self.core.answered = value, True
            self.core.draft.answer_rule = Rule.SEED_LABEL
        elif self.fragment is not None:
            self.fragment.answer, self.fragment.end_line = value, end_line
        else:
            self.fragments.append(_Fragment(token.line, end_line, answer=value))
        self._close()

    def _free(self, token: _Token, index: int) -> None:
        text = token.value
        core = self.core
        if core is not None and self._free_in_core(core, token, index):
            return
        if core is not None:
            self._close()
        options = split_options(text)
        fragment = self.fragment
        if fragment is not None:
            if options and options[0][0] == _next_key(fragment.options):
                fragment.options.extend(options)
                fragment.end_line = token.line
                return
            if fragment.options and not options:
                fragment.wrapped.setdefault(len(fragment.options) - 1, []).append(text)
                fragment.end_line = token.line
                return
            self._close()
        if options:
            self.fragment = _Fragment(token.line, token.line, options)
            self.fragments.append(self.fragment)
        elif _ANSWER_ONLY.fullmatch(text):
            self.fragments.append(_Fragment(token.line, token.line, answer=text, closed=True))
        elif not token.partial:
            self.ignored.append(token.line)

    def _free_in_core(self, core: _Core, token: _Token, index: int) -> bool:
        """Text inside a record: stem lines, option lines, wrapped option text, lost labels."""
        text, draft = token.value, core.draft
        options = split_options(text)
        if core.stem_open or (draft.type_label and not draft.stem and not core.in_options):
            if options:
                core.stem_open, core.in_options = False, True
                draft.options.extend(options)
            else:
                if draft.stem:
                    core.stem_more.append(text)
                else:
                    draft.stem = text
                core.stem_open = True
            return True
        if not core.in_options or _ANSWER_ONLY.fullmatch(text):
            return False  # a bare "B" whose 准确答案 label is lost: reported, never taken
        if options and options[0][0] == _next_key(draft.options):
            draft.options.extend(options)
            return True
        lost = _LOST_LABEL.get(self._next_label(index) or "")
        if lost is not None and not options:
            self.sequence.append(_Attribute(lost, text, token.line, inline=False))
            return True
        if draft.options and not options:
            core.wrapped.setdefault(len(draft.options) - 1, []).append(text)
            return True
        return False


def _next_key(options: list[tuple[str, str]]) -> str:
    return chr(ord(options[-1][0]) + 1) if options else "A"


def _unwrap(options: list[tuple[str, str]], wrapped: dict[int, list[str]]) -> None:
    """Join the lines a PDF conversion wrapped onto their option (once, at the end)."""
    for index, more in wrapped.items():
        key, head = options[index]
        options[index] = (key, join_wrapped_all([head, *more]))
    wrapped.clear()


def _finish_text(reader: _Reader) -> None:
    for item in reader.sequence:
        if isinstance(item, _Core):
            if item.stem_more:
                item.draft.stem = "\n".join([item.draft.stem, *item.stem_more])
                item.stem_more = []
            _unwrap(item.draft.options, item.wrapped)
    for fragment in reader.fragments:
        _unwrap(fragment.options, fragment.wrapped)


def _reassemble(reader: _Reader, parsed: Parsed) -> None:
    """Orphan ``B、…准确答案:`` fragments finish the latest record that stopped before them.

    One pass over records and fragments (both in source order): each record waits on a stack
    for the option letters it has, so a fragment finds its record without a search."""
    cores = [item for item in reader.sequence if isinstance(item, _Core)]
    waiting: dict[tuple[str, ...], list[_Core]] = {}
    next_core = 0
    for fragment in reader.fragments:
        while next_core < len(cores) and cores[next_core].draft.line <= fragment.line:
            core = cores[next_core]
            if not core.answered and core.draft.stem and core.draft.options:
                waiting.setdefault(tuple(k for k, _ in core.draft.options), []).append(core)
            next_core += 1
        first = fragment.options[0][0] if fragment.options else None
        target = None
        if first is not None and first != "A" and fragment.answer:
            stack = waiting.get(tuple(chr(c) for c in range(ord("A"), ord(first))), [])
            target = stack.pop() if stack else None
        if target is not None and first is not None:
            draft = target.draft
            draft.options.extend(fragment.options)
            draft.answer, target.answered, target.repaired = fragment.answer, True, True
            draft.answer_rule = Rule.SEED_LABEL
            last = fragment.options[-1][0]
            parsed.repairs.append(
                Note(
                    draft.line,
                    (
                        f"重新拼接了题目“{shorten(draft.stem)}”:"
                        f"它在选项 {_previous(first)} 后被截断,"
                        f"选项 {first}–{last} 和答案在第 {fragment.line}–{fragment.end_line} 行"
                    ),
                )
            )
            continue
        if fragment.options:
            keys = [k for k, _ in fragment.options]
            span = keys[0] if len(keys) == 1 else f"{keys[0]}–{keys[-1]}"
            tail = f" 和答案 {fragment.answer}" if fragment.answer else ""
            detail = f"孤立的选项 {span}{tail},找不到它们所属的题目"
        else:
            detail = f"孤立的答案 {fragment.answer},找不到它所属的题目"
        parsed.skips.append(Skip(fragment.line, SkipReason.FRAGMENT, detail))


def _previous(key: str) -> str:
    return chr(ord(key) - 1)


def _assign_attributes(sequence: list[_Core | _Attribute]) -> None:
    """Give each record the attributes of the gaps before (leading) and after (trailing) it."""
    first_core = next(
        (i for i, x in enumerate(sequence) if isinstance(x, _Core) and x.multiline), None
    )
    first_block = next(
        (i for i, x in enumerate(sequence) if isinstance(x, _Attribute) and not x.inline), None
    )
    template_leads = first_block is not None and (first_core is None or first_block < first_core)
    leading: dict[int, dict[str, str]] = {}
    trailing: dict[int, dict[str, str]] = {}
    before: _Core | None = None
    gap: list[_Attribute] = []
    for item in [*sequence, None]:
        if isinstance(item, _Attribute):
            gap.append(item)
            continue
        for name in ATTRIBUTES:
            blocks = [a for a in gap if a.field == name]
            if not blocks:
                continue
            first, last = blocks[0], blocks[-1]
            if before is None or item is None:
                target, side = (item, leading) if before is None else (before, trailing)
                if target is not None:
                    side.setdefault(id(target), {}).setdefault(name, first.value or last.value)
            elif len(blocks) >= 2:
                trailing.setdefault(id(before), {})[name] = first.value
                leading.setdefault(id(item), {})[name] = last.value
            elif first.inline or not template_leads:
                trailing.setdefault(id(before), {})[name] = first.value
            else:
                leading.setdefault(id(item), {})[name] = first.value
        gap = []
        if item is not None:
            before = item
    for item in sequence:
        if not isinstance(item, _Core):
            continue
        draft = item.draft
        lead, trail = leading.get(id(item), {}), trailing.get(id(item), {})
        values = {name: lead.get(name) or trail.get(name) or None for name in ATTRIBUTES}
        if values["topic"]:
            draft.topic_code, draft.topic = split_topic_label(values["topic"])
        draft.difficulty = values["difficulty"]
        draft.source = values["source"]
        draft.author = values["author"]


def parse(text: str) -> Parsed:
    """Read the seed's exam-bank export (either layout, or both in one file)."""
    reader = _Reader(_tokens(text))
    reader.read()
    _finish_text(reader)
    parsed = Parsed(ignored_lines=reader.ignored)
    _reassemble(reader, parsed)
    _assign_attributes(reader.sequence)
    parsed.drafts = [item.draft for item in reader.sequence if isinstance(item, _Core)]
    return parsed


def looks_like(text: str) -> bool:
    """Two of the seed's labels: 题目类型, 备选项, 题目涉及知识."""
    found = SIGNATURE.search(text)
    return found is not None and SIGNATURE.search(text, found.end()) is not None
