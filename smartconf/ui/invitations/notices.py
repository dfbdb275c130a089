"""Telling the user why something was refused or failed, without blocking the window: the box
opens window-modal and deletes itself when closed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.ui.errors import error_box


def problem_text(exc: BaseException) -> str:
    """The message of ``exc`` without the "field 'x':" prefix of a ValidationError."""
    if isinstance(exc, ValidationError):
        return exc.detail[:1].upper() + exc.detail[1:]
    if isinstance(exc, SmartconfError):
        return exc.message
    return str(exc)


def show_refusal(parent: QWidget, title: str, exc: BaseException) -> QMessageBox:
    """An open warning: ``title`` ("Nothing was changed"), the reason, what to do."""
    if not isinstance(exc, SmartconfError):
        return show_failure(parent, exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, problem_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("refusal")
    if exc.hint:
        box.setInformativeText(exc.hint)
    return _open(box)


def show_failure(parent: QWidget, exc: BaseException, *, title: str | None = None
                 ) -> QMessageBox:
    """An open critical box for ``exc`` (``ui.errors.error_box``, details for the unexpected)."""
    box = error_box(exc, parent, title=title)
    box.setObjectName("failure")
    return _open(box)


def _open(box: QMessageBox) -> QMessageBox:
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box
