"""The PyInstaller bundle (build.spec) builds, starts, creates its database and migrates it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from smartconf import __version__
from smartconf.store import migrations

ROOT = Path(__file__).resolve().parents[2]
MAX_BUNDLE_MB = 400  # ~210 MB today: PySide6 widgets, Python, SQLAlchemy, psycopg, ReportLab

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Build the one-folder bundle into a temporary folder; the path of its executable."""
    out = tmp_path_factory.mktemp("bundle")
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr[-5000:]
    print(f"\n[bundle] built in {time.perf_counter() - started:.1f} s")
    executable = out / "dist" / "smartconf" / ("smartconf.exe" if os.name == "nt" else "smartconf")
    assert executable.is_file()
    return executable


def run_bundle(executable: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the bundled program away from the source tree, with no smartconf settings set."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SMARTCONF_DB", "SMARTCONF_HOME", "PYTHONPATH")}
    return subprocess.run([str(executable), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_bundle_shows_its_version(bundle: Path, tmp_path: Path) -> None:
    result = run_bundle(bundle, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"smartconf {__version__}"


def test_bundle_creates_and_migrates_its_database(bundle: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    upgrade = run_bundle(bundle, "--data-dir", str(data_dir), "db", "upgrade", cwd=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    db_file = data_dir / "smartconf.db"
    assert db_file.is_file()
    engine = create_engine(f"sqlite:///{db_file}")
    try:
        with engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
    finally:
        engine.dispose()

    status = run_bundle(bundle, "--data-dir", str(data_dir), "db", "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "up to date" in status.stdout
    assert migrations.head_revision() in status.stdout


def test_bundle_ships_migrations_as_files_and_has_a_reasonable_size(bundle: Path) -> None:
    folder = bundle.parent
    shipped = {p.name for p in folder.rglob("smartconf_db/versions/*.py")}
    in_source = {p.name for p in (ROOT / "db" / "versions").glob("*.py")}
    assert shipped == in_source
    size_mb = sum(p.stat().st_size for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink()) / 1e6  # PyInstaller links some libs
    print(f"\n[bundle] {folder}: {size_mb:.0f} MB")
    assert size_mb < MAX_BUNDLE_MB
