"""Tags on persons and organisations; sectors are tags of the category "sector"."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartconf.models.base import Base

TAG_CATEGORIES = ("tag", "sector")


class Tag(Base):
    """A label; ``category`` separates free tags from the fixed list of sectors."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("category", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(16), default="tag")  # "tag" or "sector"
    name: Mapped[str] = mapped_column(String(100))

    def _repr_label(self) -> str:
        return f"{self.category}:{self.name}"


person_tag = Table(
    "person_tag",
    Base.metadata,
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

organisation_tag = Table(
    "organisation_tag",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)
