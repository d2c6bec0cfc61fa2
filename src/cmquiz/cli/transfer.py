"""``cmquiz import`` and ``cmquiz export``: banks from and to other formats.

Thin: options are parsed here, the work is done by ``cmquiz.importers``. The YAML (or the
exported text) goes to stdout unless ``-o`` is given; the report always goes to stderr, so
``cmquiz import x.txt > bank.yaml`` works.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import (
    CmquizError,
    OutputExistsError,
    StrictImportError,
    UsageError,
    describe_os_error,
)
from ..importers.formats import export_format_help, import_format_help
from .state import state

if TYPE_CHECKING:
    from ..importers.convert import ImportResult
    from ..importers.drafts import ExportResult


class IdClashError(CmquizError):
    """``cmquiz import``: generated ids are already used by a loaded bank (exit 1)."""


def _say(line: str = "") -> None:
    """A report line on stderr; text quoted from the source file never carries control codes."""
    from ..textclean import strip_controls

    typer.echo(strip_controls(line), err=True)


def _check_output(output: Path | None, force: bool, source: Path | None = None) -> None:
    if output is None:
        return
    if source is not None and output.resolve() == source.resolve():
        raise UsageError("输出文件不能是要导入的源文件本身")
    if output.is_dir():
        raise UsageError(f"输出路径 {output} 是一个目录,请给出文件名")
    if output.exists() and not force:
        raise OutputExistsError(str(output))


def _write(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CmquizError(f"无法写入 {output}:{describe_os_error(exc)}") from None


def _import_report(result: ImportResult, explain: bool) -> None:
    types = "、".join(f"{t.label} {n}" for t, n in result.type_counts().items())
    _say(f"导入 {result.source}(格式:{result.format}):{len(result.bank.questions)} 道题({types})")
    dropped = result.dropped_duplicates
    _say(
        f"找到 {result.records} 条记录:导入 {len(result.bank.questions)}、"
        f"跳过 {len(result.skips)}、重复 {dropped}"
    )
    if result.repairs:
        _say(f"修复 {len(result.repairs)} 处:")
        for note in result.repairs:
            _say(f"  {note}")
    if result.skips:
        reasons = "、".join(f"{r.value} {n}" for r, n in result.skip_counts().items())
        _say(f"跳过 {len(result.skips)} 条记录({reasons}):")
        for skip in result.skips:
            _say(f"  {skip}")
    if result.duplicates:
        verb = "都已导入(--keep-duplicates)" if result.kept_duplicates else "只导入了前一道"
        _say(f"重复的题目 {len(result.duplicates)} 道(题干和选项相同),{verb}:")
        for dup in result.duplicates:
            differs = "" if dup.same_answer else ",但答案不同"
            _say(f"  {dup.place} 与 {dup.first_place}:“{dup.stem}”{differs}")
    if result.warnings:
        _say("提示:")
        for warning in result.warnings:
            _say(f"  {warning}")
    if result.uncategorized:
        _say(f"{result.uncategorized} 道题没有知识点,已归入“未分类”;可用 --topic 指定知识点")
    if result.ignored_lines:
        _say(f"忽略了 {len(result.ignored_lines)} 处不属于题目的文字({result.ignored_places})")
    if explain:
        counts = "、".join(f"{rule} {n}" for rule, n in result.rule_counts().items())
        _say(f"答案的来源:{counts}")
        for item in result.explained:
            _say(f"  {item.place} {item.qid}:答案 {item.answer} ← {item.rule}")


def _check_ids(ctx: typer.Context, result: ImportResult, output: Path | None, allow: bool) -> None:
    """Ids that the banks already loaded (--bank, $CMQUIZ_BANKS or the bundled ones) use: said
    before anything is written; exit 1 unless --allow-id-clash. A bank at the output path is
    left out (it is the one being replaced)."""
    from ..errors import CmquizError as Error

    try:
        library = state(ctx).library()
    except Error as exc:
        _say(f"提示:无法检查 id 是否与已加载的题库重复({exc.message})")
        return
    replaced = output.resolve() if output is not None else None
    taken = {
        q.id: bank.path or bank.title
        for bank in library.banks
        if not (replaced is not None and bank.path and Path(bank.path).resolve() == replaced)
        for q in bank.questions
    }
    clashes = [q.id for q in result.bank.questions if q.id in taken]
    if not clashes:
        return
    shown = ", ".join(f"{qid}({taken[qid]})" for qid in clashes[:5])
    more = f" 等 {len(clashes)} 个" if len(clashes) > 5 else ""
    message = f"{len(clashes)} 个 id 与已加载的题库重复:{shown}{more}"
    if allow:
        _say(f"提示:{message};按 --allow-id-clash 照常写出")
        return
    raise IdClashError(message + ";请用 --id-prefix 换一个前缀,或加 --allow-id-clash 照常写出")


def import_bank(
    ctx: typer.Context,
    src: Annotated[Path, typer.Argument(metavar="SRC", help="要导入的文件。")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="OUT.yaml", help="写入的 YAML 题库文件;不给则输出到标准输出。"
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=import_format_help()),
    ] = "auto",
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", metavar="T", help="没有知识点的题目使用的知识点。"),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="只要有记录被跳过,就不写出题库并以 1 退出。"),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")] = False,
    bank_title: Annotated[
        str | None,
        typer.Option("--bank-title", metavar="TITLE", help="题库名称;默认用源文件名。"),
    ] = None,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            "--id-prefix",
            metavar="PREFIX",
            help="题目 id 的前缀(如 credit → credit-17-001);默认取自源文件名。",
        ),
    ] = None,
    keep_duplicates: Annotated[
        bool,
        typer.Option("--keep-duplicates", help="题干和选项相同的题目都导入(默认只导入一次)。"),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="逐题说明答案是按哪条版式规则找到的。"),
    ] = False,
    allow_id_clash: Annotated[
        bool,
        typer.Option("--allow-id-clash", help="id 与已加载的题库重复时仍写出(默认以 1 退出)。"),
    ] = False,
) -> None:
    from ..importers.convert import import_file
    from ..importers.formats import format_key

    _check_output(output, force, src)
    result = import_file(
        src,
        fmt=format_key(fmt),
        topic=topic,
        bank_title=bank_title,
        id_prefix=id_prefix,
        keep_duplicates=keep_duplicates,
    )
    _import_report(result, explain)
    if strict and result.skips:
        raise StrictImportError(f"--strict:有 {len(result.skips)} 条记录被跳过,没有写出题库")
    _check_ids(ctx, result, output, allow_id_clash)
    text = result.yaml_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    _write(output, text)
    _say(f"已写入 {output};可用 cmquiz check {output} 检查")


def _export_report(result: ExportResult, output: Path | None) -> None:
    from ..qtypes import QuestionType
    from ..sampling import count_types

    counts = count_types(result.exported)
    types = "、".join(f"{t.label} {n}" for t, n in counts.items() if n)
    where = f"到 {output}" if output is not None else ""
    _say(f"已导出 {len(result.exported)} 道题({types}){where},格式 {result.format}")
    if result.left_out:
        _say(f"Aiken 只能放单选题,未导出 {len(result.left_out)} 道:")
        for qtype in QuestionType:
            ids = [q.id for q in result.left_out if q.type is qtype]
            if ids:
                _say(f"  {qtype.label} {len(ids)} 道:{', '.join(ids)}")
    for note in result.notes:
        _say(note)


def export_bank(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=export_format_help(),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="OUT", help="输出文件;不给则输出到标准输出。"),
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic", "-t", metavar="T", help="只导出匹配的知识点(代码或名称的一部分);可重复。"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")] = False,
) -> None:
    from ..importers.convert import export_questions
    from ..importers.formats import export_format_for
    from ..sampling import select_topics

    fmt = export_format_for(fmt, str(output) if output is not None else None)
    _check_output(output, force)
    questions = select_topics(state(ctx).library().questions, topic or [])
    result = export_questions(questions, fmt)
    if not result.exported:
        hint = ";Aiken 只能放单选题" if result.left_out else ""
        raise UsageError(f"没有可导出的题目{hint}")
    if output is None:
        typer.echo(result.text, nl=False)
    else:
        _write(output, result.text)
    _export_report(result, output)
