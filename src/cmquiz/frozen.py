"""Building frozen dataclass instances from values already checked, without their constructor.

The read of a long history builds hundreds of thousands of records, the warm load of a large
bank tens of thousands of questions; the generated ``__init__`` of a frozen dataclass sets each
field through ``object.__setattr__``, which was a large share of that time. ``trusted`` sets
them all at once. Only for values that were checked (a fast path that verified every field, a
cache written by this release); tests compare what it builds with what the constructor builds.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def trusted(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass ``cls`` (without ``__slots__``) holding ``fields``,
    which must name every field (and may add private, non-field entries)."""
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance
