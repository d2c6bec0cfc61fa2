"""``cmquiz wrong`` (the notebook), ``cmquiz review`` (spaced repetition) and ``cmquiz plan``
(the exam date and the day-by-day forecast)."""

from __future__ import annotations

import json
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CmquizError, UsageError
from .quiz import JsonOption, _consoles, _finish, _loop, _new_id, _say
from .state import State, state

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from ..digest import HistoryDigest
    from ..history import HistoryStore
    from ..model import Question
    from ..notebook import NotebookEntry
    from ..review import Agenda


def local_tz() -> tzinfo:
    """The trainee's time zone (``TZ``): days start at local midnight."""
    from datetime import UTC

    return datetime.now(UTC).astimezone().tzinfo or UTC


def read_learning(
    st: State, err: Console, *, cards: bool = False
) -> tuple[HistoryStore, HistoryDigest]:
    """The history and its digest (learning state, with the cards when ``cards``, answers per
    day), warnings shown."""
    return st.history(), st.digest(err, cards=cards)


def known_question(by_id: dict[str, Question], qid: str) -> Question:
    """The question with this id, or a usage error naming the closest ids."""
    question = by_id.get(qid)
    if question is not None:
        return question
    import difflib

    close = difflib.get_close_matches(qid, list(by_id), n=3, cutoff=0.6)
    hint = f";是不是 {'、'.join(close)}?" if close else ";题目编号可以用 cmquiz search 查找"
    raise UsageError(f"题库中没有题目 {qid}{hint}")


# --- the notebook ---------------------------------------------------------------------------------


