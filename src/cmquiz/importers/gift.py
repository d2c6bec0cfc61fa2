"""Moodle's GIFT format, in and out::

    $CATEGORY: $course$/top/个人信贷业务/17 贷款担保管理

    // id: credit-17-001
    // 知识点: 贷款担保管理
    // 知识点代码: 17
    ::credit-17-001::专业担保机构为保证人的,实行()。{
    =专项储存,专户管理
    ~专项储存,分户管理
    ####担保基金实行专项储存、专户管理。
    }

Read: multiple choice (``=`` right, ``~`` wrong), multiple answer (``~%50%``: every answer
with a positive weight is right), true/false (``{T}``/``{TRUE}``/``{F}``/``{FALSE}``); every
other kind (short answer, numerical, matching, essay, description) is reported as skipped.
Escapes ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n`` (line break) are undone; ``####`` is the
general feedback, read as 解析; per-answer ``#feedback`` is dropped (and counted).

The knowledge point comes from, first to last: a ``// 知识点:`` comment above the question
(``// 知识点代码:``, ``// 难度:``, ``// 出处:``, ``// 出题人:``, ``// 依据:`` and ``// id:``
work the same way), a comment-only block of such lines (applies to the questions after it),
the last part of ``$CATEGORY:`` (``17 贷款担保管理`` gives code 17), the ``::title::``.
Export writes all of these, so export -> import gives back the same questions.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..answers import JUDGE_TRUE
from ..fields import FIELDS_BY_NAME, field_for
from ..model import ID_PATTERN, Question
from ..qtypes import QuestionType
from .drafts import Draft, ExportResult, Note, Parsed, Skip, SkipReason, split_topic_label

_SPECIAL = "~=#{}:"
# Fields a ``// 知识点: …`` comment may carry (by any name the field table knows them by).
_META_FIELDS = ("id", "type", "topic", "topic_code", "difficulty", "source", "author", "evidence")
_EXPORTED_META = ("topic_code", "difficulty", "source", "author", "evidence")
_COMMENT = re.compile(r"^\s*//(.*)$")
_META = re.compile(r"^\s*([^:：\s][^:：]*?)\s*[:：]\s?(.*)$")
_CATEGORY = re.compile(r"^\s*\$CATEGORY\s*:\s*(.*)$")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"(TRUE|FALSE|T|F)", re.IGNORECASE)
LOOKS_LIKE = re.compile(
    r"(?m)^\s*\$CATEGORY\s*:|^\s*::[^\n]*?::|\{\s*(?:T|F|TRUE|FALSE)\s*\}|\{[^{}]*[=~][^{}]*\}"
)


def escape(text: str) -> str:
    """Text for a GIFT question or answer: specials and backslash escaped, line breaks ``\\n``."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in _SPECIAL:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def unescape(text: str) -> str:
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "n":
                out.append("\n")
            elif following in _SPECIAL or following == "\\":
                out.append(following)
            else:
                out.append(char + following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _unescaped(text: str, start: int = 0) -> Iterator[int]:
    """Positions of the characters that are not escaped by a backslash."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        yield index
        index += 1


def _find(text: str, target: str, start: int = 0) -> int:
    """The first unescaped occurrence of ``target`` (every character of it unescaped)."""
    positions = set(_unescaped(text, start))
    for index in sorted(positions):
        if text.startswith(target, index) and all(
            index + k in positions for k in range(len(target))
        ):
            return index
    return -1


def _from_html(text: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@dataclass
class _Chunk:
    line: int
    lines: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def _chunks(text: str) -> Iterator[_Chunk | str]:
    """Question blocks (separated by blank lines) and ``$CATEGORY`` paths, in order."""
    chunk: _Chunk | None = None
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        category = _CATEGORY.match(line)
        comment = _COMMENT.match(line)
        if category and depth == 0:
            if chunk is not None:
                yield chunk
            chunk = None
            yield category.group(1).strip()
            continue
        if not line.strip() and depth == 0:
            if chunk is not None:
                yield chunk
            chunk = None
            continue
        if chunk is None:
            chunk = _Chunk(number)
        if comment and depth == 0:
            meta = _META.match(comment.group(1))
            name = field_for(meta.group(1)) if meta else None
            if meta and name in _META_FIELDS:
                chunk.meta[name] = unescape(meta.group(2).strip())
            continue
        chunk.lines.append(line)
        for index in _unescaped(line):
            depth += {"{": 1, "}": -1}.get(line[index], 0)
        depth = max(depth, 0)
    if chunk is not None:
        yield chunk


def _overlay(base: dict[str, str], top: dict[str, str]) -> dict[str, str]:
    """``top`` over ``base``; a knowledge point from ``top`` never takes ``base``'s code."""
    merged = dict(base)
    if "topic" in top:
        merged.pop("topic_code", None)
    merged.update(top)
    return merged


def _category_topic(path: str) -> str | None:
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path)]
    parts = [
        p
        for p in parts
        if p
        and p != "top"
        and not p.startswith("$")
        and not p.lower().startswith("default for")
        and not p.startswith("默认")
    ]
    return parts[-1] if parts else None


