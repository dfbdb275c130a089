"""An empty list that says why and offers the way out ("Clear the filters")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QVBoxLayout, QWidget

from smartconf.ui.widgets.views import EmptyState


class ActionEmptyState(EmptyState):
    """``EmptyState`` with a button under the message (hidden until ``set_action``)."""

    def __init__(self, view: QAbstractItemView, message: str, parent=None) -> None:
        self.button = QPushButton()
        self.button.hide()
        super().__init__(view, message, parent)
        self.removeWidget(self.message)
        self.empty_page = QWidget()
        column = QVBoxLayout(self.empty_page)
        column.addStretch(1)
        column.addWidget(self.message)
        self.message.show()  # removeWidget hid it
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.addWidget(self.empty_page)
        self.update_state()

    def set_action(self, text: str | None) -> None:
        """The button's text, or None to hide it."""
        self.button.setText(text or "")
        self.button.setVisible(bool(text))

    def is_empty(self) -> bool:
        return self.currentWidget() is getattr(self, "empty_page", self.message)

    def update_state(self) -> None:
        empty_page = getattr(self, "empty_page", None)
        if empty_page is None:  # still being built
            return
        empty = self.view.model().rowCount() == 0
        self.setCurrentWidget(empty_page if empty else self.view)
