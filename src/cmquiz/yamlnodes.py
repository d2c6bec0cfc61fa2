"""Reading YAML files safely, keeping where every value stands.

A file is composed into YAML nodes with PyYAML's C loader when it has one (never constructed
into Python objects by a full loader), so each value keeps its line and column and tags that
would build Python objects are refused without running anything. ``Nodes`` collects problems
as ``Problem`` records (file, line, column, field path, Chinese message); bank files
(``bankfile``) and exam papers (``paper``) describe their own schema on top of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .errors import BankError, Problem
from .textclean import shorten

SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"

# PyYAML's messages, most specific first, and what they mean to an author.
_YAML_PROBLEMS = (
    ("expected a single document", "一个文件只能有一个 YAML 文档(不要用 --- 分隔多个题库)"),
    ("found character '\\t'", "不能用 Tab 缩进,请用空格"),
    ("that cannot start any token", "出现了不能出现在此处的字符(文字以 @ ` 等开头时请加引号)"),
    ("mapping values are not allowed", "此处不能出现“: ”;值里含有冒号加空格时请给整个值加引号"),
    ("could not find expected ':'", "缺少“:”,或上一行的引号没有闭合"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found undefined alias", "引用了未定义的锚点(*名称)"),
    ("did not find expected '-' indicator", "列表项的缩进不一致"),
    ("did not find expected node content", "缺少内容,或括号、引号没有闭合"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合,或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合,或缺少逗号"),
    ("did not find expected key", "缩进不一致,或上一项没有结束"),
    ("expected <block end>", "缩进不一致"),
    ("found unexpected end of stream", "文件意外结束(引号或括号没有闭合)"),
    ("found unknown escape character", "双引号中有无效的转义(反斜杠),请改用单引号"),
    ("found duplicate anchor", "锚点名称重复"),
    ("exceeded maximum nesting depth", "列表和映射嵌套太深"),
)


def describe_yaml_problem(detail: str) -> str:
    """PyYAML's English message as a Chinese hint, keeping the original when it is unusual."""
    for needle, meaning in _YAML_PROBLEMS:
        if needle in detail:
            return meaning
    return f"格式错误({detail})"


def has_libyaml() -> bool:
    """Whether PyYAML was built with libyaml (its C parser): without it, a large bank parses
    several times slower (the CLI says so once)."""
    import yaml

    return hasattr(yaml, "CSafeLoader")


@cache
def loader_class() -> Any:
    """PyYAML's safe loader (the C one when there is libyaml) with a quicker tag resolver."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return type("QuickResolveLoader", (base,), {"resolve": _quick_resolve(base)})


def _quick_resolve(base: Any) -> Any:
    """The safe loader's ``resolve`` for a loader without path resolvers, with its implicit
    resolvers grouped by first character once: a scalar whose first character starts no
    implicit type (every Chinese text) is a string at once. Per node it was a fifth of the
    time of parsing a large bank. A test checks it against PyYAML's own on many scalars."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if base.yaml_path_resolvers:  # never in the safe loaders: keep PyYAML's own then
        return base.resolve
    table = base.yaml_implicit_resolvers
    wildcard = list(table.get(None, []))
    first: dict[str, list[Any]] = {k: list(v) + wildcard for k, v in table.items() if k}
    empty = list(table.get("", [])) + wildcard
    str_tag = base.DEFAULT_SCALAR_TAG
    seq_tag, map_tag = base.DEFAULT_SEQUENCE_TAG, base.DEFAULT_MAPPING_TAG

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                candidates = first.get(value[0], wildcard) if value else empty
                for tag, regexp in candidates:
                    if regexp.match(value):
                        return tag
            return str_tag
        if kind is SequenceNode:
            return seq_tag
        if kind is MappingNode:
            return map_tag
        return base.resolve(self, kind, value, implicit)

    return resolve


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if 0 <= line < len(lines) else ""


def is_map(node: Any) -> bool:
    return type(node).__name__ == "MappingNode"


def is_seq(node: Any) -> bool:
    return type(node).__name__ == "SequenceNode"


def is_scalar(node: Any) -> bool:
    return type(node).__name__ == "ScalarNode"


def is_null(node: Any) -> bool:
    return node.tag == NULL_TAG and type(node).__name__ == "ScalarNode"


MAX_DEPTH = 100
"""Deepest nesting of lists and mappings in a file (a bank needs four levels)."""
ALIAS_FACTOR = 4
ALIAS_FLOOR = 1024 * 1024
ALIAS_CEILING = 64 * 1024 * 1024
"""What aliases (``*name``) may add to a file, in characters: four times the file, at least
1 Mi characters, never more than 64 Mi (``alias_budget``). Every value an alias repeats
counts again, each list and mapping as one character more; nothing is expanded to count it."""

# Characters YAML refuses in a file (its printable set is tab, LF, CR, U+0020–U+007E, U+0085,
# U+00A0–U+D7FF, U+E000–U+FFFD and above U+FFFF).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC"}
_CONTROL_NAMES[0x7F] = "DEL"


