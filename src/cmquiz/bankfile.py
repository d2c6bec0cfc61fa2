"""The bank file (YAML, version 1): its top-level fields, ``defaults``, ``retired`` and the
question list. Each question is read into plain values and checked by ``rules``; this module adds
only where each problem stands (line, column, ``questions[3](credit-17-001).answer``).
"""

from __future__ import annotations

from typing import Any

from .collector import collector_paused
from .errors import BankError
from .fields import FIELD_NAMES, TEXT_FIELDS
from .model import Bank, Question
from .progress import report, tracked
from .rules import NOT_TEXT, Flaw, check_question, unknown_field_message
from .textclean import shorten
from .yamlnodes import (
    NULL_TAG,
    STR_TAG,
    Nodes,
    compose,
    is_map,
    is_null,
    is_scalar,
    is_seq,
    join,
    scalar_value,
)

LARGE_TEXT = 1024 * 1024  # characters: a bank this large reports its reading
TOP_FIELDS = ("version", "bank", "description", "defaults", "retired", "questions")
EMPTY_BANK = "文件为空:题库至少要有 bank 和 questions"


def parse_bank_text(text: str, file: str) -> Bank:
    """Validate and build a bank from YAML text; raise BankError listing every problem."""
    with collector_paused():
        if len(text) >= LARGE_TEXT:
            report("读取题库", 0, None)  # one long step: a bar at once (see ``progress``)
        root = compose(text, file, EMPTY_BANK)
        nodes = Nodes(file)
        bank = _bank(root, nodes)
        del root  # freed now: the collector's first pass afterwards need not walk the tree
    if nodes.problems or bank is None:
        raise BankError(nodes.problems)
    return bank


def _bank(root: Any, nodes: Nodes) -> Bank | None:
    if not is_map(root):
        nodes.add(root, "", "文件顶层应为映射(bank:、questions: 等字段)")
        return None
    fields = nodes.mapping(root, "")
    for name, (key_node, _) in fields.items():
        if name not in TOP_FIELDS:
            nodes.add(key_node, name, unknown_field_message(name, TOP_FIELDS))
    if "version" in fields:
        version_node = fields["version"][1]
        if not (is_scalar(version_node) and version_node.value == "1"):
            nodes.add(version_node, "version", "不支持的题库格式版本;目前只有 1")
    title = None
    if "bank" in fields:
        title = nodes.text(fields["bank"][1], "bank")
    else:
        nodes.add(root, "bank", "缺少字段 bank(题库名称)")
    description = (
        nodes.text(fields["description"][1], "description", required=False)
        if "description" in fields
        else None
    )
    defaults = _defaults(fields.get("defaults"), nodes)
    retired = _retired(fields.get("retired"), nodes)
    questions: list[Question] = []
    if "questions" not in fields:
        nodes.add(root, "questions", "缺少字段 questions(题目列表)")
    else:
        questions_node = fields["questions"][1]
        if not is_seq(questions_node):
            nodes.add(questions_node, "questions", "应为题目列表(每题以 - 开头)")
        elif not questions_node.value:
            nodes.add(questions_node, "questions", "题目列表为空")
        else:
            seen: dict[str, int] = {qid: -line for qid, line in retired.items()}
            entries = tracked(questions_node.value, "检查题目", len(questions_node.value))
            for index, node in enumerate(entries):
                question = _question(node, index, defaults, seen, title or "", nodes)
                if question is not None:
                    questions.append(question)
    if nodes.problems or title is None:
        return None
    return Bank(
        title=title,
        questions=tuple(questions),
        description=description,
        path=nodes.file,
        retired=tuple(retired),
    )


def _defaults(entry: tuple[Any, Any] | None, nodes: Nodes) -> dict[str, tuple[Any, Any]]:
    if entry is None:
        return {}
    node = entry[1]
    if is_null(node):
        return {}
    if not is_map(node):
        nodes.add(node, "defaults", "应为映射(字段: 默认值)")
        return {}
    defaults = nodes.mapping(node, "defaults")
    for name, (key_node, _) in list(defaults.items()):
        if name == "id":
            nodes.add(key_node, "defaults.id", "id 不能有默认值:每道题的 id 必须不同")
            del defaults[name]
        elif name not in FIELD_NAMES:
            nodes.add(key_node, f"defaults.{name}", unknown_field_message(name, FIELD_NAMES))
            del defaults[name]
    return defaults


