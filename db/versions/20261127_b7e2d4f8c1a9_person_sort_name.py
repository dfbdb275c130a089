"""Person.sort_name: folded "family given", indexed, for the default order of long lists.

Revision ID: b7e2d4f8c1a9
Revises: a1f3c9e2b7d4
Create Date: 2026-11-27 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartconf.core.text import fold

revision: str = "b7e2d4f8c1a9"
down_revision: str | None = "a1f3c9e2b7d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy in batch mode): the FTS triggers on person stay.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(length=500), nullable=False,
                                      server_default=""))
        batch_op.create_index(batch_op.f("ix_person_sort_name"), ["sort_name"], unique=False)
    _fill_sort_names()


def _fill_sort_names() -> None:
    connection = op.get_bind()
    person = sa.table("person", sa.column("id"), sa.column("given_name"),
                      sa.column("family_name"), sa.column("sort_name"))
    rows = connection.execute(sa.select(person.c.id, person.c.given_name,
                                        person.c.family_name)).all()
    update = sa.update(person).where(person.c.id == sa.bindparam("pid")).values(
        sort_name=sa.bindparam("name"))
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        connection.execute(update, [{"pid": r.id, "name": fold(f"{r.family_name} "
                                                              f"{r.given_name}")[:500]}
                                    for r in batch])


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_sort_name"))
        batch_op.drop_column("sort_name")
