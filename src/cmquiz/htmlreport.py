"""``cmquiz report --html``: one self-contained HTML file with the figures and charts.

No network and no server: the styles are inline, the charts inline SVG (``svgcharts``), there is
no script, and a Content-Security-Policy forbids the page to load anything, so it opens the same
from a USB stick, an e-mail attachment or a shared folder. Every text from a bank or a history
is escaped. Pure: figures in, a string out.

Two pages: a trainee's (``trainee_page``: the figures of ``cmquiz stats``) and a training
department's (``department_page``: trainees, exam scores, knowledge points across everyone, and
the item analysis of ``cmquiz stats --items``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from html import escape

from .department import DepartmentReport
from .itemstats import ItemStats
from .qtypes import QuestionType
from .statsreport import ExamRow, StatsReport, TopicRow
from .svgcharts import ScorePoint, activity_chart, bar, score_chart

REPORT_DAYS = 90  # the activity chart reaches back to the first active day, at most this far
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FLAG_TEXT = {
    "too_easy": "太容易",
    "too_hard": "太难",
    "low_discrimination": "区分度低",
    "low_efficiency": "区分效率低",
    "unchosen_option": "有选项没人选",
}
STYLE = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC",
  "Microsoft YaHei", sans-serif; margin: 0; background: #f5f6f8; color: #212121; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-left: 4px solid #1565c0; padding-left: 8px; }
.sub { color: #616161; margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { background: #fff; border-radius: 8px; padding: 12px 14px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card b { display: block; font-size: 24px; }
.card span { color: #616161; font-size: 13px; }
.next { background: #e3f2fd; border-radius: 8px; padding: 12px 16px; margin-top: 14px; }
code { background: #eceff1; padding: 2px 6px; border-radius: 4px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; background: #fff; border-radius: 8px;
  overflow: hidden; box-shadow: 0 1px 2px rgba(0,0,0,.08); font-size: 14px; }
th, td { padding: 6px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #fafafa; font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.flagged td:first-child { border-left: 4px solid #f9a825; }
.bar { display: inline-block; width: 90px; height: 9px; background: #eee; border-radius: 5px;
  overflow: hidden; vertical-align: middle; margin-left: 6px; }
.bar span { display: block; height: 100%; }
.chart { width: 100%; height: auto; background: #fff; border-radius: 8px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.chart .axis { font-size: 11px; fill: #757575; }
.ok { color: #2e7d32; } .bad { color: #c62828; } .muted { color: #757575; }
.dots { letter-spacing: 1px; white-space: nowrap; }
.flag { display: inline-block; background: #fff3e0; color: #e65100; border-radius: 4px;
  padding: 0 5px; margin: 1px 2px; font-size: 12px; white-space: nowrap; }
.opts { font-size: 12px; color: #424242; }
.legend { font-size: 13px; color: #616161; margin: 6px 0 0; }
footer { margin-top: 36px; color: #9e9e9e; font-size: 12px; }
"""


