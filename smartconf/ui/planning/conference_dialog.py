"""Creating and editing a conference: code, title, description, dates (wall-clock times in the
conference's own time zone), time zone, venue and address, capacity, organiser, linked
reports and status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from smartconf.core.enums import ConferenceStatus
from smartconf.services.overview import Choice
from smartconf.services.planning import DEFAULT_TIMEZONE, ConferenceInput
from smartconf.ui.crm.choice_list import ChoiceList
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.formatting import fill
from smartconf.ui.planning.fields import (
    enum_combo,
    from_qdatetime,
    keep_duration,
    seats_spin,
    seats_value,
    timezone_combo,
    wall_edit,
)

Submit = Callable[[ConferenceInput], None]
DESCRIPTION_LINES = 3


def blank_conference(today: datetime) -> ConferenceInput:
    """What a new conference starts from: a day, 09:00 to 17:00, four weeks ahead."""
    day = (today + timedelta(weeks=4)).replace(hour=9, minute=0, second=0, microsecond=0,
                                               tzinfo=None)
    return ConferenceInput(code="", title="", starts_at=day, ends_at=day.replace(hour=17),
                           timezone=DEFAULT_TIMEZONE)


class ConferenceDialog(FormDialog):
    """The conference form; ``submit`` hands a ConferenceInput to ``on_submit`` (which writes
    it and raises ValidationError, shown under its field, to refuse)."""

    def __init__(self, data: ConferenceInput, reports: Sequence[Choice], on_submit: Submit,
                 *, new: bool, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWindowTitle(self.tr("New conference") if new else
                            fill(self.tr("Edit conference %1"), data.code))
        self.setObjectName("conference_dialog")
        self._on_submit = on_submit
        self.code = self.add_field(self.tr("&Code"), QLineEdit(data.code), "code")
        self.code.setPlaceholderText(self.tr("e.g. SB-CI"))
        self.title_edit = self.add_field(self.tr("&Title"), QLineEdit(data.title), "title")
        self.description = self.add_field(self.tr("&Description"),
                                          QPlainTextEdit(data.description or ""),
                                          "description")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * DESCRIPTION_LINES
                                        + 12)
        self.description.setTabChangesFocus(True)
        self.starts = self.add_field(self.tr("&Starts"), wall_edit(data.starts_at), "starts_at")
        self.ends = self.add_field(self.tr("&Ends"), wall_edit(data.ends_at), "ends_at")
        keep_duration(self.starts, self.ends)
        self.timezone = self.add_field(self.tr("Time &zone"), timezone_combo(data.timezone),
                                       "timezone")
        self.timezone.setToolTip(self.tr("Start and end are wall-clock times in this zone."))
        self.venue = self.add_field(self.tr("&Venue"), QLineEdit(data.venue), "venue")
        self.address = self.add_field(self.tr("&Address"), QLineEdit(data.address or ""),
                                      "address")
        self.capacity = self.add_field(self.tr("Ca&pacity"), seats_spin(data.capacity),
                                       "capacity")
        self.organiser_name = self.add_field(self.tr("&Organiser"),
                                             QLineEdit(data.organiser_name), "organiser_name")
        self.organiser_email = self.add_field(self.tr("Organiser &e-mail"),
                                              QLineEdit(data.organiser_email),
                                              "organiser_email")
        self.organiser_email.setPlaceholderText(self.tr("events@example.org"))
        self.reports = self.add_field(self.tr("&Reports presented"), ChoiceList(reports),
                                      "report_numbers")
        self.reports.set_values(data.report_numbers)
        self.status = self.add_field(self.tr("St&atus"),
                                     enum_combo(ConferenceStatus, data.status), "status")
        self.setMinimumWidth(640)

    def value(self) -> ConferenceInput:
        """The conference as the form gives it now."""
        return ConferenceInput(
            code=self.code.text(), title=self.title_edit.text(),
            description=self.description.toPlainText(),
            starts_at=from_qdatetime(self.starts.dateTime()),
            ends_at=from_qdatetime(self.ends.dateTime()),
            timezone=self.timezone.currentText().strip(), venue=self.venue.text(),
            address=self.address.text(), capacity=seats_value(self.capacity),
            organiser_name=self.organiser_name.text(),
            organiser_email=self.organiser_email.text(),
            report_numbers=tuple(self.reports.values()), status=self.status.currentData())

    def submit(self) -> None:
        self._on_submit(self.value())
