"""Import a file into a bank, export banks to other formats: the two entry points the CLI calls.

``import_text`` runs: detect the format -> parse into drafts -> build questions (skipping what
is not whole) -> assign ids -> a ``Bank`` plus everything the user should be told.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportFormatError, ImportSourceError, UsageError
from ..model import ID_PATTERN, Bank, Question
from ..qtypes import QuestionType
from ..rules import Checked
from ..textfile import read_text
from .building import assign_ids, build_question, duplicate_warnings, slug
from .drafts import UNCATEGORIZED, ExportResult, Note, Skip, SkipReason
from .formats import BY_KEY, detect_format, export_formats, import_formats
from .yaml_writer import bank_to_yaml


@dataclass(frozen=True)
class ImportResult:
    """A bank built from a file, and every record it skipped, repaired or ignored."""

    source: str
    format: str
    bank: Bank
    skips: tuple[Skip, ...] = ()
    repairs: tuple[Note, ...] = ()
    warnings: tuple[Note, ...] = ()
    ignored_lines: tuple[int, ...] = ()
    uncategorized: int = 0

    def type_counts(self) -> dict[QuestionType, int]:
        counts = Counter(q.type for q in self.bank.questions)
        return {t: counts.get(t, 0) for t in QuestionType}

    def skip_counts(self) -> dict[SkipReason, int]:
        counts = Counter(s.reason for s in self.skips)
        return {r: counts[r] for r in SkipReason if counts.get(r)}

    def yaml_text(self) -> str:
        types = "、".join(f"{t.label} {n}" for t, n in self.type_counts().items() if n)
        comments = [f"由 cmquiz import 从 {self.source} 导入(格式 {self.format}):{types}"]
        if self.skips:
            comments.append(f"跳过 {len(self.skips)} 条记录,见导入时的报告")
        return bank_to_yaml(self.bank, comments)


def _prefix(source: str, id_prefix: str | None) -> str:
    if id_prefix is not None:
        if not ID_PATTERN.fullmatch(id_prefix):
            raise UsageError(f"--id-prefix {id_prefix} 只能包含字母、数字、点、下划线和连字符")
        return id_prefix
    return slug(Path(source).stem) or "bank"


def import_text(
    text: str,
    source: str,
    *,
    fmt: str = "auto",
    topic: str | None = None,
    bank_title: str | None = None,
    id_prefix: str | None = None,
) -> ImportResult:
    """Turn the text of a file into a bank. ``source`` names the file (for the format, the
    default title and the id prefix); ``topic`` is the knowledge point of records without one."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "auto":
        detected = detect_format(text, source)
        if detected is None:
            raise ImportFormatError(
                f"无法识别 {source} 的格式,请用 --format 指定", import_formats()
            )
        fmt = detected
    reader = BY_KEY[fmt].read if fmt in BY_KEY else None
    if reader is None:
        raise ImportFormatError(f"未知的格式 {fmt}", import_formats())
    parsed = reader(text)
    warnings = list(parsed.warnings)
    skips = list(parsed.skips)
    built: list[Checked] = []
    lines: list[int] = []
    carried: list[str | None] = []
    topic = topic.strip() if topic and topic.strip() else None
    for draft in parsed.drafts:
        result = build_question(draft, topic, warnings)
        if isinstance(result, Skip):
            skips.append(result)
            continue
        built.append(result)
        lines.append(draft.line)
        carried.append(None if id_prefix is not None else draft.qid)
    skips.sort(key=lambda s: s.line)
    if not built:
        raise ImportSourceError(
            f"{source} 中没有可以导入的题目(按 {fmt} 格式读取)",
            [f"  {skip}" for skip in skips] or ["  文件里没有找到题目"],
        )
    questions = assign_ids(built, _prefix(source, id_prefix), carried, lines, warnings)
    warnings.extend(duplicate_warnings(questions, lines))
    title = (bank_title or "").strip() or Path(source).stem
    bank = Bank(title=title, questions=tuple(questions), description=f"从 {Path(source).name} 导入")
    uncategorized = sum(1 for q in questions if q.topic.name == UNCATEGORIZED) if not topic else 0
    return ImportResult(
        source=Path(source).name,
        format=fmt,
        bank=bank,
        skips=tuple(skips),
        repairs=tuple(parsed.repairs),
        warnings=tuple(warnings),
        ignored_lines=tuple(parsed.ignored_lines),
        uncategorized=uncategorized,
    )


def import_file(
    path: Path,
    *,
    fmt: str = "auto",
    topic: str | None = None,
    bank_title: str | None = None,
    id_prefix: str | None = None,
) -> ImportResult:
    """``import_text`` on a file read as UTF-8 (with or without BOM), else GB18030."""
    return import_text(
        read_text(path), str(path), fmt=fmt, topic=topic, bank_title=bank_title, id_prefix=id_prefix
    )


# --- export --------------------------------------------------------------------------------


def export_questions(questions: Sequence[Question], fmt: str) -> ExportResult:
    """The questions written in format ``fmt`` (a key of the registry)."""
    found = BY_KEY.get(fmt)
    if found is None or found.write is None:
        raise UsageError(
            f"未知的导出格式 {fmt}",
            hint=["可用的格式(--format):", *(f"  {k:<6} {v}" for k, v in export_formats().items())],
        )
    return found.write(questions)
