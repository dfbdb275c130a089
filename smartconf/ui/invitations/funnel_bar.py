"""The funnel of a conference in one line: how many invited, accepted, declined, attended,
waitlisted, and the seats taken of the capacity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from smartconf.core.enums import ParticipantStatus
from smartconf.services.invitations import Funnel
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label

SHOWN = (ParticipantStatus.SHORTLISTED, ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED,
         ParticipantStatus.TENTATIVE, ParticipantStatus.DECLINED, ParticipantStatus.ATTENDED,
         ParticipantStatus.WAITLISTED)


class FunnelBar(QWidget):
    """Counts by status, then a bar of the seats taken (or a plain count without capacity)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.counts = QLabel()
        self.counts.setObjectName("funnel_counts")
        self.seats = QProgressBar()
        self.seats.setObjectName("funnel_seats")
        self.seats.setMaximumWidth(220)
        self.seats.setMinimumWidth(160)
        self.seats.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.seats)
        self.set_funnel(None)

    def set_funnel(self, funnel: Funnel | None) -> None:
        """Show ``funnel`` (None: nothing to show)."""
        if funnel is None:
            self.counts.clear()
            self.seats.hide()
            return
        parts = [fill(self.tr("%1 <b>%2</b>"), label(status), funnel.count(status))
                 for status in SHOWN]
        self.counts.setText(" · ".join(parts))
        self.seats.show()
        if funnel.capacity:
            self.seats.setRange(0, funnel.capacity)
            self.seats.setValue(min(funnel.seats_taken, funnel.capacity))
            self.seats.setFormat(fill(self.tr("Seats: %1 of %2"), funnel.seats_taken,
                                      funnel.capacity))
        else:
            self.seats.setRange(0, 1)
            self.seats.setValue(0)
            self.seats.setFormat(fill(self.tr("Seats taken: %1 (no capacity set)"),
                                      funnel.seats_taken))
        self.seats.setToolTip(self.tr("Accepted, tentative and attended take a seat."))

    def text(self) -> str:
        """What the bar says, as plain text (tests, accessibility)."""
        plain = self.counts.text().replace("<b>", "").replace("</b>", "")
        return f"{plain} · {self.seats.format()}" if self.seats.isVisibleTo(self) else plain
