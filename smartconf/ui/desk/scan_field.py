"""The scan field: a USB scanner types the badge code and Enter into it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

MAX_CODE_LENGTH = 64  # a badge code has 15 characters; more is a scanner gone wrong


class ScanField(QLineEdit):
    """A small, discreet line edit: the typed code is not shown to the queue in big letters.

    ``submitted(text)`` is emitted on Enter with the stripped text, and the field empties.
    Undo (Ctrl+Z) and Escape are left to the desk window's shortcuts.
    """

    submitted = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scan_field")
        self.setMaxLength(MAX_CODE_LENGTH)
        self.setClearButtonEnabled(False)
        self.setPlaceholderText(self.tr("Scan a badge or type its code, then Enter"))
        self.setAccessibleName(self.tr("Badge code"))
        self.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText
                                 | Qt.InputMethodHint.ImhPreferUppercase)
        self.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        text = self.text().strip()
        self.clear()
        if text:
            self.submitted.emit(text)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.key() == Qt.Key.Key_Escape):
            event.ignore()  # let the window's shortcut have it
            return True
        return super().event(event)
