"""YAML bank files -> model, with validation that reports every problem at once.

The file is composed into YAML nodes (never constructed into Python objects by PyYAML's
full loader), so each field keeps its line and column, and tags that would build Python
objects are refused without running anything. The C loader is used when PyYAML has it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BankError, Problem, describe_os_error
from .model import (
    ID_PATTERN,
    JUDGE_TRUE,
    OPTION_KEYS,
    Bank,
    Library,
    Question,
    QuestionType,
    parse_judge_word,
)
from .textclean import clean_text

if TYPE_CHECKING:
    import yaml

BANK_SUFFIXES = (".yaml", ".yml")
TOP_FIELDS = ("version", "bank", "description", "defaults", "retired", "questions")
QUESTION_FIELDS = (
    "id",
    "type",
    "topic",
    "topic_code",
    "difficulty",
    "stem",
    "options",
    "answer",
    "explanation",
    "evidence",
    "source",
    "author",
)
REQUIRED_FIELDS = ("id", "type", "topic", "stem", "answer")
TEXT_FIELDS = ("topic", "topic_code", "stem", "explanation", "evidence", "source", "author")
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
_TYPE_NAMES = {
    "single": QuestionType.SINGLE,
    "单选": QuestionType.SINGLE,
    "单选题": QuestionType.SINGLE,
    "multiple": QuestionType.MULTIPLE,
    "多选": QuestionType.MULTIPLE,
    "多选题": QuestionType.MULTIPLE,
    "judge": QuestionType.JUDGE,
    "判断": QuestionType.JUDGE,
    "判断题": QuestionType.JUDGE,
}
_ANSWER_SEPARATORS = re.compile(r"[\s,;、，；/|+]+")


def read_text(path: Path) -> str:
    """Read a bank or import file: UTF-8 (BOM allowed), else GB18030; errors name the file."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise BankError([Problem(str(path), message="这是一个目录,不是题库文件")]) from None
    except FileNotFoundError:
        raise BankError([Problem(str(path), message="文件不存在")]) from None
    except OSError as exc:
        raise BankError(
            [Problem(str(path), message=f"无法读取文件:{describe_os_error(exc)}")]
        ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    line = data.count(b"\n", 0, utf8_error.start) + 1
    column = utf8_error.start - (data.rfind(b"\n", 0, utf8_error.start) + 1) + 1
    byte = data[utf8_error.start]
    raise BankError(
        [
            Problem(
                str(path),
                line,
                column,
                message=(
                    f"文件不是 UTF-8(也不是 GB18030)编码,字节 0x{byte:02X} 无法识别;请另存为 UTF-8"
                ),
            )
        ]
    )


# PyYAML's messages, most specific first, and what they mean to a bank author.
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
)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if 0 <= line < len(lines) else ""


def describe_yaml_problem(detail: str) -> str:
    """PyYAML's English message as a Chinese hint, keeping the original for reference."""
    for needle, meaning in _YAML_PROBLEMS:
        if needle in detail:
            return meaning
    return f"格式错误({detail})"


def _yaml_loader_class() -> type[yaml.SafeLoader]:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Context:
    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: Any, where: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, column, where, message))


def parse_bank_text(text: str, file: str) -> Bank:
    """Validate and build a bank from YAML text; raise BankError listing every problem."""
    import yaml

    ctx = _Context(file)
    if not text.strip():
        raise BankError([Problem(file, message="文件为空:题库至少要有 bank 和 questions")])
    try:
        root = yaml.compose(text, Loader=_yaml_loader_class())
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
    if root is None:
        raise BankError([Problem(file, message="文件为空:题库至少要有 bank 和 questions")])
    _refuse_unsafe_tags(root, ctx)
    if ctx.problems:
        raise BankError(ctx.problems)
    bank = _build_bank(root, ctx)
    if ctx.problems or bank is None:
        raise BankError(ctx.problems)
    return bank


def load_bank(path: str | Path) -> Bank:
    path = Path(path)
    return parse_bank_text(read_text(path), str(path))


