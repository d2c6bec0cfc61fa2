"""``cmquiz exam`` (draw a paper, ask it, record every answer) and what the run commands share:
the options, the consoles, the loop and the end of a run. ``practice`` is in ``cli/practice``."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..qtypes import QuestionType, parse_type_name
from .state import State, state

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..digest import HistoryDigest
    from ..history import HistoryStore
    from ..session import Session
    from .runner import Loop


DEFAULT_EXAM_SIZE = 50


def _type_option(value: str | None) -> QuestionType | None:
    if value is None:
        return None
    parsed = parse_type_name(value)
    if not isinstance(parsed, QuestionType):
        raise typer.BadParameter(
            "应为 single(单选)、multiple(多选)或 judge(判断)", param_hint="--type"
        )
    return parsed


TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        metavar="T",
        help="知识点代码(如 17),或知识点、题库名称的一部分(如 担保、礼仪);可重复,取并集。",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", "-s", metavar="S", help="随机种子:同一种子出同一套题。"),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="结束时把成绩以 JSON 输出到标准输出(题目显示在标准错误)。"),
]


def _consoles(as_json: bool) -> tuple[Console, Console]:
    from ..render.common import make_console

    err = make_console(stderr=True)
    return (err if as_json else make_console()), err


def _say(console: Console, message: str | Text) -> None:
    from ..render.common import say

    say(console, message)


def _warn(err: Console, notices: Sequence[str]) -> None:
    from ..render.common import warning_text

    for notice in notices:
        err.print(warning_text(notice), soft_wrap=True)


def _new_seed(seed: int | None) -> int:
    if seed is not None:
        return seed
    import secrets

    return secrets.randbelow(1_000_000)


def _new_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _finish(
    session: Session,
    store: HistoryStore,
    console: Console,
    err: Console,
    code_and_ending: tuple[int, str],
    *,
    as_json: bool,
    hint: str | None,
    resume_hint: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    from ..records import Mode, Status
    from ..render.common import hint_text
    from ..render.report import run_report
    from .prompting import now

    code, ending = code_and_ending
    end = session.end
    if ending and end is not None:
        if resume_hint and end.status is Status.INTERRUPTED:
            _say(
                err,
                f"{ending}:已答 {end.answered}/{len(session.items)} 题,答题记录已保存到 "
                f"{store.path};继续这场考试:{resume_hint}",
            )
        else:
            _say(
                err,
                f"{ending}:已答 {end.answered}/{len(session.items)} 题,"
                f"答题记录已保存到 {store.path}",
            )
    report = session.report(now())
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif report.answered or session.mode is Mode.EXAM:
        console.print(run_report(report, console))
        if resume_hint and end is not None and end.status is Status.INTERRUPTED:
            _say(console, hint_text("这场考试没有交卷,继续:", resume_hint))
        elif hint:
            _say(console, hint_text("重做同一份试卷:", hint))
    for note in notes:
        _say(err if as_json else console, note)
    if code:
        raise typer.Exit(code)


def _loop(
    st: State, session: Session, console: Console, err: Console, stars: set[str] | None = None
) -> Loop:
    from .prompting import read_line_prompt_on_stderr
    from .runner import Loop

    loop = Loop(session, st.history(), console, err, stars=set(stars or ()))
    if console is err:  # --json: the screens and prompts go to stderr
        loop.read = read_line_prompt_on_stderr
        loop.saver.read = read_line_prompt_on_stderr
    return loop


def exam(
    ctx: typer.Context,
    n: Annotated[
        int | None,
        typer.Option(
            "--n", "-n", metavar="N", help="试卷题数(按资格考试的题型比例组卷)。[默认:50]"
        ),
    ] = None,
    paper: Annotated[
        str | None,
        typer.Option("--paper", metavar="PAPER", help="试卷:cmquiz papers 中的名称或试卷文件。"),
    ] = None,
    topic: TopicOption = None,
    seed: SeedOption = None,
    time_limit: Annotated[
        str | None,
        typer.Option("--time-limit", metavar="TIME", help="限时,如 90m、1h、30m;0 表示不限时。"),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="继续最近一场未完成的考试(中断、关闭终端或崩溃后)。")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """不给 --paper 时按资格考试的题型比例(单选 0.5 分、多选和判断 1 分)组 N 题。"""
    from dataclasses import replace

    from ..papers import find_paper, parse_duration, standard_paper_for
    from ..records import Mode
    from ..sampling import assemble_paper, count_types, select_topics
    from ..session import Item, Session, start_record
    from .prompting import now

    st = state(ctx)
    console, err = _consoles(as_json)
    if resume:
        if n is not None or paper is not None or topic or seed is not None:
            raise UsageError("--resume 继续原来的试卷,不能再给 --n、--paper、--topic 或 --seed")
        _resume(st, console, err, as_json)
        return
    if n is not None and paper is not None:
        raise UsageError("--n 和 --paper 只能给一个:试卷文件已经规定了题数")
    if n is not None and n < 1:
        raise UsageError("--n / -n 的值无效:应不小于 1")
    topics = topic or []
    library = st.library()
    pool = select_topics(library.questions, topics)
    store = st.history()
    store.ensure_writable()
    digest = st.digest(err)
    _mention_unfinished(st, digest, err)
    if paper is not None:
        from ..paperfile import load_paper

        spec = load_paper(find_paper(paper, st.papers_dir()))
        spec = replace(spec, name=paper)
    else:
        spec, notes = standard_paper_for(
            count_types(pool), n if n is not None else DEFAULT_EXAM_SIZE
        )
        for note in notes:
            _say(err, note)
    if time_limit is not None:
        seconds = 0 if time_limit.strip() == "0" else parse_duration(time_limit)
        if seconds is None:
            raise UsageError(f"--time-limit 的值无效:{time_limit};应写明单位,如 90m、1h、30m,或 0")
        spec = replace(spec, time_limit_s=seconds or None)
    seed = _new_seed(seed)
    drawn = assemble_paper(spec, pool, random.Random(seed))
    items = [Item(i, d.question, d.points, d.order) for i, d in enumerate(drawn)]
    start = start_record(
        _new_id(),
        Mode.EXAM,
        items,
        now(),
        rule=spec.rule,
        time_limit_s=spec.time_limit_s,
        pass_mark=spec.pass_mark,
        seed=seed,
        paper=spec.title,
        paper_name=spec.name,
        topics=tuple(topics),
        user=st.user_name(),
        shuffle_options=spec.shuffle_options,
    )
    session = Session(start, items, start.ts)
    loop = _loop(st, session, console, err, set(digest.learning.stars))
    loop.saver.save(start)
    _say(console, _intro(session))
    args = ["exam", *(["--paper", paper] if paper is not None else ["--n", str(len(items))])]
    for pattern in topics:
        args += ["--topic", pattern]
    if time_limit is not None:
        args += ["--time-limit", time_limit]
    _sit(st, loop, store, as_json, hint=st.command_line(*args, "--seed", str(seed)))


def _sit(st: State, loop: Loop, store: HistoryStore, as_json: bool, hint: str | None) -> None:
    """Run the answer sheet, then the report, the notebook note and the hints."""
    from .answer_sheet import run_exam

    outcome = run_exam(loop)
    _finish(
        loop.session,
        store,
        loop.console,
        loop.err,
        outcome,
        as_json=as_json,
        hint=hint,
        resume_hint=st.command_line("exam", "--resume"),
        notes=_notebook_note(st, loop.session),
    )


def _notebook_note(st: State, session: Session) -> list[str]:
    """After hand-in: the questions answered wrong went into the notebook."""
    from ..records import Status

    end = session.end
    if end is None or end.status is Status.INTERRUPTED:
        return []
    wrong = sum(1 for score in session.scores.values() if not score.correct)
    if not wrong:
        return []
    return [f"答错的 {wrong} 道题已记入错题本;练习错题:{st.command_line('practice', '--wrong')}"]


def _intro(session: Session) -> str:
    from ..render.common import duration
    from ..scoring import format_points

    start = session.start
    score = session.score()
    title = start.paper if start.paper and start.paper_name else None  # a paper file's title
    parts = [f"模拟考试 · {title}" if title else "模拟考试", f"{len(session.items)} 题"]
    parts.append(f"满分 {format_points(score.max_score)} 分")
    if start.pass_mark is not None:
        parts[-1] += f",{format_points(start.pass_mark)} 分及格"
    if start.time_limit_s:
        parts.append(f"限时 {duration(start.time_limit_s)}")
    parts.append("交卷前不显示对错;s 跳过、题号跳题、m 标记、* 收藏、k 答题卡、q 交卷、? 帮助")
    return " · ".join(parts)


def _mention_unfinished(st: State, digest: HistoryDigest, err: Console) -> None:
    view = digest.unfinished_exam()
    if view is not None and view.started is not None:
        when = view.started.astimezone().strftime("%Y-%m-%d %H:%M")
        _say(
            err,
            f"提示:{when} 开始的考试还没有交卷(已答 {len(view.latest())}/{view.questions} 题);"
            f"继续它:{st.command_line('exam', '--resume')}",
        )


def _resume(st: State, console: Console, err: Console, as_json: bool) -> None:
    from ..errors import CmquizError
    from ..records import Status
    from ..replay import resume_session
    from .prompting import now

    store = st.history()
    store.ensure_writable()
    digest = st.digest(err)
    view = digest.unfinished_exam()
    if view is None or view.start is None:
        raise CmquizError(
            f"没有可以继续的考试;开始一场新的考试:{st.command_line('exam', '--n', '50')}"
        )
    library = st.library()
    session = resume_session(view, library.by_id(), now())
    for item in session.items:
        if item.note:
            _say(err, f"第 {item.index + 1} 题:{item.note}")
    left = session.time_left_s(session.opened)
    if left is not None and left <= 0:
        loop = _loop(st, session, console, err)
        loop.saver.save(session.resume_record())
        loop.close(Status.TIMED_OUT)
        _say(console, "这场考试的时间已经用完,按超时交卷。")
        _finish(session, store, console, err, (0, ""), as_json=as_json, hint=None)
        return
    loop = _loop(st, session, console, err, set(digest.learning.stars))
    loop.saver.save(session.resume_record())
    from ..render.common import clock

    answered = len(session.given)
    remaining = f",剩余时间 {clock(left)}" if left is not None else ""
    _say(console, f"继续考试 · 已答 {answered}/{len(session.items)} 题{remaining}")
    _say(console, _intro(session))
    _sit(st, loop, store, as_json, hint=None)
