"""Item views set up the same way everywhere: fixed row heights, sorted by their model (see
RowTableModel.sort), and an empty-state message instead of a blank table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTreeView,
)


def _row_height(view: QAbstractItemView) -> int:
    return view.fontMetrics().height() + 10


def table_view(model: QAbstractItemModel, *, widths: dict[int, int] | None = None,
               stretch: int | None = None, sort_column: int | None = 0,
               sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
               parent=None) -> QTableView:
    """A read-only table with fixed row heights (never sized to contents: too slow at scale).

    ``stretch`` names the column that takes the room left (else the last one). Sorted by
    ``sort_column`` at first; None keeps the model's order until a header is clicked.
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setShowGrid(False)
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(_row_height(view))
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column, width in (widths or {}).items():
        header.resizeSection(column, width)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    # The indicator first: enabling sorting sorts by it at once.
    header.setSortIndicator(-1 if sort_column is None else sort_column, sort_order)
    view.setSortingEnabled(True)
    return view


def tree_view(model: QAbstractItemModel, *, widths: dict[int, int] | None = None,
              parent=None) -> QTreeView:
    """A read-only, sortable tree with uniform row heights."""
    view = QTreeView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.header().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    for column, width in (widths or {}).items():
        view.header().resizeSection(column, width)
    return view


class EmptyState(QStackedWidget):
    """Shows ``view`` while its model has rows, else a centred message."""

    def __init__(self, view: QAbstractItemView, message: str, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.message = QLabel(message)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setEnabled(False)  # the platform's dimmed text
        self.addWidget(view)
        self.addWidget(self.message)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self.update_state)
        self.update_state()

    def is_empty(self) -> bool:
        return self.currentWidget() is self.message

    def set_message(self, message: str) -> None:
        self.message.setText(message)

    def update_state(self) -> None:
        empty = self.view.model().rowCount() == 0
        self.setCurrentWidget(self.message if empty else self.view)

