"""The library: which bank files to load, loading them (from the cache when they are unchanged)
and the rule that spans files (a question id is unique across every loaded bank).

One file's text is decoded by ``textfile``, read by ``bankfile`` (YAML nodes via ``yamlnodes``)
and each question checked by ``rules``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

from .errors import BankError, FileReadError, Problem, describe_os_error
from .model import Bank, Catalog, Library
from .textclean import shorten
from .textfile import read_text

BANK_SUFFIXES = (".yaml", ".yml")

__all__ = ["expand_bank_paths", "load_bank", "load_library"]


def load_bank(path: str | Path) -> Bank:
    """Read and check one bank file (``bankfile``, imported here: a start from the cache never
    needs YAML)."""
    from .bankfile import parse_bank_text

    path = Path(path)
    return parse_bank_text(read_text(path), str(path))


def expand_bank_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories become their ``*.yaml``/``*.yml`` files, sorted. A file named
    twice (directly, through its directory, or by another spelling of its path) counts once.
    A directory that cannot be listed is a BankError; a file that cannot be read is reported
    when it is read (``textfile.read_bytes``)."""
    files, problems = _expand(paths)
    if problems:
        raise BankError(problems)
    return files


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    result: list[Path] = []
    problems: list[Problem] = []
    seen: set[Hashable] = set()
    for raw in paths:
        path = Path(raw)
        found = [path]
        if _is_dir(path):
            try:
                found = sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES)
            except OSError as exc:
                problems.append(
                    Problem(str(path), message=f"无法列出目录中的文件:{describe_os_error(exc)}")
                )
                continue
        for file in found:
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                result.append(file)
    return result, problems


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:  # missing, a symlink loop…: reported when it is read as a file
        return False


def _identity(path: Path) -> Hashable:
    """The same file however it is spelled: device and inode when it exists, else the
    normalised absolute path (never ``Path.resolve``, which fails on a symlink loop)."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.normcase(os.path.abspath(path))
    if st.st_ino:
        return (st.st_dev, st.st_ino)
    return os.path.normcase(os.path.realpath(path))


def load_library(paths: Sequence[str | Path], cache_dir: Path | None = None) -> Library:
    """Load every bank; report every problem of every file, and ids repeated across files.

    With ``cache_dir``, each bank unchanged since it was last validated comes from its JSON
    cache file (``bankcache``); when all of them do, YAML is not even imported.
    """
    files, problems = _expand(paths)
    if not files and not problems:
        shown = "、".join(str(p) for p in paths) or "(无)"
        raise BankError([Problem(shown, message="没有找到题库文件(*.yaml)")])
    unreadable: list[FileReadError] = []
    banks: list[Bank] = []
    parsed: list[str] = []
    for path in files:
        bank = None
        if cache_dir is not None:
            from .bankcache import cached_bank

            bank = cached_bank(path, cache_dir)
        if bank is None:
            parsed.append(str(path))
            try:
                bank = load_bank(path)
            except FileReadError as exc:
                unreadable.append(exc)
                problems.extend(exc.problems)
                continue
            except BankError as exc:
                problems.extend(exc.problems)
                continue
            if cache_dir is not None:
                from .bankcache import store_bank

                store_bank(bank, cache_dir)
        banks.append(bank)
    problems.extend(_repeated_ids(banks))
    if len(problems) == 1 and len(unreadable) == 1:
        raise unreadable[0]  # the one line naming the path
    if problems:
        raise BankError(problems)
    return Library(tuple(banks), tuple(parsed))


def _repeated_ids(banks: Sequence[Bank]) -> list[Problem]:
    """Ids used in two banks, or used in one and retired in another (within one bank, the
    bank's own check has found them)."""
    if len(banks) < 2:
        return []
    problems = []
    seen: dict[str, str] = {}
    retired: dict[str, str] = {}
    for bank in banks:
        for qid in bank.retired:
            retired.setdefault(qid, bank.path or "")
    for bank in banks:
        catalog = Catalog.of(bank.questions)
        for position, qid in enumerate(catalog.ids):  # a question is built only to be named
            first = seen.get(qid)
            if first is not None and first != bank.path:
                problems.append(
                    Problem(
                        bank.path or "",
                        catalog[position].line,
                        where=f"({shorten(qid)}).id",
                        message=f"题目 id 与 {first} 中的题目重复;id 在所有题库中必须唯一",
                    )
                )
            elif qid in retired and retired[qid] != bank.path:
                problems.append(
                    Problem(
                        bank.path or "",
                        catalog[position].line,
                        where=f"({shorten(qid)}).id",
                        message=f"id {shorten(qid)} 已在 {retired[qid]} 中停用,不能再用",
                    )
                )
            seen.setdefault(qid, bank.path or "")
    return problems
