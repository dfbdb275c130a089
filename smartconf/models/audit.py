"""Audit trail: who did what to which record, including exports of personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartconf.core.enums import AuditAction
from smartconf.models.base import Base, UTCDateTime, enum_type, utcnow


class AuditEvent(Base):
    """One change or export. ``changes`` maps field -> [old, new] (JSON)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "entity", "entity_id"),)  # audit view

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction, "audit_action"))
    entity: Mapped[str] = mapped_column(String(64))  # table name
    entity_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict | None] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(Text)

    def _repr_label(self) -> str:
        return f"{self.actor} {self.action} {self.entity}#{self.entity_id}"
