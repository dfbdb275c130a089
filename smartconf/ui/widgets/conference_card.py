"""A conference on the dashboard: title, dates, venue, countdown, funnel and check-ins."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from smartconf.core.enums import ParticipantStatus
from smartconf.services.overview import ConferenceCard
from smartconf.ui.formatting import countdown, fill, format_period
from smartconf.ui.labels import label
from smartconf.ui.widgets.heading import heading

# Shown even at zero: the main steps of the funnel.
_ALWAYS_SHOWN = (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED,
                 ParticipantStatus.ATTENDED)


def _bar(value: int, maximum: int) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, max(maximum, 1))
    bar.setValue(min(value, max(maximum, 1)))
    bar.setTextVisible(False)
    bar.setMaximumHeight(10)
    return bar


class ConferenceCardWidget(QFrame):
    """Read-only card of one conference."""

    def __init__(self, card: ConferenceCard, now: datetime, parent=None) -> None:
        super().__init__(parent)
        self.card = card
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"conference-card-{card.code}")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(card.title, scale=1.15))
        where = " · ".join(p for p in (format_period(card.starts_at, card.ends_at), card.venue)
                           if p)
        layout.addWidget(self._wrapped(where))
        subtitle = self._wrapped(f"{card.code} · {label(card.status)}")
        subtitle.setEnabled(False)
        layout.addWidget(subtitle)
        self.countdown = heading(countdown(card.starts_at, card.ends_at, now), scale=1.0)
        layout.addWidget(self.countdown)
        layout.addWidget(self._funnel())
        layout.addWidget(self._check_ins())
        layout.addStretch(1)  # cards of one row are as tall as the tallest

    @staticmethod
    def _wrapped(text: str) -> QLabel:
        widget = QLabel(text)
        widget.setWordWrap(True)
        return widget

    def _funnel(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 6, 0, 6)
        total = self.card.participants
        summary = fill(self.tr("Participants: %1"), total)
        if self.card.capacity:
            summary += " · " + fill(self.tr("capacity %1"), self.card.capacity)
        grid.addWidget(QLabel(summary), 0, 0, 1, 3)
        shown = [(s, n) for s, n in self.card.funnel if n or s in _ALWAYS_SHOWN]
        for row, (status, count) in enumerate(shown, start=1):
            grid.addWidget(QLabel(label(status)), row, 0)
            grid.addWidget(_bar(count, total), row, 1)
            number = QLabel(str(count))
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(number, row, 2)
        grid.setColumnStretch(1, 1)
        return box

    def _check_ins(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.checked_in = QLabel(fill(self.tr("Checked in: %1 of %2 expected"),
                                      self.card.checked_in, self.card.expected))
        grid.addWidget(self.checked_in, 0, 0)
        grid.addWidget(_bar(self.card.checked_in, self.card.expected), 1, 0)
        return box
