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
from .drafts import Draft, ExportResult, Note, Parsed, Rule, Skip, SkipReason, split_topic_label

_SPECIAL = "~=#{}:"
# Fields a ``// 知识点: …`` comment may carry (by any name the field table knows them by).
_META_FIELDS = ("id", "type", "topic", "topic_code", "difficulty", "source", "author", "evidence")
_EXPORTED_META = ("topic_code", "difficulty", "source", "author", "evidence")
_COMMENT = re.compile(r"[ \t\u3000]*+//(.*)", re.S)
_CATEGORY = re.compile(r"[ \t\u3000]*+\$CATEGORY[ \t]*+:[ \t]*+(.*)", re.S)
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")  # as Moodle compares: lower case
_TRUE_FALSE = re.compile(r"(TRUE|FALSE|T|F)", re.IGNORECASE)
LOOKS_LIKE = re.compile(
    r"(?m)^[ \t\u3000]*+\$CATEGORY[ \t]*+:|^[ \t\u3000]*+::[^\n]*?::"
    r"|\{[ \t]*+(?:T|F|TRUE|FALSE)[ \t]*+\}|\{[^{}=~]*+[=~][^{}]*+\}"
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
    """The first unescaped occurrence of ``target`` at or after ``start`` (its first character
    not escaped; the others follow a character of ``target``, never a backslash)."""
    index = text.find(target, start)
    while index != -1:
        run = 0
        while index - run - 1 >= start and text[index - run - 1] == "\\":
            run += 1
        if run % 2 == 0:
            return index
        index = text.find(target, index + 1)
    return -1


def _meta(comment: str) -> tuple[str, str] | None:
    """``知识点: 贷款担保`` -> (``知识点``, ``贷款担保``); None when there is no ``key:``."""
    cut = min((i for i in (comment.find(":"), comment.find("：")) if i != -1), default=-1)
    if cut == -1:
        return None
    key = comment[:cut].strip()
    if not key:
        return None
    value = comment[cut + 1 :]
    return key, value[1:] if value.startswith(" ") else value


_TOKEN_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TOKEN_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")


def _moodle_tokens(comment: str) -> dict[str, str]:
    """Moodle 4's ``// [id:…] [tag:…]`` comment: the id and the first tag (a knowledge point)."""
    found: dict[str, str] = {}
    if "[id:" in comment:
        match = _TOKEN_ID.search(comment)
        if match:
            found["id"] = match.group(1).replace("\\]", "]").strip()
    if "[tag:" in comment:
        match = _TOKEN_TAG.search(comment)
        if match:
            found["tag"] = match.group(1).replace("\\]", "]").strip()
    return found


def _from_html(text: str) -> str:
    text = re.sub(r"(?i)<br[ \t]*+/?>|</p>", "\n", text)
    return html.unescape(re.sub(r"<[^<>]+>", "", text))


@dataclass
class _Chunk:
    line: int
    lines: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    tag: str | None = None  # Moodle's [tag:…]: the knowledge point when nothing else names one


def _chunks(text: str) -> Iterator[_Chunk | str]:
    """Question blocks (separated by blank lines) and ``$CATEGORY`` paths, in order."""
    chunk: _Chunk | None = None
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        category = _CATEGORY.fullmatch(line)
        comment = _COMMENT.fullmatch(line)
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
            tokens = _moodle_tokens(comment.group(1))
            if "id" in tokens:
                chunk.meta.setdefault("id", tokens["id"])
            if "tag" in tokens:
                chunk.tag = chunk.tag or tokens["tag"]
            meta = _meta(comment.group(1))
            name = field_for(meta[0]) if meta else None
            if meta and name in _META_FIELDS:
                chunk.meta[name] = unescape(meta[1].strip())
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


_FORMATS = ("html", "moodle", "plain", "markdown")
# Moodle's own test for a weight after ``~``: ``%50%``, ``%-100%``, ``%33.33333%``
_MOODLE_WEIGHT = re.compile(r"%-*+([0-9]{1,2})\.?([0-9]*+)%")


def _text_format(raw: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: a leading ``[html]``/``[moodle]``/``[plain]``/
    ``[markdown]`` (lower case, as Moodle compares) sets the format and is removed."""
    text = raw.strip()
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end != -1 else ""
        if name in _FORMATS:
            return name, text[end + 1 :]
    return default, text


def _weight(raw: str) -> tuple[float, str]:
    """A ``~`` answer's weight (Moodle: ``%w%`` right after the ``~``) and the rest."""
    match = _MOODLE_WEIGHT.match(raw)
    if match is None:
        return 0.0, raw
    inner = raw[1 : raw.index("%", 1)]
    negative = inner.startswith("-")
    digits = inner.lstrip("-")
    try:
        value = float(digits) if digits else 0.0
    except ValueError:
        value = 0.0
    return (-value if negative else value), raw[match.end() :]


def _rfind(text: str, target: str) -> int:
    """The last unescaped occurrence of ``target`` (Moodle takes the last ``####``)."""
    last, index = -1, _find(text, target)
    while index != -1:
        last = index
        index = _find(text, target, index + len(target))
    return last


def _kind(block: str) -> str | None:
    """The kind of question an answer block makes, in Moodle's order; None for multiple
    choice and true/false (the two kinds cmquiz holds)."""
    head = block.strip()
    if not head:
        return "简答题(essay)"
    if head.startswith("#"):
        return "数值题(numerical)"
    if _find(block, "~") != -1:
        return None
    if _find(block, "=") != -1 and _find(block, "->") != -1:
        return "匹配题(matching)"
    check = head
    feedback = _find(check, "#")
    if feedback > 0:
        check = check[:feedback].strip()
    if _TRUE_FALSE.fullmatch(check):
        return None
    return "填空/简答题(short answer)"


def _question(chunk: _Chunk, context: dict[str, str], parsed: Parsed) -> Draft | Skip:
    body = "\n".join(chunk.lines).strip()
    title = None
    if body.startswith("::"):
        end = _find(body, "::", 2)
        if end != -1:
            title, body = unescape(body[2:end]).strip(), body[end + 2 :].lstrip()

    opening = _find(body, "{")
    closing = _find(body, "}", opening + 1) if opening != -1 else -1
    if opening == -1:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, "没有答案块 {…}(说明文字,不是题目)")
    if closing == -1:
        return Skip(chunk.line, SkipReason.NO_ANSWER, "答案块缺少结尾的 }")
    after = body[closing + 1 :].strip()
    question_format, stem_raw = _text_format(
        body[:opening] + ("（ ）" + body[closing + 1 :] if after else ""), "moodle"
    )

    def text(raw: str, fmt: str) -> str:
        plain = unescape(raw)
        return (_from_html(plain) if fmt == "html" else plain).strip()

    draft = Draft(line=chunk.line, stem=text(stem_raw, question_format))
    for name, value in _overlay(context, chunk.meta).items():
        if value:
            draft.set_field(name, value)
    if draft.topic is None and chunk.tag:
        draft.topic_code, draft.topic = split_topic_label(chunk.tag)
    if draft.topic is None and title and not ID_PATTERN.fullmatch(title):
        draft.topic = title
    block = body[opening + 1 : closing]
    general = _rfind(block, "####")
    if general != -1:
        fmt, feedback_text = _text_format(block[general + 4 :], question_format)
        draft.explanation = draft.explanation or text(feedback_text, fmt) or None
        block = block[:general]
    kind = _kind(block)
    if kind is not None:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, f"GIFT {kind}")
    draft.answer_rule = Rule.GIFT
    true_false = _TRUE_FALSE.fullmatch(block.strip().split("#")[0].strip())
    if true_false and _find(block, "~") == -1:
        draft.type_label = "judge"
        draft.answer = "T" if true_false.group(1).upper().startswith("T") else "F"
        return draft
    right: list[str] = []
    dropped = 0
    answers = _answers(block)
    for (mark, raw), key in zip(answers, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=False):
        raw = raw.strip()
        weight = 100.0
        if mark == "~":
            weight, raw = _weight(raw)
        feedback = _find(raw, "#")
        if feedback != -1:
            dropped += 1
            raw = raw[:feedback]
        fmt, option = _text_format(raw, question_format)
        draft.options.append((key, text(option, fmt)))
        if weight > 0:
            right.append(key)
    if dropped:
        parsed.warnings.append(Note(chunk.line, f"丢弃了 {dropped} 条选项反馈(#…)"))
    equals = sum(1 for mark, _ in answers if mark == "=")
    if equals > 1:
        return Skip(chunk.line, SkipReason.UNSUPPORTED, "有多个 = 的选择题(任选其一即得分)")
    draft.type_label = "single" if equals or len(right) < 2 else "multiple"
    draft.answer = "".join(right) or None
    return draft


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


