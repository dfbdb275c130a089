"""Organisations: ministries, agencies, operators, companies, CSOs, media, donors..."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import OrganisationKind
from smartconf.models.base import Base, TimestampMixin, enum_type
from smartconf.models.tag import Tag, organisation_tag


class Organisation(TimestampMixin, Base):
    """An institution; ``parent`` makes a division part of a ministry or agency."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # as the organisation writes it
    name_latin: Mapped[str | None] = mapped_column(String(300))  # Latin form if name is Cyrillic
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind, "org_kind"))
    country: Mapped[str] = mapped_column(String(2), default="XK")  # ISO 3166 alpha-2, XK Kosovo
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(String(1000), default="", index=True)  # folded

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")
    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tag)

    def _repr_label(self) -> str:
        return self.acronym or self.name
