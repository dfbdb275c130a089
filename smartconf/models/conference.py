"""Conferences, their rooms and agenda sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import AgendaRole, AgendaSessionKind, ConferenceStatus
from smartconf.models.base import Base, TimestampMixin, UTCDateTime, enum_type
from smartconf.models.person import Person
from smartconf.models.report import Finding, Report

conference_report = Table(
    "conference_report",
    Base.metadata,
    Column("conference_id", ForeignKey("conference.id", ondelete="CASCADE"), primary_key=True),
    Column("report_id", ForeignKey("report.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

agenda_session_finding = Table(
    "agenda_session_finding",
    Base.metadata,
    Column("agenda_session_id", ForeignKey("agenda_session.id", ondelete="CASCADE"),
           primary_key=True),
    Column("finding_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Conference(TimestampMixin, Base):
    """One of the programme's policy conferences."""

    __tablename__ = "conference"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # "SB-CI"
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Belgrade")  # IANA name
    venue: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    organiser_name: Mapped[str] = mapped_column(String(200), default="")
    organiser_email: Mapped[str] = mapped_column(String(320), default="")
    status: Mapped[ConferenceStatus] = mapped_column(
        enum_type(ConferenceStatus, "conference_status"), default=ConferenceStatus.PLANNED)
    calendar_uid: Mapped[str] = mapped_column(String(200), unique=True)  # never changes
    calendar_sequence: Mapped[int] = mapped_column(default=0)  # raised on time/place change

    rooms: Mapped[list[Room]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="Room.name")
    agenda_sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="conference", cascade="all, delete-orphan",
        order_by="AgendaSession.starts_at")
    reports: Mapped[list[Report]] = relationship(secondary=conference_report)

    def _repr_label(self) -> str:
        return self.code


class Room(Base):
    """A room at the venue."""

    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None]

    conference: Mapped[Conference] = relationship(back_populates="rooms")


class AgendaSession(TimestampMixin, Base):
    """A slot of the agenda: opening, keynote, panel, workshop, break or closing."""

    __tablename__ = "agenda_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"),
                                                index=True)
    kind: Mapped[AgendaSessionKind] = mapped_column(enum_type(AgendaSessionKind, "session_kind"))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    calendar_uid: Mapped[str] = mapped_column(String(200), unique=True)
    calendar_sequence: Mapped[int] = mapped_column(default=0)

    conference: Mapped[Conference] = relationship(back_populates="agenda_sessions")
    room: Mapped[Room | None] = relationship()
    people: Mapped[list[AgendaSessionPerson]] = relationship(
        back_populates="agenda_session", cascade="all, delete-orphan")
    findings: Mapped[list[Finding]] = relationship(secondary=agenda_session_finding)

    def _repr_label(self) -> str:
        return self.title


class AgendaSessionPerson(Base):
    """A moderator, speaker or rapporteur of an agenda session."""

    __tablename__ = "agenda_session_person"

    agenda_session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    role: Mapped[AgendaRole] = mapped_column(enum_type(AgendaRole, "agenda_role"),
                                             primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # order on the panel

    agenda_session: Mapped[AgendaSession] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()
