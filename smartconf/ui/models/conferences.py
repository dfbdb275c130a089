"""Models of the conference pages: the list of conferences, dashboard cards, rooms, agenda
and participants."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from smartconf.core.dto import ConferenceRow
from smartconf.services.overview import AgendaRow, ConferenceCard, ParticipantRow, RoomRow
from smartconf.ui.formatting import (
    countdown,
    fill,
    format_date,
    format_period,
    format_period_in,
    format_time,
)
from smartconf.ui.labels import label
from smartconf.ui.models.base import RowTableModel

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConferenceListModel(RowTableModel[ConferenceRow]):
    """Conferences as pickers and lists show them."""

    CODE, TITLE, DATES, VENUE, PARTICIPANTS = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("Code"), self.tr("Title"), self.tr("Dates"), self.tr("Venue"),
                self.tr("Participants")]

    def display(self, row: ConferenceRow, column: int) -> str:
        if column == self.CODE:
            return row.code
        if column == self.TITLE:
            return row.title
        if column == self.DATES:
            return format_period_in(row.starts_at, row.ends_at, row.timezone)
        if column == self.VENUE:
            return row.venue
        return str(row.participants)

    def sort_value(self, row: ConferenceRow, column: int) -> Any:
        if column == self.DATES:
            return row.starts_at
        if column == self.PARTICIPANTS:
            return row.participants
        return self.display(row, column)

    def cell_data(self, row: ConferenceRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.code} · {row.title}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PARTICIPANTS:
            return _RIGHT
        return None

    def row_of_id(self, conference_id: int) -> int:
        """The row showing conference ``conference_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == conference_id), -1)


class DashboardModel(RowTableModel[ConferenceCard]):
    """One row per conference card of the dashboard."""

    TITLE, DATES, VENUE, COUNTDOWN, PARTICIPANTS, CHECKED_IN = range(6)
    COLUMN_COUNT = 6

    def __init__(self, parent=None, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock

    def headers(self) -> Sequence[str]:
        return [self.tr("Conference"), self.tr("Dates"), self.tr("Venue"), self.tr("When"),
                self.tr("Participants"), self.tr("Checked in")]

    def display(self, row: ConferenceCard, column: int) -> str:
        if column == self.TITLE:
            return row.title
        if column == self.DATES:
            return format_period(row.starts_at, row.ends_at)
        if column == self.VENUE:
            return row.venue
        if column == self.COUNTDOWN:
            return countdown(row.starts_at, row.ends_at, self._clock())
        if column == self.PARTICIPANTS:
            return str(row.participants)
        return fill(self.tr("%1 of %2"), row.checked_in, row.expected)

    def sort_value(self, row: ConferenceCard, column: int) -> Any:
        if column in (self.DATES, self.COUNTDOWN):
            return row.starts_at
        if column == self.PARTICIPANTS:
            return row.participants
        if column == self.CHECKED_IN:
            return row.checked_in
        return self.display(row, column)


class RoomTableModel(RowTableModel[RoomRow]):
    NAME, CAPACITY = range(2)
    COLUMN_COUNT = 2

    def headers(self) -> Sequence[str]:
        return [self.tr("Room"), self.tr("Capacity")]

    def display(self, row: RoomRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        return "" if row.capacity is None else str(row.capacity)

    def sort_value(self, row: RoomRow, column: int) -> Any:
        return row.name if column == self.NAME else row.capacity

    def cell_data(self, row: RoomRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CAPACITY:
            return _RIGHT
        return None


class AgendaTableModel(RowTableModel[AgendaRow]):
    """The agenda; times are wall times of the conference's time zone."""

    DAY, TIME, ROOM, KIND, TITLE, SPEAKERS = range(6)
    COLUMN_COUNT = 6

    def headers(self) -> Sequence[str]:
        return [self.tr("Day"), self.tr("Time"), self.tr("Room"), self.tr("Kind"),
                self.tr("Title"), self.tr("Speakers")]

    def display(self, row: AgendaRow, column: int) -> str:
        if column == self.DAY:
            return format_date(row.starts_at.date())
        if column == self.TIME:
            return f"{format_time(row.starts_at)}–{format_time(row.ends_at)}"
        if column == self.ROOM:
            return row.room
        if column == self.KIND:
            return label(row.kind)
        if column == self.TITLE:
            return row.title
        return self.speakers_text(row)

    def speakers_text(self, row: AgendaRow) -> str:
        """Speakers, then moderators marked as such."""
        moderated = [fill(self.tr("%1 (moderator)"), name) for name in row.moderators]
        return ", ".join([*row.speakers, *moderated])

    def sort_value(self, row: AgendaRow, column: int) -> Any:
        if column in (self.DAY, self.TIME):
            return row.starts_at
        return self.display(row, column)

    def cell_data(self, row: AgendaRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.TITLE, self.SPEAKERS):
            return self.display(row, column)
        return None


class ParticipantTableModel(RowTableModel[ParticipantRow]):
    NAME, ORGANISATION, ROLE, STATUS = range(4)
    COLUMN_COUNT = 4

    def headers(self) -> Sequence[str]:
        return [self.tr("Name"), self.tr("Organisation"), self.tr("Role"), self.tr("Status")]

    def display(self, row: ParticipantRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ORGANISATION:
            return row.organisation
        if column == self.ROLE:
            return label(row.role)
        return label(row.status)
