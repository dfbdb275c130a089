"""Running a job generator (one that yields ``Progress`` and returns its result) off the GUI
thread, with its progress delivered on the GUI thread and a cancel that the job looks at."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, Signal

from smartconf.core.progress import run_job
from smartconf.ui.workers import Worker

Cancel = Callable[[], bool]
JobFactory = Callable[[Cancel], Generator[Any, None, Any]]


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the job emits on it, the GUI thread receives."""

    progress = Signal(object)


class ProgressWorker(QObject):
    """Runs one job generator at a time (see ``start``).

    ``progress(item)`` for every item the job yields, then ``finished(result)`` or
    ``failed(exception)``, all on the GUI thread.
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self.progress)
        self._cancel = threading.Event()

    def is_running(self) -> bool:
        return self._worker.is_running()

    def start(self, make_job: JobFactory) -> None:
        """Run ``make_job(cancel)``: ``cancel()`` turns true once ``cancel`` was called."""
        self._cancel = threading.Event()
        cancel, relay = self._cancel, self._relay
        self._worker.start(lambda: run_job(make_job(cancel.is_set), relay.progress.emit))

    def cancel(self) -> None:
        """Ask the running job to stop at its next check."""
        self._cancel.set()

    def cancelling(self) -> bool:
        return self._cancel.is_set() and self.is_running()

    def _on_finished(self, result: object) -> None:
        self.finished.emit(result)

    def _on_failed(self, exc: object) -> None:
        self.failed.emit(exc)
