"""Start-up stays fast: ``cmquiz --help`` must not import the heavy modules."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
sys.argv = ["cmquiz", "--help"]
from cmquiz.cli import main
try:
    main()
except SystemExit:
    pass
heavy = [m for m in ("yaml", "platformdirs", "fsrs", "csv", "cmquiz.loader", "cmquiz.records",
                     "cmquiz.model", "cmquiz.session", "docx", "openpyxl",
                     "hypothesis") if m in sys.modules]
print("HEAVY:" + ",".join(heavy))
"""


def test_help_does_not_import_heavy_modules() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "COLUMNS": "100"},
    ).stdout
    heavy = out.rsplit("HEAVY:", 1)[1].strip()
    assert heavy == "", f"cmquiz --help imported: {heavy}"
    assert "practice" in out
