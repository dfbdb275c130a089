"""The large verdict card: green, amber or red, readable from two metres away."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from smartconf.ui.desk.verdict_view import TONE_COLOURS, Tone, VerdictView

MAX_LINES = 4
# Text heights as fractions of the card's height.
HEADLINE_SCALE, NAME_SCALE, LINE_SCALE, NOTE_SCALE, FOOTER_SCALE = 0.085, 0.11, 0.05, 0.05, 0.032


class VerdictCard(QFrame):
    """Shows one ``VerdictView`` until the next; ``painted(seconds)`` reports, with a
    ``time.perf_counter`` timestamp, the first paint of each new view."""

    painted = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict_card")
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view: VerdictView | None = None
        self._unpainted = False
        self.headline = self._label("verdict_headline", bold=True)
        self.name = self._label("verdict_name", bold=True)
        self.lines = [self._label(f"verdict_line_{i}") for i in range(MAX_LINES)]
        self.note = self._label("verdict_note", bold=True)
        self.note.setFrameShape(QFrame.Shape.Box)
        self.note.setLineWidth(3)
        self.note.setMargin(12)
        self.footer = self._label("verdict_footer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(12)
        layout.addStretch(1)
        for widget in (self.headline, self.name, *self.lines, self.note, self.footer):
            layout.addWidget(widget)
        layout.addStretch(1)

    def _label(self, name: str, *, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = label.font()
        font.setBold(bold)
        label.setFont(font)
        return label

    @property
    def tone(self) -> Tone | None:
        return self.view.tone if self.view else None

    def show_view(self, view: VerdictView) -> None:
        """Replace what the card shows (colours, texts) and repaint it."""
        self.view = view
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(TONE_COLOURS[view.tone]))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
        self.setPalette(palette)
        self.headline.setText(view.headline)
        self.name.setText(view.name)
        self.name.setVisible(bool(view.name))
        for label, text in zip(self.lines, (*view.lines, *[""] * MAX_LINES), strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.note.setText(view.note)
        self.note.setVisible(bool(view.note))
        self.footer.setText(view.footer)
        self.footer.setVisible(bool(view.footer))
        self._unpainted = True
        self.update()

    def texts(self) -> list[str]:
        """Every text the card shows now (for tests and screen readers)."""
        labels = (self.headline, self.name, *self.lines, self.note, self.footer)
        return [label.text() for label in labels if label.isVisible() and label.text()]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = max(event.size().height(), 300)
        for label, scale in ((self.headline, HEADLINE_SCALE), (self.name, NAME_SCALE),
                             (self.note, NOTE_SCALE), (self.footer, FOOTER_SCALE),
                             *((line, LINE_SCALE) for line in self.lines)):
            font = QFont(label.font())
            font.setPixelSize(round(height * scale))
            label.setFont(font)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._unpainted:
            self._unpainted = False
            self.painted.emit(time.perf_counter())
