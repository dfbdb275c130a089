"""Persons and what belongs to them alone: e-mails, phones, affiliations, assessments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.core.enums import Engagement, Gender, Language, Stance
from smartconf.models.base import Base, TimestampMixin, UTCDateTime, enum_type
from smartconf.models.organisation import Organisation
from smartconf.models.tag import Tag, person_tag
from smartconf.models.team import TeamMember


class Person(TimestampMixin, Base):
    """A stakeholder. Names are kept as written (any script) and in a Latin form."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))  # as written, e.g. "Ђорђе"
    family_name: Mapped[str] = mapped_column(String(200))
    given_name_latin: Mapped[str | None] = mapped_column(String(200))  # "Đorđe"
    family_name_latin: Mapped[str | None] = mapped_column(String(200))
    honorific: Mapped[str | None] = mapped_column(String(40))  # "Dr.", "Prof.", "H.E."
    position: Mapped[str | None] = mapped_column(String(300))
    preferred_language: Mapped[Language] = mapped_column(
        enum_type(Language, "language"), default=Language.ENGLISH)
    gender: Mapped[Gender] = mapped_column(enum_type(Gender, "gender"), default=Gender.UNKNOWN)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL"), index=True)  # who on the team
    notes: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(String(2000), default="", index=True)  # folded
    sort_name: Mapped[str] = mapped_column(String(500), default="", server_default="",
                                           index=True)  # folded
    # "family given", Latin: a cheap, indexed first order for long lists
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set by erasure (GDPR)

    owner: Mapped[TeamMember | None] = relationship()
    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.id")
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.id")
    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Affiliation.id")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="person", cascade="all, delete-orphan",
        order_by="Assessment.assessed_on")
    tags: Mapped[list[Tag]] = relationship(secondary=person_tag)

    @property
    def full_name(self) -> str:
        """Given and family name as written."""
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def primary_affiliation(self) -> Affiliation | None:
        """The current primary affiliation, else the first current one."""
        current = [a for a in self.affiliations if a.ended_on is None]
        return next((a for a in current if a.is_primary), current[0] if current else None)

    def _repr_label(self) -> str:
        return self.full_name


class PersonEmail(Base):
    """An e-mail address of a person, stored normalised (lower-case domain)."""

    __tablename__ = "person_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)
    label: Mapped[str | None] = mapped_column(String(40))  # work, private...
    is_primary: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="emails")


class PersonPhone(Base):
    """A phone number of a person in E.164 (``+38344123456``)."""

    __tablename__ = "person_phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[str] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="phones")


class Affiliation(Base):
    """A person's role at an organisation over a period; history is kept (ended_on)."""

    __tablename__ = "affiliation"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
                        name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(300))  # position held there
    is_primary: Mapped[bool] = mapped_column(default=False)
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]  # None: still there

    person: Mapped[Person] = relationship(back_populates="affiliations")
    organisation: Mapped[Organisation] = relationship()


class Assessment(Base):
    """A dated stakeholder assessment; the newest is current, older ones are history."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    assessed_on: Mapped[date]
    influence: Mapped[int]  # 1 (low) .. 5 (high)
    interest: Mapped[int]  # 1 (low) .. 5 (high)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance, "stance"), default=Stance.UNKNOWN)
    engagement_now: Mapped[Engagement] = mapped_column(
        enum_type(Engagement, "engagement_now"), default=Engagement.NEUTRAL)
    engagement_desired: Mapped[Engagement] = mapped_column(
        enum_type(Engagement, "engagement_desired"), default=Engagement.SUPPORTIVE)
    note: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str | None] = mapped_column(String(64))

    person: Mapped[Person] = relationship(back_populates="assessments")


class SavedFilter(TimestampMixin, Base):
    """A named search over persons ("smart group"), reused for invitation lists."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[str] = mapped_column(Text, default="{}")  # JSON, versioned inside
    owner: Mapped[str | None] = mapped_column(String(64))
