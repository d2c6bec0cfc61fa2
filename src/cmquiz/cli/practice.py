"""``cmquiz practice``: by knowledge point, over the whole bank (weak points and unseen questions
first), the wrong-answer notebook, the starred questions, or a knowledge point in bank order."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .quiz import (
    JsonOption,
    SeedOption,
    TopicOption,
    _consoles,
    _finish,
    _loop,
    _new_id,
    _new_seed,
    _say,
    _type_option,
)
from .state import State, state

if TYPE_CHECKING:
    from ..learning import LearningState
    from ..model import Question

ORDERS = ("adaptive", "sequential")


def practice(
    ctx: typer.Context,
    topic: TopicOption = None,
    qtype: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="只练一种题型:single 单选、multiple 多选、judge 判断(中文也可)。",
        ),
    ] = None,
    n: Annotated[int, typer.Option("--n", "-n", metavar="N", help="本次练习的题数。")] = 10,
    wrong: Annotated[bool, typer.Option("--wrong", help="练错题本里的题(cmquiz wrong)。")] = False,
    starred: Annotated[
        bool, typer.Option("--starred", help="练收藏的题(cmquiz starred)。")
    ] = False,
    order: Annotated[
        str,
        typer.Option(
            "--order",
            metavar="ORDER",
            help="adaptive(默认:薄弱知识点和没做过的题优先)"
            "或 sequential(按题库顺序,接着上次停下的地方)。",
        ),
    ] = "adaptive",
    restart: Annotated[
        bool, typer.Option("--restart", help="顺序练习从这个知识点的第一题重新开始。")
    ] = False,
    seed: SeedOption = None,
    as_json: JsonOption = False,
) -> None:
    """不给 --topic 时从全部题目中抽题,薄弱知识点、没做过的题和上次答错的题出现得更多;
    给了 --topic 时先出上次答错的题,再出没做过的题,最后是做对过的题。
    --order sequential 按题库顺序练一个知识点,下次接着上次停下的地方。
    """
    from ..learning_records import CursorRecord
    from ..records import Mode
    from ..sampling import select_topics, select_type
    from ..session import Item, Session, start_record
    from .prompting import now
    from .runner import run_practice

    st = state(ctx)
    topics = topic or []
    wanted = _type_option(qtype)
    if n < 1:
        raise UsageError("--n / -n 的值无效:应不小于 1")
    if order not in ORDERS:
        raise UsageError(f"--order 的值无效:{order};应为 adaptive 或 sequential")
    sequential = order == "sequential"
    if sequential and (wrong or starred):
        raise UsageError("--order sequential 按题库顺序练一个知识点,不能与 --wrong、--starred 同用")
    if restart and not sequential:
        raise UsageError("--restart 只用于顺序练习:--order sequential --topic T --restart")
    console, err = _consoles(as_json)
    library = st.library()
    pool = select_type(select_topics(library.questions, topics), wanted)
    if not pool:
        raise UsageError(f"所选知识点中没有{wanted.label if wanted else ''}题。")
    store = st.history()
    store.ensure_writable()  # say so before the first question, not after it
    learning = st.digest(err).learning
    if wrong or starred:
        pool = _only(pool, learning, wrong=wrong, starred=starred)
        if not pool:
            _say(err, _empty_message(st, wrong=wrong, starred=starred, narrowed=bool(topics)))
            return
    seed = _new_seed(seed)
    rng = random.Random(seed)
    sequence = None
    if sequential:
        sequence, drawn, heading = _walk(st, pool, learning, n, topics, wanted, restart)
        if restart:
            store.append(CursorRecord(sequence, now()))
    else:
        drawn = _draw(pool, n, rng, learning, by_topic=bool(topics), sample=wrong or starred)
        scope = "、".join(topics) if topics else "全部知识点"
        if wrong:
            scope = f"错题本 · {scope}" if topics else "错题本"
        elif starred:
            scope = f"收藏 · {scope}" if topics else "收藏的题"
        heading = f"练习 · {scope} · {len(drawn)} 题(可选题 {len(pool)} 道)"
    items = [Item(i, q, 1.0) for i, q in enumerate(drawn)]
    start = start_record(
        _new_id(),
        Mode.PRACTICE,
        items,
        now(),
        seed=seed,
        topics=tuple(topics),
        user=st.user_name(),
        sequence=sequence,
    )
    session = Session(start, items, start.ts)
    loop = _loop(st, session, console, err, set(learning.stars))
    loop.saver.save(start)
    _say(console, f"{heading};输入 * 收藏本题,q 结束练习。")
    outcome = run_practice(loop)
    notes = []
    wrong_now = sum(1 for i in session.scores.values() if not i.correct)
    if wrong_now:
        notes.append(
            f"答错的 {wrong_now} 道题已记入错题本;练习错题:{st.command_line('practice', '--wrong')}"
        )
    if sequential and session.given:
        notes.append(_next_step(st, pool, drawn, session.given, topics, qtype))
    _finish(session, store, console, err, outcome, as_json=as_json, hint=None, notes=notes)


def _only(
    pool: list[Question], learning: LearningState, *, wrong: bool, starred: bool
) -> list[Question]:
    if wrong:
        pool = [q for q in pool if q.id in learning.notebook.items]
    if starred:
        pool = [q for q in pool if q.id in learning.stars]
    return pool


def _empty_message(st: State, *, wrong: bool, starred: bool, narrowed: bool) -> str:
    where = "所选知识点中" if narrowed else ""
    if wrong:
        return (
            f"{where}错题本里没有题:答错的题会自动记入错题本。先练习:{st.command_line('practice')}"
        )
    return (
        f"{where}还没有收藏的题:练习、考试或浏览时在提示符下输入 * 收藏当前题目,"
        "也可以用 star 命令加题目编号收藏。"
    )


def _draw(
    pool: list[Question],
    n: int,
    rng: random.Random,
    learning: LearningState,
    *,
    by_topic: bool,
    sample: bool,
) -> list[Question]:
    from ..sampling import draw_practice, draw_weighted

    last = learning.last_results()
    if by_topic or sample:
        return draw_practice(pool, n, rng, last)
    accuracy = {q.topic.name: learning.topic_accuracy(q.topic.name) for q in pool}
    return draw_weighted(pool, n, rng, last, accuracy)


def _walk(
    st: State,
    pool: list[Question],
    learning: LearningState,
    n: int,
    topics: list[str],
    wanted: object,
    restart: bool,
) -> tuple[str, list[Question], str]:
    """Sequential practice: the scope, the questions of this run and the heading."""
    from ..learning import ordered_walk, scope_key

    qtype = getattr(wanted, "value", None)
    scope = scope_key({q.topic.name for q in pool} if topics else (), qtype)
    ids = [q.id for q in pool]
    after = None if restart else learning.resume_after(scope)
    first = ordered_walk(ids, after)
    drawn = pool[first : first + n]
    names = "、".join(topics) if topics else "全部知识点"
    heading = f"顺序练习 · {names} · 第 {first + 1}–{first + len(drawn)} 题(共 {len(pool)} 题)"
    if restart:
        heading += ",从头开始"
    elif after is not None and first == 0 and after == ids[-1]:
        heading += ",上次已练完一遍,从头开始"
    elif first:
        heading += ",接着上次"
    return scope, drawn, heading


def _next_step(
    st: State,
    pool: list[Question],
    drawn: list[Question],
    given: dict[int, frozenset[str]],
    topics: list[str],
    qtype: str | None,
) -> str:
    last = drawn[max(given)]
    position = [q.id for q in pool].index(last.id) + 1
    args = ["practice", "--order", "sequential"]
    for pattern in topics:
        args += ["--topic", pattern]
    if qtype:
        args += ["--type", qtype]
    if position >= len(pool):
        return f"已练完这部分的全部 {len(pool)} 题;再练一遍:{st.command_line(*args)}"
    return f"已练到第 {position}/{len(pool)} 题;下次接着练:{st.command_line(*args)}"
