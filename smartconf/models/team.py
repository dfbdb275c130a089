"""Members of the programme team: record owners, desk operators, coordinators."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from smartconf.models.base import Base, TimestampMixin


class TeamMember(TimestampMixin, Base):
    """A person on the KCSS team who uses smartconf."""

    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # login / actor name
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    pin_hash: Mapped[str | None] = mapped_column(String(200))  # coordinator PIN (desk mode exit)
    is_active: Mapped[bool] = mapped_column(default=True)

    def _repr_label(self) -> str:
        return self.username
