"""Index audit_event (entity, entity_id): the audit view per record, and erasure.

Revision ID: d4e8b2a6c9f1
Revises: c3d9a7e1f5b2
Create Date: 2026-11-27 04:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d4e8b2a6c9f1"
down_revision: str | None = "c3d9a7e1f5b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_record", ["entity", "entity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_record")
