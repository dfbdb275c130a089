"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and a session that rolls
back. Tests that take ``database`` run once per backend."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from smartconf.store.database import Database, open_database
from smartconf.store.session import unit_of_work

PG_ENV = "SMARTCONF_TEST_PG_URL"
TEST_ACTOR = "tester"


def pg_admin_url() -> str | None:
    """The PostgreSQL server for tests; in CI it must be there."""
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI"):
        raise RuntimeError(f"{PG_ENV} must be set in CI (see .ci/run)")
    return url


def _create_pg_database(admin_url: str) -> tuple[str, str]:
    name = f"smartconf_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped afterwards."""
    admin_url = pg_admin_url()
    if not admin_url:
        pytest.skip(f"{PG_ENV} not set")
    name, url = _create_pg_database(admin_url)
    try:
        yield url
    finally:
        _drop_pg_database(admin_url, name)


@pytest.fixture(scope="session")
def _pg_migrated_url() -> Iterator[str | None]:
    admin_url = pg_admin_url()
    if not admin_url:
        yield None
        return
    name, url = _create_pg_database(admin_url)
    open_database(url).dispose()
    try:
        yield url
    finally:
        _drop_pg_database(admin_url, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file in a fresh temporary folder (not created yet)."""
    return f"sqlite:///{tmp_path / 'smartconf.db'}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "smartconf.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path, _pg_migrated_url, _sqlite_template) -> Iterator[Database]:
    """A migrated, empty smartconf database; runs the test once per backend.

    On PostgreSQL the schema is migrated once per run and every table is emptied after each
    test, so tests see an empty database either way.
    """
    if request.param == "sqlite":
        shutil.copy(_sqlite_template, tmp_path / "smartconf.db")
        db = open_database(f"sqlite:///{tmp_path / 'smartconf.db'}",
                           backups_dir=tmp_path / "backups")
        yield db
        db.dispose()
        return
    if _pg_migrated_url is None:
        pytest.skip(f"{PG_ENV} not set")
    db = open_database(_pg_migrated_url)
    try:
        yield db
    finally:
        _truncate_all(db)
        db.dispose()


def _truncate_all(db: Database) -> None:
    from smartconf.models import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session acting as ``tester``; committed by the test when it needs to be."""
    with unit_of_work(database.sessions, TEST_ACTOR) as s:
        yield s