def expand_bank_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories become their ``*.yaml``/``*.yml`` files, sorted. A file named
    twice (directly, through its directory, or by another spelling of its path) counts once."""
    result: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        found = (
            sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES)
            if path.is_dir()
            else [path]
        )
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                result.append(file)
    return result


def load_library(paths: Sequence[str | Path], cache_dir: Path | None = None) -> Library:
    """Load every bank; report every problem of every file, and ids repeated across files.

    With ``cache_dir``, banks unchanged since they were last validated come from the JSON
    cache (``bankcache``) and YAML is not even imported.
    """
    files = expand_bank_paths(paths)
    if not files:
        shown = "、".join(str(p) for p in paths) or "(无)"
        raise BankError([Problem(shown, message="没有找到题库文件(*.yaml)")])
    problems: list[Problem] = []
    banks = None
    if cache_dir is not None:
        from .bankcache import cached_banks

        banks = cached_banks(files, cache_dir)
    if banks is None:
        banks = []
        for path in files:
            try:
                banks.append(load_bank(path))
            except BankError as exc:
                problems.extend(exc.problems)
        if cache_dir is not None and not problems:
            from .bankcache import store_banks

            store_banks(banks, cache_dir)
    problems.extend(_repeated_ids(banks))
    if problems:
        raise BankError(problems)
    return Library(tuple(banks))


def _repeated_ids(banks: Sequence[Bank]) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for bank in banks:
        for question in bank.questions:
            first = seen.get(question.id)
            if first is not None and first != bank.path:
                problems.append(
                    Problem(
                        bank.path or "",
                        question.line,
                        where=f"({question.id}).id",
                        message=f"题目 id 与 {first} 中的题目重复;id 在所有题库中必须唯一",
                    )
                )
            seen.setdefault(question.id, bank.path or "")
    return problems


# --- node walking -------------------------------------------------------------------------


def _refuse_unsafe_tags(root: Any, ctx: _Context) -> None:
    """Refuse any tag but plain YAML data (``!!python/object`` and friends never run)."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag == "tag:yaml.org,2002:merge":
            ctx.add(node, "", "不支持 YAML 合并键 <<;多道题共用的字段请写在 defaults 中")
            continue
        if node.tag not in SAFE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            ctx.add(node, "", f"不允许的 YAML 标签 {tag}:题库只能包含文本、数字、列表和映射")
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _construct(node: Any) -> Any:
    loader = _yaml_loader_class()("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _is_map(node: Any) -> bool:
    import yaml

    return isinstance(node, yaml.MappingNode)


def _is_seq(node: Any) -> bool:
    import yaml

    return isinstance(node, yaml.SequenceNode)


def _is_scalar(node: Any) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode)