def _page(title: str, body: Iterable[str]) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def _pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _pp(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _table(head: Sequence[tuple[str, bool]], rows: Iterable[str]) -> str:
    cells = "".join(
        f'<th class="n">{escape(h)}</th>' if n else f"<th>{escape(h)}</th>" for h, n in head
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _td(value: str, numeric: bool = False, raw: bool = False) -> str:
    text = value if raw else escape(value)
    return f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>"


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} 小时 {minutes % 60} 分" if minutes >= 60 else f"{minutes} 分钟"


def _footer(generated: datetime) -> str:
    return (
        f"<footer>cmquiz 生成于 {generated.astimezone():%Y-%m-%d %H:%M}。"
        "这个文件不联网、不需要服务器,可以直接发给别人打开。</footer>"
    )


# --- a trainee ----------------------------------------------------------------------------------


def trainee_page(
    report: StatsReport,
    *,
    who: str,
    generated: datetime,
    next_command: str | None = None,
) -> str:
    """The figures of ``cmquiz stats`` for one trainee (or several histories taken together)."""
    exams = [e for e in report.exams if e.finished]
    passed = sum(1 for e in exams if e.passed)
    act = report.activity
    body = [
        f"<h1>{escape(who)} 的学习报告</h1>",
        f'<p class="sub">{escape(_span(report.first, report.last))}</p>',
        '<div class="cards">',
        _card(str(report.answered), "答题次数"),
        _card(_pct(report.accuracy), "正确率"),
        _card(str(report.questions_seen), "做过的不同题目"),
        _card(f"{passed}/{len(exams)}", "考试及格/交卷"),
        _card(f"{act.current_streak} 天", f"连续练习(最长 {act.longest_streak} 天)"),
        _card(_hours(act.seconds), "答题用时"),
        "</div>",
    ]
    if report.next_step is not None:
        body.append(f'<div class="next"><b>下一步:</b>{escape(report.next_step.reason)}')
        if next_command:
            body.append(f"<br><code>{escape(next_command)}</code>")
        body.append("</div>")
    if report.exams:
        body.append("<h2>考试成绩</h2>")
        body.append(score_chart([_exam_point(e) for e in report.exams], "考试成绩"))
        body.append(
            '<p class="legend">纵轴为得分占该卷满分的百分比;绿点及格、红点不及格、蓝点没有及格线;'
            "虚线为这张卷的及格线。</p>"
        )
    body.append("<h2>每天答题数</h2>")
    days = [(d.day, d.answers) for d in act.longer_window(REPORT_DAYS)]
    body.append(activity_chart(days, "每天答题数"))
    body.append(
        f'<p class="legend">{days[0][0]:%Y-%m-%d} 至 {act.last:%Y-%m-%d},'
        f"{sum(1 for _, n in days if n)} 天有练习,共 {sum(n for _, n in days)} 题。</p>"
    )
    body.append("<h2>各知识点(由弱到强)</h2>")
    body.append(_topics_table(report.by_topic, trend=True))
    if report.unpractised:
        names = "、".join(f"{escape(r.topic.label)}({r.in_bank} 题)" for r in report.unpractised)
        body.append(f"<p><b>没练过的知识点:</b>{names}</p>")
    if report.by_type:
        body.append("<h2>各题型</h2>")
        rows = (
            f"<tr>{_td(r.label)}{_td(str(r.answered), True)}"
            f"{_td(_pct(r.accuracy) + bar(r.accuracy), True, raw=True)}</tr>"
            for r in report.by_type
        )
        body.append(_table([("题型", False), ("答题", True), ("正确率", True)], rows))
    if report.missed:
        body.append("<h2>错得最多的题</h2>")
        rows = (
            f"<tr>{_td(m.stem or '(题库中已没有这道题)')}{_td(m.qid)}"
            f"{_td(f'{m.wrong}/{m.answered}', True)}{_td('对' if m.last_correct else '错')}</tr>"
            for m in report.missed
        )
        body.append(
            _table([("题目", False), ("编号", False), ("错/答", True), ("最近", False)], rows)
        )
    body.append(_footer(generated))
    return _page(f"{who} 的学习报告", body)


def _span(first: datetime | None, last: datetime | None) -> str:
    if first is None or last is None:
        return "还没有答题记录"
    return f"{first.astimezone():%Y-%m-%d} 至 {last.astimezone():%Y-%m-%d}"


def _exam_point(exam: ExamRow) -> ScorePoint:
    verdict = "" if exam.passed is None else ("及格" if exam.passed else "不及格")
    label = (
        f"{exam.ended.astimezone():%Y-%m-%d} {exam.paper}:{exam.score:g}/{exam.max_score:g}"
        f"({exam.fraction:.0%}){verdict}"
    )
    pass_percent = None if exam.pass_fraction is None else 100 * exam.pass_fraction
    return ScorePoint(exam.ended, 100 * exam.fraction, pass_percent, exam.passed, label)


def _topics_table(rows: Sequence[TopicRow], trend: bool) -> str:
    head = [("知识点", False), ("答题", True), ("正确率", True), ("覆盖", True), ("最近", False)]
    if trend:
        head.append(("走势(最近 10 题)", False))

    def row(r: TopicRow) -> str:
        cells = [
            _td(r.topic.label),
            _td(str(r.answered), True),
            _td(_pct(r.accuracy) + bar(r.accuracy), True, raw=True),
            _td(r.coverage, True),
            _td(f"{r.last.astimezone():%m-%d}" if r.last else ""),
        ]
        if trend:
            dots = "".join(
                '<span class="ok">●</span>' if ok else '<span class="bad">○</span>'
                for ok in r.recent
            )
            if r.trend is not None and abs(r.trend) >= 0.005:
                arrow = "↑" if r.trend > 0 else "↓"
                cls = "ok" if r.trend > 0 else "bad"
                dots += f' <span class="{cls}">{arrow}{abs(r.trend) * 100:.0f}%</span>'
            cells.append(f'<td class="dots">{dots}</td>')
        return f"<tr>{''.join(cells)}</tr>"

    return _table(head, (row(r) for r in rows))


# --- a department -------------------------------------------------------------------------------


def department_page(report: DepartmentReport, *, generated: datetime, title: str) -> str:
    """Trainees, exam scores over time, knowledge points across everyone, the item analysis."""
    overview = report.overview
    exams = report.exams
    passed = sum(1 for e in exams if e.passed)
    graded = sum(1 for e in exams if e.pass_fraction is not None)
    mean = sum(e.fraction for e in exams) / len(exams) if exams else None
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{len(report.trainees)} 名学员,{len(report.files)} 个答题记录文件</p>',
        '<div class="cards">',
        _card(str(len(report.trainees)), "学员"),
        _card(str(len(exams)), "交卷的考试"),
        _card(_pct(passed / graded) if graded else "—", "及格率"),
        _card(_pct(mean), "平均成绩"),
        _card(str(overview.answered if overview else 0), "答题次数"),
        _card(str(len(report.flagged)), "需要检查的题"),
        "</div>",
    ]
    if exams:
        body.append("<h2>考试成绩(每天的平均,竖线为当天最低到最高)</h2>")
        body.append(score_chart(_daily_points(report), "每天的考试成绩"))
        body.append(
            '<p class="legend">纵轴为得分占该卷满分的百分比;虚线为当天试卷的平均及格线;'
            "绿点表示当天平均成绩达到及格线。</p>"
        )
    body.append("<h2>各学员</h2>")
    body.append(_trainees_table(report))
    if overview is not None:
        body.append("<h2>每天答题数(全部学员)</h2>")
        days = [(d.day, d.answers) for d in overview.activity.longer_window(REPORT_DAYS)]
        body.append(activity_chart(days, "每天答题数"))
        body.append("<h2>各知识点(全部学员,由弱到强)</h2>")
        body.append(_topics_table(overview.by_topic, trend=False))
    body.append("<h2>题目分析(按 Moodle 测验统计的算法)</h2>")
    body.append(
        '<p class="legend">只统计已交卷的考试。易度 = 平均得分率;区分度 = 本题得分与其余各题得分的'
        "相关系数 × 100;区分效率 = 区分度相对它在这些分数下能达到的最大值;"
        "猜中 = 随便猜的期望得分率。"
        f"人次少于 {report.min_answers} 的题不计算指标。</p>"
    )
    body.append(_items_table(report.items, report.min_answers))
    body.append(_footer(generated))
    return _page(title, body)


