"""Exam papers: the layout of a paper (sections of one question type with a count and the points
each question is worth, optional knowledge points per section, optional counts or shares per
knowledge point across the paper), its time limit, pass mark, 多选 rule and shuffling.

A paper is a YAML file validated like a bank (every problem at once, file:line:field)::

    title: 个人客户经理岗位资格考试(模拟卷)
    time_limit: 60m            # units s, m, h (1h30m works too)
    pass_mark: 60              # points
    rule: partial              # all_or_nothing | partial | per_option
    shuffle_questions: true
    shuffle_options: true
    sections:
      - {type: single, count: 40, points: 1}
      - {type: multiple, count: 20, points: 2, topics: [17, 担保]}
    topics:                    # optional, across the whole paper
      - {topic: 礼仪, count: 5}
      - {topic: 营销, share: 0.1}

Bundled papers live in the package (``cmquiz/papers``), a trainer's own in ``<data dir>/papers``;
``--paper`` takes a name from either or a file path. ``standard_paper(n)`` is the paper
``exam --n N`` uses: the proportions of the real qualification exam.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import BankError, UsageError
from .qtypes import QuestionType, parse_type_name
from .scoring import MultiRule
from .yamlnodes import INT_TAG, Nodes, compose, is_map, is_null, is_scalar, is_seq, join

PAPER_SUFFIXES = (".yaml", ".yml")
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

# The real qualification exam (个人客户经理岗位资格认证考试): 90 单选 x 0.5, 40 多选 x 1,
# 15 判断 x 1 = 100 points in 120 minutes, 60 to pass.
STANDARD_LAYOUT = (
    (QuestionType.SINGLE, 90, 0.5),
    (QuestionType.MULTIPLE, 40, 1.0),
    (QuestionType.JUDGE, 15, 1.0),
)
STANDARD_MINUTES = 120
STANDARD_PASS_FRACTION = 0.6


@dataclass(frozen=True)
class Section:
    """``count`` questions of one type, each worth ``points``, optionally only from topics."""

    type: QuestionType
    count: int
    points: float
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicQuota:
    """How many questions of the paper come from the knowledge points ``pattern`` matches."""

    pattern: str
    count: int | None = None
    share: float | None = None

    def seats(self, items: int) -> int:
        if self.count is not None:
            return self.count
        return round((self.share or 0.0) * items)


@dataclass(frozen=True)
class PaperSpec:
    """A paper's layout and rules."""

    title: str
    sections: tuple[Section, ...]
    time_limit_s: int | None = None
    pass_mark: float | None = None
    rule: MultiRule = MultiRule.ALL_OR_NOTHING
    shuffle_questions: bool = True
    shuffle_options: bool = False
    quotas: tuple[TopicQuota, ...] = ()
    description: str | None = None
    name: str | None = None  # how it was asked for: a bundled name or a file path

    @property
    def items(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def max_score(self) -> float:
        return round(sum(s.count * s.points for s in self.sections), 4)


def standard_paper(n: int) -> PaperSpec:
    """``exam --n N`` without a paper: the real exam's type proportions (90:40:15, largest
    remainder), its points (单选 0.5, 多选 and 判断 1), its time per question and its pass
    fraction (60% of the maximum)."""
    total = sum(count for _, count, _ in STANDARD_LAYOUT)
    quotas = [n * count / total for _, count, _ in STANDARD_LAYOUT]
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: quotas[i] - counts[i], reverse=True)
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    sections = tuple(
        Section(qtype, count, points)
        for (qtype, _, points), count in zip(STANDARD_LAYOUT, counts, strict=True)
        if count
    )
    minutes = math.ceil(STANDARD_MINUTES * n / total)
    spec = PaperSpec(title=f"随机组卷 {n} 题", sections=sections, time_limit_s=minutes * 60)
    return _with_pass_mark(spec)


def _with_pass_mark(spec: PaperSpec) -> PaperSpec:
    from dataclasses import replace

    return replace(spec, pass_mark=round(spec.max_score * STANDARD_PASS_FRACTION, 2))