def alias_budget(text: str) -> int:
    """The characters aliases may add to ``text`` (see ``ALIAS_FACTOR``)."""
    return min(ALIAS_CEILING, max(ALIAS_FLOOR, ALIAS_FACTOR * len(text)))


def compose(text: str, file: str, empty_message: str) -> Any:
    """The root node of a YAML document; BankError (one problem) when it cannot be read.

    Every tag but plain YAML data is refused (``!!python/object`` and friends never run), and
    so are merge keys (``<<``), characters YAML does not allow (a NUL, a raw ESC), nesting
    deeper than ``MAX_DEPTH`` and aliases that would make the document larger than
    ``alias_budget`` (billion laughs): those are found from the parser's events, before any
    node is built, and nothing is ever expanded.
    """
    import yaml

    if not text.strip():
        raise BankError([Problem(file, message=empty_message)])
    _refuse_characters(text, file)
    try:
        if "&" in text:  # no anchor, no alias: nothing to count
            _refuse_alias_growth(text, file, yaml.parse(text, Loader=loader_class()))
        root = yaml.compose(text, Loader=loader_class())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            detail = "found character '\\t'"  # the C loader does not say which character
        raise BankError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                    message=f"YAML 语法错误:{describe_yaml_problem(detail)}",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise BankError(
            [Problem(file, message=f"YAML 语法错误:{describe_yaml_problem(str(exc))}")]
        ) from None
    except RecursionError:  # the pure-Python loader, on nesting the C loader refuses itself
        raise BankError([Problem(file, message=_TOO_DEEP)]) from None
    if root is None:
        raise BankError([Problem(file, message=empty_message)])
    if _may_hold_unsafe_nodes(text):
        nodes = Nodes(file)
        nodes.refuse_unsafe_tags(root, shared="&" in text)
        if nodes.problems:
            raise BankError(nodes.problems)
    return root


_DEEP_INDENT = re.compile(rf"^[ \-]{{{MAX_DEPTH // 2},}}", re.M)


def _may_hold_unsafe_nodes(text: str) -> bool:
    """Whether the node walk of ``refuse_unsafe_tags`` can find anything: a tag needs a ``!``,
    a merge key ``<<``, and nesting past ``MAX_DEPTH`` needs that many brackets, or a line
    indented (or opened with ``- ``) that deep. Text without any of these (every real bank)
    skips the walk."""
    if "!" in text or "<<" in text:
        return True
    if text.count("[") + text.count("{") >= MAX_DEPTH // 2:
        return True
    return _DEEP_INDENT.search(text) is not None  # one scan, no list of every indent


_TOO_DEEP = f"列表和映射嵌套太深(超过 {MAX_DEPTH} 层)"


def _refuse_characters(text: str, file: str) -> None:
    found = _NOT_YAML.search(text)
    if found is None:
        return
    at = found.start()
    line_start = text.rfind("\n", 0, at) + 1
    line = text.count("\n", 0, line_start) + 1
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code)
    shown = f"U+{code:04X}" + (f"({name})" if name else "")
    if code == 0:
        why = f"文件中有 {shown} 字符:它不是文本文件,或是没有 BOM 的 UTF-16 文件;请另存为 UTF-8"
    elif 0xD800 <= code <= 0xDFFF:
        why = f"文件中有无效的字符 {shown}(孤立的代理项)"
    elif unicodedata.category(found.group()) == "Cc":
        why = f"文件中有不允许的控制字符 {shown}(终端转义等);请删除它"
    else:
        why = f"文件中有不允许的字符 {shown};请删除它"
    raise BankError([Problem(file, line, at - line_start + 1, message=why)])


def _refuse_alias_growth(text: str, file: str, events: Iterable[Any]) -> None:
    """Count what every alias repeats, from the parser's events, and refuse at the first alias
    past ``alias_budget(text)``, a collection nested deeper than ``MAX_DEPTH`` and an alias
    inside the node it names (which would repeat forever)."""
    budget = alias_budget(text)
    sizes: dict[str, int] = {}  # anchor -> characters its node stands for, aliases expanded
    open_nodes: list[list[Any]] = []  # [anchor, size so far] of each collection being read
    added = 0
    for event in events:
        kind = type(event).__name__
        if kind == "ScalarEvent":
            size = 1 + len(event.value)
            if event.anchor is not None:
                sizes[event.anchor] = size
        elif kind in ("SequenceStartEvent", "MappingStartEvent"):
            if len(open_nodes) >= MAX_DEPTH:
                mark = event.start_mark
                raise BankError([Problem(file, mark.line + 1, mark.column + 1, message=_TOO_DEEP)])
            open_nodes.append([event.anchor, 1])
            continue
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            anchor, size = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif kind == "AliasEvent":
            mark = event.start_mark
            if any(anchor == event.anchor for anchor, _ in open_nodes):
                raise BankError(
                    [
                        Problem(
                            file,
                            mark.line + 1,
                            mark.column + 1,
                            message=(
                                f"别名 *{shorten(event.anchor)} 引用了包含它自己的节点(循环引用)"
                            ),
                        )
                    ]
                )
            size = sizes.get(event.anchor, 0)  # an undefined one is reported by the composer
            added += size
            if added > budget:
                raise BankError(
                    [
                        Problem(
                            file,
                            mark.line + 1,
                            mark.column + 1,
                            message=(
                                f"到别名 *{shorten(event.anchor)} 为止,别名重复的内容已超过 "
                                f"{budget:,} 个字符(上限为文件本身的 {ALIAS_FACTOR} 倍,"
                                f"至少 {ALIAS_FLOOR:,},至多 {ALIAS_CEILING:,});"
                                "请不要用别名大量重复长文本"
                            ),
                        )
                    ]
                )
        else:
            continue
        if open_nodes:
            open_nodes[-1][1] += size


