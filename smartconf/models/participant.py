"""Participants: a person at a conference, with role, status and badge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import ParticipantRole, ParticipantStatus
from smartconf.models.base import Base, TimestampMixin, UTCDateTime, enum_type, utcnow
from smartconf.models.conference import Conference
from smartconf.models.person import Person


class Participant(TimestampMixin, Base):
    """A person's participation in one conference."""

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("conference_id", "person_id"),
        Index("ix_participant_conference_status", "conference_id", "status"),  # funnels
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    role: Mapped[ParticipantRole] = mapped_column(
        enum_type(ParticipantRole, "participant_role"), default=ParticipantRole.PARTICIPANT)
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_type(ParticipantStatus, "participant_status"), default=ParticipantStatus.SHORTLISTED,
        index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invite_sequence: Mapped[int] = mapped_column(default=0)  # SEQUENCE of the last invite sent
    badge_code: Mapped[str | None] = mapped_column(String(32), unique=True)  # current, see core
    badge_revision: Mapped[int] = mapped_column(default=0)  # raised on every reissue
    desk_note: Mapped[str | None] = mapped_column(String(300))  # shown amber at the desk
    consent_override: Mapped[str | None] = mapped_column(Text)  # why invited without consent

    conference: Mapped[Conference] = relationship()
    person: Mapped[Person] = relationship()

    def _repr_label(self) -> str:
        return f"{self.conference_id}/{self.person_id} {self.status}"


class RevokedBadge(Base):
    """A badge code that no longer admits (reissued badge, cancelled participation)."""

    __tablename__ = "revoked_badge"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(300))

    participant: Mapped[Participant] = relationship()
