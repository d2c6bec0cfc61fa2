"""Rich renderables for every screen. Bank text is always wrapped in ``Text`` (never markup).

Only this module and the CLI import rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .cjkwrap import break_offsets
from .errors import CmquizError
from .history import Mode
from .model import Library, Question
from .paths import bundled_banks_dir
from .qtypes import TYPE_ORDER, QuestionType
from .sampling import TopicSummary
from .session import BreakdownRow, RunResult
from .stats import StatsReport
from .textclean import strip_controls

PANEL_MAX_WIDTH = 88
BAR_WIDTH = 16


def make_console(stderr: bool = False) -> Console:
    """A console bound to the current stdout/stderr (looked up at print time)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def _width(console: Console) -> int:
    return min(console.width, PANEL_MAX_WIDTH)


def wrap_text(text: Text, width: int) -> Text:
    """Break Chinese text between characters, not only at spaces (see ``cjkwrap``)."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        offsets = break_offsets(paragraph.plain, max(width, 2))
        pieces = paragraph.divide(offsets) if offsets else [paragraph]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    return Text("\n").join(lines)


def _panel(body: Text, title: Text | str, console: Console, border_style: str = "none") -> Panel:
    """A question-width panel whose body is wrapped for Chinese."""
    width = _width(console)
    return Panel(
        wrap_text(body, width - 4),
        title=title,
        title_align="left",
        box=box.ROUNDED,
        width=width,
        padding=(0, 1),
        border_style=border_style,
    )


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """A plain block bar that reads the same with or without colour."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    style = "green" if fraction >= 0.8 else "yellow" if fraction >= 0.6 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"))


# --- questions -------------------------------------------------------------------------------


def question_panel(question: Question, number: int, total: int, console: Console) -> Panel:
    body = Text(question.stem)
    if question.type is QuestionType.JUDGE:
        body.append("\n\n")
        body.append("请判断:对 / 错", style="dim")
    else:
        body.append("\n")
        for key, text in question.options:
            body.append("\n")
            body.append(f"{key}. ", style="bold")
            body.append(text)
    title = Text.assemble(
        (f"第 {number}/{total} 题", "bold"),
        " · ",
        (question.type.label, "cyan"),
        " · ",
        question.topic.label,
    )
    return _panel(body, title, console)


def prompt_text(question: Question) -> Text:
    if question.type is QuestionType.JUDGE:
        hint = "对/错"
    elif question.type is QuestionType.MULTIPLE:
        hint = "可多选,如 ACD"
    else:
        hint = f"{question.keys[0]}–{question.keys[-1]}"
    return Text.assemble(("你的答案", "bold"), (f"({hint};q 退出):", "dim"))


def answer_words(question: Question, keys: frozenset[str] | None) -> Text:
    """``B. 专项储存,专户管理`` / ``对`` / ``未作答``."""
    if keys is None:
        return Text("未作答", style="dim")
    if question.type is QuestionType.JUDGE:
        return Text(question.describe(keys))
    text = Text()
    for i, key in enumerate(sorted(keys)):
        if i:
            text.append("\n")
        text.append(f"{key}. ", style="bold")
        text.append(question.option_text(key))
    return text


def feedback(
    question: Question, given: frozenset[str], correct: bool, console: Console
) -> RenderableType:
    """What practice shows right after an answer: verdict, key, 解析, 出处."""
    body = Text()
    if not correct:
        body.append("你的答案:", style="bold")
        body.append(question.describe(given))
        body.append("   ")
    body.append("正确答案:", style="bold")
    body.append(question.describe(question.answer), style="green")
    if question.type is not QuestionType.JUDGE and not correct:
        body.append("\n")
        body.append_text(answer_words(question, question.answer))
    if question.explanation:
        body.append("\n解析:", style="bold")
        body.append(question.explanation)
    if question.source:
        body.append("\n出处:", style="dim")
        body.append(question.source, style="dim")
    title = (
        Text("✓ 回答正确", style="bold green") if correct else Text("✗ 回答错误", style="bold red")
    )
    return _panel(body, title, console, border_style="green" if correct else "red")


# --- run results -----------------------------------------------------------------------------


