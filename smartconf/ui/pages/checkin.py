"""Check-in: how many of the expected participants are in, the latest admissions, and the
way into desk mode (conference, desk name, optional agenda session for room attendance).

A public screen at the venue: names, organisations and roles only, never e-mail or phone.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from smartconf.config import Paths, resolve_paths
from smartconf.core.dto import ConferenceRow
from smartconf.services.conferences import list_conferences
from smartconf.services.desk_pin import set_desk_pin
from smartconf.services.overview import CheckInSummary, checkin_summary, conference_agenda
from smartconf.store.database import translate_errors
from smartconf.store.session import unit_of_work
from smartconf.ui.desk.pin_dialog import SetPinDialog
from smartconf.ui.formatting import fill, format_time
from smartconf.ui.models.checkin import RecentCheckInTableModel
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.conference_picker import ConferencePicker
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view

if TYPE_CHECKING:
    from smartconf.ui.desk.desk_window import DeskWindow

DESK_NAME_KEY = "desk/name"
DEFAULT_DESK_NAME = "Desk 1"


class CheckInPage(Page):
    def __init__(self, database, paths: Paths | None = None, actor: str | None = None,
                 parent=None) -> None:
        super().__init__(database, parent)
        self._paths = paths
        self.actor = actor or _login_name()
        self.full_screen = True  # desk mode fills the screen (tests show it as a window)
        self.summary: CheckInSummary | None = None
        self.desk_window: DeskWindow | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Check-in")))
        picker_row = QHBoxLayout()
        picker_label = QLabel(self.tr("&Conference:"))
        self.picker = ConferencePicker()
        picker_label.setBuddy(self.picker)
        picker_row.addWidget(picker_label)
        picker_row.addWidget(self.picker)
        picker_row.addStretch(1)
        layout.addLayout(picker_row)
        layout.addLayout(self._desk_row())
        self.counts = heading("", scale=2.0)
        layout.addWidget(self.counts)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        layout.addWidget(heading(self.tr("Recent check-ins"), scale=1.1))
        self.recent = RecentCheckInTableModel(self)
        self.recent_view = table_view(
            self.recent, widths={RecentCheckInTableModel.TIME: 80,
                                       RecentCheckInTableModel.DESK: 110,
                                       RecentCheckInTableModel.NAME: 240,
                                       RecentCheckInTableModel.ORGANISATION: 320},
            sort_column=RecentCheckInTableModel.TIME, sort_order=Qt.SortOrder.DescendingOrder)
        self.recent_empty = EmptyState(self.recent_view,
                                       self.tr("Nobody has checked in for this conference yet."))
        layout.addWidget(self.recent_empty, 1)
        self.picker.conference_changed.connect(self.show_conference)

    def _desk_row(self) -> QVBoxLayout:
        row = QHBoxLayout()
        desk_label = QLabel(self.tr("&Desk name:"))
        self.desk_name = QLineEdit(str(QSettings().value(DESK_NAME_KEY, DEFAULT_DESK_NAME)))
        self.desk_name.setObjectName("desk_name")
        self.desk_name.setMaxLength(60)
        desk_label.setBuddy(self.desk_name)
        place_label = QLabel(self.tr("&At:"))
        self.place = QComboBox()
        self.place.setObjectName("desk_place")
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place.setMinimumContentsLength(16)
        place_label.setBuddy(self.place)
        self.start_button = QPushButton(self.tr("Start desk mode"))
        self.start_button.setObjectName("start_desk")
        self.start_button.clicked.connect(self.start_desk)
        self.pin_button = QPushButton(self.tr("Set coordinator PIN…"))
        self.pin_button.setObjectName("set_pin")
        self.pin_button.clicked.connect(self.set_pin)
        for widget in (desk_label, self.desk_name, place_label, self.place):
            row.addWidget(widget)
        row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.pin_button)
        buttons.addStretch(1)
        rows = QVBoxLayout()
        rows.addLayout(row)
        rows.addLayout(buttons)
        return rows

    def title(self) -> str:
        return self.tr("Check-in")

    def reload(self) -> None:
        self.picker.set_conferences(self.read(list_conferences))

    def show_conference(self, conference_id: int) -> None:
        """Counts, recent check-ins and agenda sessions of ``conference_id`` (-1: none)."""
        self.start_button.setEnabled(conference_id >= 0 and self.desk_window is None)
        self._fill_places(conference_id)
        if conference_id < 0:
            self.summary = None
            self.counts.setText(self.tr("No conference to check in to."))
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.recent.set_rows([])
            return
        self.summary = self.read(checkin_summary, conference_id)
        self.counts.setText(fill(self.tr("%1 of %2 checked in"), self.summary.checked_in,
                                 self.summary.expected))
        self.progress.setRange(0, max(self.summary.expected, 1))
        self.progress.setValue(min(self.summary.checked_in, max(self.summary.expected, 1)))
        self.recent.set_rows(self.summary.recent)

    def _fill_places(self, conference_id: int) -> None:
        self.place.clear()
        self.place.addItem(self.tr("Conference entrance"), None)
        if conference_id < 0:
            return
        for row in self.read(conference_agenda, conference_id):
            room = f" ({row.room})" if row.room else ""
            self.place.addItem(f"{format_time(row.starts_at)} {row.title}{room}", row.id)

    # --- desk mode ------------------------------------------------------------------------

    @property
    def paths(self) -> Paths:
        """The data folder (resolved on first use when the window did not hand it over)."""
        if self._paths is None:
            self._paths = resolve_paths()
        return self._paths

    def start_desk(self) -> DeskWindow | None:
        """Open desk mode for the chosen conference, desk name and place."""
        # Imported here: desk mode (Qt Multimedia, the Desk) costs ~0.1 s that the start of
        # the application does not need to pay.
        from smartconf.ui.desk.desk_window import DeskWindow

        conference = self.picker.current_row()
        desk = self.desk_name.text().strip() or DEFAULT_DESK_NAME
        if conference is None or self.desk_window is not None:
            return None
        QSettings().setValue(DESK_NAME_KEY, desk)
        session_id = self.place.currentData()
        place = self.place.currentText() if session_id is not None else ""
        window = DeskWindow(self._desk_factory(conference, desk, session_id), conference,
                            desk=desk, place=place, badge_folder=self.paths.journal_dir)
        window.left.connect(self._desk_left)
        self.desk_window = window
        self.start_button.setEnabled(False)
        if self.full_screen:
            window.showFullScreen()
        else:
            window.show()
        return window

    def _desk_factory(self, conference: ConferenceRow, desk: str, session_id: int | None):
        from smartconf.services.desk import Desk

        url = self.database.engine.url.render_as_string(hide_password=False)
        journal_dir: Path = self.paths.journal_dir
        actor = self.actor

        def open_desk() -> Desk:  # runs on the desk's thread
            return Desk(url, conference.code, desk, actor, journal_dir=journal_dir,
                        agenda_session_id=session_id)

        return open_desk

    def _desk_left(self) -> None:
        if self.desk_window is not None:
            self.desk_window.deleteLater()
        self.desk_window = None
        self.show_conference(self.picker.current_id())

    def set_pin(self) -> None:
        """Ask for a new coordinator PIN and store it (hashed)."""
        dialog = SetPinDialog(self._save_pin, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def _save_pin(self, pin: str) -> None:
        with translate_errors(self.database.engine), \
                unit_of_work(self.database.sessions, self.actor) as session:
            set_desk_pin(session, pin, actor=self.actor)


def _login_name() -> str:
    try:
        return getpass.getuser() or "smartconf"
    except (OSError, KeyError):
        return "smartconf"
