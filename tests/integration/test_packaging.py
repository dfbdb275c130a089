"""The wheel carries every package, resources/ and db/, and migrates from an install."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "smartconf").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {found - listed}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("smartconf-*.whl")
    return path


def test_wheel_contains_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "smartconf_db/env.py" in names and "smartconf_db/script.py.mako" in names
    assert any(n.startswith("smartconf_db/versions/") and n.endswith(".py") for n in names)
    assert any(n.startswith("smartconf_resources/") for n in names)


def test_installed_wheel_migrates_a_new_database(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import smartconf, sys; "
            "assert smartconf.__file__.startswith(sys.argv[1]), smartconf.__file__; "
            "from smartconf.__main__ import main; "
            "sys.exit(main(['--data-dir', sys.argv[2], 'db', 'upgrade']))")
    result = subprocess.run([sys.executable, "-c", code, str(site), str(tmp_path / "home")],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "upgraded" in result.stdout
    assert (tmp_path / "home" / "smartconf.db").is_file()
