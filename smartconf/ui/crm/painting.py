"""Painting a big item view in one go while worker threads run Python.

Each cell a view paints calls the model's ``data`` (Python) several times; from C++, every
call takes the interpreter lock anew, and while a worker thread computes in Python each
take can wait for the worker's switch interval (5 ms): a repaint during a sort of 100,000
keys then took over 100 ms. Painted from Python, the whole paint event holds the lock and
the ``data`` calls inside it are nested: the worker is asked to wait instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView


class PaintInOneGo(QObject):
    """Event filter of ``view``'s viewport that runs its paint events from Python."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)  # runs before the view's own filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.view.viewport():
            return self.view.viewportEvent(event)  # paints, holding the lock
        return False
