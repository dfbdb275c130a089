"""The organisations as a tree: a division sits inside its ministry."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from smartconf.services.organisations import OrganisationNode
from smartconf.ui.labels import label
from smartconf.ui.models.base import Index, RowRoles, sorted_positions

_ROOT = -1


class OrganisationTreeModel(RowRoles[OrganisationNode], QAbstractItemModel):
    """Over the forest of ``organisations.organisation_tree``; each index's internal id is
    the position of its organisation in the flattened list of nodes."""

    NAME, ACRONYM, KIND, COUNTRY, PEOPLE = range(5)
    COLUMN_COUNT = 5

    def __init__(self, parent=None) -> None:
        QAbstractItemModel.__init__(self, parent)
        self._rows: list[OrganisationNode] = []
        self._children: dict[int, list[int]] = {_ROOT: []}
        self._parent_of: list[int] = []
        self._row_in_parent: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def headers(self) -> Sequence[str]:
        return [self.tr("Organisation"), self.tr("Acronym"), self.tr("Kind"), self.tr("Country"),
                self.tr("People")]

    def display(self, row: OrganisationNode, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ACRONYM:
            return row.acronym or ""
        if column == self.KIND:
            return label(row.kind)
        if column == self.COUNTRY:
            return row.country
        return str(row.people)

    def sort_value(self, row: OrganisationNode, column: int) -> Any:
        return row.people if column == self.PEOPLE else self.display(row, column)

    def cell_data(self, row: OrganisationNode, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PEOPLE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    # --- rows ------------------------------------------------------------------------------

    def set_rows(self, roots: Iterable[OrganisationNode]) -> None:
        """Replace every organisation with the forest ``roots`` (nodes with their children)."""
        self.beginResetModel()
        self._rows, self._parent_of, self._row_in_parent = [], [], []
        self._children = {_ROOT: []}
        pending = deque((node, _ROOT) for node in roots)
        while pending:
            node, parent = pending.popleft()
            position = len(self._rows)
            siblings = self._children.setdefault(parent, [])
            self._rows.append(node)
            self._parent_of.append(parent)
            self._row_in_parent.append(len(siblings))
            siblings.append(position)
            pending.extend((child, position) for child in node.children)
        self._order_siblings()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the organisations of every level by ``column``; selections follow."""
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        nodes = [(index.internalId(), index.column()) for index in persistent]
        self._order_siblings()
        self.changePersistentIndexList(
            persistent, [self.createIndex(self._row_in_parent[node], col, node)
                         for node, col in nodes])
        self.layoutChanged.emit()

    def _order_siblings(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        for parent, children in self._children.items():
            keys = [self.sort_value(self._rows[i], column) for i in children]
            self._children[parent] = [children[p] for p in sorted_positions(keys, order)]
            for row, node in enumerate(self._children[parent]):
                self._row_in_parent[node] = row

    def rows(self) -> list[OrganisationNode]:
        return list(self._rows)

    def row_at(self, index: Index) -> OrganisationNode | None:
        return self._rows[index.internalId()] if index.isValid() else None

    def index_of_id(self, organisation_id: int) -> QModelIndex:
        """The index (column 0) of an organisation, or an invalid index."""
        for i, row in enumerate(self._rows):
            if row.id == organisation_id:
                return self.createIndex(self._row_in_parent[i], 0, i)
        return QModelIndex()

    # --- QAbstractItemModel ----------------------------------------------------------------

    def _node(self, index: Index) -> int:
        return index.internalId() if index.isValid() else _ROOT

    def index(self, row: int, column: int,
              parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self._children.get(self._node(parent), [])
        if not (0 <= row < len(children) and 0 <= column < self.COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._parent_of[index.internalId()]
        if parent == _ROOT:
            return QModelIndex()
        return self.createIndex(self._row_in_parent[parent], 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self._node(parent), []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return self.COLUMN_COUNT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        return None if row is None else self.role_data(row, index.column(), role)
