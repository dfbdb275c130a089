"""Alembic environment: runs on the connection handed over by smartconf.store.migrations."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import smartconf.models  # noqa: F401  (registers every table on the metadata)
from smartconf.models.base import Base
from smartconf.store.migrations import include_name

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # plain `alembic` with sqlalchemy.url set in a config of your own
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
