"""The wheel carries the bundled banks, so a non-editable install works on its own."""

from __future__ import annotations

import os
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
    banks = sorted(p.name for p in (REPO / "src" / "cmquiz" / "banks").glob("*.yaml"))
    assert banks
    missing = [b for b in banks if f"cmquiz/banks/{b}" not in names]
    assert not missing, f"banks missing from the wheel: {missing}"
    assert "cmquiz/cli/__init__.py" in names

    # The wheel's own code, outside the checkout, finds its banks inside the package.
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "CMQUIZ_HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    env.pop("CMQUIZ_BANKS", None)
    probe = (
        "import cmquiz.paths as p, sys; print(p.bundled_banks_dir()); "
        "sys.argv = ['cmquiz', 'exam', '--n', '3', '--seed', '1']; "
        "from cmquiz.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        input="a\n对\n" * 6,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == str(target / "cmquiz" / "banks")
    assert "得分" in result.stdout
