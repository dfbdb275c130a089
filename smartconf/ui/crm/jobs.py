"""Background jobs where only the newest request matters (search as you type, sorting,
the person panel): one runs at a time, a newer one waits in its place, and the result of a
request overtaken by a newer one is dropped."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal

from smartconf.ui.workers import Worker

_collector_lock = threading.Lock()
_collector_pauses = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a big job of a worker thread without automatic cyclic garbage collection.

    Such a job allocates hundreds of thousands of short-lived objects; with the collector on,
    the young collections promote the ones alive at that moment to the oldest generation
    until a full collection runs -- 60 ms with every thread stopped, the GUI's included.
    Paused, the short-lived objects die by reference counting and only what the job keeps
    is ever examined. Nested and concurrent pauses are counted.
    """
    global _collector_pauses
    with _collector_lock:
        _collector_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0:
                gc.enable()


class LatestJob(QObject):
    """Runs the newest submitted job off the GUI thread.

    ``finished(result)`` / ``failed(exception)`` come on the GUI thread, only for the newest
    job; ``busy_changed(bool)`` says when work starts and when all of it is done.
    """

    finished = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._latest = 0  # number of the newest submitted job
        self._running = 0  # number of the job on the worker
        self._pending: tuple[int, Callable[[], Any]] | None = None

    def submit(self, job: Callable[[], Any]) -> None:
        """Run ``job`` as soon as the worker is free; it replaces any job still waiting."""
        self._latest += 1
        if self._worker.is_running():
            self._pending = (self._latest, job)
        else:
            self._start(self._latest, job)
            self.busy_changed.emit(True)

    def cancel(self) -> None:
        """Forget the waiting job and drop the result of the running one."""
        self._latest += 1
        self._pending = None

    def is_busy(self) -> bool:
        return self._worker.is_running()

    def _start(self, number: int, job: Callable[[], Any]) -> None:
        self._running = number
        self._worker.start(job)

    def _next(self) -> bool:
        """Start the waiting job, if any; True when this one's result is the newest."""
        newest = self._running == self._latest
        if self._pending is not None:
            number, job = self._pending
            self._pending = None
            self._start(number, job)
        else:
            self.busy_changed.emit(False)
        return newest

    def _on_finished(self, result: object) -> None:
        if self._next():
            self.finished.emit(result)

    def _on_failed(self, exc: object) -> None:
        if self._next():
            self.failed.emit(exc)
