"""``cmquiz practice`` and ``cmquiz exam``: draw questions, ask them, record every answer."""

from __future__ import annotations

import random
import secrets
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from ..errors import EXIT_INTERRUPTED, UsageError
from ..history import HistoryStore, Mode, SessionStatus
from ..model import AnswerFormatError, Question, QuestionType, parse_answer
from ..session import Session
from .app import State, command, domain_errors, state

QUIT_WORDS = frozenset({"q", "quit", "exit", "退出"})


class TypeChoice(StrEnum):
    single = "single"
    multiple = "multiple"
    judge = "judge"


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


class EndOfInput(Exception):
    """Standard input ran out before the run was finished."""


class QuitRequested(Exception):
    """The user typed q."""


def _read_stdin_line() -> str:
    return input()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C while an answer is graded and written, then raise it: a record is either
    in the history whole or was never given."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(
            signal.SIGINT, previous if previous is not None else signal.default_int_handler
        )
    if caught:
        raise KeyboardInterrupt


def _enable_line_editing() -> None:
    """Arrow keys and backspace over Chinese characters at an interactive prompt."""
    if sys.stdin.isatty():
        with suppress(ImportError):  # Windows has no readline
            import readline  # noqa: F401


def _now() -> datetime:
    return datetime.now(UTC)


def _read_answer(
    console: Console, question: Question, read_line: Callable[[], str]
) -> frozenset[str]:
    """Prompt until the input is a valid answer to this question; q quits; EOF ends the run."""
    from ..render import prompt_text

    while True:
        console.print(prompt_text(question), end="")
        try:
            line = read_line()
        except EOFError:
            console.print()
            raise EndOfInput from None
        if not sys.stdin.isatty():
            console.print(line, markup=False, highlight=False)  # a readable transcript
        if line.strip().lower() in QUIT_WORDS:
            raise QuitRequested
        try:
            return parse_answer(question, line)
        except AnswerFormatError as problem:
            console.print(f"[yellow]{problem}[/yellow]")


def run_session(
    session: Session,
    store: HistoryStore,
    console: Console,
    err: Console,
    *,
    show_feedback: bool,
    read_line: Callable[[], str] | None = None,
) -> int:
    """Ask every question, append each answer to the history as it is given.

    Returns the exit code: 0 when the run ended normally (including ``q`` or end of input),
    130 after Ctrl-C. The session record is written in every case.
    """
    from ..render import feedback, question_panel, run_report

    read = read_line or _read_stdin_line
    _enable_line_editing()
    exit_code = 0
    ending = ""
    try:
        while (question := session.current) is not None:
            console.print(
                question_panel(question, session.position + 1, len(session.questions), console)
            )
            started = time.monotonic()
            given = _read_answer(console, question, read)
            elapsed = int((time.monotonic() - started) * 1000)
            with interrupts_deferred():
                record = session.answer(given, _now(), elapsed)
                store.append(record)
            if show_feedback:
                console.print(feedback(question, given, record.correct, console))
            else:
                console.print()
    except QuitRequested:
        ending = "已退出"
    except EndOfInput:
        ending = "输入已结束"
    except KeyboardInterrupt:
        console.print()
        ending = "已中断"
        exit_code = EXIT_INTERRUPTED
    with interrupts_deferred():
        final = session.finish(_now())
        store.append(final)
    if final.status is SessionStatus.INTERRUPTED:
        err.print(
            f"{ending}:已答 {final.answered}/{final.questions} 题,答题记录已保存到 {store.path}",
            markup=False,
        )
    if final.answered or session.mode is Mode.EXAM:
        console.print(run_report(session.result(), session.seed, console))
    return exit_code


def _start(
    st: State,
    mode: Mode,
    draw: Callable[[Sequence[Question], random.Random], list[Question]],
    pool: Sequence[Question],
    seed: int | None,
    topics: Sequence[str],
    *,
    intro: str,
    show_feedback: bool,
) -> None:
    from ..render import make_console

    console = make_console()
    err = make_console(stderr=True)
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    questions = draw(pool, random.Random(seed))
    store = st.history()
    store.ensure_writable()
    session = Session(uuid.uuid4().hex, mode, questions, _now(), seed=seed, topics=topics)
    console.print(intro, markup=False)
    code = run_session(session, store, console, err, show_feedback=show_feedback)
    if code:
        raise typer.Exit(code)


@command()
def practice(
    ctx: typer.Context,
    topic: TopicOption = None,
    qtype: Annotated[
        TypeChoice | None,
        typer.Option(
            "--type", metavar="TYPE", help="只练一种题型:single 单选、multiple 多选、judge 判断。"
        ),
    ] = None,
    n: Annotated[int, typer.Option("--n", "-n", min=1, metavar="N", help="本次练习的题数。")] = 10,
    seed: SeedOption = None,
) -> None:
    """按知识点练习:每答一题立即显示对错、正确答案、解析和出处。

    先出上次答错的题,再出没做过的题,最后是做对过的题。
    """
    from ..sampling import draw_practice, select_topics, select_type
    from ..stats import last_results

    st = state(ctx)
    topics = topic or []
    with domain_errors():
        library = st.library()
        pool = select_topics(library.questions, topics)
        wanted = QuestionType(qtype.value) if qtype else None
        pool = select_type(pool, wanted)
        if not pool:
            raise UsageError(f"所选知识点中没有{wanted.label if wanted else ''}题。")
        history = st.history().read()
        _warn(history.warnings)
        latest = last_results(history)
        count = min(n, len(pool))
        scope = "、".join(topics) if topics else "全部知识点"
        intro = f"练习 · {scope} · {count} 题(可选题 {len(pool)} 道);输入 q 结束练习。"
        _start(
            st,
            Mode.PRACTICE,
            lambda p, rng: draw_practice(p, n, rng, latest),
            pool,
            seed,
            topics,
            intro=intro,
            show_feedback=True,
        )


@command()
def exam(
    ctx: typer.Context,
    n: Annotated[int, typer.Option("--n", "-n", min=1, metavar="N", help="试卷题数。")] = 50,
    topic: TopicOption = None,
    seed: SeedOption = None,
) -> None:
    """模拟考试:按知识点和题型比例组卷,百分制计分,60 分及格。

    交卷前不显示对错;交卷后给出按题型、按知识点的成绩和全部错题。
    """
    from ..sampling import draw_paper, select_topics

    st = state(ctx)
    topics = topic or []
    with domain_errors():
        library = st.library()
        pool = select_topics(library.questions, topics)
        err = _stderr()
        if len(pool) < n:
            err.print(
                f"符合条件的题目只有 {len(pool)} 道,少于 {n} 道:本次试卷使用全部 "
                f"{len(pool)} 道题。",
                markup=False,
            )
        count = min(n, len(pool))
        intro = (
            f"模拟考试 · {count} 题 · 满分 100 分,60 分及格 · 交卷前不显示对错;输入 q 交卷退出。"
        )
        _start(
            st,
            Mode.EXAM,
            lambda p, rng: draw_paper(p, n, rng),
            pool,
            seed,
            topics,
            intro=intro,
            show_feedback=False,
        )


def _stderr() -> Console:
    from ..render import make_console

    return make_console(stderr=True)


def _warn(warnings: Sequence[str]) -> None:
    if warnings:
        from ..render import warning_text

        err = _stderr()
        for warning in warnings:
            err.print(warning_text(warning), soft_wrap=True)
