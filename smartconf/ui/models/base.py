"""The table model every list of the GUI builds on: it owns a list of DTO rows.

Subclasses name their columns with integer constants, give the headers, and say how a row
shows (``display``) and sorts (``sort_value``: native Python values, str, int, date...; the
SORT_ROLE hands them to Qt in a form a proxy can compare).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimeZone,
)

from smartconf.core.collation import collation_key
from smartconf.ui.formatting import ui_language

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # native value to sort by
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the DTO of the row


@lru_cache(maxsize=65536)
def text_key(text: str, language: str = "en") -> tuple:
    """How text sorts in the models: by the collation of the user's language (Albanian and
    Serbian alphabets; otherwise case, diacritics and script ignored), the same on every
    platform."""
    return collation_key(text, language)


def sort_key(value: Any) -> Any:
    """``value`` as Qt can compare it (a QSortFilterProxyModel on SORT_ROLE): Python dates and
    datetimes reach Qt as opaque objects that never sort, so they become QDate / QDateTime
    (UTC); text, numbers and None pass unchanged."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return QDateTime.fromMSecsSinceEpoch(round(value.timestamp() * 1000), QTimeZone.utc())
    if isinstance(value, date):
        return QDate(value.year, value.month, value.day)
    return value


class RowRoles(Generic[T]):
    """How a row answers each role; shared by the table models and the tree model."""

    COLUMN_COUNT: ClassVar[int] = 0

    def headers(self) -> Sequence[str]:
        """Translated column titles, one per column."""
        raise NotImplementedError

    def display(self, row: T, column: int) -> str:
        """The text of a cell."""
        raise NotImplementedError

    def sort_value(self, row: T, column: int) -> Any:
        """The value a cell sorts by; the displayed text unless overridden."""
        return self.display(row, column)

    def cell_data(self, row: T, column: int, role: int) -> Any:
        """Any other role of a cell (tooltip, colour, alignment); None by default."""
        return None

    def role_data(self, row: T, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == SORT_ROLE:
            return sort_key(self.sort_value(row, column))
        if role == ROW_ROLE:
            return row
        return self.cell_data(row, column, role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def sorted_positions(keys: Sequence[Any], order: Qt.SortOrder) -> list[int]:
    """Positions of ``keys`` in sorted order (text by ``text_key`` in the user's language),
    None always last."""
    language = ui_language()
    present = [i for i, key in enumerate(keys) if key is not None]
    missing = [i for i, key in enumerate(keys) if key is None]
    present.sort(key=lambda i: (text_key(keys[i], language) if isinstance(keys[i], str)
                                else keys[i]),
                 reverse=order == Qt.SortOrder.DescendingOrder)
    return present + missing


class RowTableModel(RowRoles[T], QAbstractTableModel):
    """A read-only table over a list of rows (dataclasses from the services).

    It sorts itself (a view with sorting enabled calls ``sort``), in Python over the native
    sort values: a QSortFilterProxyModel would call ``data`` for every comparison, which takes
    most of a second for a few thousand rows.
    """

    def __init__(self, parent=None) -> None:
        QAbstractTableModel.__init__(self, parent)
        self._rows: list[T] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Iterable[T]) -> None:
        """Replace every row (kept in the order of the last ``sort``, if any)."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._rows = [self._rows[i] for i in self._sorted_positions(*self._sort)]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``'s sort values, empty ones last; selections follow."""
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        positions = self._sorted_positions(column, order)
        moved_to = {old: new for new, old in enumerate(positions)}
        self._rows = [self._rows[i] for i in positions]
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(moved_to[i.row()], i.column()) for i in persistent])
        self.layoutChanged.emit()

    def _sorted_positions(self, column: int, order: Qt.SortOrder) -> list[int]:
        return sorted_positions([self.sort_value(row, column) for row in self._rows], order)

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, index: Index) -> T | None:
        """The row of ``index`` (of this model), or None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        return None if row is None else self.role_data(row, index.column(), role)
