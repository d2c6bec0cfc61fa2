"""Other formats -> banks (import), banks -> other formats (export).

One module per format family (``seed``, ``numbered``, ``csv_table``, ``aiken``, ``gift``,
``anki``, ``word``, ``excel``), one registry of them (``formats``, which imports none of them
until a file is read), ``building`` to turn raw records into checked questions with stable ids
(the bank rules themselves are ``cmquiz.rules``), ``yaml_writer`` for the bank file, and
``convert`` with the entry points. Pure domain code: no typer, no rich.

The names below are loaded on first use, so importing this package (as ``cmquiz --help`` does,
for the ``--format`` help) costs nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ImportResult": "convert",
    "export_questions": "convert",
    "import_file": "convert",
    "import_text": "convert",
    "ExportResult": "drafts",
    "Note": "drafts",
    "Skip": "drafts",
    "SkipReason": "drafts",
    "FORMATS": "formats",
    "detect_format": "formats",
    "export_format_for": "formats",
    "format_key": "formats",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