@dataclass
class Nodes:
    """Reads nodes of one file and collects the problems found, each with its position."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: Any, where: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, column, where, message))

    def refuse_unsafe_tags(self, root: Any, shared: bool = True) -> None:
        """Tags other than plain data, merge keys, and nesting deeper than ``MAX_DEPTH``.
        ``shared=False`` (no anchors in the text) skips remembering the nodes visited."""
        import yaml

        sequence, mapping = yaml.SequenceNode, yaml.MappingNode
        safe, merge = SAFE_TAGS, "tag:yaml.org,2002:merge"
        seen: set[int] = set()
        stack = [(root, 0)]
        pop, push = stack.pop, stack.append
        while stack:
            node, depth = pop()
            if shared:
                if id(node) in seen:
                    continue
                seen.add(id(node))
            tag = node.tag
            if tag not in safe:
                if tag == merge:
                    self.add(node, "", "不支持 YAML 合并键 <<;多道题共用的字段请写在 defaults 中")
                else:
                    shown = tag.replace("tag:yaml.org,2002:", "!!")
                    self.add(node, "", f"不允许的 YAML 标签 {shown}:只能包含文本、数字、列表和映射")
                continue
            kind = type(node)
            if kind is sequence or kind is mapping:
                if depth >= MAX_DEPTH:
                    self.add(node, "", _TOO_DEEP)
                    return
                deeper = depth + 1
                if kind is sequence:
                    for child in node.value:
                        push((child, deeper))
                else:
                    for key, value in node.value:
                        push((key, deeper))
                        push((value, deeper))

    def mapping(self, node: Any, where: str) -> dict[str, tuple[Any, Any]]:
        """Key -> (key node, value node); repeated and non-text keys are reported."""
        result: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            if not is_scalar(key_node) or key_node.tag == NULL_TAG:
                self.add(key_node, where, "字段名必须是文本")
                continue
            key = str(key_node.value)
            if len(key) > MAX_KEY_LENGTH:  # no field name is; keep it out of every message
                self.add(key_node, where, f"键 {shorten(key)} 太长,不是可用的字段名或选项字母")
                continue
            if key in result:
                first = result[key][0].start_mark.line + 1
                self.add(key_node, join(where, key), f"字段重复(第 {first} 行已出现)")
                continue
            result[key] = (key_node, value_node)
        return result

    def text(self, node: Any, where: str, *, required: bool = True) -> str | None:
        """A text value; plain numbers keep their spelling (``0.70`` stays ``0.70``)."""
        from .textclean import clean_text

        if not is_scalar(node):
            self.add(node, where, "应为文本")
            return None
        if node.tag == NULL_TAG:
            if required:
                self.add(node, where, "不能为空")
            return None
        text = clean_text(str(node.value))
        if not text and required:
            self.add(node, where, "不能为空")
            return None
        return text or None


def join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


MAX_INT_DIGITS = 18
"""Integers longer than this (after ``_`` and a sign are removed) are never converted: Python
refuses to convert more than 4,300 digits at all, and no field of a bank wants such a number."""
HUGE_INT: int = 10**MAX_INT_DIGITS


def scalar_value(node: Any) -> Any:
    """A scalar as plain data: text stays text as written, ``true``/``false`` become bools,
    integers ints (an absurdly long one ``±HUGE_INT``, a value no range accepts); null is None."""
    if node.tag == NULL_TAG:
        return None
    if node.tag == BOOL_TAG:
        return str(node.value).lower() in ("true", "yes", "on", "y")
    if node.tag == INT_TAG:
        number = safe_int(str(node.value))
        return str(node.value) if number is None else number
    return str(node.value)


MAX_KEY_LENGTH = 64


def safe_int(text: str) -> int | None:
    """A YAML integer (``42``, ``-7``, ``1_000``, ``0x1F``, ``0o17``, ``0b101``) as an int, or
    None when it is not one. The length is checked before anything is converted, so no input
    reaches Python's limit on long integers: more than ``MAX_INT_DIGITS`` digits is
    ``±HUGE_INT``."""
    digits = text.strip().replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    if digits[:1] in ("+", "-"):
        digits = digits[1:]
    base = 10
    if digits[:2].lower() in ("0x", "0o", "0b"):
        base = {"x": 16, "o": 8, "b": 2}[digits[1].lower()]
        digits = digits[2:]
    if not digits or not digits.isascii() or not digits.isalnum():
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_INT_DIGITS:
        return sign * HUGE_INT
    try:
        number: int = sign * int(significant, base)
    except ValueError:
        return None
    return number
