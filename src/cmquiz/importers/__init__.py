"""Other formats -> banks (import), banks -> other formats (export).

One module per format family (``seed``, ``numbered``, ``csv_table``, ``aiken``, ``gift``), one
registry of them (``formats``), ``building`` to turn raw records into checked questions with
stable ids (the bank rules themselves are ``cmquiz.rules``), ``yaml_writer`` for the bank file,
and ``convert`` with the entry points. Pure domain code: no typer, no rich.
"""

from __future__ import annotations

from .convert import ImportResult, export_questions, import_file, import_text
from .drafts import ExportResult, Note, Skip, SkipReason
from .formats import FORMATS, detect_format, export_format_for, format_key

__all__ = [
    "FORMATS",
    "ExportResult",
    "ImportResult",
    "Note",
    "Skip",
    "SkipReason",
    "detect_format",
    "export_format_for",
    "export_questions",
    "format_key",
    "import_file",
    "import_text",
]
