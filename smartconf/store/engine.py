"""Engines for the embedded SQLite database and for a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 5


def create_db_engine(url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url``: SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == \
        "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:
        # pysqlite opens transactions lazily; let SQLAlchemy emit BEGIN itself (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # BEGIN IMMEDIATE would serialise readers; a plain BEGIN keeps reads concurrent.
        conn.exec_driver_sql("BEGIN")

    return engine


def enable_wal(engine: Engine) -> None:
    """Switch a SQLite file to write-ahead logging (persistent; readers never block writers).

    Called once the file is known to be ours: it rewrites the file header.
    """
    if sqlite_file(engine) is not None:
        raw = engine.raw_connection()  # outside any transaction, as SQLite requires
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine, or None (server, or in-memory)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def describe(engine: Engine) -> str:
    """A short human description for the status bar: file path or server/database."""
    path = sqlite_file(engine)
    if path is not None:
        return f"SQLite {path}"
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return "SQLite (in memory)"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database}"
