"""Databases that cannot be used get a clear error and stay exactly as they were."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from smartconf.core.errors import (
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnreachable,
    NotASmartconfDatabase,
)
from smartconf.store.database import open_database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("minutes of the meeting\n" * 50)
    before = _digest(path)
    with pytest.raises(NotASmartconfDatabase, match="not a smartconf database"):
        open_database(f"sqlite:///{path}")
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    before = _digest(path)
    with pytest.raises(NotASmartconfDatabase, match="not smartconf's"):
        open_database(f"sqlite:///{path}")
    assert _digest(path) == before


def test_database_from_a_newer_smartconf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "smartconf.db"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff0000ffff'")
    before = _digest(path)
    with pytest.raises(DatabaseTooNew, match="newer smartconf") as info:
        open_database(f"sqlite:///{path}", backups_dir=tmp_path / "backups")
    assert "Install the newer smartconf" in info.value.hint
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()


@pytest.fixture
def immutable(tmp_path: Path):
    """Make a file unwritable even for root (chattr +i), undone afterwards."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr not available")
    made: list[Path] = []

    def make(path: Path) -> Path:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("this filesystem does not support chattr +i")
        made.append(path)
        return path

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_read_only_database_is_refused(tmp_path: Path, immutable) -> None:
    path = tmp_path / "smartconf.db"
    open_database(f"sqlite:///{path}").dispose()
    for extra in tmp_path.glob("smartconf.db-*"):
        extra.unlink()
    before = _digest(immutable(path))
    with pytest.raises(DatabaseReadOnly, match="cannot be written"):
        open_database(f"sqlite:///{path}")
    assert _digest(path) == before


def test_locked_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "smartconf.db"
    open_database(f"sqlite:///{path}").dispose()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            open_database(f"sqlite:///{path}", busy_timeout_ms=200)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unreachable_postgresql_is_reported() -> None:
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    with pytest.raises(DatabaseUnreachable, match="cannot be reached") as info:
        open_database("postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert "server runs" in info.value.hint
