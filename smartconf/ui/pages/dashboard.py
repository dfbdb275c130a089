"""Dashboard: one card per conference (countdown, invitation funnel, live check-ins, open and
overdue commitments) and the participant charts of the donor statistics.

The charts show the same suppressed figures as the donor exports (counts of 1 or 2 as "<3"):
what a coordinator sees, or shares from a screen, is what the donor gets. While the page is
visible it refreshes every 30 seconds; the reading and the chart drawing run on a worker
thread, so the GUI thread never waits on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.donor_stats import ALL, CHARTED, commitment_counts, dashboard_charts
from smartconf.services.overview import ConferenceCard, conference_cards
from smartconf.store.database import Database
from smartconf.store.session import read_session
from smartconf.ui.formatting import fill
from smartconf.ui.models.conferences import DashboardModel, utc_now
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.conference_card import ConferenceCardWidget
from smartconf.ui.widgets.heading import heading
from smartconf.ui.workers import Worker

CARD_WIDTH = 340
REFRESH_MS = 30_000
CHART_SIZE = (500, 340)
_OVERDUE_STYLE = "color: #b02a37; font-weight: bold;"


@dataclass(frozen=True, slots=True)
class DashboardData:
    """One refresh of the dashboard, read and drawn off the GUI thread."""

    cards: list[ConferenceCard]
    commitments: dict[int, tuple[int, int]]
    charts: dict[str, bytes]  # breakdown key -> PNG


def load_dashboard(database: Database, scope: str) -> DashboardData:
    """Read the cards, the commitments and draw the charts of ``scope`` (a job for Worker)."""
    with read_session(database.sessions) as session:
        cards = conference_cards(session)
        commitments = commitment_counts(session)
        charts: dict[str, bytes] = {}
        if cards:
            _report, charts = dashboard_charts(session, scope, size=CHART_SIZE)
    return DashboardData(cards, commitments, charts)


class DashboardPage(Page):
    """The conferences at a glance; cards are rebuilt whenever the model is reset."""

    def __init__(self, database, parent=None) -> None:
        super().__init__(database, parent)
        self.model = DashboardModel(self)
        self.cards: list[ConferenceCardWidget] = []
        self.commitments: dict[int, tuple[int, int]] = {}
        self._columns = 0
        self.worker = Worker(self)
        self.worker.finished.connect(self._show_data)
        self.worker.failed.connect(self._on_failed)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_live)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Dashboard")))
        self.empty = QLabel(self.tr("No conferences yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        layout.addWidget(self.empty, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        host = QWidget()
        host_layout = QVBoxLayout(host)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        host_layout.addWidget(self.grid_host)
        host_layout.addWidget(self._charts_box())
        host_layout.addStretch(1)
        self.scroll.setWidget(host)
        layout.addWidget(self.scroll, 1)
        self.model.modelReset.connect(self._rebuild_cards)
        self._rebuild_cards()

    def title(self) -> str:
        return self.tr("Dashboard")

    # --- charts ----------------------------------------------------------------------------

    def _charts_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 12, 0, 0)
        row = QHBoxLayout()
        row.addWidget(heading(self.tr("Participants"), scale=1.15))
        self.scope = QComboBox()
        self.scope.addItem(self.tr("All conferences"), ALL)
        self.scope.currentIndexChanged.connect(self.refresh_live)
        row.addWidget(self.scope)
        row.addStretch(1)
        layout.addLayout(row)
        note = QLabel(self.tr("As in the donor exports: counts of 1 or 2 are shown as <3, and "
                              "[c] marks a count hidden so that no <3 can be worked out. "
                              "Participants: attended for a closed conference, else accepted, "
                              "tentative or attended."))
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        grid = QGridLayout()
        self.chart_labels: dict[str, QLabel] = {}
        for index, key in enumerate(CHARTED):
            label = QLabel(self.tr("Loading…"))
            label.setObjectName(f"chart-{key}")
            label.setMinimumSize(*CHART_SIZE)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, index // 2, index % 2)
            self.chart_labels[key] = label
        layout.addLayout(grid)
        return box

    def _update_scopes(self) -> None:
        codes = [row.code for row in self.model.rows()]
        present = [self.scope.itemData(i) for i in range(1, self.scope.count())]
        if codes == present:
            return
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        while self.scope.count() > 1:
            self.scope.removeItem(1)
        for code in codes:
            self.scope.addItem(code, code)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self.scope.blockSignals(False)

    def _show_charts(self, charts: dict[str, bytes]) -> None:
        for key, label in self.chart_labels.items():
            pixmap = QPixmap()
            if key in charts and pixmap.loadFromData(charts[key], "PNG"):
                label.setPixmap(pixmap)
            else:
                label.setText(self.tr("No chart"))

    # --- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Cards and commitments now (two quick queries), the charts in the background."""
        self.commitments = self.read(commitment_counts)
        self.model.set_rows(self.read(conference_cards))
        self.refresh_live()

    def refresh_live(self) -> None:
        """Read everything again off the GUI thread (skipped while a refresh is running)."""
        if self.worker.is_running() or not self.model.rows():
            return
        self.worker.start(partial(load_dashboard, self.database,
                                  self.scope.currentData() or ALL))

    def _show_data(self, data: DashboardData) -> None:
        self.commitments = data.commitments
        self.model.set_rows(data.cards)
        self._show_charts(data.charts)

    def _on_failed(self, exc: object) -> None:
        for label in self.chart_labels.values():
            label.setText(fill(self.tr("Could not refresh: %1"), exc))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    # --- cards -----------------------------------------------------------------------------

    def _commitments_label(self, conference_id: int) -> QLabel:
        open_count, overdue = self.commitments.get(conference_id, (0, 0))
        label = QLabel(fill(self.tr("Commitments: %1 open, %2 overdue"), open_count, overdue))
        label.setObjectName("commitments")
        if overdue:
            label.setStyleSheet(_OVERDUE_STYLE)
        return label

    def _rebuild_cards(self) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        now = utc_now()
        self.cards = []
        for row in self.model.rows():
            card = ConferenceCardWidget(row, now)
            layout = card.layout()
            layout.insertWidget(layout.count() - 1, self._commitments_label(row.id))
            self.cards.append(card)
        self.empty.setVisible(not self.cards)
        self.scroll.setVisible(bool(self.cards))
        self._update_scopes()
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()