def fit_standard_paper(
    spec: PaperSpec, available: dict[QuestionType, int]
) -> tuple[PaperSpec, list[str]]:
    """The standard paper moved onto what the pool has: seats of a type the pool is short of go
    to the other types (the notes say so). Only for ``--n`` papers; a paper file must be
    filled as written."""
    from dataclasses import replace

    counts = {s.type: s.count for s in spec.sections}
    points = {qtype: p for qtype, _, p in STANDARD_LAYOUT}
    notes: list[str] = []
    spare = 0
    for qtype in list(counts):
        have = available.get(qtype, 0)
        if counts[qtype] > have:
            notes.append(f"{qtype.label}题只有 {have} 道,少于按比例应出的 {counts[qtype]} 道")
            spare += counts[qtype] - have
            counts[qtype] = have
    for qtype, _, _ in STANDARD_LAYOUT:
        if spare <= 0:
            break
        room = available.get(qtype, 0) - counts.get(qtype, 0)
        if room > 0:
            moved = min(room, spare)
            counts[qtype] = counts.get(qtype, 0) + moved
            spare -= moved
    sections = tuple(
        Section(qtype, counts[qtype], points[qtype])
        for qtype, _, _ in STANDARD_LAYOUT
        if counts.get(qtype)
    )
    fitted = replace(spec, sections=sections)
    return (_with_pass_mark(fitted) if notes else spec), notes


def standard_paper_for(available: dict[QuestionType, int], n: int) -> tuple[PaperSpec, list[str]]:
    """The paper ``exam --n N`` draws from a pool holding ``available`` questions of each type,
    and what the trainee should be told about how it had to be adapted."""
    notes: list[str] = []
    total = sum(available.values())
    if total < n:
        notes.append(f"符合条件的题目只有 {total} 道,少于 {n} 道:本次试卷使用全部 {total} 道题。")
        n = total
    spec, short = fit_standard_paper(standard_paper(n), available)
    notes.extend(f"{line},其余题数由其他题型补足。" for line in short)
    return spec, notes


# --- reading paper files ----------------------------------------------------------------------

_DURATION = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?"
)


def parse_duration(text: str) -> int | None:
    """``90m`` / ``1h30m`` / ``5400s`` / ``2h`` -> seconds; None when it is not a duration."""
    raw = text.strip().lower().replace("分钟", "m").replace("小时", "h").replace("秒", "s")
    match = _DURATION.fullmatch(raw)
    if not raw or match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return round(hours * 3600 + minutes * 60 + seconds)


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


def _sections(entry: tuple[Any, Any] | None, root: Any, nodes: Nodes) -> tuple[Section, ...]:
    if entry is None:
        nodes.add(root, "sections", "缺少字段 sections(各题型的题数和分值)")
        return ()
    node = entry[1]
    if not is_seq(node) or not node.value:
        nodes.add(node, "sections", "应为题型列表(每项有 type、count、points)")
        return ()
    sections = []
    for index, item in enumerate(node.value):
        where = f"sections[{index}]"
        if not is_map(item):
            nodes.add(item, where, "应为映射(type:、count:、points:)")
            continue
        f = _known(nodes, item, where, SECTION_FIELDS)
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
    for index, item in enumerate(node.value):
        where = f"topics[{index}]"
        if not is_map(item):
            nodes.add(item, where, "应为映射(topic:、count: 或 share:)")
            continue
        f = _known(nodes, item, where, QUOTA_FIELDS)
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


# --- finding papers -----------------------------------------------------------------------------


def bundled_papers_dir() -> Path:
    return Path(str(resources.files("cmquiz"))) / "papers"


def paper_files(user_dir: Path | None) -> list[Path]:
    """Bundled papers, then the trainer's own (``<data dir>/papers``), each sorted by name."""
    found: list[Path] = []
    for folder in (bundled_papers_dir(), user_dir):
        if folder is not None and folder.is_dir():
            found.extend(sorted(p for p in folder.iterdir() if p.suffix in PAPER_SUFFIXES))
    return found


def find_paper(name: str, user_dir: Path | None) -> Path:
    """``--paper``: a file path, else the name of a bundled or user paper (its file name
    without ``.yaml``); UsageError listing the papers when nothing matches."""
    path = Path(name).expanduser()
    if path.suffix in PAPER_SUFFIXES or path.exists():
        return path
    files = paper_files(user_dir)
    for file in files:
        if file.stem == name:
            return file
    names = "、".join(f.stem for f in files) or "(无)"
    raise UsageError(f"没有名为 {name} 的试卷;可用的试卷:{names}(也可给出试卷文件的路径)")