def _answers(block: str) -> list[tuple[str, str]]:
    """``=甲 ~乙 ~%50%丙`` -> [('=', '甲 '), ('~', '乙 '), ('~', '%50%丙')] (still escaped)."""
    marks = [i for i in _unescaped(block) if block[i] in "=~"]
    ends = [*marks[1:], len(block)]
    return [(block[i], block[i + 1 : j]) for i, j in zip(marks, ends, strict=False)]


def _question(chunk: _Chunk, context: dict[str, str], parsed: Parsed) -> Draft | Skip:
    body = "\n".join(chunk.lines).strip()
    title = None
    if body.startswith("::"):
        end = _find(body, "::", 2)
        if end != -1:
            title, body = unescape(body[2:end]).strip(), body[end + 2 :].lstrip()
    fmt = _FORMAT.match(body)
    as_html = bool(fmt and fmt.group(1).lower() == "html")
    body = body[fmt.end() :] if fmt else body

    def text(raw: str) -> str:
        plain = unescape(raw)
        return (_from_html(plain) if as_html else plain).strip()

    opening = _find(body, "{")
    closing = _find(body, "}", opening + 1) if opening != -1 else -1
    if opening == -1:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, "没有答案块 {…}(说明文字,不是题目)")
    if closing == -1:
        return Skip(chunk.line, SkipReason.NO_ANSWER, "答案块缺少结尾的 }")
    after = body[closing + 1 :].strip()
    stem = text(body[:opening] + ("（ ）" + body[closing + 1 :] if after else ""))
    draft = Draft(line=chunk.line, stem=stem)
    for name, value in _overlay(context, chunk.meta).items():
        if value:
            draft.set_field(name, value)
    if draft.topic is None and title and not ID_PATTERN.fullmatch(title):
        draft.topic = title
    block = body[opening + 1 : closing]
    general = _find(block, "####")
    if general != -1:
        draft.explanation = draft.explanation or text(block[general + 4 :]) or None
        block = block[:general]
    true_false = _TRUE_FALSE.fullmatch(block.strip().split("#")[0].strip())
    if true_false:
        draft.type_label = "judge"
        draft.answer = "T" if true_false.group(1).upper().startswith("T") else "F"
        return draft
    kind = _kind(block)
    if kind is not None:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, f"GIFT {kind}")
    right: list[str] = []
    dropped = 0
    for (mark, raw), key in zip(_answers(block), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=False):
        weight_match = _WEIGHT.match(raw)
        weight = float(weight_match.group(1)) if weight_match else (100.0 if mark == "=" else 0.0)
        raw = raw[weight_match.end() :] if weight_match else raw
        feedback = _find(raw, "#")
        if feedback != -1:
            dropped += 1
            raw = raw[:feedback]
        draft.options.append((key, text(raw)))
        if mark == "=" or weight > 0:
            right.append(key)
    if dropped:
        parsed.warnings.append(Note(chunk.line, f"丢弃了 {dropped} 条选项反馈(#…)"))
    equals = sum(1 for mark, _ in _answers(block) if mark == "=")
    if equals > 1:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, "有多个 = 的选择题(任选其一即得分)")
    draft.type_label = "single" if equals or len(right) < 2 else "multiple"
    draft.answer = "".join(right) or None
    return draft


