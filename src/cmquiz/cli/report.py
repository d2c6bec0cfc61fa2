"""``cmquiz stats``, ``cmquiz topics`` and ``cmquiz check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import BankError, TopicNotFoundError
from .state import state


def stats(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", "-t", metavar="T", help="只统计匹配的知识点(代码或名称的一部分)。"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出。")] = False,
) -> None:
    """学习统计:各知识点正确率、最近的考试、错得最多的题。"""
    from ..render.common import make_console, say, warning_text
    from ..render.tables import no_history_hint, stats_view
    from ..sampling import summarize_topics
    from ..stats import compute_stats

    st = state(ctx)
    topics = topic or []
    console = make_console()
    err = make_console(stderr=True)
    store = st.history()
    log = store.read()
    for warning in log.notices():
        err.print(warning_text(warning), soft_wrap=True)
    try:
        questions = st.library().by_id()
    except BankError as problem:
        # Stats come from the history; a broken bank only costs the question texts.
        err.print(warning_text(f"题库无法加载,错题将只显示 id({problem.message})"))
        questions = {}
    if topics:
        known = {(q.topic, q.bank) for q in questions.values()}
        known |= {(a.topic, "") for a in log.answers}
        unmatched = [p for p in topics if not any(t.matches(p, b) for t, b in known)]
        if unmatched:
            labels = [s.topic.label for s in summarize_topics(questions.values())]
            raise TopicNotFoundError(unmatched, labels)
    report = compute_stats(log, topics=topics, questions=questions)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
        return
    if report.empty:
        if topics:
            say(console, f"所选知识点({'、'.join(topics)})还没有答题记录。")
        else:
            console.print(no_history_hint())
        return
    console.print(stats_view(report, console))


def topics(ctx: typer.Context) -> None:
    """列出所有知识点(代码、名称)及各题型题数。"""
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
    """检查题库:列出每一处错误的文件、行号、题目和字段。"""
    from ..loader import load_library
    from ..render.common import make_console
    from ..render.tables import check_summary

    targets = list(paths) if paths else state(ctx).bank_paths()
    library = load_library(targets)
    console = make_console()
    console.print(check_summary(library, console.width))
