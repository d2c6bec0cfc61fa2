"""``cmquiz stats`` (the trainee's figures, or ``--items`` the item analysis), ``cmquiz report``
(the HTML report), ``cmquiz topics`` and ``cmquiz check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import BankError, UsageError
from .state import State, state

if TYPE_CHECKING:
    from rich.console import Console

    from ..model import Question
    from ..statsreport import StatsFilter

HistoryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--history",
        metavar="PATH",
        help="答题记录文件或文件夹(其中的 *.jsonl),可重复;默认为自己的记录。",
    ),
]
TopicOption = Annotated[
    list[str] | None,
    typer.Option("--topic", "-t", metavar="T", help="只统计匹配的知识点(代码或名称的一部分)。"),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="只统计这一天及以后。")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="只统计这一天及以前。")
]


def stats(
    ctx: typer.Context,
    topic: TopicOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    mode: Annotated[
        list[str] | None,
        typer.Option(
            "--mode",
            metavar="MODE",
            help="只统计 practice(练习)、exam(考试)或 review(复习),可重复。",
        ),
    ] = None,
    items: Annotated[
        bool, typer.Option("--items", help="题目分析(出题人用):按 Moodle 的算法统计每道考试题。")
    ] = False,
    min_answers: Annotated[
        int,
        typer.Option(
            "--min-answers", metavar="N", min=2, help="--items:少于 N 人次的题不计算指标。"
        ),
    ] = 10,
    history: HistoryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出。")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="以 CSV 表格输出到标准输出。")] = False,
) -> None:
    from ..statsreport import StatsFilter, parse_day, parse_mode

    st = state(ctx)
    if as_json and as_csv:
        raise UsageError("--json 和 --csv 只能选一个")
    flt = StatsFilter(
        tuple(topic or ()),
        parse_day(since, "--since"),
        parse_day(until, "--until"),
        tuple(dict.fromkeys(parse_mode(m) for m in mode or ())),
    )
    if flt.since and flt.until and flt.since > flt.until:
        raise UsageError(f"--since {flt.since} 晚于 --until {flt.until}")
    output = "json" if as_json else "csv" if as_csv else "text"
    if items:
        if flt.modes:
            raise UsageError("--items 只分析考试,不能和 --mode 一起用")
        _items(st, flt, history, min_answers, output)
    else:
        _trainee(st, flt, history, output)


def load_questions(st: State, err: Console) -> dict[str, Question]:
    """The banks' questions; a broken bank only costs the texts and the coverage (a warning)."""
    from ..render.common import warning_text

    try:
        return st.library().by_id()
    except BankError as problem:
        err.print(warning_text(f"题库无法加载,统计中将没有题目原文和题库题数({problem.message})"))
        return {}


def history_paths(st: State, history: list[Path] | None) -> list[Path]:
    from ..histories import history_files

    return history_files(history) if history else [st.history().path]


def _trainee(st: State, flt: StatsFilter, history: list[Path] | None, output: str) -> None:
    from datetime import date

    from ..histories import ReadNotes, owner, sessions_of
    from ..render.common import make_console, say, warning_text
    from ..stats import build_stats
    from ..statsreport import StatsFilter

    console, err = make_console(), make_console(stderr=True)
    paths = history_paths(st, history)
    questions = load_questions(st, err)
    notes = ReadNotes()
    owners: set[str] = set()

    def views() -> Any:
        for path, view in sessions_of(paths, notes):
            owners.add(owner(view, path))
            yield view

    if history is None and flt == StatsFilter():
        # one's own figures, unfiltered: from the history's digest, so stats starts as fast
        # with a long history as with a short one
        builder = st.digest(err).stats_builder(questions)
        report = builder.report(date.today())
    else:
        report = build_stats(views(), flt, questions, date.today(), suggest=history is None)
    for warning in notes.notices():
        err.print(warning_text(warning), soft_wrap=True)
    if history and len(owners) > 1:
        say(
            err,
            f"这些答题记录来自 {len(owners)} 名学员,下面是合在一起的统计;每人的情况见 "
            + st.command_line("stats", "--items", *_history_args(history)),
        )
    command = None
    if report.next_step is not None:
        command = st.command_line(*report.next_step.args)
    if output != "text":
        data = report.to_dict()
        if data["next_step"] is not None:
            data["next_step"]["command"] = command
        if output == "json":
            _echo_json(data)
        else:
            from ..statscsv import stats_rows

            _echo_csv(stats_rows(report, command))
        return
    if report.empty:
        if flt.topics or flt.since or flt.until or flt.modes:
            say(console, "所选范围内还没有答题记录。")
        else:
            from ..render.stats import no_history_hint

            start = command or st.command_line("practice")
            exam, listing = st.command_line("exam"), st.command_line("topics")
            console.print(no_history_hint(start, exam, listing))
        return
    from ..render.stats import stats_view

    console.print(stats_view(report, console, command))


