"""``cmquiz lint``: advice for bank authors on item-writing flaws (``cmquiz check`` is the strict
validator; lint runs on banks that pass it).

Every rule has a code (``L101``...), a short name, and yields findings: a rule code, the file
and line, the question id (or none for a finding about a whole bank) and a one-line reason.
``--select``/``--ignore`` take codes or code prefixes (``L1`` is every rule). The rules
themselves are in ``lintrules`` (one question at a time) and ``lintbanks`` (a bank's answer key
as a whole, and near-duplicates across banks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .model import Bank, Library, Question


@dataclass(frozen=True, order=True)
class Finding:
    """One piece of advice: where, which rule, which question, why."""

    file: str
    line: int
    code: str
    qid: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "qid": self.qid,
            "reason": self.reason,
        }


QuestionCheck = Callable[[Question], Iterable[str]]
LibraryCheck = Callable[[Sequence[Bank]], Iterable[tuple[Bank, Question | None, str]]]


@dataclass(frozen=True)
class Rule:
    """A rule: its code and name, and either a check of one question (yielding reasons) or a
    check of all the banks (yielding the bank, the question or None, and the reason)."""

    code: str
    name: str
    question: QuestionCheck | None = None
    library: LibraryCheck | None = None


def rules() -> tuple[Rule, ...]:
    from .lintbanks import LIBRARY_RULES
    from .lintrules import QUESTION_RULES

    return tuple(sorted((*QUESTION_RULES, *LIBRARY_RULES), key=lambda r: r.code))


def choose(
    available: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    """The rules ``--select`` names (all when none), less those ``--ignore`` names; codes or
    prefixes, separated by commas or given one by one. An unknown code is a usage error."""
    wanted = _codes(select)
    unwanted = _codes(ignore)
    for code in (*wanted, *unwanted):
        if not any(rule.code.startswith(code) for rule in available):
            known = "、".join(rule.code for rule in available)
            raise UsageError(f"没有规则 {code};可用的规则:{known}(cmquiz lint --rules 列出说明)")
    return [
        rule
        for rule in available
        if (not wanted or any(rule.code.startswith(c) for c in wanted))
        and not any(rule.code.startswith(c) for c in unwanted)
    ]


def _codes(values: Sequence[str]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def lint(library: Library, chosen: Sequence[Rule]) -> list[Finding]:
    """Every finding of the chosen rules on every bank, by file and line."""
    findings: list[Finding] = []
    for rule in chosen:
        if rule.question is not None:
            for bank in library.banks:
                for q in bank.questions:
                    findings.extend(
                        Finding(bank.path or "", q.line or 1, rule.code, q.id, reason)
                        for reason in rule.question(q)
                    )
        if rule.library is not None:
            for bank, found, reason in rule.library(library.banks):
                line = (found.line or 1) if found is not None else 1
                qid = found.id if found is not None else None
                findings.append(Finding(bank.path or "", line, rule.code, qid, reason))
    findings.sort(key=lambda f: (f.file, f.line, f.code))
    return findings
