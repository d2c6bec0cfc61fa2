"""The wheel carries the bundled banks, so a non-editable install works on its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_every_bundled_bank(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("cmquiz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    banks = sorted(p.name for p in (REPO / "banks").glob("*.yaml"))
    assert banks
    missing = [b for b in banks if f"cmquiz/banks/{b}" not in names]
    assert not missing, f"banks missing from the wheel: {missing}"
    assert "cmquiz/cli/__init__.py" in names
