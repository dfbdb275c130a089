"""Small models of the settings and exports pages: labelled values, the list of exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from smartconf.ui.models.base import RowTableModel


@dataclass(frozen=True, slots=True)
class InfoItem:
    label: str
    value: str


class InfoTableModel(RowTableModel[InfoItem]):
    """Two columns: what, and its value."""

    LABEL, VALUE = range(2)
    COLUMN_COUNT = 2

    def headers(self) -> Sequence[str]:
        return [self.tr("Setting"), self.tr("Value")]

    def display(self, row: InfoItem, column: int) -> str:
        return row.label if column == self.LABEL else row.value

    def cell_data(self, row: InfoItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.VALUE:
            return row.value
        return None


@dataclass(frozen=True, slots=True)
class ExportItem:
    """An export the application offers; ``available`` False until it is built."""

    key: str
    name: str
    description: str
    available: bool
    note: str = ""  # why it is not available, or what it needs


class ExportListModel(RowTableModel[ExportItem]):
    NAME, DESCRIPTION, AVAILABILITY = range(3)
    COLUMN_COUNT = 3

    def headers(self) -> Sequence[str]:
        return [self.tr("Export"), self.tr("Contents"), self.tr("Availability")]

    def display(self, row: ExportItem, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.DESCRIPTION:
            return row.description
        return self.tr("Ready") if row.available else self.tr("Coming in a later version")

    def cell_data(self, row: ExportItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.note or row.description
        if role == Qt.ItemDataRole.ForegroundRole and not row.available:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def row_of_key(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.key == key), -1)
