"""Errors as the user sees them: what happened and what to do, never a bare traceback."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from smartconf.core.errors import SmartconfError
from smartconf.ui.formatting import fill

_CONTEXT = "errors"
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def error_texts(exc: BaseException) -> tuple[str, str]:
    """(what happened, what to do) for the dialog."""
    tr = QCoreApplication.translate
    if isinstance(exc, SmartconfError):
        return exc.message, exc.hint
    return (fill(tr(_CONTEXT, "Something went wrong: %1"), str(exc) or type(exc).__name__),
            tr(_CONTEXT, "Your data is safe: the change in progress was not saved. If this "
                         "happens again, send the details below to the smartconf team."))


def error_box(exc: BaseException, parent: QWidget | None = None, *,
              title: str | None = None) -> QMessageBox:
    """A critical message box for ``exc`` (not shown yet)."""
    message, hint = error_texts(exc)
    box = QMessageBox(QMessageBox.Icon.Critical,
                      title or QCoreApplication.translate(_CONTEXT, "smartconf"), message,
                      QMessageBox.StandardButton.Ok, parent)
    if hint:
        box.setInformativeText(hint)
    if not isinstance(exc, SmartconfError):
        box.setDetailedText("".join(traceback.format_exception(exc)))
    return box


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    """Show ``exc`` in a modal critical dialog and wait until it is closed."""
    error_box(exc, parent).exec()


class _Hook:
    """sys.excepthook showing unexpected errors in a dialog (and on stderr)."""

    def __init__(self, previous: ExceptHook) -> None:
        self.previous = previous
        self._showing = False

    def __call__(self, exc_type, exc, tb) -> None:
        if not isinstance(exc, SmartconfError):
            traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if isinstance(exc, KeyboardInterrupt) or self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            show_error(exc.with_traceback(tb), QApplication.activeWindow())
        finally:
            self._showing = False


def install_excepthook() -> ExceptHook:
    """Send uncaught exceptions to an error dialog; returns the hook it replaced."""
    previous = sys.excepthook
    sys.excepthook = _Hook(previous)
    return previous
