"""Check-ins at the desk (conference admission) and at room doors (session attendance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import CheckInMethod
from smartconf.models.base import Base, CreatedMixin, UTCDateTime, enum_type
from smartconf.models.participant import Participant

CONFERENCE_SCOPE = "conference"


def session_scope_key(agenda_session_id: int | None) -> str:
    """Admission scope: the conference itself, or one agenda session's room."""
    return CONFERENCE_SCOPE if agenda_session_id is None else f"session:{agenda_session_id}"


class CheckIn(CreatedMixin, Base):
    """One admission. Never deleted: undo sets ``voided_at`` with a reason.

    The partial unique index lets the database decide admission: two desks inserting for the
    same participant and scope at once, only one row stays valid.
    """

    __tablename__ = "check_in"
    __table_args__ = (
        Index("uq_check_in_admission", "participant_id", "scope", unique=True,
              sqlite_where=text("voided_at IS NULL"),
              postgresql_where=text("voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    agenda_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40), default=CONFERENCE_SCOPE)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when scanned (desk clock)
    desk: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(64))
    method: Mapped[CheckInMethod] = mapped_column(enum_type(CheckInMethod, "checkin_method"))
    nonce: Mapped[str] = mapped_column(String(64), unique=True)  # idempotent offline replay
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(64))
    void_reason: Mapped[str | None] = mapped_column(String(300))

    participant: Mapped[Participant] = relationship()
