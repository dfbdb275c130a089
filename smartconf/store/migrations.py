"""Alembic, driven from code: the same migrations for SQLite and PostgreSQL, from the source
tree, an installed wheel or the PyInstaller bundle."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from smartconf.core.resources import migrations_path

FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"


# Search structures that live outside the ORM metadata (see the person_search_indexes
# revision); autogenerate must not report them as differences.
UNMANAGED_NAMES = frozenset({"person_fts", "person_prefix", "ix_person_search_trgm"})


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """Alembic hook: leave the unmanaged search structures (and FTS shadow tables) alone."""
    if name is None:
        return True
    return not any(name == n or name.startswith(f"{n}_") for n in UNMANAGED_NAMES)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at ``db/``; ``connection`` is used by db/env.py."""
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this version of smartconf knows."""
    head = script_directory().get_current_head()
    assert head is not None, "db/versions has no revision"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def is_known_revision(revision: str) -> bool:
    """True when ``revision`` belongs to this smartconf's migration history."""
    return any(s.revision == revision for s in script_directory().walk_revisions())


def has_foreign_tables(connection: Connection) -> bool:
    """True when the database holds tables but no migration record (not ours)."""
    names = set(inspect(connection).get_table_names())
    return bool(names - {"alembic_version"})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database back to ``revision`` ("base" empties it)."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def make_revision(engine: Engine, message: str) -> None:
    """Developer tool: autogenerate a new revision file against an up-to-date database."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
