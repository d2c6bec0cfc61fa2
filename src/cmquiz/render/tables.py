"""Tables: stats, knowledge points, the bank check, past exams and the papers."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..exams import ExamListing, PaperListing
from ..model import Library
from ..qtypes import TYPE_ORDER
from ..records import Mode, Status
from ..sampling import TopicSummary
from ..scoring import format_points
from ..stats import StatsReport
from .common import bar, clock, display_path, duration, panel, percent, safe
from .common import label as label_text

# --- stats, topics, check ----------------------------------------------------------------------


def stats_view(report: StatsReport, console: Console) -> RenderableType:
    parts: list[RenderableType] = []
    sessions = "、".join(f"{Mode(m).label} {n} 次" for m, n in report.sessions.items()) or "无"
    when = ""
    if report.first and report.last:
        first, last = report.first.astimezone(), report.last.astimezone()
        when = f"\n时间:{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
    scope = f"(知识点:{'、'.join(report.topics_filter)})" if report.topics_filter else ""
    head = Text.assemble(
        (f"共答题 {report.answered} 次", "bold"),
        f",答对 {report.correct} 次,正确率 {percent(report.accuracy)};",
        f"做过 {report.questions_seen} 道不同的题;{sessions}{scope}{when}",
    )
    parts.append(panel(head, "学习统计", console))

    topics = Table(
        title="各知识点正确率(由弱到强)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    topics.add_column("知识点", overflow="fold", ratio=1)
    topics.add_column("答题", justify="right")
    topics.add_column("正确率", justify="right")
    topics.add_column("", no_wrap=True)
    for row in report.by_topic:
        label = f"{row.code} {row.label}" if row.code else row.label
        topics.add_row(
            label_text(label), str(row.answered), percent(row.accuracy), bar(row.accuracy)
        )
    parts.append(topics)

    types = Table(title="各题型正确率", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    types.add_column("题型")
    types.add_column("答题", justify="right")
    types.add_column("正确率", justify="right")
    types.add_column("", no_wrap=True)
    for row in report.by_type:
        types.add_row(row.label, str(row.answered), percent(row.accuracy), bar(row.accuracy))
    parts.append(types)

    if report.exams:
        title = "最近的模拟考试" + ("(仅统计所选知识点的题)" if report.topics_filter else "")
        exams = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        exams.add_column("时间")
        exams.add_column("得分", justify="right")
        exams.add_column("结果")
        exams.add_column("作答", justify="right")
        for exam in report.exams:
            if exam.status != "completed":
                verdict = Text("未完成", style="yellow")
            elif exam.passed is None:
                verdict = Text("")
            else:
                verdict = (
                    Text("及格", style="green") if exam.passed else Text("不及格", style="red")
                )
            exams.add_row(
                f"{exam.ended.astimezone():%Y-%m-%d %H:%M}",
                f"{exam.score:g}",
                verdict,
                f"{exam.answered}/{exam.questions}",
            )
        parts.append(exams)

    if report.missed:
        missed = Table(
            title="错得最多的题", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
        )
        id_width = min(16, max(len(miss.qid) for miss in report.missed))
        stem_width = max(16, console.width - id_width - 22)
        missed.add_column("题目", no_wrap=True, overflow="ellipsis", max_width=stem_width)
        missed.add_column("编号", no_wrap=True, overflow="ellipsis", style="dim", width=id_width)
        missed.add_column("错/答", justify="right", no_wrap=True)
        missed.add_column("最近", no_wrap=True)
        for miss in report.missed:
            stem = label_text(miss.stem or "(题库中已没有这道题)", "" if miss.stem else "dim", 200)
            recent = Text("对", style="green") if miss.last_correct else Text("错", style="red")
            missed.add_row(stem, safe(miss.qid), f"{miss.wrong}/{miss.answered}", recent)
        parts.append(missed)
    weak = [row for row in report.by_topic if row.accuracy < 0.8]
    if weak:
        target = weak[0].code or weak[0].label
        parts.append(
            Text.assemble(
                "最薄弱的知识点:",
                (weak[0].label, "bold"),
                f"(正确率 {percent(weak[0].accuracy)}),练习:\n  ",
                (f"cmquiz practice --topic {target}", "cyan"),
            )
        )
    return Group(*parts)


def no_history_hint() -> Text:
    return Text.assemble(
        ("还没有答题记录。", "bold"),
        "\n开始练习:",
        ("cmquiz practice --topic 贷款担保", "cyan"),
        "\n模拟考试:",
        ("cmquiz exam --n 50", "cyan"),
        "\n查看知识点:",
        ("cmquiz topics", "cyan"),
    )


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
    for qtype in TYPE_ORDER:
        total = sum(1 for q in library.questions if q.type is qtype)
        table.add_column(qtype.label, justify="right", footer=str(total))
    table.add_column("题数", justify="right", footer=str(len(library.questions)))
    for bank in library.banks:
        table.add_row(
            label_text(display_path(bank.path), limit=120),
            label_text(bank.title),
            *(str(sum(1 for q in bank.questions if q.type is t)) for t in TYPE_ORDER),
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
