"""Knowledge points (知识点): a name and an optional syllabus code, and how a pattern finds them.

A ``--topic`` pattern matches a knowledge point by its exact code (``17``), or by any part of its
name (``担保``) or of the title of the bank it belongs to (``礼仪`` finds every etiquette point).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_CODE_AND_NAME = re.compile(r"(\d+(?:\.\d+)*)[\s、:：]*([^\d\s年月日号%％万元倍岁天].*)", re.S)


@dataclass(frozen=True, order=True)
class Topic:
    """A knowledge point: ``Topic("贷款担保管理", "17")`` reads ``17 贷款担保管理``."""

    name: str
    code: str | None = None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    @property
    def handle(self) -> str:
        """What to type after ``--topic`` to get exactly this point: its code, else its name."""
        return self.code or self.name

    def matches(self, pattern: str, bank: str = "") -> bool:
        """Exact code, or part of the name or of the bank title (case-insensitive)."""
        wanted = pattern.strip().casefold()
        if not wanted:
            return False
        if self.code is not None and wanted == self.code.casefold():
            return True
        return wanted in self.name.casefold() or (bool(bank) and wanted in bank.casefold())

    @classmethod
    def from_label(cls, label: str) -> Topic:
        """``17贷款担保管理`` / ``17 贷款担保管理`` -> code 17 and the name; else just a name."""
        text = label.strip()
        match = _CODE_AND_NAME.fullmatch(text)
        if match:
            return cls(match.group(2).strip(), match.group(1))
        return cls(text)


def matches_any(topic: Topic, patterns: Sequence[str], bank: str = "") -> bool:
    """No patterns match everything; otherwise any one of them."""
    return not patterns or any(topic.matches(p, bank) for p in patterns)


_INTERNED: dict[tuple[str, str | None], Topic] = {}


def interned_topic(name: str, code: str | None) -> Topic:
    """One ``Topic`` object per knowledge point read (a history or a bank names a few dozen,
    over and over); past a few thousand distinct ones, new objects again."""
    key = (name, code)
    topic = _INTERNED.get(key)
    if topic is None:
        topic = Topic(name, code)
        if len(_INTERNED) < 4096:
            _INTERNED[key] = topic
    return topic