def _mapping(node: Any, where: str, ctx: _Context) -> dict[str, tuple[Any, Any]]:
    """Key -> (key node, value node); repeated and non-text keys are reported."""
    result: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in node.value:
        if not _is_scalar(key_node) or key_node.tag == "tag:yaml.org,2002:null":
            ctx.add(key_node, where, "字段名必须是文本")
            continue
        key = str(key_node.value)
        if key in result:
            first = result[key][0].start_mark.line + 1
            ctx.add(key_node, _join(where, key), f"字段重复(第 {first} 行已出现)")
            continue
        result[key] = (key_node, value_node)
    return result


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _unknown_field(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f";是不是 {close[0]}?" if close else f";可用字段:{', '.join(allowed)}"
    return f"未知字段 {name}{hint}"


def _text(node: Any, where: str, ctx: _Context, *, required: bool = True) -> str | None:
    """A text field. Plain numbers keep their spelling (``0.70`` stays ``0.70``)."""
    if not _is_scalar(node):
        ctx.add(node, where, "应为文本")
        return None
    if node.tag == "tag:yaml.org,2002:null":
        if required:
            ctx.add(node, where, "不能为空")
        return None
    text = clean_text(str(node.value))
    if not text and required:
        ctx.add(node, where, "不能为空")
        return None
    return text or None


def _build_bank(root: Any, ctx: _Context) -> Bank | None:
    if not _is_map(root):
        ctx.add(root, "", "文件顶层应为映射(bank:、questions: 等字段)")
        return None
    fields = _mapping(root, "", ctx)
    for name, (key_node, _) in fields.items():
        if name not in TOP_FIELDS:
            ctx.add(key_node, name, _unknown_field(name, TOP_FIELDS))
    if "version" in fields:
        version_node = fields["version"][1]
        if not (_is_scalar(version_node) and version_node.value == "1"):
            ctx.add(version_node, "version", "不支持的题库格式版本;目前只有 1")
    title = None
    if "bank" in fields:
        title = _text(fields["bank"][1], "bank", ctx)
    else:
        ctx.add(root, "bank", "缺少字段 bank(题库名称)")
    description = (
        _text(fields["description"][1], "description", ctx, required=False)
        if "description" in fields
        else None
    )
    defaults: dict[str, tuple[Any, Any]] = {}
    if "defaults" in fields:
        defaults_node = fields["defaults"][1]
        if _is_map(defaults_node):
            defaults = _mapping(defaults_node, "defaults", ctx)
            for name, (key_node, _) in list(defaults.items()):
                if name == "id":
                    ctx.add(key_node, "defaults.id", "id 不能有默认值:每道题的 id 必须不同")
                    del defaults[name]
                elif name not in QUESTION_FIELDS:
                    ctx.add(key_node, f"defaults.{name}", _unknown_field(name, QUESTION_FIELDS))
                    del defaults[name]
        elif not (_is_scalar(defaults_node) and defaults_node.tag.endswith(":null")):
            ctx.add(defaults_node, "defaults", "应为映射(字段: 默认值)")
    questions: list[Question] = []
    if "questions" not in fields:
        ctx.add(root, "questions", "缺少字段 questions(题目列表)")
    else:
        questions_node = fields["questions"][1]
        if not _is_seq(questions_node):
            ctx.add(questions_node, "questions", "应为题目列表(每题以 - 开头)")
        elif not questions_node.value:
            ctx.add(questions_node, "questions", "题目列表为空")
        else:
            seen_ids: dict[str, int] = _retired_ids(fields.get("retired"), ctx)
            for index, node in enumerate(questions_node.value):
                question = _build_question(node, index, defaults, seen_ids, title or "", ctx)
                if question is not None:
                    questions.append(question)
    if ctx.problems or title is None:
        return None
    return Bank(title=title, questions=tuple(questions), description=description, path=ctx.file)


def _retired_ids(entry: tuple[Any, Any] | None, ctx: _Context) -> dict[str, int]:
    """``retired: [id, ...]``: ids of questions taken out of the bank, never to be reused
    (the history still refers to them). Maps each id to minus its line."""
    if entry is None:
        return {}
    node = entry[1]
    if not _is_seq(node) or not all(_is_scalar(n) for n in node.value):
        ctx.add(node, "retired", "应为停用题目 id 的列表")
        return {}
    return {str(n.value): -(n.start_mark.line + 1) for n in node.value}


def _build_question(
    node: Any,
    index: int,
    defaults: dict[str, tuple[Any, Any]],
    seen_ids: dict[str, int],
    bank_title: str,
    ctx: _Context,
) -> Question | None:
    where = f"questions[{index}]"
    if not _is_map(node):
        ctx.add(node, where, "每道题应为映射(id:、type:、stem: 等字段)")
        return None
    own = _mapping(node, where, ctx)
    qid = None
    if "id" in own and _is_scalar(own["id"][1]):
        qid = str(own["id"][1].value)
        where = f"{where}({qid})"
    fields = {**defaults, **own}
    before = len(ctx.problems)
    for name, (key_node, _) in own.items():
        if name not in QUESTION_FIELDS:
            ctx.add(key_node, _join(where, name), _unknown_field(name, QUESTION_FIELDS))
    for name in REQUIRED_FIELDS:
        if name not in fields:
            ctx.add(node, _join(where, name), f"缺少必填字段 {name}")

    if "id" in own:
        id_node = own["id"][1]
        if not _is_scalar(id_node) or id_node.tag != "tag:yaml.org,2002:str":
            ctx.add(id_node, _join(where, "id"), 'id 应为文本(数字请加引号,如 "001")')
        elif not ID_PATTERN.fullmatch(id_node.value):
            ctx.add(id_node, _join(where, "id"), "id 只能包含字母、数字、点、下划线和连字符")
        elif id_node.value in seen_ids:
            first = seen_ids[id_node.value]
            ctx.add(id_node, _join(where, "id"), f"id 重复(第 {first} 行已使用)")
            if first < 0:
                ctx.problems[-1] = replace(
                    ctx.problems[-1],
                    message=f"id {id_node.value} 已停用(见 retired,第 {-first} 行),不能再用",
                )
        else:
            seen_ids[id_node.value] = id_node.start_mark.line + 1

    qtype = None
    if "type" in fields:
        type_node = fields["type"][1]
        raw = str(type_node.value).strip().lower() if _is_scalar(type_node) else ""
        qtype = _TYPE_NAMES.get(raw)
        if qtype is None:
            ctx.add(
                type_node,
                _join(where, "type"),
                f"未知题型 {raw or '(空)'};应为 single(单选)、multiple(多选)或 judge(判断)",
            )

    texts: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            required = name in REQUIRED_FIELDS
            texts[name] = _text(fields[name][1], _join(where, name), ctx, required=required)

    difficulty = None
    if "difficulty" in fields:
        diff_node = fields["difficulty"][1]
        if _is_scalar(diff_node) and diff_node.tag == "tag:yaml.org,2002:int":
            difficulty = int(_construct(diff_node))
            if not 1 <= difficulty <= 5:
                ctx.add(
                    diff_node,
                    _join(where, "difficulty"),
                    f"难度 {difficulty} 超出范围;应为 1(易)到 5(难)的整数",
                )
        elif not (_is_scalar(diff_node) and diff_node.tag.endswith(":null")):
            ctx.add(diff_node, _join(where, "difficulty"), "难度应为 1 到 5 的整数")

    options: tuple[tuple[str, str], ...] = ()
    if "options" in fields:
        options_node = fields["options"][1]
        if qtype is QuestionType.JUDGE:
            ctx.add(options_node, _join(where, "options"), "判断题不应有选项(答案写 true 或 false)")
        else:
            options = _options(options_node, _join(where, "options"), ctx)
    elif qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        ctx.add(node, _join(where, "options"), f"{qtype.label}题缺少选项 options")

    answer: frozenset[str] | None = None
    if "answer" in fields and qtype is not None:
        answer = _answer(fields["answer"][1], qtype, options, _join(where, "answer"), ctx)

    if len(ctx.problems) > before or qtype is None or answer is None or qid is None:
        return None
    return Question(
        id=qid,
        type=qtype,
        topic=texts["topic"] or "",
        topic_code=texts.get("topic_code"),
        difficulty=difficulty,
        stem=texts["stem"] or "",
        options=options,
        answer=answer,
        explanation=texts.get("explanation"),
        evidence=texts.get("evidence"),
        source=texts.get("source"),
        author=texts.get("author"),
        bank=bank_title,
        line=node.start_mark.line + 1,
    )


def _options(node: Any, where: str, ctx: _Context) -> tuple[tuple[str, str], ...]:
    items: list[tuple[str, Any, Any]] = []
    if _is_map(node):
        for key, (key_node, value_node) in _mapping(node, where, ctx).items():
            items.append((key.strip().upper(), key_node, value_node))
    elif _is_seq(node):
        if len(node.value) > len(OPTION_KEYS):
            ctx.add(node, where, f"选项应有 2 到 {len(OPTION_KEYS)} 个,现有 {len(node.value)} 个")
            return ()
        for i, value_node in enumerate(node.value):
            items.append((OPTION_KEYS[i], value_node, value_node))
    else:
        ctx.add(node, where, "选项应为映射(A: …、B: …)或列表")
        return ()
    if not 2 <= len(items) <= len(OPTION_KEYS):
        ctx.add(node, where, f"选项应有 2 到 {len(OPTION_KEYS)} 个,现有 {len(items)} 个")
        return ()
    expected = OPTION_KEYS[: len(items)]
    keys = "".join(key for key, _, _ in items)
    if keys != expected:
        ctx.add(node, where, f"选项应依次为 {'、'.join(expected)},现为 {'、'.join(keys)}")
        return ()
    result: list[tuple[str, str]] = []
    texts_seen: dict[str, str] = {}
    for key, _, value_node in items:
        text = _text(value_node, f"{where}.{key}", ctx)
        if text is None:
            continue
        if text in texts_seen:
            ctx.add(value_node, f"{where}.{key}", f"与选项 {texts_seen[text]} 内容相同")
        texts_seen.setdefault(text, key)
        result.append((key, text))
    return tuple(result)


def _answer(
    node: Any,
    qtype: QuestionType,
    options: tuple[tuple[str, str], ...],
    where: str,
    ctx: _Context,
) -> frozenset[str] | None:
    if qtype is QuestionType.JUDGE:
        if _is_scalar(node):
            if node.tag == "tag:yaml.org,2002:bool":
                return frozenset({JUDGE_TRUE if _construct(node) else "F"})
            word = parse_judge_word(str(node.value))
            if word is not None:
                return frozenset({word})
        ctx.add(node, where, "判断题答案应为 true/false(或 对/错、正确/错误、√/×)")
        return None
    if _is_seq(node):
        parts = [str(n.value) for n in node.value if _is_scalar(n)]
        if len(parts) != len(node.value):
            ctx.add(node, where, "答案列表只能包含选项字母")
            return None
        raw = "".join(parts)
    elif _is_scalar(node) and node.tag != "tag:yaml.org,2002:null":
        raw = str(node.value)
    else:
        ctx.add(node, where, "缺少答案")
        return None
    letters = _ANSWER_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()
    keys = {key for key, _ in options}
    if not letters or not letters.isascii() or not letters.isalpha():
        ctx.add(node, where, f"答案 {raw} 应为选项字母,如 B 或 ACD")
        return None
    if not options:
        return None  # the options are broken and already reported
    bad = sorted({c for c in letters if c not in keys})
    if bad:
        span = f"{min(keys)}–{max(keys)}"
        ctx.add(node, where, f"答案 {''.join(bad)} 不在选项中(选项为 {span})")
        return None
    if len(set(letters)) != len(letters):
        ctx.add(node, where, f"答案 {raw} 有重复字母")
        return None
    chosen = frozenset(letters)
    if qtype is QuestionType.SINGLE and len(chosen) != 1:
        ctx.add(node, where, f"单选题只能有一个答案,现为 {''.join(sorted(chosen))}")
        return None
    if qtype is QuestionType.MULTIPLE and len(chosen) < 2:
        ctx.add(node, where, "多选题至少要有两个正确答案;只有一个答案请用 type: single")
        return None
    return chosen
