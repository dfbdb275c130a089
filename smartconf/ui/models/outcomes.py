"""Model of the outcomes page; overdue outcomes are highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from smartconf.services.overview import OutcomeRow
from smartconf.ui.formatting import fill, format_date
from smartconf.ui.labels import label
from smartconf.ui.models.base import RowTableModel

OVERDUE_BACKGROUND = QColor(253, 226, 225)
OVERDUE_FOREGROUND = QColor(139, 0, 0)


class OutcomeTableModel(RowTableModel[OutcomeRow]):
    CONFERENCE, SESSION, KIND, TEXT, COMMITTED_BY, OWNER, DUE, STATUS = range(8)
    COLUMN_COUNT = 8

    def headers(self) -> Sequence[str]:
        return [self.tr("Conference"), self.tr("Session"), self.tr("Kind"), self.tr("Text"),
                self.tr("Committed by"), self.tr("Owner"), self.tr("Due"), self.tr("Status")]

    _TEXTS = {CONFERENCE: attrgetter("conference_code"), SESSION: attrgetter("session_title"),
              TEXT: attrgetter("text"), COMMITTED_BY: attrgetter("committed_by"),
              OWNER: attrgetter("owner")}

    def display(self, row: OutcomeRow, column: int) -> str:
        if column == self.KIND:
            return label(row.kind)
        if column == self.DUE:
            return format_date(row.due_on)
        if column == self.STATUS:
            return label(row.status)
        return self._TEXTS[column](row)

    def sort_value(self, row: OutcomeRow, column: int) -> Any:
        if column == self.DUE:
            return row.due_on
        return self.display(row, column)

    def cell_data(self, row: OutcomeRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.overdue:
                return fill(self.tr("Overdue: %1"), row.text)
            return row.text if column == self.TEXT else None
        if not row.overdue:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_FOREGROUND)
        return None
