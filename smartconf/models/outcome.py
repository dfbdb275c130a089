"""Outcomes of agenda sessions, linked to the findings they answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import OutcomeKind, OutcomeStatus
from smartconf.models.base import Base, TimestampMixin, enum_type
from smartconf.models.conference import AgendaSession
from smartconf.models.organisation import Organisation
from smartconf.models.person import Person
from smartconf.models.report import Finding
from smartconf.models.team import TeamMember

outcome_finding = Table(
    "outcome_finding",
    Base.metadata,
    Column("outcome_id", ForeignKey("outcome.id", ondelete="CASCADE"), primary_key=True),
    Column("finding_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Outcome(TimestampMixin, Base):
    """A recommendation, commitment, action, key point or disagreement from a session."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_type(OutcomeKind, "outcome_kind"))
    text: Mapped[str] = mapped_column(Text)
    committed_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    committed_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL"), index=True)  # follows it up
    due_on: Mapped[date | None]
    status: Mapped[OutcomeStatus] = mapped_column(
        enum_type(OutcomeStatus, "outcome_status"), default=OutcomeStatus.OPEN)

    agenda_session: Mapped[AgendaSession] = relationship()
    committed_person: Mapped[Person | None] = relationship()
    committed_organisation: Mapped[Organisation | None] = relationship()
    owner: Mapped[TeamMember | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(secondary=outcome_finding)
