"""Research reports of the programme, their numbered findings and recommendations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartconf.models.base import Base, TimestampMixin


class Report(TimestampMixin, Base):
    """A published research report; ``number`` makes findings quotable as "R2-F3"."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(500))
    published_on: Mapped[date | None]
    url: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)

    findings: Mapped[list[Finding]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Finding.number")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.number")

    @property
    def label(self) -> str:
        return f"R{self.number}"

    def _repr_label(self) -> str:
        return self.label


class Finding(Base):
    """A numbered finding of a report."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="findings")

    @property
    def label(self) -> str:
        """Quotable reference, e.g. "R2-F3"."""
        return f"R{self.report.number}-F{self.number}"


class Recommendation(Base):
    """A numbered recommendation of a report, optionally answering one finding."""

    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("finding.id", ondelete="SET NULL"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="recommendations")
    finding: Mapped[Finding | None] = relationship()

    @property
    def label(self) -> str:
        """Quotable reference, e.g. "R2-R1"."""
        return f"R{self.report.number}-R{self.number}"