def _daily_points(report: DepartmentReport) -> list[ScorePoint]:
    by_day: dict[date, list[tuple[float, float | None]]] = defaultdict(list)
    for e in report.exams:
        by_day[e.ended.astimezone().date()].append((e.fraction, e.pass_fraction))
    points = []
    for day in sorted(by_day):
        scores = [100 * f for f, _ in by_day[day]]
        marks = [100 * p for _, p in by_day[day] if p is not None]
        mean = sum(scores) / len(scores)
        mark = sum(marks) / len(marks) if marks else None
        label = (
            f"{day:%Y-%m-%d}:{len(scores)} 场,平均 {mean:.0f}%,"
            f"最低 {min(scores):.0f}%,最高 {max(scores):.0f}%"
        )
        passed = None if mark is None else mean >= mark - 1e-9
        points.append(ScorePoint(day, mean, mark, passed, label, min(scores), max(scores)))
    return points


def _trainees_table(report: DepartmentReport) -> str:
    head = [
        ("学员", False),
        ("考试", True),
        ("及格", True),
        ("平均", True),
        ("最好", True),
        ("最近", True),
        ("答题", True),
        ("正确率", True),
        ("最近活动", False),
    ]
    rows = (
        "<tr>"
        + _td(t.name)
        + _td(str(t.exams), True)
        + _td(str(t.passed) if t.graded else "—", True)
        + _td(_pct(t.mean) + bar(t.mean), True, raw=True)
        + _td(_pct(t.best), True)
        + _td(_pct(t.last), True)
        + _td(str(t.answered), True)
        + _td(_pct(t.accuracy) if t.answered else "—", True)
        + _td(f"{t.last_active.astimezone():%Y-%m-%d}" if t.last_active else "")
        + "</tr>"
        for t in report.trainees
    )
    return _table(head, rows)


