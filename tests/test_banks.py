"""Every bundled bank is valid, and ships where the installed tool finds it."""

from __future__ import annotations

from cmquiz.loader import expand_bank_paths, load_library
from cmquiz.paths import bundled_banks_dir


def test_bundled_banks_load_without_problems() -> None:
    paths = expand_bank_paths([bundled_banks_dir()])
    assert paths, "no bundled banks found"
    library = load_library(paths)
    assert len(library.banks) == len(paths)
    assert len(library.questions) == len(library.by_id())  # ids unique across banks
