"""Consent per person and purpose, with lawful basis and withdrawal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import ConsentPurpose, LawfulBasis
from smartconf.models.base import Base, CreatedMixin, UTCDateTime, enum_type
from smartconf.models.person import Person


class Consent(CreatedMixin, Base):
    """One consent record; a withdrawal closes it, a new consent opens a new record."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_type(ConsentPurpose, "consent_purpose"))
    basis: Mapped[LawfulBasis] = mapped_column(enum_type(LawfulBasis, "lawful_basis"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str | None] = mapped_column(String(200))  # "registration form 2026", ...
    text_version: Mapped[str | None] = mapped_column(String(40))  # version of the wording

    person: Mapped[Person] = relationship()

    @property
    def is_active(self) -> bool:
        """Given and not withdrawn."""
        return self.withdrawn_at is None
