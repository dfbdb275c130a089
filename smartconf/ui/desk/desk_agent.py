"""The desk's own thread: the Desk lives there, and its calls run there one at a time, in order.

A scan may wait on the network (a server that stopped answering, a retry) and the GUI must not:
the window hands each call to this thread and gets the result back on the GUI thread. One
thread, not a pool, so that scans are answered in the order they were made and the Desk (with
its database connections and local files) is only ever touched by the thread that opened it.
"""

from __future__ import annotations

import atexit
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Job = Callable[[Any], Any]
# Desk threads still running: kept alive here (a QThread destroyed while it runs aborts the
# process) and stopped at exit if a window never closed its desk.
_RUNNING: set[QThread] = set()


@atexit.register
def _stop_running() -> None:
    for thread in list(_RUNNING):
        thread.quit()
        thread.wait()
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Host(QObject):
    """Lives on the desk thread; holds the Desk and runs the jobs handed to it."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.desk: Any = None

    @Slot(int, object)
    def open(self, ticket: int, factory: Callable[[], Any]) -> None:
        try:
            self.desk = factory()
        except Exception as exc:  # shown by the window
            self.failed.emit(ticket, exc)
        else:
            self.finished.emit(ticket, self.desk)

    @Slot(int, object)
    def run(self, ticket: int, job: Job) -> None:
        try:
            result = job(self.desk)
        except Exception as exc:  # shown by the window
            self.failed.emit(ticket, exc)
        else:
            self.finished.emit(ticket, result)

    @Slot()
    def close(self) -> None:
        """Close the Desk, then stop the thread: after every call queued before this one."""
        try:
            if self.desk is not None:
                desk, self.desk = self.desk, None
                desk.close()
        finally:
            self.thread().quit()


class DeskAgent(QObject):
    """Runs ``job(desk)`` calls on the desk thread; ``on_done(result)`` or
    ``on_failed(exception)`` is called back on the GUI thread, in the order of the calls."""

    _open = Signal(int, object)
    _run = Signal(int, object)
    _close = Signal()

    def __init__(self, factory: Callable[[], Any], on_open: Done, on_open_failed: Failed,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tickets = itertools.count(1)
        self._waiting: dict[int, tuple[Done | None, Failed | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("desk")
        self._host = _Host()
        self._host.moveToThread(self._thread)
        self._thread.finished.connect(self._host.deleteLater)
        self._open.connect(self._host.open)
        self._run.connect(self._host.run)
        self._close.connect(self._host.close)
        self._host.finished.connect(self._on_finished)
        self._host.failed.connect(self._on_failed)
        _RUNNING.add(self._thread)
        self._thread.finished.connect(lambda: _RUNNING.discard(self._thread))
        self._thread.start()
        self._open.emit(self._ticket(on_open, on_open_failed), factory)

    def pending(self) -> int:
        """Calls not answered yet."""
        return len(self._waiting)

    def call(self, job: Job, on_done: Done | None = None, on_failed: Failed | None = None) -> None:
        """Queue ``job(desk)`` on the desk thread."""
        if not self._thread.isRunning():
            raise RuntimeError("the desk is closed")
        self._run.emit(self._ticket(on_done, on_failed), job)

    def close(self) -> None:
        """Finish the queued calls, close the Desk and stop the thread (waits for it)."""
        if self._thread.isRunning():
            self._close.emit()  # queued behind the calls; quits the thread when done
            self._thread.wait()
        self._waiting.clear()

    def _ticket(self, on_done: Done | None, on_failed: Failed | None) -> int:
        ticket = next(self._tickets)
        self._waiting[ticket] = (on_done, on_failed)
        return ticket

    def _on_finished(self, ticket: int, result: object) -> None:
        on_done, _ = self._waiting.pop(ticket, (None, None))
        if on_done is not None:
            on_done(result)

    def _on_failed(self, ticket: int, exc: BaseException) -> None:
        _, on_failed = self._waiting.pop(ticket, (None, None))
        if on_failed is not None:
            on_failed(exc)
        else:
            raise exc
