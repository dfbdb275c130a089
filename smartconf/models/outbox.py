"""Outbox: every e-mail to send, so that a crash never sends twice nor loses one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartconf.core.enums import OutboxKind, OutboxState
from smartconf.models.base import Base, TimestampMixin, UTCDateTime, enum_type


class OutboxMessage(TimestampMixin, Base):
    """One message with its delivery state; ``key`` makes enqueueing idempotent."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # e.g. invite:P17:seq3
    kind: Mapped[OutboxKind] = mapped_column(enum_type(OutboxKind, "outbox_kind"))
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    ics: Mapped[str | None] = mapped_column(Text)  # the text/calendar part
    message_id: Mapped[str | None] = mapped_column(String(300), unique=True)  # RFC 5322 id
    state: Mapped[OutboxState] = mapped_column(
        enum_type(OutboxState, "outbox_state"), default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