def wrong(
    ctx: typer.Context,
    remove: Annotated[
        list[str] | None,
        typer.Option("--remove", metavar="ID", help="把这道题移出错题本(可重复)。"),
    ] = None,
    streak: Annotated[
        int | None,
        typer.Option(
            "--streak", metavar="N", help="连续答对 N 次后移出错题本(1–10,默认 2);会记住。"
        ),
    ] = None,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="导出为 CSV(Excel/WPS 可直接打开)。")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="CSV 写入这个文件(默认标准输出)。"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """列出题目编号、知识点、答错次数、最近答错的时间和连续答对的次数。"""
    from ..learning_records import MAX_STREAK, NotebookRecord, Setting, SettingRecord
    from ..render.common import make_console
    from ..render.learn import notebook_table
    from .prompting import now

    st = state(ctx)
    _console, err = _consoles(as_json or as_csv)
    if output is not None and not as_csv:
        raise UsageError("--output 只用于 --csv")
    store, digest = read_learning(st, err)
    learning = digest.learning
    if streak is not None:
        if not 1 <= streak <= MAX_STREAK:
            raise UsageError(f"--streak 的值无效:{streak};应为 1 到 {MAX_STREAK}")
        before = learning.notebook.streak
        record = SettingRecord(Setting.WRONG_STREAK, streak, now())
        store.append(record)
        learning.apply(record)
        _say(err, f"错题连续答对 {streak} 次后移出错题本(原为 {before} 次)。")
    for qid in remove or []:
        if qid not in learning.notebook.items:
            raise UsageError(f"错题本中没有题目 {qid};查看错题本:{st.command_line('wrong')}")
        notebook_record = NotebookRecord(qid, now())
        store.append(notebook_record)
        learning.apply(notebook_record)
        _say(err, f"已把 {qid} 移出错题本;以后再答错会重新记入。")
    if (remove or streak is not None) and not (as_json or as_csv):
        return
    by_id = st.library().by_id()
    entries = learning.notebook.ordered()
    if as_json:
        data = {
            "streak": learning.notebook.streak,
            "entries": [
                {
                    **e.to_dict(),
                    "in_bank": e.qid in by_id,
                    "stem": by_id[e.qid].stem if e.qid in by_id else None,
                }
                for e in entries
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if as_csv:
        text = _notebook_csv(entries, by_id, local_tz())
        if output is None:
            typer.echo(text, nl=False)
        else:
            try:
                output.write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                from ..errors import describe_os_error

                raise CmquizError(f"无法写入 {output}:{describe_os_error(exc)}") from None
            _say(err, f"已导出错题本 {len(entries)} 题到 {output}")
        return
    out = make_console()
    if not entries:
        _say(out, f"错题本是空的:答错的题会自动记入。开始练习:{st.command_line('practice')}")
        return
    out.print(notebook_table(entries, by_id, learning.notebook.streak, local_tz(), out.width))
    _say(
        out,
        f"共 {len(entries)} 题;连续答对 {learning.notebook.streak} 次后移出。"
        f"练习错题:{st.command_line('practice', '--wrong')}",
    )


def _notebook_csv(entries: Sequence[NotebookEntry], by_id: dict[str, Question], tz: tzinfo) -> str:
    from ..render.learn import answer_text
    from ..spreadsheet import csv_text

    header = ["编号", "知识点", "题型", "答错次数", "最近答错", "连续答对", "题干", "选项"]
    header += ["正确答案", "解析"]
    rows = []
    for entry in entries:
        q = by_id.get(entry.qid)
        options = "\n".join(f"{k}. {t}" for k, t in q.options) if q else ""
        rows.append(
            [
                entry.qid,
                entry.topic.label,
                q.type.label if q else entry.type,
                entry.times_wrong,
                entry.last_wrong.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                entry.streak,
                q.stem if q else "",
                options,
                answer_text(q) if q else "",
                (q.explanation or "") if q else "",
            ]
        )
    return csv_text(header, rows)


# --- review -----------------------------------------------------------------------------------


def review(
    ctx: typer.Context,
    n: Annotated[
        int | None, typer.Option("--n", "-n", metavar="N", help="本次最多复习的题数。")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """设了考试日期(cmquiz plan --exam-date)时按复习计划:最后冲刺、每日上限、没做过的题。"""
    from ..records import Mode
    from ..render.learn import agenda_heading, due_summary
    from ..session import Item, Session, start_record
    from .prompting import now
    from .runner import run_practice

    st = state(ctx)
    if n is not None and n < 1:
        raise UsageError("--n / -n 的值无效:应不小于 1")
    console, err = _consoles(as_json)
    library = st.library()
    store = st.history()
    store.ensure_writable()
    _store, digest = read_learning(st, err, cards=True)
    learning = digest.learning
    tz = local_tz()
    agenda = _agenda(library.questions, digest, now(), tz)
    if agenda.exam_passed is not None:
        _say(
            err,
            f"考试日期 {agenda.exam_passed.isoformat()} 已到,复习计划不再生效;"
            f"设定新的考试日期:{st.command_line('plan', '--exam-date', _example_date())}",
        )
    if not agenda.questions:
        message = "今天没有要复习的题。" + due_summary(agenda.later, agenda.today)
        if not learning.cards:
            message = f"还没有做过题:复习安排在做过的题上。先练习:{st.command_line('practice')}"
        if as_json:
            typer.echo(json.dumps({"due": 0, "later": _later_json(agenda.later)}, indent=2))
        _say(err if as_json else console, message)
        return
    by_id = library.by_id()
    chosen = agenda.questions[:n] if n is not None else agenda.questions
    items = [Item(i, by_id[qid], 1.0) for i, qid in enumerate(chosen)]
    start = start_record(_new_id(), Mode.REVIEW, items, now(), user=st.user_name())
    session = Session(start, items, start.ts)
    loop = _loop(st, session, console, err, set(learning.stars))
    loop.saver.save(start)
    _say(console, agenda_heading(agenda, len(items)) + ";输入 * 收藏本题,q 结束复习。")
    outcome = run_practice(loop)
    after = _agenda(library.questions, st.digest(err, cards=True), now(), tz)
    left = len(after.questions)
    note = (
        f"今天还有 {left} 题;继续:{st.command_line('review')}。" if left else "今天的复习已完成。"
    )
    _finish(
        session,
        store,
        console,
        err,
        outcome,
        as_json=as_json,
        hint=None,
        notes=[note + due_summary(after.later, after.today)],
    )


def _agenda(
    questions: Sequence[Question], digest: HistoryDigest, moment: datetime, tz: tzinfo
) -> Agenda:
    from ..plan import local_day
    from ..review import agenda

    answered = digest.answered_on.get(local_day(moment, tz), 0)
    return agenda(questions, digest.learning, moment, tz, answered_today=answered)


def _later_json(later: Sequence[tuple[date, int]]) -> list[dict[str, object]]:
    return [{"date": d.isoformat(), "due": count} for d, count in later]


# --- plan -------------------------------------------------------------------------------------


def plan(
    ctx: typer.Context,
    exam_date: Annotated[
        str | None,
        typer.Option("--exam-date", metavar="YYYY-MM-DD", help="考试日期;会记住。"),
    ] = None,
    per_day: Annotated[
        int | None,
        typer.Option("--per-day", metavar="N", help="每天最多复习多少题(0 表示不设上限);会记住。"),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="取消考试日期和复习计划。")] = False,
    as_json: JsonOption = False,
) -> None:
    from ..learning_records import MAX_PER_DAY, PlanRecord
    from ..render.common import make_console
    from ..render.learn import plan_view, upcoming_view
    from ..review import agenda as make_agenda
    from .prompting import now

    st = state(ctx)
    err = make_console(stderr=True)
    store, digest = read_learning(st, err, cards=True)
    learning = digest.learning
    tz = local_tz()
    moment = now()
    today = moment.astimezone(tz).date()
    if clear:
        if exam_date is not None or per_day is not None:
            raise UsageError("--clear 不能与 --exam-date、--per-day 同用")
        store.append(PlanRecord(None, None, moment))
        _say(err, "已取消考试日期;复习按 FSRS 的安排进行。")
        return
    if per_day is not None and not 0 <= per_day <= MAX_PER_DAY:
        raise UsageError(f"--per-day 的值无效:{per_day};应为 0 到 {MAX_PER_DAY}")
    current = learning.plan
    if exam_date is not None or per_day is not None:
        day = _exam_day(exam_date, today) if exam_date is not None else None
        if day is None:
            if current is None or current.exam_date is None:
                raise UsageError(
                    "还没有考试日期;先设定:"
                    + st.command_line("plan", "--exam-date", _example_date(), "--per-day", "30")
                )
            day = current.exam_date
        budget = current.per_day if per_day is None and current is not None else per_day or None
        record = PlanRecord(day, budget, moment)
        store.append(record)
        learning.apply(record)
    library = st.library()
    answered = digest.answered_on.get(today, 0)
    agenda = make_agenda(library.questions, learning, moment, tz, answered_today=answered)
    out = make_console()
    if agenda.plan is None:
        if as_json:
            data = {
                "exam_date": None,
                "today": today.isoformat(),
                "due_today": len(agenda.questions),
            }
            data["days"] = _later_json(agenda.later)  # type: ignore[assignment]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if agenda.exam_passed is not None:
            _say(err, f"考试日期 {agenda.exam_passed.isoformat()} 已到,复习计划不再生效。")
        out.print(upcoming_view(agenda.later, today, len(agenda.questions)))
        _say(
            out,
            "还没有设定考试日期。设定后复习会在考试前安排最后冲刺:"
            + st.command_line("plan", "--exam-date", _example_date(), "--per-day", "30")
            + "(日期换成你的考试日期)",
        )
        return
    if as_json:
        typer.echo(json.dumps(agenda.plan.to_dict(), ensure_ascii=False, indent=2))
        return
    out.print(plan_view(agenda.plan, out))
    if not agenda.plan.covers and agenda.plan.needed_per_day is not None:
        _say(out, "改为:" + st.command_line("plan", "--per-day", str(agenda.plan.needed_per_day)))
    if agenda.questions:
        _say(out, f"今天还有 {len(agenda.questions)} 题:{st.command_line('review')}")


def _example_date() -> str:
    """A date 30 days from now, for hints that must work as printed."""
    from datetime import timedelta

    return (datetime.now(local_tz()).date() + timedelta(days=30)).isoformat()


def _exam_day(text: str, today: date) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--exam-date 的值无效:{text};应写成 YYYY-MM-DD,如 2027-01-05") from None
    if day <= today:
        raise UsageError(f"考试日期 {day.isoformat()} 应在今天({today.isoformat()})之后")
    return day
