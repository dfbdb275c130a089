"""Dashboard: one card per conference."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from smartconf.services.overview import conference_cards
from smartconf.ui.models.conferences import DashboardModel, utc_now
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.conference_card import ConferenceCardWidget
from smartconf.ui.widgets.heading import heading

CARD_WIDTH = 340


class DashboardPage(Page):
    """The conferences at a glance; cards are rebuilt whenever the model is reset."""

    def __init__(self, database, parent=None) -> None:
        super().__init__(database, parent)
        self.model = DashboardModel(self)
        self.cards: list[ConferenceCardWidget] = []
        self._columns = 0
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Dashboard")))
        self.empty = QLabel(self.tr("No conferences yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        layout.addWidget(self.empty, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll.setWidget(self.grid_host)
        layout.addWidget(self.scroll, 1)
        self.model.modelReset.connect(self._rebuild_cards)
        self._rebuild_cards()

    def title(self) -> str:
        return self.tr("Dashboard")

    def reload(self) -> None:
        self.model.set_rows(self.read(conference_cards))

    def _rebuild_cards(self) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        now = utc_now()
        self.cards = [ConferenceCardWidget(row, now) for row in self.model.rows()]
        self.empty.setVisible(not self.cards)
        self.scroll.setVisible(bool(self.cards))
        self._columns = 0
        self._place_cards()

    def _place_cards(self) -> None:
        columns = max(1, self.contentsRect().width() // CARD_WIDTH)
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for column in range(max(columns, self.grid.columnCount())):
            used = column < columns
            self.grid.setColumnStretch(column, 1 if used else 0)
            self.grid.setColumnMinimumWidth(column, CARD_WIDTH - 40 if used else 0)
        for row in range(self.grid.rowCount() + 1):  # the row after the cards takes the rest
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch((len(self.cards) - 1) // columns + 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()
