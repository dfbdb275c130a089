"""Index participant (conference_id, status): funnels and counts per conference.

Revision ID: c3d9a7e1f5b2
Revises: b7e2d4f8c1a9
Create Date: 2026-11-27 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c3d9a7e1f5b2"
down_revision: str | None = "b7e2d4f8c1a9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index("ix_participant_conference_status", ["conference_id", "status"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_conference_status")
