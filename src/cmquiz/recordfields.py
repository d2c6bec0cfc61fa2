"""Strict, typed access to the fields of a history record (shared by ``records`` and
``learning_records``): every reader names the field it refuses."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

FORMAT_VERSION = 2


class RecordFormatError(ValueError):
    """A history line that is JSON but not a record this version can trust."""


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


E = TypeVar("E", bound=StrEnum)


class FieldReader:
    """Strict, typed access to a record's fields."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _fail(self, name: str, expected: str) -> RecordFormatError:
        return RecordFormatError(f"字段 {name} 应为{expected}")

    def _get(self, name: str, optional: bool) -> Any:
        value = self.data.get(name)
        if value is None and not optional:
            raise RecordFormatError(f"缺少字段 {name}")
        return value

    def text(self, name: str, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is not None and type(value) is not str:
            raise self._fail(name, "文本")
        return value

    def texts(self, name: str, optional: bool = False) -> tuple[str, ...]:
        value = self._get(name, optional)
        if value is None:
            return ()
        if type(value) is not list or not all(type(v) is str for v in value):
            raise self._fail(name, "文本列表")
        return tuple(value)

    def boolean(self, name: str, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is not None and type(value) is not bool:
            raise self._fail(name, "true 或 false")
        return value

    def integer(self, name: str, optional: bool = False, *, signed: bool = False) -> Any:
        value = self._get(name, optional)
        if value is None:
            return None
        if type(value) is not int or (value < 0 and not signed) or abs(value) >= 2**63:
            raise self._fail(name, "整数" if signed else "非负整数")
        return value

    def number(self, name: str, optional: bool = False) -> Any:
        value = self._get(name, optional)
        if value is None:
            return None
        if type(value) not in (int, float) or not (0 <= value < 1e12) or not math.isfinite(value):
            raise self._fail(name, "非负的有限数字")
        return float(value)

    def moment(self, name: str) -> datetime:
        value = self.text(name)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(name, "ISO 8601 时间") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def day(self, name: str, optional: bool = False) -> date | None:
        """A calendar date, ``YYYY-MM-DD``."""
        value = self.text(name, optional)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._fail(name, "日期 YYYY-MM-DD") from None

    def choice(self, name: str, kind: type[E], optional: bool = False) -> Any:
        value = self.text(name, optional)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            allowed = "、".join(m.value for m in kind)
            raise self._fail(name, f" {allowed} 之一") from None