def _history_args(history: list[Path]) -> list[str]:
    return [a for path in history for a in ("--history", str(path))]


def _items(
    st: State, flt: StatsFilter, history: list[Path] | None, min_answers: int, output: str
) -> None:
    from ..department import analyse
    from ..render.common import make_console, warning_text

    console, err = make_console(), make_console(stderr=True)
    paths = history_paths(st, history)
    questions = load_questions(st, err)
    report = analyse(paths, questions, min_answers=min_answers, flt=flt)
    for warning in report.notes.notices():
        err.print(warning_text(warning), soft_wrap=True)
    if output == "json":
        _echo_json(report.to_dict())
    elif output == "csv":
        from ..statscsv import items_rows

        _echo_csv(items_rows(report))
    else:
        from ..render.stats import items_view

        console.print(items_view(report, console))


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def _echo_csv(rows: list[list[Any]]) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    typer.echo("\ufeff" + out.getvalue(), nl=False)


def topics(ctx: typer.Context) -> None:
    from ..render.common import make_console
    from ..render.tables import topics_table
    from ..sampling import summarize_topics

    library = state(ctx).library()
    make_console().print(topics_table(summarize_topics(library.questions)))


def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH]...", help="要检查的题库文件或目录;默认检查当前使用的题库。"),
    ] = None,
) -> None:
    from ..loader import load_library
    from ..render.common import make_console
    from ..render.tables import check_summary

    targets = list(paths) if paths else state(ctx).bank_paths()
    library = load_library(targets)
    console = make_console()
    console.print(check_summary(library, console.width))


def lint(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH]...", help="要检查的题库文件或目录;默认检查当前使用的题库。"),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODES", help="只用这些规则(代码或前缀,逗号分隔)。"),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="不用这些规则(代码或前缀,逗号分隔)。"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="有任何建议时以退出码 1 结束。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出。")] = False,
    list_rules: Annotated[bool, typer.Option("--rules", help="列出所有规则。")] = False,
) -> None:
    from ..lint import choose, lint, rules
    from ..loader import expand_bank_paths, load_library
    from ..render.common import make_console
    from ..render.lint import findings_view, rules_table

    console = make_console()
    chosen = choose(rules(), select or (), ignore or ())
    if list_rules:
        console.print(rules_table(chosen))
        return
    targets = list(paths) if paths else state(ctx).bank_paths()
    library = load_library(targets)
    findings = lint(library, chosen)
    if as_json:
        _echo_json(
            {
                "files": [str(p) for p in expand_bank_paths(targets)],
                "rules": [r.code for r in chosen],
                "findings": [f.to_dict() for f in findings],
            }
        )
    else:
        console.print(findings_view(findings, chosen, len(library.banks)), soft_wrap=True)
    if strict and findings:
        raise typer.Exit(1)


def report(
    ctx: typer.Context,
    html: Annotated[
        Path,
        typer.Option("--html", metavar="OUT.html", help="写入这个 HTML 文件。"),
    ],
    history: HistoryOption = None,
    topic: TopicOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="标题", help="部门报告的标题。")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    from datetime import date, datetime

    from ..department import analyse
    from ..errors import CmquizError, OutputExistsError, describe_os_error
    from ..histories import ReadNotes, sessions_of
    from ..htmlreport import department_page, trainee_page
    from ..render.common import make_console, say, warning_text
    from ..stats import build_stats
    from ..statsreport import StatsFilter, parse_day

    st = state(ctx)
    err = make_console(stderr=True)
    if html.exists() and not force:
        raise OutputExistsError(str(html))
    flt = StatsFilter(tuple(topic or ()), parse_day(since, "--since"), parse_day(until, "--until"))
    questions = load_questions(st, err)
    now = datetime.now().astimezone()
    if history is None:
        notes = ReadNotes()
        views = (view for _, view in sessions_of([st.history().path], notes))
        stats = build_stats(views, flt, questions, date.today())
        command = st.command_line(*stats.next_step.args) if stats.next_step else None
        page = trainee_page(stats, who=st.user_name(), generated=now, next_command=command)
        what = "学员报告"
        warnings = notes.notices()
    else:
        dept = analyse(history_paths(st, history), questions, flt=flt, overview=True)
        warnings = dept.notes.notices()
        if len(dept.trainees) == 1 and dept.overview is not None:
            page = trainee_page(dept.overview, who=dept.trainees[0].name, generated=now)
            what = f"学员报告({dept.trainees[0].name})"
        else:
            heading = title or "培训部门学习报告"
            page = department_page(dept, generated=now, title=heading)
            what = f"部门报告,{len(dept.trainees)} 名学员"
    for warning in warnings:
        err.print(warning_text(warning), soft_wrap=True)
    try:
        html.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise CmquizError(f"无法写入 {html}:{describe_os_error(exc)}") from None
    say(err, f"已写入 {html}({what}),用浏览器打开即可,不需要联网。")
