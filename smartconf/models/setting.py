"""Settings shared by everyone using one database (SMTP server, organiser identity...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartconf.models.base import Base, UTCDateTime, utcnow


class Setting(Base):
    """A key/value setting; secrets never go here (they live in the OS keyring)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