def _options(row: ItemStats) -> str:
    parts = []
    for letter, times in row.options.items():
        shown = {"T": "对", "F": "错"}.get(letter, letter) if row.type == "judge" else letter
        text = f"{escape(shown)} {times}"
        if letter in row.key:
            text = f"<b>{text}✓</b>"
        elif times == 0 and row.type != QuestionType.JUDGE.value:
            text = f'<span class="bad">{text}</span>'
        parts.append(text)
    if row.no_response:
        parts.append(f'<span class="muted">未答 {row.no_response}</span>')
    return '<span class="opts">' + " · ".join(parts) + "</span>"


def _items_table(items: Sequence[ItemStats], min_answers: int) -> str:
    head = [
        ("题目", False),
        ("人次", True),
        ("易度", True),
        ("标准差", True),
        ("猜中", True),
        ("区分度", True),
        ("区分效率", True),
        ("选项与提示", False),
    ]

    def row(r: ItemStats) -> str:
        f = r.figures
        flags = "".join(f'<span class="flag">{FLAG_TEXT[x]}</span>' for x in r.flags)
        if not r.enough:
            flags += f'<span class="muted">人次不足 {min_answers}</span>'
        stem = f'<br><span class="muted">{escape(r.stem[:60])}</span>' if r.stem else ""
        name = f"<b>{escape(r.qid)}</b> {escape(_type_label(r.type))}{stem}"
        enough = r.enough
        return (
            f'<tr class="{"flagged" if r.flags else ""}">'
            + _td(name, raw=True)
            + _td(str(r.n), True)
            + _td(_pct(f.facility, 1), True)
            + _td(_pct(f.sd, 1) if enough else "—", True)
            + _td(_pct(r.random_guess_score, 1), True)
            + _td(_pp(f.discrimination_index) if enough else "—", True)
            + _td(_pp(f.discriminative_efficiency) if enough else "—", True)
            + _td(_options(r) + "<br>" + flags, raw=True)
            + "</tr>"
        )

    if not items:
        return "<p>这些答题记录里没有已交卷的考试。</p>"
    return _table(head, (row(r) for r in items))


def _type_label(value: str) -> str:
    try:
        return QuestionType(value).label
    except ValueError:
        return value
