"""``cmquiz practice`` and ``cmquiz exam``: draw questions, ask them, record every answer."""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from ..errors import UsageError
from ..history import Mode
from ..model import Question
from ..qtypes import QuestionType
from ..session import Session
from .runner import now, run_session
from .state import State, state


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
    session = Session(uuid.uuid4().hex, mode, questions, now(), seed=seed, topics=topics)
    console.print(intro, markup=False)
    code = run_session(session, store, console, err, show_feedback=show_feedback)
    if code:
        raise typer.Exit(code)


def practice(
    ctx: typer.Context,
    topic: TopicOption = None,
    qtype: Annotated[
        TypeChoice | None,
        typer.Option(
            "--type", metavar="TYPE", help="只练一种题型:single 单选、multiple 多选、judge 判断。"
        ),
    ] = None,
    n: Annotated[int, typer.Option("--n", "-n", metavar="N", help="本次练习的题数。")] = 10,
    seed: SeedOption = None,
) -> None:
    """按知识点练习:每答一题立即显示对错、正确答案、解析和出处。

    先出上次答错的题,再出没做过的题,最后是做对过的题。
    """
    from ..sampling import draw_practice, select_topics, select_type
    from ..stats import last_results

    st = state(ctx)
    topics = topic or []
    if n < 1:
        raise UsageError("--n / -n 的值无效:应不小于 1")
    library = st.library()
    pool = select_topics(library.questions, topics)
    wanted = QuestionType(qtype.value) if qtype else None
    pool = select_type(pool, wanted)
    if not pool:
        raise UsageError(f"所选知识点中没有{wanted.label if wanted else ''}题。")
    store = st.history()
    store.ensure_writable()  # say so before the first question, not after it
    history = store.read()
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


def exam(
    ctx: typer.Context,
    n: Annotated[int, typer.Option("--n", "-n", metavar="N", help="试卷题数。")] = 50,
    topic: TopicOption = None,
    seed: SeedOption = None,
) -> None:
    """模拟考试:按知识点和题型比例组卷,百分制计分,60 分及格。

    交卷前不显示对错;交卷后给出按题型、按知识点的成绩和全部错题。
    """
    from ..sampling import draw_paper, select_topics

    st = state(ctx)
    topics = topic or []
    if n < 1:
        raise UsageError("--n / -n 的值无效:应不小于 1")
    library = st.library()
    pool = select_topics(library.questions, topics)
    err = _stderr()
    if len(pool) < n:
        err.print(
            f"符合条件的题目只有 {len(pool)} 道,少于 {n} 道:本次试卷使用全部 {len(pool)} 道题。",
            markup=False,
        )
    count = min(n, len(pool))
    intro = f"模拟考试 · {count} 题 · 满分 100 分,60 分及格 · 交卷前不显示对错;输入 q 交卷退出。"
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
