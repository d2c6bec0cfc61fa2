"""Reading an exam paper file (the format is described in ``papers``): YAML nodes checked like a
bank's, every problem at once with its file, line and field."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BankError
from .papers import PaperSpec, Section, TopicQuota, parse_duration
from .qtypes import QuestionType, parse_type_name
from .scoring import MultiRule
from .yamlnodes import INT_TAG, Nodes, compose, is_map, is_null, is_scalar, is_seq, join

TOP_FIELDS = (
    "title",
    "description",
    "time_limit",
    "pass_mark",
    "rule",
    "shuffle_questions",
    "shuffle_options",
    "sections",
    "topics",
)
SECTION_FIELDS = ("type", "count", "points", "topics")
QUOTA_FIELDS = ("topic", "count", "share")


def parse_paper_text(text: str, file: str) -> PaperSpec:
    """Validate and build a paper from YAML text; BankError lists every problem."""
    root = compose(text, file, "文件为空:试卷至少要有 title 和 sections")
    nodes = Nodes(file)
    spec = _paper(root, nodes)
    if nodes.problems or spec is None:
        raise BankError(nodes.problems, kind="试卷")
    return spec


def load_paper(path: Path) -> PaperSpec:
    from dataclasses import replace

    from .textfile import read_text

    return replace(parse_paper_text(read_text(path), str(path)), name=str(path))


@dataclass
class _Fields:
    nodes: Nodes
    where: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def number(self, name: str, *, integer: bool = False) -> float | None:
        if name not in self.fields:
            return None
        node = self.fields[name][1]
        where = join(self.where, name)
        text = str(node.value).strip() if is_scalar(node) and not is_null(node) else ""
        if integer:
            ok = is_scalar(node) and node.tag == INT_TAG and len(text) <= 9
            if not ok:
                self.nodes.add(node, where, "应为正整数")
                return None
            value: float = int(text)
        else:
            try:
                value = float(text) if is_scalar(node) and len(text) <= 20 else math.nan
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                self.nodes.add(node, where, "应为数字")
                return None
        if value <= 0:
            self.nodes.add(node, where, "应大于 0")
            return None
        return value

    def boolean(self, name: str, default: bool) -> bool:
        if name not in self.fields:
            return default
        node = self.fields[name][1]
        if is_scalar(node) and node.tag == "tag:yaml.org,2002:bool":
            return str(node.value).lower() in ("true", "yes", "on", "y")
        self.nodes.add(node, join(self.where, name), "应为 true 或 false")
        return default

    def patterns(self, name: str) -> tuple[str, ...]:
        if name not in self.fields:
            return ()
        node = self.fields[name][1]
        if is_seq(node) and node.value and all(is_scalar(n) and not is_null(n) for n in node.value):
            return tuple(str(n.value).strip() for n in node.value)
        self.nodes.add(node, join(self.where, name), "应为知识点列表,如 [17, 担保]")
        return ()


def _known(nodes: Nodes, node: Any, where: str, allowed: tuple[str, ...]) -> _Fields:
    from .rules import unknown_field_message

    fields = nodes.mapping(node, where)
    for name, (key_node, _) in fields.items():
        if name not in allowed:
            nodes.add(key_node, join(where, name), unknown_field_message(name, allowed))
    return _Fields(nodes, where, fields)


def _paper(root: Any, nodes: Nodes) -> PaperSpec | None:
    if not is_map(root):
        nodes.add(root, "", "文件顶层应为映射(title:、sections: 等字段)")
        return None
    top = _known(nodes, root, "", TOP_FIELDS)
    fields = top.fields
    title = nodes.text(fields["title"][1], "title") if "title" in fields else None
    if "title" not in fields:
        nodes.add(root, "title", "缺少字段 title(试卷名称)")
    description = (
        nodes.text(fields["description"][1], "description", required=False)
        if "description" in fields
        else None
    )
    time_limit = None
    if "time_limit" in fields:
        node = fields["time_limit"][1]
        if not is_null(node):
            seconds = parse_duration(str(node.value)) if is_scalar(node) else None
            if seconds is None or seconds <= 0:
                nodes.add(node, "time_limit", "时间限制应写明单位,如 90m、1h30m、5400s")
            else:
                time_limit = seconds
    rule = MultiRule.ALL_OR_NOTHING
    if "rule" in fields:
        node = fields["rule"][1]
        try:
            rule = MultiRule(str(node.value).strip())
        except ValueError:
            allowed = "、".join(r.value for r in MultiRule)
            nodes.add(node, "rule", f"多选计分规则应为 {allowed} 之一")
    sections = _sections(fields.get("sections"), root, nodes)
    items = sum(s.count for s in sections)
    quotas = _quotas(fields.get("topics"), nodes, items)
    pass_mark = top.number("pass_mark")
    max_score = round(sum(s.count * s.points for s in sections), 4)
    if pass_mark is not None and sections and pass_mark > max_score + 1e-9:
        node = fields["pass_mark"][1]
        nodes.add(node, "pass_mark", f"及格线 {pass_mark:g} 分高于满分 {max_score:g} 分")
    spec = PaperSpec(
        title=title or "",
        sections=sections,
        time_limit_s=time_limit,
        pass_mark=pass_mark,
        rule=rule,
        shuffle_questions=top.boolean("shuffle_questions", True),
        shuffle_options=top.boolean("shuffle_options", False),
        quotas=quotas,
        description=description,
    )
    return None if nodes.problems or title is None else spec


def _entries(
    node: Any, name: str, shape: str, allowed: tuple[str, ...], nodes: Nodes
) -> Iterator[tuple[str, Any, _Fields]]:
    """The mappings of the list ``node`` (``sections``, ``topics``), each with where it is and
    its known fields; an entry that is not a mapping is reported (``shape`` says what it holds)."""
    for index, item in enumerate(node.value):
        where = f"{name}[{index}]"
        if not is_map(item):
            nodes.add(item, where, f"应为映射({shape})")
            continue
        yield where, item, _known(nodes, item, where, allowed)


def _sections(entry: tuple[Any, Any] | None, root: Any, nodes: Nodes) -> tuple[Section, ...]:
    if entry is None:
        nodes.add(root, "sections", "缺少字段 sections(各题型的题数和分值)")
        return ()
    node = entry[1]
    if not is_seq(node) or not node.value:
        nodes.add(node, "sections", "应为题型列表(每项有 type、count、points)")
        return ()
    sections = []
    for where, item, f in _entries(
        node, "sections", "type:、count:、points:", SECTION_FIELDS, nodes
    ):
        qtype = None
        if "type" not in f.fields:
            nodes.add(item, join(where, "type"), "缺少字段 type(题型)")
        else:
            type_node = f.fields["type"][1]
            parsed = parse_type_name(str(type_node.value)) if is_scalar(type_node) else None
            if isinstance(parsed, QuestionType):
                qtype = parsed
            else:
                nodes.add(
                    type_node,
                    join(where, "type"),
                    "题型应为 single(单选)、multiple(多选)或 judge(判断)",
                )
        for name in ("count", "points"):
            if name not in f.fields:
                nodes.add(item, join(where, name), f"缺少字段 {name}")
        count = f.number("count", integer=True)
        points = f.number("points")
        topics = f.patterns("topics")
        if qtype is not None and count is not None and points is not None:
            sections.append(Section(qtype, int(count), points, topics))
    return tuple(sections)


def _quotas(entry: tuple[Any, Any] | None, nodes: Nodes, items: int) -> tuple[TopicQuota, ...]:
    if entry is None:
        return ()
    node = entry[1]
    if not is_seq(node):
        nodes.add(node, "topics", "应为列表(每项有 topic 和 count 或 share)")
        return ()
    quotas = []
    for where, item, f in _entries(node, "topics", "topic:、count: 或 share:", QUOTA_FIELDS, nodes):
        pattern = (
            nodes.text(f.fields["topic"][1], join(where, "topic")) if "topic" in f.fields else None
        )
        if "topic" not in f.fields:
            nodes.add(item, join(where, "topic"), "缺少字段 topic(知识点代码或名称的一部分)")
        has_count, has_share = "count" in f.fields, "share" in f.fields
        if has_count == has_share:
            nodes.add(item, where, "count(题数)和 share(占比,0 到 1)二者必须且只能写一个")
            continue
        count = f.number("count", integer=True) if has_count else None
        share = f.number("share") if has_share else None
        if share is not None and share > 1:
            nodes.add(f.fields["share"][1], join(where, "share"), "占比应在 0 到 1 之间,如 0.2")
            continue
        if pattern is not None and (count is not None or share is not None):
            quotas.append(TopicQuota(pattern, int(count) if count is not None else None, share))
    seats = sum(q.seats(items) for q in quotas)
    if items and seats > items:
        nodes.add(node, "topics", f"各知识点指定的题数合计 {seats} 道,超过试卷总题数 {items} 道")
    return tuple(quotas)
