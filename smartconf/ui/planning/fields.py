"""Form fields the planning dialogs share: wall-clock date-times, seat counts, time zones and
enum choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from functools import cache
from zoneinfo import available_timezones

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QSpinBox

from smartconf.services.overview import Choice
from smartconf.ui.crm.person_dialog import choice_combo, select_value
from smartconf.ui.labels import label

MAX_SEATS = 100_000


def to_qdatetime(value: datetime) -> QDateTime:
    """A naive wall-clock time as a QDateTime that no local clock change can shift (UTC)."""
    return QDateTime(QDate(value.year, value.month, value.day),
                     QTime(value.hour, value.minute), QTimeZone.utc())


def from_qdatetime(value: QDateTime) -> datetime:
    """The naive wall-clock time a ``to_qdatetime`` edit shows."""
    day, time = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())


def wall_edit(value: datetime | None = None) -> QDateTimeEdit:
    """A date-time edit of wall-clock times (of the conference's zone, not the computer's),
    with a calendar pop-up, to the minute."""
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setCalendarPopup(True)
    date_format = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    edit.setDisplayFormat(f"ddd {date_format} HH:mm")
    if value is not None:
        edit.setDateTime(to_qdatetime(value))
    return edit


def keep_duration(start: QDateTimeEdit, end: QDateTimeEdit) -> None:
    """Moving ``start`` moves ``end`` by as much, keeping the length of the period."""
    previous = [start.dateTime()]

    def moved(value: QDateTime) -> None:
        shift = previous[0].secsTo(value)
        previous[0] = value
        end.setDateTime(end.dateTime().addSecs(shift))

    start.dateTimeChanged.connect(moved)


def seats_spin(value: int | None = None) -> QSpinBox:
    """A number of seats; 0 shows as "No limit" and reads as None."""
    spin = QSpinBox()
    spin.setRange(0, MAX_SEATS)
    spin.setSpecialValueText(QCoreApplication.translate("planning", "No limit"))
    spin.setValue(value or 0)
    return spin


def seats_value(spin: QSpinBox) -> int | None:
    return spin.value() or None


@cache
def _zone_choices() -> tuple[Choice, ...]:
    return tuple(Choice(name, name) for name in sorted(available_timezones())
                 if "/" in name and not name.startswith(("Etc/", "SystemV/")))


def timezone_combo(value: str) -> QComboBox:
    """The IANA time zones, searchable by any part of the name ("belg" finds
    Europe/Belgrade)."""
    combo = choice_combo(_zone_choices(), searchable=True)
    combo.setCurrentText(value)
    return combo


def enum_combo(values: Iterable[StrEnum], current: StrEnum | None = None) -> QComboBox:
    """The translated labels of ``values``, the member as item data."""
    combo = QComboBox()
    for value in values:
        combo.addItem(label(value), value)
    if current is not None:
        select_value(combo, current)
    return combo