def _share(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _comment(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def _lead(text: str) -> str:
    """Text Moodle would misread at its start: a format tag (``[html]…``, which Moodle strips)
    or a ``%`` (read as a weight after ``~``) gets ``[plain]`` first, which Moodle removes."""
    if _FORMAT.match(text) or text.startswith("%"):
        return "[plain]" + text
    return text


def category_part(name: str) -> str:
    """One level of a ``$CATEGORY:`` path, as Moodle's assemble_category_path writes it: ``/``
    doubled, and a space before a leading ``/`` and after a trailing one, so it stays one level."""
    escaped = " ".join(name.split()).replace("/", "//")
    if escaped.startswith("/"):
        escaped = " " + escaped
    if escaped.endswith("/"):
        escaped += " "
    return escaped


def _category(question: Question) -> str:
    parts = [question.bank or "cmquiz", question.topic.label]
    return "$course$/top/" + "/".join(category_part(p) for p in parts)


def moodle_tag(label: str) -> str:
    """A knowledge point as a Moodle tag: ``]`` escaped, ``<``/``>`` and controls dropped (Moodle's
    ``[tag:…]`` cannot hold them), at most 50 characters (Moodle's tag length)."""
    kept = "".join(c for c in label if c not in "<>" and c.isprintable())
    return " ".join(kept.split())[:50].replace("]", "\\]")


def export(questions: Sequence[Question]) -> str:
    blocks = [
        "// 由 cmquiz 导出。每题上方的 // 注释记录 id、知识点等;Moodle 4 读取 [id:…] 和 [tag:…],"
        "cmquiz import 导回时读取全部。"
    ]
    category = None
    for q in questions:
        if _category(q) != category:
            category = _category(q)
            blocks.append(f"$CATEGORY: {category}")
        tag = moodle_tag(q.topic.label)
        lines = [
            f"// [id:{q.id}]" + (f" [tag:{tag}]" if tag else ""),
            f"// {FIELDS_BY_NAME['topic'].label}: {_comment(q.topic.name)}",
        ]
        values = {"topic_code": q.topic.code, "difficulty": q.difficulty}
        for name in _EXPORTED_META:
            value = values[name] if name in values else getattr(q, name)
            if value is not None:
                lines.append(f"// {FIELDS_BY_NAME[name].label}: {_comment(str(value))}")
        head = f"::{q.id}::{_lead(escape(q.stem))}"
        feedback = f"####{_lead(escape(q.explanation))}" if q.explanation else ""
        if q.type is QuestionType.JUDGE:
            answer = "TRUE" if JUDGE_TRUE in q.answer else "FALSE"
            lines.append(f"{head}{{{answer}{feedback}}}")
        else:
            lines.append(head + "{")
            share = _share(100 / len(q.answer))
            for key, option in q.options:
                body = _lead(escape(option))
                right = key in q.answer
                if q.type is QuestionType.MULTIPLE:
                    lines.append(f"~%{share if right else '-100'}%{body}")
                else:
                    lines.append(f"{'=' if right else '~'}{body}")
            if feedback:
                lines.append(feedback)
            lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write(questions: Sequence[Question]) -> ExportResult:
    return ExportResult("gift", export(questions), tuple(questions))


def looks_like(text: str) -> bool:
    return bool(LOOKS_LIKE.search(text))
