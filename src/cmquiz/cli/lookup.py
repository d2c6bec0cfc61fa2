"""``cmquiz star``/``unstar``/``starred`` (收藏), ``cmquiz search``, ``cmquiz show`` and
``cmquiz browse`` (背题模式: question, answer and explanation one after another, not scored)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .learn import known_question, local_tz, read_learning
from .quiz import JsonOption, TopicOption, _say, _type_option
from .state import state

if TYPE_CHECKING:
    from ..learning import LearningState
    from ..model import Library, Question


# --- stars ------------------------------------------------------------------------------------


IdsArgument = Annotated[list[str], typer.Argument(metavar="ID...", help="题目编号。")]


def star(ctx: typer.Context, ids: IdsArgument) -> None:
    _set_stars(ctx, ids, True)


def unstar(ctx: typer.Context, ids: IdsArgument) -> None:
    _set_stars(ctx, ids, False)


def _set_stars(ctx: typer.Context, ids: list[str], on: bool) -> None:
    from ..learning_records import StarRecord
    from ..render.common import make_console
    from .prompting import now

    st = state(ctx)
    err = make_console(stderr=True)
    by_id = st.library().by_id()
    store, digest = read_learning(st, err)
    learning = digest.learning
    for qid in ids:
        if on:
            known_question(by_id, qid)
        elif qid not in learning.stars:
            raise UsageError(f"题目 {qid} 没有收藏;查看收藏:{st.command_line('starred')}")
    for qid in ids:
        if (qid in learning.stars) == on:
            _say(err, f"{qid} 已经收藏过了" if on else f"{qid} 没有收藏")
            continue
        record = StarRecord(qid, on, now())
        store.append(record)
        learning.apply(record)
        _say(err, f"已收藏 {qid}" if on else f"已取消收藏 {qid}")
    _say(
        err,
        f"共收藏 {len(learning.stars)} 题;练习收藏的题:{st.command_line('practice', '--starred')}",
    )


def starred(ctx: typer.Context, as_json: JsonOption = False) -> None:
    from ..render.common import make_console
    from ..render.learn import starred_table

    st = state(ctx)
    err = make_console(stderr=True)
    _store, digest = read_learning(st, err)
    learning = digest.learning
    by_id = st.library().by_id()
    qids = learning.starred()
    if as_json:
        entries = [
            {
                "qid": qid,
                "starred": learning.stars[qid].isoformat(),
                "in_bank": qid in by_id,
                "topic": by_id[qid].topic.name if qid in by_id else None,
                "topic_code": by_id[qid].topic.code if qid in by_id else None,
                "type": by_id[qid].type.value if qid in by_id else None,
                "stem": by_id[qid].stem if qid in by_id else None,
            }
            for qid in qids
        ]
        typer.echo(json.dumps({"entries": entries}, ensure_ascii=False, indent=2))
        return
    out = make_console()
    if not qids:
        _say(
            out,
            "还没有收藏的题:练习、考试或浏览时在提示符下输入 * 收藏当前题目,"
            "也可以用 star 命令加题目编号收藏。",
        )
        return
    out.print(starred_table(qids, learning.stars, by_id, local_tz(), out.width))
    _say(out, f"共 {len(qids)} 题;练习收藏的题:{st.command_line('practice', '--starred')}")


# --- search and show -----------------------------------------------------------------------


def search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="要找的词,可以有几个。")],
    topic: TopicOption = None,
    as_json: JsonOption = False,
) -> None:
    from ..render.common import make_console
    from ..render.lookup import search_results
    from ..sampling import select_topics
    from ..search import search as find
    from ..search import split_words

    st = state(ctx)
    if not split_words(words):
        raise UsageError("请给出要找的词,如:cmquiz search 抵押 风险")
    pool = select_topics(st.library().questions, topic or [])
    hits = find(pool, words)
    if as_json:
        typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    out = make_console()
    if not hits:
        _say(out, f"没有找到同时含有“{' '.join(split_words(words))}”的题。")
        return
    out.print(search_results(hits, out.width))
    first = hits[0].question.id
    _say(out, f"找到 {len(hits)} 题;看整道题:{st.command_line('show', first)}")


def show(
    ctx: typer.Context,
    qid: Annotated[str, typer.Argument(metavar="ID", help="题目编号。")],
    as_json: JsonOption = False,
) -> None:
    from ..render.common import make_console
    from ..render.lookup import question_card, where

    st = state(ctx)
    library = st.library()
    question = known_question(library.by_id(), qid)
    err = make_console(stderr=True)
    _store, digest = read_learning(st, err, cards=True)
    learning = digest.learning
    location = where(question, _bank_path(library, question))
    if as_json:
        data = {**question.to_dict(), "bank": question.bank, "location": location}
        data["learning"] = _status_dict(learning, qid)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = make_console()
    status = _status_text(learning, qid)
    out.print(question_card(question, out, status=status))
    if location:
        _say(out, f"位置:{location}")


def _bank_path(library: Library, question: Question) -> str | None:
    for bank in library.banks:
        if any(q.id == question.id for q in bank.questions):
            return bank.path
    return None


def _status_dict(learning: LearningState, qid: str) -> dict[str, object]:
    log = learning.questions.get(qid)
    card = learning.cards.get(qid)
    entry = learning.notebook.items.get(qid)
    return {
        "answered": log.answered if log else 0,
        "correct": log.correct if log else 0,
        "last_correct": log.last_correct if log else None,
        "in_notebook": entry is not None,
        "times_wrong": learning.notebook.wrong.get(qid, 0),
        "starred": qid in learning.stars,
        "next_review": card.due.isoformat() if card else None,
    }


def _status_text(learning: LearningState, qid: str) -> str:
    log = learning.questions.get(qid)
    if log is None:
        parts = ["还没有答过"]
    else:
        parts = [f"答过 {log.answered} 次,答对 {log.correct} 次"]
        entry = learning.notebook.items.get(qid)
        if entry is not None:
            need = learning.notebook.streak - entry.streak
            parts.append(f"在错题本中(再连续答对 {need} 次移出)")
        card = learning.cards.get(qid)
        if card is not None:
            parts.append("下次复习 " + card.due.astimezone(local_tz()).strftime("%Y-%m-%d"))
    if qid in learning.stars:
        parts.append("已收藏")
    return ";".join(parts)


# --- browse ------------------------------------------------------------------------------------


def browse(
    ctx: typer.Context,
    topic: TopicOption = None,
    qtype: Annotated[
        str | None, typer.Option("--type", metavar="TYPE", help="只看一种题型。")
    ] = None,
    wrong: Annotated[bool, typer.Option("--wrong", help="只看错题本里的题。")] = False,
    starred: Annotated[bool, typer.Option("--starred", help="只看收藏的题。")] = False,
) -> None:
    from ..render.common import make_console
    from ..render.lookup import question_card
    from ..sampling import select_topics, select_type
    from .prompting import EndOfInput, line_editing, now, read_line, stdin_is_terminal
    from .runner import QUIT_WORDS, STAR_WORDS, Saver, _read_stdin, toggle_star

    st = state(ctx)
    library = st.library()
    pool = select_type(select_topics(library.questions, topic or []), _type_option(qtype))
    store, digest = read_learning(st, make_console(stderr=True))
    learning = digest.learning
    if wrong:
        pool = [q for q in pool if q.id in learning.notebook.items]
    if starred:
        pool = [q for q in pool if q.id in learning.stars]
    out = make_console()
    if not pool:
        what = "错题本里" if wrong else "收藏的题里" if starred else "所选范围内"
        _say(out, f"{what}没有题。")
        return
    stars = set(learning.stars)
    saver = Saver(store, out, _read_stdin)
    echo = not stdin_is_terminal()
    line_editing()
    _say(out, f"背题 · {len(pool)} 题 · 回车看下一题,* 收藏,q 结束;不计分,不写答题记录。")
    shown = 0
    try:
        for index, question in enumerate(pool):
            position = f"{index + 1}/{len(pool)}"
            note = "★ 已收藏" if question.id in stars else ""
            out.print(question_card(question, out, position=position, status=note))
            shown += 1
            while True:
                line = read_line(out, _read_stdin, "回车 下一题 · * 收藏 · q 结束:", echo=echo)
                word = line.strip().lower()
                if word in STAR_WORDS:
                    on = toggle_star(saver, stars, question.id, now())
                    out.print(
                        f"已收藏 {question.id}" if on else f"已取消收藏 {question.id}", markup=False
                    )
                    continue
                break
            if word in QUIT_WORDS:
                break
    except EndOfInput:
        pass
    except KeyboardInterrupt:
        out.print()
        _say(out, f"已中断:看了 {shown}/{len(pool)} 题。")
        raise typer.Exit(130) from None
    _say(out, f"看了 {shown}/{len(pool)} 题。")
