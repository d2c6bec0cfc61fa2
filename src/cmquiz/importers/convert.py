"""Import a file into a bank, export banks to other formats: the entry points the CLI calls.

``import_file`` reads the bytes (refusing what is not a regular file, is too large, or is an old
Word/Excel/WPS file), picks the format (Word and Excel by their bytes, text formats by suffix or
content), and hands the text or bytes to the format's reader. ``assemble`` then builds the
questions (skipping what is not whole), drops repeated questions, assigns ids and accounts for
every record: imported + skipped + duplicates = the records the reader found.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..answers import describe_answer
from ..errors import ImportFormatError, ImportSourceError, UsageError
from ..model import ID_PATTERN, Bank, Question
from ..progress import tracked
from ..qtypes import QuestionType
from ..rules import Checked
from ..textclean import strip_controls
from ..textfile import decode, read_bytes
from .building import assign_ids, build_question, slug
from .drafts import (
    UNCATEGORIZED,
    Draft,
    ExportResult,
    Note,
    Parsed,
    Place,
    Skip,
    SkipReason,
    line_place,
    line_ranges,
    shorten,
)
from .formats import BY_KEY, detect_bytes, detect_format, export_formats, import_formats
from .yaml_writer import bank_to_yaml

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY_SUFFIXES = {".doc": "Word", ".xls": "Excel", ".wps": "WPS 文字", ".et": "WPS 表格"}
_PREFIX_LIMIT = 24


@dataclass(frozen=True)
class Duplicate:
    """A question that repeats an earlier one (same stem and options)."""

    line: int
    first_line: int
    place: str
    first_place: str
    stem: str
    same_answer: bool


@dataclass(frozen=True)
class Explained:
    """Which layout rule placed an imported question's answer (``--explain``)."""

    place: str
    qid: str
    answer: str
    rule: str