def _kind(block: str) -> str | None:
    """The name of a question kind cmquiz cannot hold, or None for choice and true/false."""
    head = block.strip()
    if not head:
        return "简答题(essay)"
    if head.startswith("#"):
        return "数值题(numerical)"
    answers = _answers(block)
    if answers and all(mark == "=" for mark, _ in answers):
        if all(_find(raw, "->") != -1 for _, raw in answers):
            return "匹配题(matching)"
        return "填空/简答题(short answer)"
    return None


def parse(text: str) -> Parsed:
    parsed = Parsed()
    category: dict[str, str] = {}
    section: dict[str, str] = {}
    for item in _chunks(text):
        if isinstance(item, str):
            label = _category_topic(item)
            category = {}
            if label:
                code, category["topic"] = split_topic_label(label)
                if code:
                    category["topic_code"] = code
            section = {}
            continue
        if not item.lines:
            if "topic" in item.meta or "topic_code" in item.meta:
                section = {k: v for k, v in item.meta.items() if k in ("topic", "topic_code")}
            continue
        result = _question(item, _overlay(category, section), parsed)
        if isinstance(result, Skip):
            parsed.skips.append(result)
        else:
            parsed.drafts.append(result)
    return parsed


# --- export --------------------------------------------------------------------------------


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _comment(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def _category(question: Question) -> str:
    parts = [question.bank or "cmquiz", question.topic.label]
    return "$course$/top/" + "/".join(" ".join(p.split()).replace("/", "//") for p in parts)


def export(questions: Sequence[Question]) -> str:
    blocks = ["// 由 cmquiz 导出。每题上方的 // 注释记录 id、知识点等,cmquiz import 导回时使用。"]
    category = None
    for q in questions:
        if _category(q) != category:
            category = _category(q)
            blocks.append(f"$CATEGORY: {category}")
        lines = [f"// id: {q.id}", f"// {FIELDS_BY_NAME['topic'].label}: {_comment(q.topic.name)}"]
        values = {"topic_code": q.topic.code, "difficulty": q.difficulty}
        for name in _EXPORTED_META:
            value = values[name] if name in values else getattr(q, name)
            if value is not None:
                lines.append(f"// {FIELDS_BY_NAME[name].label}: {_comment(str(value))}")
        stem = escape(q.stem)
        if _FORMAT.match(stem):
            stem = "[plain]" + stem
        head = f"::{q.id}::{stem}"
        if q.type is QuestionType.JUDGE:
            answer = "TRUE" if JUDGE_TRUE in q.answer else "FALSE"
            tail = f"####{escape(q.explanation)}" if q.explanation else ""
            lines.append(f"{head}{{{answer}{tail}}}")
        else:
            lines.append(head + "{")
            share = _weight(100 / len(q.answer))
            for key, option in q.options:
                body = escape(option)
                right = key in q.answer
                if q.type is QuestionType.MULTIPLE:
                    lines.append(f"~%{share if right else '-100'}%{body}")
                elif right:
                    lines.append(f"={'%100%' if body.startswith('%') else ''}{body}")
                else:
                    lines.append(f"~{'%0%' if body.startswith('%') else ''}{body}")
            if q.explanation:
                lines.append(f"####{escape(q.explanation)}")
            lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write(questions: Sequence[Question]) -> ExportResult:
    return ExportResult("gift", export(questions), tuple(questions))
