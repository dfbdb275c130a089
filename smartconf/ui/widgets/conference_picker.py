"""A combo box choosing one conference; it starts on the running or next one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from smartconf.core.dto import ConferenceRow
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.conferences import ConferenceListModel, utc_now


def default_conference(rows: Sequence[ConferenceRow], now: datetime) -> int:
    """Row of the conference running now or coming next; else the latest; -1 if none."""
    upcoming = [i for i, row in enumerate(rows) if row.ends_at >= now]
    if upcoming:
        return min(upcoming, key=lambda i: rows[i].starts_at)
    return max(range(len(rows)), key=lambda i: rows[i].starts_at, default=-1)


class ConferencePicker(QComboBox):
    """Lists the conferences by title; emits the chosen conference's id (-1 for none)."""

    conference_changed = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.conferences = ConferenceListModel(self)
        self.setModel(self.conferences)
        self.setModelColumn(ConferenceListModel.TITLE)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(30)
        self.currentIndexChanged.connect(self._emit_change)

    def set_conferences(self, rows: Sequence[ConferenceRow]) -> None:
        """Replace the list, keeping the chosen conference if it is still there."""
        keep = self.current_id()
        self.blockSignals(True)
        self.conferences.set_rows(rows)
        row = self.conferences.row_of_id(keep) if keep >= 0 else -1
        self.setCurrentIndex(row if row >= 0 else default_conference(rows, utc_now()))
        self.blockSignals(False)
        self._emit_change()

    def current_row(self) -> ConferenceRow | None:
        return self.currentData(ROW_ROLE) if self.currentIndex() >= 0 else None

    def current_id(self) -> int:
        row = self.current_row()
        return row.id if row else -1

    def _emit_change(self) -> None:
        self.conference_changed.emit(self.current_id())