@dataclass(frozen=True)
class ImportResult:
    """A bank built from a file, and every record it skipped, repaired, merged or ignored."""

    source: str
    format: str
    bank: Bank
    records: int = 0
    skips: tuple[Skip, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    kept_duplicates: bool = False
    repairs: tuple[Note, ...] = ()
    warnings: tuple[Note, ...] = ()
    ignored_lines: tuple[int, ...] = ()
    ignored_places: str = ""
    uncategorized: int = 0
    explained: tuple[Explained, ...] = ()

    @property
    def dropped_duplicates(self) -> int:
        return 0 if self.kept_duplicates else len(self.duplicates)

    def type_counts(self) -> dict[QuestionType, int]:
        counts = Counter(q.type for q in self.bank.questions)
        return {t: counts.get(t, 0) for t in QuestionType}

    def skip_counts(self) -> dict[SkipReason, int]:
        counts = Counter(s.reason for s in self.skips)
        return {r: counts[r] for r in SkipReason if counts.get(r)}

    def rule_counts(self) -> dict[str, int]:
        counts = Counter(e.rule.split("(第")[0].split("(表")[0] for e in self.explained)
        return dict(counts.most_common())

    def yaml_text(self) -> str:
        types = "、".join(f"{t.label} {n}" for t, n in self.type_counts().items() if n)
        comments = [f"由 cmquiz import 从 {self.source} 导入(格式 {self.format}):{types}"]
        if self.skips:
            comments.append(f"跳过 {len(self.skips)} 条记录,见导入时的报告")
        if self.dropped_duplicates:
            comments.append(f"{self.dropped_duplicates} 道重复的题只导入了一次")
        return bank_to_yaml(self.bank, comments)


def id_prefix_for(source: str) -> str:
    """The id prefix of a file: its name when that is plain ASCII (``credit.txt`` -> ``credit``);
    otherwise the ASCII part of the name and a short stable hash of the whole name
    (``第1章.txt`` -> ``1-3f9a1b``, ``题库.txt`` -> ``b3f9a1``), so two files never share one."""
    name = Path(source).name
    stem = Path(source).stem
    ascii_part = slug(stem, _PREFIX_LIMIT)
    if stem.isascii() and ascii_part and len(slug(stem, 10_000)) <= _PREFIX_LIMIT:
        return ascii_part
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{ascii_part[:16].strip('-')}-{digest}" if ascii_part else digest


def _prefix(source: str, id_prefix: str | None) -> str:
    if id_prefix is not None:
        if not ID_PATTERN.fullmatch(id_prefix):
            raise UsageError(f"--id-prefix {id_prefix} 只能包含字母、数字、点、下划线和连字符")
        return id_prefix
    return id_prefix_for(source)


def _duplicates(
    questions: list[Checked], drafts: list[Draft], place: Place
) -> tuple[list[int], list[Duplicate]]:
    """Indexes of the questions to keep, and every repeat of an earlier one."""
    first: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
    keep: list[int] = []
    found: list[Duplicate] = []
    for index, (question, draft) in enumerate(zip(questions, drafts, strict=True)):
        key = (question.content["stem"], question.content["options"])
        if key not in first:
            first[key] = index
            keep.append(index)
            continue
        earlier = first[key]
        line, first_line = draft.line, drafts[earlier].line
        found.append(
            Duplicate(
                line,
                first_line,
                place(line),
                place(first_line),
                shorten(question.content["stem"]),
                question.content["answer"] == questions[earlier].content["answer"],
            )
        )
    return keep, found


def assemble(
    parsed: Parsed,
    source: str,
    fmt: str,
    *,
    topic: str | None = None,
    bank_title: str | None = None,
    id_prefix: str | None = None,
    keep_duplicates: bool = False,
) -> ImportResult:
    """A reader's drafts -> a bank and the report (never raises for an empty result)."""
    place = parsed.place
    warnings = list(parsed.warnings)
    skips = list(parsed.skips)
    built: list[Checked] = []
    drafts: list[Draft] = []
    topic = topic.strip() if topic and topic.strip() else None
    for draft in tracked(parsed.drafts, "检查题目", len(parsed.drafts)):
        result = build_question(draft, topic, warnings)
        if isinstance(result, Skip):
            skips.append(result)
            continue
        built.append(result)
        drafts.append(draft)
    keep, duplicates = _duplicates(built, drafts, place)
    if not keep_duplicates:
        built = [built[i] for i in keep]
        drafts = [drafts[i] for i in keep]
    carried = [None if id_prefix is not None else d.qid for d in drafts]
    lines = [d.line for d in drafts]
    questions = assign_ids(built, _prefix(source, id_prefix), carried, lines, warnings, place)
    title = (bank_title or "").strip() or Path(source).stem
    bank = Bank(title=title, questions=tuple(questions), description=f"从 {Path(source).name} 导入")
    uncategorized = sum(1 for q in questions if q.topic.name == UNCATEGORIZED) if not topic else 0
    skips.sort(key=lambda s: s.line)
    explained = tuple(
        Explained(place(d.line), q.id, describe_answer(q.type, q.answer), str(d.answer_rule or ""))
        for q, d in zip(questions, drafts, strict=True)
    )
    ignored = tuple(parsed.ignored_lines)
    return ImportResult(
        source=Path(source).name,
        format=fmt,
        bank=bank,
        records=parsed.records,
        skips=tuple(replace(s, place=place(s.line)) for s in skips),
        duplicates=tuple(duplicates),
        kept_duplicates=keep_duplicates,
        repairs=tuple(_placed(n, place) for n in parsed.repairs),
        warnings=tuple(_placed(n, place) for n in warnings),
        ignored_lines=ignored,
        ignored_places=_ranges(ignored, place),
        uncategorized=uncategorized,
        explained=explained,
    )


def _placed(note: Note, place: Place) -> Note:
    return note if note.line is None else replace(note, place=place(note.line))


def _ranges(lines: tuple[int, ...], place: Place) -> str:
    if not lines:
        return ""
    if place is line_place:
        return line_ranges(list(lines))
    shown = "、".join(place(line) for line in lines[:6])
    return shown + ("…" if len(lines) > 6 else "")


def _nothing_imported(result: ImportResult, source: str) -> ImportSourceError:
    lines = [f"  {skip}" for skip in result.skips]
    lines += [f"  {d.place}:与 {d.first_place} 的题目重复" for d in result.duplicates]
    return ImportSourceError(
        f"{source} 中没有可以导入的题目(按 {result.format} 格式读取)",
        lines or ["  文件里没有找到题目"],
    )


def _reader_for(fmt: str) -> tuple[str, bool]:
    found = BY_KEY.get(fmt)
    if found is None or not found.reads:
        raise ImportFormatError(f"未知的格式 {fmt}", import_formats())
    return found.key, found.binary


def normalize_newlines(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def import_text(
    text: str,
    source: str,
    *,
    fmt: str = "auto",
    topic: str | None = None,
    bank_title: str | None = None,
    id_prefix: str | None = None,
    keep_duplicates: bool = False,
) -> ImportResult:
    """Turn the text of a file into a bank. ``source`` names the file (for the format, the
    default title and the id prefix); ``topic`` is the knowledge point of records without one."""
    text = normalize_newlines(text)
    if fmt == "auto":
        detected = detect_format(text, source)
        if detected is None:
            raise ImportFormatError(
                f"无法识别 {strip_controls(source)} 的格式,请用 --format 指定", import_formats()
            )
        fmt = detected
    key, binary = _reader_for(fmt)
    if binary:
        raise ImportSourceError(f"{key} 格式要从文件读取,不能读文本")
    parsed = BY_KEY[key].read(text)
    result = assemble(
        parsed,
        source,
        key,
        topic=topic,
        bank_title=bank_title,
        id_prefix=id_prefix,
        keep_duplicates=keep_duplicates,
    )
    if not result.bank.questions:
        raise _nothing_imported(result, strip_controls(source))
    return result


def _legacy(data: bytes, path: Path) -> ImportSourceError | None:
    """Old binary Word/Excel files and WPS files: a message saying how to convert them."""
    kind = _LEGACY_SUFFIXES.get(path.suffix.lower())
    if data.startswith(_OLE2) or (kind is not None and not data.startswith(b"PK\x03\x04")):
        what = kind or "Word/Excel/WPS"
        return ImportSourceError(
            f"{strip_controls(path.name)} 是旧版 {what} 文件(.doc/.xls/.wps/.et),cmquiz 读不了;"
            "请用 Word、Excel 或 WPS 打开它,另存为 .docx(文字)或 .xlsx(表格)后再导入"
        )
    return None


def import_file(
    path: Path,
    *,
    fmt: str = "auto",
    topic: str | None = None,
    bank_title: str | None = None,
    id_prefix: str | None = None,
    keep_duplicates: bool = False,
) -> ImportResult:
    """Read ``path`` and import it: Word and Excel from their bytes, anything else as text
    (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030)."""
    data = read_bytes(path)  # a regular file of at most 64 MiB; a FIFO is never opened
    legacy = _legacy(data, path)
    if legacy is not None:
        raise legacy
    binary_key = detect_bytes(data)
    if fmt == "auto" and binary_key is None and data.startswith(b"PK\x03\x04"):
        raise ImportSourceError(
            f"{strip_controls(path.name)} 是 zip 压缩文件,但不是 Word(.docx)或 Excel(.xlsx)文件"
        )
    key = binary_key if fmt == "auto" and binary_key else fmt
    if key != "auto" and _reader_for(key)[1]:
        parsed = BY_KEY[key].read_bytes(data)
        result = assemble(
            parsed,
            str(path),
            key,
            topic=topic,
            bank_title=bank_title,
            id_prefix=id_prefix,
            keep_duplicates=keep_duplicates,
        )
        if not result.bank.questions:
            raise _nothing_imported(result, strip_controls(str(path)))
        return result
    if binary_key is not None:
        raise ImportSourceError(
            f"{strip_controls(path.name)} 是 {binary_key} 文件,不能按 {key} 格式读取;"
            f"请用 --format {binary_key} 或 auto"
        )
    text = decode(data, str(path))
    return import_text(
        text,
        str(path),
        fmt=key,
        topic=topic,
        bank_title=bank_title,
        id_prefix=id_prefix,
        keep_duplicates=keep_duplicates,
    )


# --- export --------------------------------------------------------------------------------


def export_questions(questions: Sequence[Question], fmt: str) -> ExportResult:
    """The questions written in format ``fmt`` (a key of the registry)."""
    found = BY_KEY.get(fmt)
    if found is None or not found.writes:
        raise UsageError(
            f"未知的导出格式 {fmt}",
            hint=["可用的格式(--format):", *(f"  {k:<6} {v}" for k, v in export_formats().items())],
        )
    return found.write(questions)
