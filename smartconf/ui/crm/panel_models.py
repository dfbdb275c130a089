"""Tables of the person panel: affiliations, interactions, consents, assessments and
participations (over the DTOs of ``services.overview``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from smartconf.core.enums import ConsentPurpose
from smartconf.services.overview import (
    AffiliationRow,
    AssessmentRow,
    ConsentRow,
    InteractionRow,
    ParticipationRow,
)
from smartconf.ui.crm.labels import consent_state_label, crm_label
from smartconf.ui.formatting import format_date, format_date_time
from smartconf.ui.labels import label
from smartconf.ui.models.base import RowTableModel

_CENTRE = Qt.AlignmentFlag.AlignCenter


def local_date_time(moment: datetime | None) -> str:
    """A UTC instant as the date and time of the computer's time zone."""
    return "" if moment is None else format_date_time(moment.astimezone())


def local_date(moment: datetime | None) -> str:
    return "" if moment is None else format_date(moment.astimezone().date())


def _day(value: date | None) -> str:
    return format_date(value)


class AffiliationTableModel(RowTableModel[AffiliationRow]):
    ORGANISATION, ROLE, PRIMARY, FROM, TO = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("Organisation"), self.tr("Role"), self.tr("Primary"), self.tr("From"),
                self.tr("Until")]

    def display(self, row: AffiliationRow, column: int) -> str:
        if column == self.ORGANISATION:
            return row.organisation
        if column == self.ROLE:
            return row.role
        if column == self.PRIMARY:
            return self.tr("primary") if row.primary else ""
        if column == self.FROM:
            return _day(row.started_on)
        return _day(row.ended_on) if row.ended_on else self.tr("now")

    def sort_value(self, row: AffiliationRow, column: int) -> Any:
        if column == self.FROM:
            return row.started_on
        if column == self.TO:
            return row.ended_on or date.max
        return self.display(row, column)

    def cell_data(self, row: AffiliationRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.ORGANISATION, self.ROLE):
            return self.display(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and row.ended_on is not None:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled,  # history
                                                QPalette.ColorRole.Text)
        return None


