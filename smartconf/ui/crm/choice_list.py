"""A short list of checkable values: several may be chosen, none means "any"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from smartconf.services.overview import Choice

VALUE_ROLE = Qt.ItemDataRole.UserRole
VISIBLE_ROWS = 5


class ChoiceList(QListWidget):
    """Checkable items; ``changed`` when the user (or ``set_values``) checks or unchecks."""

    changed = Signal()

    def __init__(self, choices: Sequence[Choice] = (), parent=None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setUniformItemSizes(True)
        self.setFixedHeight(self.fontMetrics().height() * VISIBLE_ROWS + 14)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Offer ``choices``, keeping the values checked so far (even if no longer offered)."""
        checked = self.values()
        self.blockSignals(True)
        self.clear()
        for choice in choices:
            self._add(choice.value, choice.text)
        self.blockSignals(False)
        self.set_values(checked)

    def _add(self, value: object, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text, self)
        item.setData(VALUE_ROLE, value)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        return item

    def _items(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count())]

    def values(self) -> tuple:
        """The checked values, in the list's order."""
        return tuple(item.data(VALUE_ROLE) for item in self._items()
                     if item.checkState() == Qt.CheckState.Checked)

    def set_values(self, values: Iterable[object]) -> None:
        """Check exactly ``values`` (adding those not offered); one ``changed`` at most."""
        wanted = list(values)
        if tuple(wanted) == self.values():
            return
        self.blockSignals(True)
        present = {item.data(VALUE_ROLE) for item in self._items()}
        for value in wanted:
            if value not in present:
                self._add(value, str(value))
        for item in self._items():
            state = Qt.CheckState.Checked if item.data(VALUE_ROLE) in wanted else \
                Qt.CheckState.Unchecked
            item.setCheckState(state)
        self.blockSignals(False)
        self.changed.emit()
