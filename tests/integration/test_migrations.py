"""Migrations: the migrated schema equals the models, downgrade works, backups are taken."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from smartconf.models import Base
from smartconf.store import migrations
from smartconf.store.database import open_database
from smartconf.store.engine import create_db_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, sqlite_url: str) -> str:
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("pg_url")


def test_migrated_schema_equals_the_models(empty_url: str) -> None:
    database = open_database(empty_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": migrations.include_name})
        differences = compare_metadata(context, Base.metadata)
    database.dispose()
    assert differences == []


def test_downgrade_to_base_and_up_again(empty_url: str) -> None:
    engine = create_db_engine(empty_url)
    migrations.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    migrations.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()
    engine.dispose()


def test_revision_files_are_date_prefixed() -> None:
    files = sorted(p.name for p in (Path(migrations.migrations_path()) / "versions").glob("*.py")
                   if p.name != "__init__.py")
    assert files, "no revision files"
    assert all(name[:8].isdigit() and name[8] == "_" for name in files), files


STEP_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "99990101step"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("test_step", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("test_step")
"""


def test_sqlite_is_backed_up_before_a_migration(tmp_path: Path, monkeypatch) -> None:
    path, backups = tmp_path / "smartconf.db", tmp_path / "backups"
    open_database(f"sqlite:///{path}", backups_dir=backups).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO team_member (username, display_name, is_active, created_at, "
                     "updated_at) VALUES ('arta', 'Arta', 1, '2026-01-01', '2026-01-01')")
    assert not backups.exists()
    old_head = migrations.head_revision()
    monkeypatch.setattr(migrations, "migrations_path", _next_migrations(tmp_path, old_head))

    database = open_database(f"sqlite:///{path}", backups_dir=backups)
    assert database.status().current == "99990101step"
    database.dispose()
    (copy,) = backups.glob("*.db")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT username FROM team_member").fetchall() == [("arta",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (old_head,)]


def _next_migrations(tmp_path: Path, head: str):
    copy = tmp_path / "db_next"
    shutil.copytree(migrations.migrations_path(), copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "99990101_step.py").write_text(STEP_REVISION.format(head=head))
    return lambda: copy


def test_backups_are_rotated(tmp_path: Path) -> None:
    path = tmp_path / "smartconf.db"
    database = open_database(f"sqlite:///{path}", backups_dir=tmp_path / "backups")
    for _ in range(12):
        database.backup()
    database.dispose()
    assert len(list((tmp_path / "backups").glob("*.db"))) == 10
