"""The columns of a table chosen by the user (header context menu with checkboxes) and, with
their widths, order and sort, remembered in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView


class HeaderSettings(QObject):
    """Restores ``view``'s header from ``key`` now and saves it after every change.

    ``actions[column]`` shows or hides a column; ``always_shown`` cannot be hidden.
    """

    def __init__(self, view: QTableView, key: str, *, always_shown: int = 0,
                 hidden_by_default: tuple[int, ...] = ()) -> None:
        super().__init__(view)
        self.view = view
        self.key = key
        self.header: QHeaderView = view.horizontalHeader()
        model = view.model()
        state = QSettings().value(key)
        if state is None or not self.header.restoreState(state):
            for column in hidden_by_default:
                self.header.setSectionHidden(column, True)
        self.actions: list[QAction] = []
        for column in range(model.columnCount()):
            action = QAction(str(model.headerData(column, Qt.Orientation.Horizontal)), self)
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(column))
            action.setEnabled(column != always_shown)
            action.toggled.connect(lambda shown, c=column: self.set_shown(c, shown))
            self.actions.append(action)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._menu)
        self.header.sectionResized.connect(self.save)
        self.header.sectionMoved.connect(self.save)
        self.header.sortIndicatorChanged.connect(self.save)

    def set_shown(self, column: int, shown: bool) -> None:
        """Show or hide ``column`` (and remember it)."""
        self.header.setSectionHidden(column, not shown)
        self.actions[column].setChecked(shown)
        self.save()

    def shown_columns(self) -> list[int]:
        return [c for c in range(len(self.actions)) if not self.header.isSectionHidden(c)]

    def menu(self) -> QMenu:
        """The menu of columns, with a checkbox each."""
        menu = QMenu(self.tr("Columns"), self.view)
        menu.addActions(self.actions)
        return menu

    def _menu(self, position: QPoint) -> None:
        self.menu().exec(self.header.mapToGlobal(position))

    def save(self) -> None:
        QSettings().setValue(self.key, self.header.saveState())
