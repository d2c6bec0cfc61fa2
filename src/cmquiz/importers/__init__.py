"""Other formats -> banks (import), banks -> other formats (export).

One module per format family (``seed``, ``numbered``, ``csv_table``, ``aiken``, ``gift``),
``detect`` to tell them apart, ``building`` to turn raw records into checked questions with
stable ids, ``yaml_writer`` for the bank file, and ``convert`` with the entry points.
Pure domain code: no typer, no rich; PyYAML is imported only when YAML is written.
"""

from __future__ import annotations

from .convert import (
    EXPORT_FORMATS,
    ExportResult,
    ImportResult,
    export_questions,
    import_file,
    import_text,
)
from .detect import FORMATS, detect_format
from .drafts import Note, Skip, SkipReason

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "ExportResult",
    "ImportResult",
    "Note",
    "Skip",
    "SkipReason",
    "detect_format",
    "export_questions",
    "import_file",
    "import_text",
]
