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
``exam --n N`` uses: the proportions of the real qualification exam. Reading a paper file is
``paperfile``'s work.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .qtypes import QuestionType
from .scoring import MultiRule

PAPER_SUFFIXES = (".yaml", ".yml")

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


# --- durations (a paper's time_limit, --time-limit) ------------------------------------------

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


# --- finding papers -----------------------------------------------------------------------------


def bundled_papers_dir() -> Path:
    from importlib import resources  # imported when used: it costs an exam start 2 ms

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
