"""``cmquiz exams`` (past exams, one report reopened, an unfinished one given up) and
``cmquiz papers`` (the papers ``exam --paper`` takes)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .state import state

JsonOption = Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出。")]


def exams(
    ctx: typer.Context,
    show: Annotated[
        str | None,
        typer.Option("--show", metavar="ID", help="重新打开一场考试的成绩单(编号取前几位即可)。"),
    ] = None,
    abandon: Annotated[
        str | None,
        typer.Option("--abandon", metavar="ID", help="放弃一场未完成的考试(之后不能再继续)。"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from ..exams import abandon as abandon_exam
    from ..exams import find_exam
    from ..render.common import make_console, say, warning_text
    from ..render.report import run_report
    from ..render.tables import exams_table
    from ..replay import replay, report_of
    from .prompting import now

    st = state(ctx)
    console = make_console()
    err = make_console(stderr=True)
    store = st.history()
    if abandon is None and show is None:  # the list: from the history's digest
        listings = st.digest(err).exam_listings()
        if as_json:
            typer.echo(json.dumps([r.to_dict() for r in listings], ensure_ascii=False, indent=2))
            return
        if not listings:
            say(console, f"还没有考试记录。开始一场模拟考试:{st.command_line('exam', '--n', '50')}")
            return
        console.print(exams_table(listings))
        say(console, f"重看成绩单:{st.command_line('exams', '--show', listings[0].short_id)}")
        return
    log = store.read()  # one exam, whole: read the history
    for notice in log.notices():
        err.print(warning_text(notice), soft_wrap=True)
    sessions = replay(log.records)
    if abandon is not None:
        view = find_exam(sessions, abandon)
        store.append(abandon_exam(view, now()))
        err.print(f"已放弃考试 {view.id[:8]}(已答 {len(view.latest())}/{view.questions} 题)。")
        return
    if show is not None:
        view = find_exam(sessions, show)
        if view.start is None:
            from ..errors import CmquizError

            raise CmquizError("这是旧版(v1)答题记录中的考试,记录里没有试卷,无法重现成绩单")
        report = report_of(view, st.library().by_id())
        if as_json:
            typer.echo(
                json.dumps({"id": view.id, **report.to_dict()}, ensure_ascii=False, indent=2)
            )
            return
        hint = st.command_line("exam", "--resume") if view.resumable else None
        console.print(run_report(report, console))
        if hint:
            say(console, f"这场考试还没有交卷,继续:{hint}")


def papers(ctx: typer.Context, as_json: JsonOption = False) -> None:
    from ..exams import list_papers
    from ..papers import paper_files
    from ..render.common import make_console, say, warning_text
    from ..render.tables import papers_view

    st = state(ctx)
    console = make_console()
    err = make_console(stderr=True)
    files = paper_files(st.papers_dir())
    listings, problems = list_papers(files, st.library().questions)
    for problem in problems:
        err.print(warning_text(f"试卷无法读取:{problem}"), soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([row.to_dict() for row in listings], ensure_ascii=False, indent=2))
        return
    console.print(papers_view(listings))
    say(
        console,
        f"用法:{st.command_line('exam', '--paper', listings[0].name if listings else 'mock')};"
        f"自己的试卷放在 {st.papers_dir()}(YAML,格式见 README)",
    )
