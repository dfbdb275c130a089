"""Interactions: dated contacts with persons and organisations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import InteractionKind
from smartconf.models.base import Base, CreatedMixin, UTCDateTime, enum_type
from smartconf.models.organisation import Organisation
from smartconf.models.person import Person

interaction_person = Table(
    "interaction_person",
    Base.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

interaction_organisation = Table(
    "interaction_organisation",
    Base.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Interaction(CreatedMixin, Base):
    """A meeting, call, e-mail, note or conference attendance."""

    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InteractionKind] = mapped_column(enum_type(InteractionKind, "interaction_kind"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None]
    created_by: Mapped[str | None] = mapped_column(String(64))
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="SET NULL"), index=True)

    persons: Mapped[list[Person]] = relationship(secondary=interaction_person)
    organisations: Mapped[list[Organisation]] = relationship(secondary=interaction_organisation)