def _breakdown_table(title: str, rows: Sequence[BreakdownRow], exam: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(title.removeprefix("按"), overflow="fold")
    table.add_column("题数", justify="right")
    table.add_column("答对", justify="right")
    table.add_column("正确率", justify="right")
    for row in rows:
        accuracy = row.correct / (row.total if exam else max(row.answered, 1))
        table.add_row(Text(row.label), str(row.total), str(row.correct), _percent(accuracy))
    return table


def run_report(result: RunResult, seed: int | None, console: Console) -> RenderableType:
    """The end-of-run screen: score (exams) or accuracy (practice), tables, the misses."""
    exam = result.mode is Mode.EXAM
    parts: list[RenderableType] = []
    if exam:
        verdict = (
            Text("及格", style="bold green") if result.passed else Text("不及格", style="bold red")
        )
        head = Text.assemble(
            ("得分 ", "bold"),
            (f"{result.score:g}", "bold"),
            " / 100  ",
            verdict,
            f"(及格线 60 分)  答对 {result.correct}/{result.total}",
        )
        if result.answered < result.total:
            head.append(
                f"\n考试未完成:已答 {result.answered}/{result.total} 题,未答题按 0 分计",
                style="yellow",
            )
    else:
        accuracy = result.correct / result.answered if result.answered else 0.0
        head = Text.assemble(
            ("练习结束 ", "bold"), f"答对 {result.correct}/{result.answered}({_percent(accuracy)})"
        )
        if result.answered < result.total:
            head.append(f"  计划 {result.total} 题,已答 {result.answered} 题", style="dim")
    if seed is not None and exam:
        head.append(f"\n种子 {seed}(用 --seed {seed} 可重做同一组题)", style="dim")
    parts.append(_panel(head, "考试成绩" if exam else "练习小结", console))
    if result.answered or exam:
        parts.append(_breakdown_table("按题型", result.by_type, exam))
        if len(result.by_topic) > 1 or exam:
            parts.append(_breakdown_table("按知识点", result.by_topic, exam))
    if exam:
        # A paper left unfinished lists only what was answered wrongly, not every unseen question.
        wrong = [m for m in result.misses if m.given is not None]
        unanswered = len(result.misses) - len(wrong)
        shown = wrong if result.answered < result.total else list(result.misses)
        if shown:
            parts.append(Text("错题与正确答案", style="bold"))
        for miss in shown:
            parts.append(miss_panel(miss.number, miss.question, miss.given, console))
        if result.answered < result.total and unanswered:
            parts.append(Text(f"另有 {unanswered} 道题未作答,未列出。", style="dim"))
    return Group(*parts)


def miss_panel(
    number: int, question: Question, given: frozenset[str] | None, console: Console
) -> Panel:
    body = Text(question.stem)
    body.append("\n")
    if question.type is not QuestionType.JUDGE:
        for key, text in question.options:
            mark = "✓" if key in question.answer else " "
            body.append(f"\n{mark} {key}. ", style="bold green" if mark == "✓" else "bold")
            body.append(text)
        body.append("\n")
    body.append("\n你的答案:", style="bold")
    body.append_text(
        Text(question.describe(given)) if given is not None else Text("未作答", style="dim")
    )
    body.append("  正确答案:", style="bold")
    body.append(question.describe(question.answer), style="green")
    if question.explanation:
        body.append("\n解析:", style="bold")
        body.append(question.explanation)
    title = Text.assemble(f"第 {number} 题 · ", question.type.label, " · ", question.topic.label)
    return _panel(body, title, console)


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
        f",答对 {report.correct} 次,正确率 {_percent(report.accuracy)};",
        f"做过 {report.questions_seen} 道不同的题;{sessions}{scope}{when}",
    )
    parts.append(_panel(head, "学习统计", console))

    topics = Table(
        title="各知识点正确率(由弱到强)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    topics.add_column("知识点", overflow="fold", ratio=1)
    topics.add_column("答题", justify="right")
    topics.add_column("正确率", justify="right")
    topics.add_column("", no_wrap=True)
    for row in report.by_topic:
        label = f"{row.code} {row.label}" if row.code else row.label
        topics.add_row(Text(label), str(row.answered), _percent(row.accuracy), bar(row.accuracy))
    parts.append(topics)

    types = Table(title="各题型正确率", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    types.add_column("题型")
    types.add_column("答题", justify="right")
    types.add_column("正确率", justify="right")
    types.add_column("", no_wrap=True)
    for row in report.by_type:
        types.add_row(row.label, str(row.answered), _percent(row.accuracy), bar(row.accuracy))
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
            stem = Text(miss.stem or "(题库中已没有这道题)", style="" if miss.stem else "dim")
            recent = Text("对", style="green") if miss.last_correct else Text("错", style="red")
            missed.add_row(stem, miss.qid, f"{miss.wrong}/{miss.answered}", recent)
        parts.append(missed)
    weak = [row for row in report.by_topic if row.accuracy < 0.8]
    if weak:
        target = weak[0].code or weak[0].label
        parts.append(
            Text.assemble(
                "最薄弱的知识点:",
                (weak[0].label, "bold"),
                f"(正确率 {_percent(weak[0].accuracy)}),练习:\n  ",
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
            table.add_row("", Text(f"【{bank}】", style="bold"))
        current_bank = bank
        table.add_row(
            summary.topic.code or "",
            Text(summary.topic.name),
            *(str(summary.counts.get(t, 0)) for t in TYPE_ORDER),
            str(summary.total),
        )
    return table


def display_path(path: str | None) -> str:
    """A bank path as users read it: relative to here, or the bare name of a bundled bank."""
    if not path:
        return ""
    resolved = Path(path).resolve()
    if resolved.parent == bundled_banks_dir().resolve():
        return resolved.name
    here = Path.cwd()
    if here != Path(here.anchor) and resolved.is_relative_to(here):
        return str(resolved.relative_to(here))
    return path


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
            Text(display_path(bank.path)),
            Text(bank.title),
            *(str(sum(1 for q in bank.questions if q.type is t)) for t in TYPE_ORDER),
            str(len(bank.questions)),
        )
    return table


def error_text(error: CmquizError) -> Text:
    text = Text.assemble(("错误:", "bold red"), strip_controls(error.message))
    for line in error.details():
        text.append("\n" + strip_controls(line))
    return text


def warning_text(message: str) -> Text:
    return Text.assemble(("警告:", "yellow"), strip_controls(message))
