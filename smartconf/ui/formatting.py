"""Dates, times and countdowns as the user's locale writes them."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime

_CONTEXT = "formatting"
_PLACEHOLDER = re.compile(r"%(\d+)")


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def ui_language() -> str:
    """The language of the user's locale as smartconf names languages: "sq", "sr" or "en"."""
    return {QLocale.Language.Albanian: "sq",
            QLocale.Language.Serbian: "sr"}.get(QLocale().language(), "en")


def format_date(value: date | None) -> str:
    """A date in the locale's short format ("12/05/2027"); empty for None."""
    if value is None:
        return ""
    return QLocale().toString(_qdate(value), QLocale.FormatType.ShortFormat)


def format_day(value: date) -> str:
    """A date with the month's name ("12 May 2027")."""
    return QLocale().toString(_qdate(value), "d MMM yyyy")


def format_time(value: datetime) -> str:
    """The wall time of ``value`` in its own time zone ("09:30")."""
    return QLocale().toString(QTime(value.hour, value.minute), QLocale.FormatType.ShortFormat)


def format_date_time(value: datetime) -> str:
    """Date and wall time of ``value`` in its own time zone."""
    return f"{format_date(value.date())} {format_time(value)}"


def format_period(start: datetime, end: datetime) -> str:
    """The days a conference runs: "12 May 2027" or "12 May 2027 – 13 May 2027"."""
    if start.date() == end.date():
        return format_day(start.date())
    return f"{format_day(start.date())} – {format_day(end.date())}"


def format_period_in(start: datetime, end: datetime, timezone: str) -> str:
    """``format_period`` of two instants, as days of the time zone ``timezone``."""
    zone = ZoneInfo(timezone)
    return format_period(start.astimezone(zone), end.astimezone(zone))


def countdown(start: datetime, end: datetime, now: datetime) -> str:
    """How far a conference is from ``now``, counted in days of its own time zone."""
    tr = QCoreApplication.translate
    today = now.astimezone(start.tzinfo).date()
    if now >= end:
        days = (today - end.date()).days
        if days <= 0:
            return tr(_CONTEXT, "Ended today")
        if days == 1:
            return tr(_CONTEXT, "Ended yesterday")
        return tr(_CONTEXT, "Ended %n days ago", "", days)
    if now >= start:
        return tr(_CONTEXT, "Running now")
    days = (start.date() - today).days
    if days <= 0:
        return tr(_CONTEXT, "Starts today")
    if days == 1:
        return tr(_CONTEXT, "Starts tomorrow")
    return tr(_CONTEXT, "Starts in %n days", "", days)


def fill(template: str, *values: object) -> str:
    """Qt-style placeholders: ``fill("%1 of %2", 3, 40) == "3 of 40"`` (as QString.arg)."""
    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 0 < number <= len(values) else match.group(0)
    return _PLACEHOLDER.sub(value, template)