class InteractionTableModel(RowTableModel[InteractionRow]):
    WHEN, KIND, SUMMARY, FOLLOW_UP, BY = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("When"), self.tr("Kind"), self.tr("Summary"), self.tr("Follow up"),
                self.tr("By")]

    def display(self, row: InteractionRow, column: int) -> str:
        if column == self.WHEN:
            return local_date_time(row.occurred_at)
        if column == self.KIND:
            kind = crm_label(row.kind)
            return f"{kind} · {row.conference}" if row.conference else kind
        if column == self.SUMMARY:
            return row.summary
        if column == self.FOLLOW_UP:
            return _day(row.follow_up_on)
        return row.created_by

    def sort_value(self, row: InteractionRow, column: int) -> Any:
        if column == self.WHEN:
            return row.occurred_at
        if column == self.FOLLOW_UP:
            return row.follow_up_on
        return self.display(row, column)

    def cell_data(self, row: InteractionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SUMMARY:
            return row.summary or None
        return None


@dataclass(frozen=True, slots=True)
class PurposeConsent:
    """A purpose and its newest consent record (None: never asked)."""

    purpose: ConsentPurpose
    consent: ConsentRow | None

    @property
    def state(self) -> str:
        if self.consent is None:
            return "none"
        return "withdrawn" if self.consent.withdrawn_at else "given"


class ConsentTableModel(RowTableModel[PurposeConsent]):
    """One row per purpose: its state and the record behind it."""

    PURPOSE, STATE, BASIS, SOURCE, GIVEN, WITHDRAWN = range(6)
    COLUMN_COUNT = 6

    def headers(self) -> Sequence[str]:
        return [self.tr("Purpose"), self.tr("State"), self.tr("Basis"), self.tr("Source"),
                self.tr("Given"), self.tr("Withdrawn")]

    def display(self, row: PurposeConsent, column: int) -> str:
        consent = row.consent
        if column == self.PURPOSE:
            return crm_label(row.purpose)
        if column == self.STATE:
            return consent_state_label(row.state)
        if consent is None:
            return ""
        if column == self.BASIS:
            return crm_label(consent.basis)
        if column == self.SOURCE:
            return consent.source
        if column == self.GIVEN:
            return local_date(consent.given_at)
        return local_date(consent.withdrawn_at)

    def sort_value(self, row: PurposeConsent, column: int) -> Any:
        if column == self.PURPOSE:
            return list(ConsentPurpose).index(row.purpose)
        return self.display(row, column)


class ConsentHistoryModel(RowTableModel[ConsentRow]):
    """Every consent record, newest first."""

    PURPOSE, BASIS, SOURCE, VERSION, GIVEN, WITHDRAWN = range(6)
    COLUMN_COUNT = 6

    def headers(self) -> Sequence[str]:
        return [self.tr("Purpose"), self.tr("Basis"), self.tr("Source"),
                self.tr("Text version"), self.tr("Given"), self.tr("Withdrawn")]

    def display(self, row: ConsentRow, column: int) -> str:
        if column == self.PURPOSE:
            return crm_label(row.purpose)
        if column == self.BASIS:
            return crm_label(row.basis)
        if column == self.SOURCE:
            return row.source
        if column == self.VERSION:
            return row.text_version
        if column == self.GIVEN:
            return local_date_time(row.given_at)
        return local_date_time(row.withdrawn_at)

    def sort_value(self, row: ConsentRow, column: int) -> Any:
        if column == self.GIVEN:
            return row.given_at
        if column == self.WITHDRAWN:
            return row.withdrawn_at
        return self.display(row, column)


class AssessmentTableModel(RowTableModel[AssessmentRow]):
    """The dated assessments, newest (current) first."""

    DATE, INFLUENCE, INTEREST, STANCE, NOW, DESIRED, NOTE, BY = range(8)
    COLUMN_COUNT = 8

    def headers(self) -> Sequence[str]:
        return [self.tr("Date"), self.tr("Influence"), self.tr("Interest"), self.tr("Stance"),
                self.tr("Engagement now"), self.tr("Desired"), self.tr("Note"), self.tr("By")]

    def display(self, row: AssessmentRow, column: int) -> str:
        values = {self.DATE: _day(row.assessed_on), self.INFLUENCE: str(row.influence),
                  self.INTEREST: str(row.interest), self.STANCE: crm_label(row.stance),
                  self.NOW: crm_label(row.engagement_now),
                  self.DESIRED: crm_label(row.engagement_desired), self.NOTE: row.note,
                  self.BY: row.assessed_by}
        return values[column]

    def sort_value(self, row: AssessmentRow, column: int) -> Any:
        if column == self.DATE:
            return row.assessed_on
        if column == self.INFLUENCE:
            return row.influence
        if column == self.INTEREST:
            return row.interest
        return self.display(row, column)

    def cell_data(self, row: AssessmentRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.INFLUENCE,
                                                                     self.INTEREST):
            return _CENTRE
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE:
            return row.note or None
        return None


class ParticipationTableModel(RowTableModel[ParticipationRow]):
    CONFERENCE, DATE, ROLE, STATUS = range(4)
    COLUMN_COUNT = 4

    def headers(self) -> Sequence[str]:
        return [self.tr("Conference"), self.tr("Date"), self.tr("Role"), self.tr("Status")]

    def display(self, row: ParticipationRow, column: int) -> str:
        if column == self.CONFERENCE:
            return f"{row.conference_code} · {row.conference_title}"
        if column == self.DATE:
            return local_date(row.starts_at)
        if column == self.ROLE:
            return label(row.role)
        return label(row.status)

    def sort_value(self, row: ParticipationRow, column: int) -> Any:
        return row.starts_at if column == self.DATE else self.display(row, column)

    def cell_data(self, row: ParticipationRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CONFERENCE:
            return self.display(row, column)
        return None
