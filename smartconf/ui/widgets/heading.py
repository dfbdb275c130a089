"""Bold, larger labels for page and card titles."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def heading(text: str = "", *, scale: float = 1.4, parent=None) -> QLabel:
    """A bold label ``scale`` times the body text size, wrapping long text."""
    title = QLabel(text, parent)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    title.setFont(font)
    title.setWordWrap(True)
    return title
