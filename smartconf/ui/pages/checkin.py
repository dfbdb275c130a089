"""Check-in: how many of the expected participants are in, and the latest admissions.

A public screen at the venue: names, organisations and roles only, never e-mail or phone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout

from smartconf.services.conferences import list_conferences
from smartconf.services.overview import CheckInSummary, checkin_summary
from smartconf.ui.formatting import fill
from smartconf.ui.models.checkin import RecentCheckInTableModel
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.conference_picker import ConferencePicker
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view


class CheckInPage(Page):
    def __init__(self, database, parent=None) -> None:
        super().__init__(database, parent)
        self.summary: CheckInSummary | None = None
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

    def title(self) -> str:
        return self.tr("Check-in")

    def reload(self) -> None:
        self.picker.set_conferences(self.read(list_conferences))

    def show_conference(self, conference_id: int) -> None:
        """Counts and recent check-ins of the conference ``conference_id`` (-1: none)."""
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
