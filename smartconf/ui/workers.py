"""Running a job off the GUI thread and getting its result (or error) back on the GUI thread.

A job is a plain callable; it opens its own database session. Only plain values (ids, bytes,
DTOs) cross threads, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Created on the GUI thread; its signals, emitted by the job, are delivered there."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, job: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._job()
        except Exception as exc:  # handed to the GUI thread, which shows it
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class Worker(QObject):
    """Runs one job at a time on the global thread pool.

    ``finished(result)`` or ``failed(exception)`` is emitted on the GUI thread.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._relay: _Relay | None = None

    def is_running(self) -> bool:
        return self._relay is not None

    def start(self, job: Callable[[], Any]) -> None:
        """Run ``job`` in the background; refused while another job runs."""
        if self._relay is not None:
            raise RuntimeError("a job is already running")
        relay = _Relay(self)
        relay.done.connect(self._on_done)
        relay.failed.connect(self._on_failed)
        self._relay = relay
        QThreadPool.globalInstance().start(_Job(job, relay))

    def _release(self) -> None:
        if self._relay is not None:
            self._relay.deleteLater()
            self._relay = None

    def _on_done(self, result: object) -> None:
        self._release()
        self.finished.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._release()
        self.failed.emit(exc)
