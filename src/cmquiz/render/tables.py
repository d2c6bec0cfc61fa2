"""Tables: knowledge points, the bank check, past exams and the papers (the stats screens are
``render.stats``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..exams import ExamListing, PaperListing
from ..model import Library
from ..qtypes import TYPE_ORDER
from ..records import Status
from ..sampling import TopicSummary, count_types
from ..scoring import format_points
from .common import clock, display_path, duration, safe
from .common import label as label_text

# --- topics, check ---------------------------------------------------------------------------


def topics_table(summaries: Sequence[TopicSummary]) -> Table:
    """Knowledge points grouped under the bank they come from, with counts by type."""
    table = Table(
        title="知识点", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True
    )
    table.add_column("代码", footer="")
    table.add_column("知识点", overflow="fold", footer="合计")
    for qtype in TYPE_ORDER:
        total = sum(s.counts.get(qtype, 0) for s in summaries)
        table.add_column(qtype.label, justify="right", footer=str(total))
    table.add_column("题数", justify="right", footer=str(sum(s.total for s in summaries)))
    current_bank: str | None = None
    for summary in summaries:
        bank = summary.banks[0] if summary.banks else ""
        if bank != current_bank and bank:
            if current_bank is not None:
                table.add_section()
            table.add_row("", label_text(f"【{bank}】", "bold"))
        current_bank = bank
        table.add_row(
            summary.topic.code or "",
            label_text(summary.topic.name),
            *(str(summary.counts.get(t, 0)) for t in TYPE_ORDER),
            str(summary.total),
        )
    return table


def check_summary(library: Library, width: int = 80) -> Table:
    table = Table(
        title="题库检查通过",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_footer=True,
    )
    table.add_column("文件", overflow="fold", max_width=max(16, width // 3), footer="合计")
    table.add_column("题库", overflow="fold", footer="")
    totals = count_types(library.questions)
    for qtype in TYPE_ORDER:
        table.add_column(qtype.label, justify="right", footer=str(totals[qtype]))
    table.add_column("题数", justify="right", footer=str(len(library.questions)))
    for bank in library.banks:
        counts = count_types(bank.questions)
        table.add_row(
            label_text(display_path(bank.path), limit=120),
            label_text(bank.title),
            *(str(counts[t]) for t in TYPE_ORDER),
            str(len(bank.questions)),
        )
    return table


def exams_table(rows: Sequence[ExamListing]) -> Table:
    """``cmquiz exams``: one line per exam, newest first."""
    table = Table(title="考试记录", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("编号", style="dim", no_wrap=True)
    table.add_column("开始时间", no_wrap=True)
    table.add_column("试卷", overflow="fold", ratio=1)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("结果", no_wrap=True)
    table.add_column("用时", justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            row.short_id,
            f"{row.started.astimezone():%Y-%m-%d %H:%M}" if row.started else "",
            safe(row.paper),
            f"{format_points(row.score)}/{format_points(row.max_score)}",
            _exam_verdict(row),
            clock(row.time_used_s),
        )
    return table


def _exam_verdict(row: ExamListing) -> Text:
    if row.status is None or row.status is Status.INTERRUPTED:
        return Text("未完成(可继续)" if row.resumable else "未完成", style="yellow")
    if row.status is Status.ABANDONED:
        return Text("已放弃", style="dim")
    label = "超时 " if row.status is Status.TIMED_OUT else ""
    if row.passed is None:
        return Text(label.strip())
    return Text(
        label + ("及格" if row.passed else "不及格"), style="green" if row.passed else "red"
    )


def papers_view(rows: Sequence[PaperListing]) -> RenderableType:
    """``cmquiz papers``: every paper, its layout, and whether the current banks can fill it."""
    parts: list[RenderableType] = [Text("试卷", style="bold")]
    for row in rows:
        spec = row.spec
        layout = "、".join(
            f"{s.type.label} {s.count}×{format_points(s.points)} 分" for s in spec.sections
        )
        facts = [f"满分 {format_points(spec.max_score)}"]
        if spec.pass_mark is not None:
            facts.append(f"{format_points(spec.pass_mark)} 分及格")
        facts.append(f"限时 {duration(spec.time_limit_s)}" if spec.time_limit_s else "不限时")
        if spec.shuffle_options:
            facts.append("选项乱序")
        text = Text.assemble((row.name, "bold cyan"), "  ", safe(spec.title))
        text.append("\n    " + layout)
        text.append("\n    " + " · ".join(facts))
        if row.shortfalls:
            text.append("\n    当前题库不够组卷:" + ";".join(row.shortfalls), style="yellow")
        else:
            text.append("\n    当前题库可以组卷", style="green")
        parts.append(text)
    return Group(*parts)
