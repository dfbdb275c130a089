"""The layering contracts of pyproject.toml hold, and they do catch a violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_contracts_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_qt_in_the_core_breaks_a_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "smartconf", tmp_path / "smartconf",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "smartconf" / "core" / "sneaky.py").write_text("import PySide6.QtCore\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "Only the UI (and the Qt bootstrap) imports PySide6 BROKEN" in result.stdout
