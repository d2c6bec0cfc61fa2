"""The command-line shell: Typer commands that call the domain and render its results.

Every command is listed here, explicitly, by name, with the function that runs it and the one
line the command list shows (the first paragraph of the command's help; the function's
docstring holds the rest). A command's module is imported, and its Typer command built, only
when that command is run or its own help is asked for (``app.LazyCommands``): ``cmquiz exam``
does not pay for ``import`` or ``report``, and ``cmquiz --help`` for none of them. ``app``
turns any domain error into a message and an exit code in one place (``CmquizGroup``).
"""

from __future__ import annotations

from .app import CommandEntry, app, main, register

# fmt: off
register((
    CommandEntry("practice", "practice:practice",
                 "练习:每答一题立即显示对错、正确答案、解析和出处。"),
    CommandEntry("exam", "quiz:exam",
                 "模拟考试:按试卷组卷、计时,答题卡可跳过、返回、修改、标记,交卷后出成绩。"),
    CommandEntry("exams", "exams:exams",
                 "考试记录:日期、试卷、得分、是否及格、用时;--show 重看成绩单。"),
    CommandEntry("papers", "exams:papers",
                 "试卷:自带的和数据目录 papers/ 下的试卷,题型分值、及格线、限时,"
                 "以及当前题库能否组卷。"),
    CommandEntry("stats", "report:stats",
                 "学习统计:各知识点的正确率、覆盖和走势,考试成绩,每天的练习,下一步;"
                 "--items 做题目分析。"),
    CommandEntry("topics", "report:topics",
                 "列出所有知识点(代码、名称)及各题型题数。"),
    CommandEntry("check", "report:check",
                 "检查题库:列出每一处错误的文件、行号、题目和字段。"),
    CommandEntry("lint", "report:lint",
                 "出题建议:找出题目写法上的毛病(否定题干、绝对化的词、答案总是最长、"
                 "近似重复……)。"),
    CommandEntry("report", "report:report",
                 "HTML 报告:一个自带图表、不联网也能打开的文件(学员自己的,"
                 "或 --history 给出的部门的)。"),
    CommandEntry("import", "transfer:import_bank",
                 "导入题库:把 Word、Excel、编号题目、题库导出、CSV/TSV、Anki、Aiken、GIFT "
                 "转成 YAML 题库。"),
    CommandEntry("export", "transfer:export_bank",
                 "导出题库:把当前题库(--bank)导出为 GIFT、Aiken、CSV(Excel/WPS)或 Anki 文本。"),
    CommandEntry("wrong", "learn:wrong",
                 "错题本:答错的题自动记入,连续答对 N 次(默认 2)后移出。"),
    CommandEntry("review", "learn:review",
                 "间隔复习(FSRS):做过的每道题按遗忘规律安排复习,先出逾期最久的。"),
    CommandEntry("plan", "learn:plan",
                 "复习计划:设定考试日期和每天的题量,按天预测到考试为止每天要复习多少题。"),
    CommandEntry("star", "lookup:star",
                 "收藏题目(练习、考试、浏览时在提示符下输入 * 也可以)。"),
    CommandEntry("unstar", "lookup:unstar", "取消收藏。"),
    CommandEntry("starred", "lookup:starred", "列出收藏的题(最近收藏的在前)。"),
    CommandEntry("search", "lookup:search",
                 "找题:题干、选项或解析中含有所有这些词的题(不分大小写、全角半角)。"),
    CommandEntry("show", "lookup:show",
                 "显示一道题的全部内容:题干、选项、答案、解析、依据、出处,以及你的作答情况。"),
    CommandEntry("browse", "lookup:browse",
                 "背题模式:按题库顺序逐题显示题目、答案、解析和出处;回车下一题,* 收藏,"
                 "q 结束。不计分。"),
))
# fmt: on

__all__ = ["app", "main"]
