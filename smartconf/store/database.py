"""Opening a database: checks that it is ours, backs it up and migrates it, and turns driver
errors into messages a coordinator can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from smartconf.core.errors import (
    DatabaseError,
    DatabaseLocked,
    DatabaseOutOfDate,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnreachable,
    NotASmartconfDatabase,
)
from smartconf.store import migrations
from smartconf.store.backup import backup_sqlite
from smartconf.store.engine import (
    DEFAULT_BUSY_TIMEOUT_MS,
    create_db_engine,
    describe,
    enable_wal,
    sqlite_file,
)
from smartconf.store.session import make_session_factory


@dataclass
class DatabaseStatus:
    """Where the database stands against this smartconf's migrations."""

    description: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


@dataclass
class Database:
    """An open, checked smartconf database: engine, session factory and where it lives."""

    engine: Engine
    sessions: sessionmaker[Session] = field(repr=False)
    backups_dir: Path | None = None

    @property
    def description(self) -> str:
        """"SQLite /path/file.db" or "PostgreSQL host:port/db", for the status bar."""
        return describe(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    def status(self) -> DatabaseStatus:
        """Current and newest revision."""
        with translate_errors(self.engine), self.engine.connect() as connection:
            current = migrations.current_revision(connection)
        return DatabaseStatus(self.description, current, migrations.head_revision())

    def backup(self, label: str = "manual") -> Path:
        """An online backup of a SQLite database into the backups folder."""
        path = sqlite_file(self.engine)
        if path is None or self.backups_dir is None:
            raise DatabaseError(
                "Only the embedded SQLite database is backed up by smartconf.",
                hint="Back up a PostgreSQL server with pg_dump.")
        with translate_errors(self.engine):
            return backup_sqlite(path, self.backups_dir, label=label)

    def upgrade(self) -> bool:
        """Migrate to the newest revision, backing a SQLite file up first. True if it ran."""
        status = _checked_status(self)
        if not status.up_to_date:
            path = sqlite_file(self.engine)
            if status.current is not None and path is not None and self.backups_dir:
                self.backup(label=f"before-{migrations.head_revision()}")
            with translate_errors(self.engine):
                migrations.upgrade(self.engine)
        with translate_errors(self.engine):
            enable_wal(self.engine)
        return not status.up_to_date

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, backups_dir: Path | None = None, upgrade: bool = True,
                  busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
    """Open ``url``, verify it is a smartconf database and (by default) bring it up to date.

    Raises a ``DatabaseError`` subclass with a user-facing message when it cannot be used;
    nothing is written to the database in that case.
    """
    engine = create_db_engine(url, busy_timeout_ms=busy_timeout_ms)
    database = Database(engine, make_session_factory(engine), backups_dir)
    try:
        _check_file(engine)
        if upgrade:
            database.upgrade()
        else:
            _checked_status(database)
    except BaseException:
        engine.dispose()
        raise
    return database


def require_current(database: Database) -> None:
    """Raise DatabaseOutOfDate unless the database is at the newest revision."""
    status = _checked_status(database)
    if not status.up_to_date:
        raise DatabaseOutOfDate(
            f"The database {database.description} needs an upgrade.",
            hint="Run `smartconf db upgrade` (a backup is taken first).")


def _check_file(engine: Engine) -> None:
    path = sqlite_file(engine)
    if path is None:
        return
    if path.exists() and path.is_dir():
        raise NotASmartconfDatabase(f"{path} is a folder, not a database file.")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise NotASmartconfDatabase(
                    f"{path} is not a smartconf database (not an SQLite file).",
                    hint="Choose the right file with --db, or another data folder.")
    _check_writable(path)


def _check_writable(path: Path) -> None:
    """SQLite opens a read-only file happily and fails at the first write: check up front."""
    hint = "Check the permissions of the file and its folder, or choose another with --db."
    try:
        if path.exists():
            path.open("r+b").close()  # opens for writing, changes nothing
        probe = path.with_name(f".{path.name}.write-test")
        probe.touch()
        probe.unlink()
    except FileNotFoundError as exc:
        raise DatabaseReadOnly(f"The folder of {path} does not exist.", hint=hint) from exc
    except OSError as exc:
        raise DatabaseReadOnly(f"{path} cannot be written ({exc.strerror or exc}).",
                               hint=hint) from exc


def _checked_status(database: Database) -> DatabaseStatus:
    engine = database.engine
    with translate_errors(engine), engine.connect() as connection:
        current = migrations.current_revision(connection)
        if current is None and migrations.has_foreign_tables(connection):
            raise NotASmartconfDatabase(
                f"{database.description} holds tables that are not smartconf's.",
                hint="Choose another database with --db; this one is left untouched.")
        if current is not None and not migrations.is_known_revision(current):
            raise DatabaseTooNew(
                f"{database.description} was written by a newer smartconf "
                f"(revision {current}).",
                hint="Install the newer smartconf; this version cannot use it safely.")
    return DatabaseStatus(database.description, current, migrations.head_revision())


@contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into DatabaseError subclasses with a message that says what to do."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        raise classify_error(exc, describe(engine)) from exc


def classify_error(exc: BaseException, where: str) -> DatabaseError:
    """The DatabaseError that explains ``exc`` (a driver error) to a user."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseLocked(f"{where} is locked by another program.",
                              hint="Close the other smartconf window or program and retry.")
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return DatabaseReadOnly(f"{where} cannot be written ({detail}).",
                                hint="Check the file's and folder's permissions, or use --db.")
    if "not a database" in lowered or "malformed" in lowered:
        return NotASmartconfDatabase(f"{where} is not a smartconf database ({detail}).",
                                     hint="Choose the right file with --db.")
    if isinstance(exc, OperationalError) and not where.startswith("SQLite"):
        return DatabaseUnreachable(f"{where} cannot be reached ({detail}).",
                                   hint="Check that the server runs and the URL is right.")
    return DatabaseError(f"{where}: {detail}")


def ping(engine: Engine) -> None:
    """Raise a DatabaseError when the database does not answer a trivial query."""
    with translate_errors(engine), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
