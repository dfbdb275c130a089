"""Search by name for a forgotten badge: the folded search (diacritics and script ignored)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from smartconf.ui.desk.verdict_view import local_time, role_text
from smartconf.ui.labels import label
from smartconf.ui.models.base import RowTableModel
from smartconf.ui.widgets.views import table_view

SEARCH_DELAY_MS = 150  # typing pause before searching
MIN_SEARCH_LENGTH = 2
Search = Callable[[str, Callable[[list], None]], None]


class DeskPersonTableModel(RowTableModel[Any]):
    """People found at the desk: name, organisation, role, status, time checked in.
    Rows are the Desk's ``DeskPerson``; they hold no e-mail or phone."""

    NAME, ORGANISATION, ROLE, STATUS, CHECKED_IN = range(5)
    COLUMN_COUNT = 5

    def __init__(self, timezone: str, parent=None) -> None:
        super().__init__(parent)
        self.timezone = timezone

    def headers(self) -> Sequence[str]:
        return [self.tr("Name"), self.tr("Organisation"), self.tr("Role"), self.tr("Status"),
                self.tr("Checked in")]

    def display(self, row: Any, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ORGANISATION:
            return row.organisation or ""
        if column == self.ROLE:
            return role_text(str(row.role)) if row.role else ""
        if column == self.STATUS:
            return label(row.status) if hasattr(row.status, "value") else str(row.status)
        return local_time(row.checked_in_at, self.timezone) if row.checked_in_at else ""

    def sort_value(self, row: Any, column: int) -> Any:
        if column == self.CHECKED_IN:
            return row.checked_in_at if isinstance(row.checked_in_at, datetime) else None
        return self.display(row, column)


class _SearchField(QLineEdit):
    """Up and Down move through the results while the focus stays in the field."""

    def __init__(self, move: Callable[[int], None], parent=None) -> None:
        super().__init__(parent)
        self._move = move

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


class DeskSearchDialog(QDialog):
    """Search as you type; Enter (or double-click, or Admit) emits ``admit(participant_id)``
    for the chosen row and closes. ``search(text, deliver)`` runs the Desk's search and calls
    ``deliver(rows)`` when it is done."""

    admit = Signal(int)

    def __init__(self, search: Search, timezone: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("desk_search_dialog")
        self.setWindowTitle(self.tr("Find a participant"))
        self.resize(900, 560)
        self._search = search
        self._asked = 0
        self.field = _SearchField(self._move)
        self.field.setObjectName("search_field")
        self.field.setPlaceholderText(self.tr("Type part of the name (any script, accents "
                                              "optional)"))
        self.model = DeskPersonTableModel(timezone, self)
        self.view = table_view(self.model, sort_column=None,
                               widths={DeskPersonTableModel.NAME: 260,
                                       DeskPersonTableModel.ORGANISATION: 280,
                                       DeskPersonTableModel.ROLE: 110,
                                       DeskPersonTableModel.STATUS: 100})
        self.view.setObjectName("search_results")
        self.view.doubleClicked.connect(self._admit_index)
        self.status = QLabel()
        self.status.setObjectName("search_status")
        # parented at once: setDefault() below must find the dialog, or Cancel becomes the default
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.admit_button = buttons.addButton(self.tr("Admit"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.admit_button.setEnabled(False)
        buttons.accepted.connect(self._admit_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self.field.textChanged.connect(self._timer.start)
        self.field.returnPressed.connect(self._on_return)
        self.field.setFocus()  # typed names go here, not to a button

    def _run_search(self) -> None:
        text = self.field.text().strip()
        if len(text) < MIN_SEARCH_LENGTH:
            self.show_results([])
            return
        self._asked += 1
        asked = self._asked
        self._search(text, lambda rows: self._deliver(asked, rows))

    def _deliver(self, asked: int, rows: list) -> None:
        if asked == self._asked:  # an answer to older typing is dropped
            self.show_results(rows)

    def show_results(self, rows: list) -> None:
        """Show ``rows`` and select the first."""
        self.model.set_rows(rows)
        self.admit_button.setEnabled(bool(rows))
        if rows:
            self.view.selectRow(0)
        self.status.setText(self.tr("%n found", "", len(rows))
                            if self.field.text().strip() else "")

    def _move(self, step: int) -> None:
        if self.model.rowCount():
            row = self.view.currentIndex().row() + step
            self.view.selectRow(max(0, min(row, self.model.rowCount() - 1)))

    def _on_return(self) -> None:
        """Enter admits the selected row; typed too fast for the results, it searches now
        (and a second Enter admits)."""
        if self._timer.isActive():
            self._timer.stop()
            self._run_search()
            return
        self._admit_current()

    def _admit_current(self) -> None:
        self._admit_index(self.view.currentIndex())

    def _admit_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.admit.emit(row.id)
            self.accept()
