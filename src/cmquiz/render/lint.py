"""``cmquiz lint``: one line per finding, then a count by rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..lint import Finding, Rule
from .common import display_path, safe


def findings_view(
    findings: Sequence[Finding], chosen: Sequence[Rule], files: int
) -> RenderableType:
    """``path:line: CODE [qid] reason`` for each finding, and a summary by rule."""
    lines: list[RenderableType] = []
    for f in findings:
        line = Text.assemble(
            (f"{display_path(f.file)}:{f.line}: ", "dim"),
            (f.code, "bold yellow"),
            " ",
        )
        if f.qid:
            line.append_text(safe(f"[{f.qid}] ", "cyan"))
        line.append_text(safe(f.reason))
        lines.append(line)
    if not findings:
        lines.append(Text(f"检查了 {files} 个题库文件,没有发现问题。", style="green"))
        return Group(*lines)
    counts = Counter(f.code for f in findings)
    names = {rule.code: rule.name for rule in chosen}
    summary = ",".join(f"{code} {names.get(code, '')} {n}" for code, n in sorted(counts.items()))
    lines.append(
        Text.assemble(
            (f"共 {len(findings)} 条建议", "bold"),
            f"({summary})。这些是出题建议,不影响题库使用;格式错误由 cmquiz check 检查。",
        )
    )
    return Group(*lines)


def rules_table(rules: Sequence[Rule]) -> Table:
    table = Table(title="lint 规则", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("代码", no_wrap=True)
    table.add_column("检查什么", overflow="fold")
    for rule in rules:
        table.add_row(rule.code, rule.name)
    return table