def _retired(entry: tuple[Any, Any] | None, nodes: Nodes) -> dict[str, int]:
    """``retired: [id, ...]``: ids of questions taken out of the bank, never to be reused (the
    history still refers to them). Maps each id to its line."""
    if entry is None:
        return {}
    node = entry[1]
    if not is_seq(node) or not all(is_scalar(n) for n in node.value):
        nodes.add(node, "retired", "应为停用题目 id 的列表")
        return {}
    return {str(n.value): n.start_mark.line + 1 for n in node.value}


# A valid option key is one letter and a valid answer a few letters or a word (对, true); longer
# values are wrong whatever they hold, and are cut so that the message quoting them stays short.
KEY_SHOWN = 16
ANSWER_SHOWN = 64


def _plain(name: str, node: Any) -> Any:
    """A field's node as the plain value ``rules.check_question`` reads."""
    if is_scalar(node):
        if name in TEXT_FIELDS:
            return None if node.tag == NULL_TAG else node.value
        if name == "id" and node.tag == STR_TAG:
            return str(node.value)
        value = scalar_value(node)
        if name == "type" and value is not None:
            return shorten(str(node.value), ANSWER_SHOWN)  # as written, never a number
        if name == "answer" and value is not None and not isinstance(value, bool):
            return shorten(str(node.value), ANSWER_SHOWN)  # as written: 0x1 is not 1
        return value
    if name == "options" and is_map(node):
        return {shorten(str(k.value), KEY_SHOWN): _text(v) for k, v in node.value if is_scalar(k)}
    if name == "options" and is_seq(node):
        return [_text(v) for v in node.value]
    if name == "answer" and is_seq(node):
        return [_short(_text(v), ANSWER_SHOWN) for v in node.value]
    return NOT_TEXT


def _short(value: Any, limit: int) -> Any:
    return shorten(value, limit) if isinstance(value, str) else value


def _text(node: Any) -> Any:
    """Text as written (numbers keep their spelling), None for null, NOT_TEXT for a list."""
    if not is_scalar(node):
        return NOT_TEXT
    return None if node.tag == NULL_TAG else node.value


def _option_nodes(node: Any) -> dict[str, Any]:
    if is_map(node):
        return {str(k.value).strip().upper(): v for k, v in node.value if is_scalar(k)}
    if is_seq(node):
        return {"ABCDEFGH"[i]: v for i, v in enumerate(node.value[:8])}
    return {}


def _question(
    node: Any,
    index: int,
    defaults: dict[str, tuple[Any, Any]],
    seen_ids: dict[str, int],
    bank_title: str,
    nodes: Nodes,
) -> Question | None:
    where = f"questions[{index}]"
    if not is_map(node):
        nodes.add(node, where, "每道题应为映射(id:、type:、stem: 等字段)")
        return None
    own = nodes.mapping(node, where)
    if "id" in own and is_scalar(own["id"][1]):
        where = f"{where}({shorten(str(own['id'][1].value))})"
    fields = {**defaults, **own}
    if "options" in fields and is_map(fields["options"][1]):
        nodes.mapping(fields["options"][1], join(where, "options"))  # repeated letters
    checked = check_question({name: _plain(name, value) for name, (_, value) in fields.items()})
    for problem in checked.problems:
        head, _, option = problem.field.partition(".")
        if head not in fields:
            at = node
        elif problem.flaw is Flaw.UNKNOWN_FIELD:
            at = fields[head][0]
        elif option:
            at = _option_nodes(fields[head][1]).get(option, fields[head][1])
        else:
            at = fields[head][1]
        nodes.add(at, join(where, problem.field), problem.message)
    id_node = own["id"][1] if "id" in own else None
    if id_node is not None and is_scalar(id_node) and id_node.tag == STR_TAG:
        qid = str(id_node.value)
        first = seen_ids.get(qid)
        if first is not None and first < 0:
            nodes.add(
                id_node,
                join(where, "id"),
                f"id {shorten(qid)} 已停用(见 retired,第 {-first} 行),不能再用",
            )
            return None
        if first is not None:
            nodes.add(id_node, join(where, "id"), f"id 重复(第 {first} 行已使用)")
            return None
        seen_ids[qid] = id_node.start_mark.line + 1
    if not checked.ok:
        return None
    return checked.question(str(own["id"][1].value), bank=bank_title, line=node.start_mark.line + 1)
